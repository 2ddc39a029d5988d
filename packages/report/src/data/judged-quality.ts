import type { Exposition } from '../prometheus/prom-text.js';
import { select, sumOf } from '../prometheus/prom-text.js';

/** A route's shadow evaluation: the judge's verdicts on the candidate (shadow) model, and what it cost. */
export interface ShadowSummary {
  readonly candidateBetter: number;
  readonly servedBetter: number;
  readonly tie: number;
  readonly judgeErrors: number;
  /** The shadow (candidate) model's win rate against the served answers, ties as halves; NaN without verdicts. */
  readonly winRate: number;
  /** 95% normal interval of the win rate (a snapshot; the rollout controller's test is the sequential one). */
  readonly low: number;
  readonly high: number;
  readonly shadowCalls: number;
  readonly skips: Readonly<Record<string, number>>;
  readonly shadowUsd: number;
  readonly budgetUsd: number;
  readonly judgeUsd: number;
}

/** The routes with a shadow in the scrape (the metrics package zeroes `shadow_budget_usd` for each). */
export function shadowRoutes(exposition: Exposition, { prefix = 'model_canary_' }: { prefix?: string } = {}): string[] {
  const named = [`${prefix}shadow_budget_usd`, `${prefix}judgements_total`].flatMap((n) => select(exposition, n).map((s) => s.labels.route));
  return [...new Set(named.filter((r): r is string => r !== undefined))];
}

/** The shadow and judge series of one route, from a `/metrics` scrape (the metrics package's shadow metrics). */
export function shadowSummary(exposition: Exposition, route: string, { prefix = 'model_canary_' }: { prefix?: string } = {}): ShadowSummary {
  const verdict = (v: string): number => sumOf(exposition, `${prefix}judgements_total`, { route, verdict: v });
  const w = verdict('candidate_better');
  const l = verdict('served_better');
  const t = verdict('tie');
  const n = w + l + t;
  const p = n > 0 ? (w + t / 2) / n : Number.NaN;
  // Each verdict scores 1, 0 or ½: the interval is the normal one of their mean, with their sample variance.
  const s2 = n > 1 ? (w * (1 - p) ** 2 + l * p ** 2 + t * (0.5 - p) ** 2) / (n - 1) : Number.NaN;
  const half = 1.96 * Math.sqrt(s2 / n);
  const skips: Record<string, number> = {};
  for (const s of select(exposition, `${prefix}shadow_skips_total`, { route })) {
    const reason = s.labels.reason ?? 'other';
    skips[reason] = (skips[reason] ?? 0) + s.value;
  }
  return {
    candidateBetter: w,
    servedBetter: l,
    tie: t,
    judgeErrors: verdict('judge_error'),
    winRate: p,
    low: Math.max(0, p - half),
    high: Math.min(1, p + half),
    shadowCalls: sumOf(exposition, `${prefix}shadow_calls_total`, { route }),
    skips,
    shadowUsd: sumOf(exposition, `${prefix}shadow_cost_usd_total`, { route }),
    budgetUsd: Math.max(0, ...select(exposition, `${prefix}shadow_budget_usd`, { route }).map((s) => s.value)),
    judgeUsd: sumOf(exposition, `${prefix}judge_cost_usd_total`, { route }),
  };
}
