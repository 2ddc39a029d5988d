import { select, sumOf, type Exposition } from './prom-text.js';

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

/** The shadow and judge series of one route, from a `/metrics` scrape (issue 16). */
export function shadowSummary(exposition: Exposition, route = 'orchestrator'): ShadowSummary {
  const verdict = (v: string): number => sumOf(exposition, 'model_canary_judgements_total', { route, verdict: v });
  const w = verdict('candidate_better');
  const l = verdict('served_better');
  const t = verdict('tie');
  const n = w + l + t;
  const p = n > 0 ? (w + t / 2) / n : Number.NaN;
  const s2 = n > 1 ? (w * (1 - p) ** 2 + l * p ** 2 + t * (0.5 - p) ** 2) / (n - 1) : Number.NaN;
  const half = 1.96 * Math.sqrt(s2 / n);
  const skips: Record<string, number> = {};
  for (const s of select(exposition, 'model_canary_shadow_skips_total', { route })) {
    const reason = s.labels['reason'] ?? 'other';
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
    shadowCalls: sumOf(exposition, 'model_canary_shadow_calls_total', { route }),
    skips,
    shadowUsd: sumOf(exposition, 'model_canary_shadow_cost_usd_total', { route }),
    budgetUsd: Math.max(0, ...select(exposition, 'model_canary_shadow_budget_usd', { route }).map((s) => s.value)),
    judgeUsd: sumOf(exposition, 'model_canary_judge_cost_usd_total', { route }),
  };
}

export function formatShadowSummary(s: ShadowSummary, route = 'orchestrator'): string {
  const skipped = Object.entries(s.skips).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`).join(', ');
  const verdicts = s.candidateBetter + s.servedBetter + s.tie;
  const rate = verdicts === 0
    ? 'no verdicts yet'
    : `canary win rate ${s.winRate.toFixed(3)} [${s.low.toFixed(3)}, ${s.high.toFixed(3)}] (95%, ties as halves) over ${verdicts} verdicts: ${s.candidateBetter} better, ${s.servedBetter} worse, ${s.tie} ties${s.judgeErrors > 0 ? `, ${s.judgeErrors} judge errors` : ''}`;
  return [
    `Shadow (${route}, judged blind by Claude Opus 4.7 on the plan rubric): ${rate}`,
    `  shadow calls ${s.shadowCalls}${skipped === '' ? '' : ` (skipped: ${skipped})`}, shadow spend $${s.shadowUsd.toFixed(4)} of $${s.budgetUsd} budget, judge spend $${s.judgeUsd.toFixed(4)}`,
  ].join('\n');
}
