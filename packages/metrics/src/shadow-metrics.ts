import { Counter, Gauge, type Registry } from 'prom-client';
import { JUDGE_VERDICTS, SHADOW_SKIP_REASONS } from '@model-canary/router';
import { foldInto, OTHER } from './label-values.js';
import type { SourceConfig } from './source.js';

/** Outcomes of a shadow call that was sent (a skip is counted in `shadow_skips_total`). */
const SENT_OUTCOMES = ['success', 'error', 'cancelled'] as const;
/** At most this many judge models get their own label value; more fold into `other`. */
const MAX_JUDGE_MODELS = 4;

/** The fields of a router's `shadow` event the metrics read. */
export interface SourceShadowEvent {
  readonly route: string;
  readonly arm: string;
  readonly shadowModel: string;
  readonly outcome: string;
  readonly skipReason: string | null;
  readonly costUsd: number;
  readonly spentUsd: number;
  readonly budgetUsd: number;
}

/** The fields of a router's `judgement` event the metrics read. */
export interface SourceJudgementEvent {
  readonly route: string;
  readonly arm: string;
  readonly shadowModel: string;
  readonly judgeModel: string;
  readonly verdict: string;
  readonly costUsd: number | null;
}

export interface ShadowMetrics {
  /** Zeroes the series of every configured route's shadow (run on every applied config). */
  applyConfig(config: SourceConfig | null): void;
  shadow(e: SourceShadowEvent): void;
  judgement(e: SourceJudgementEvent): void;
}

/**
 * Shadow and judge series (issue 16), plain prom-client counters and gauges with `labels()` children, on the
 * caller's registry. Label values are bounded: routes, arms and shadow models from the config (else `other`),
 * reasons, outcomes and verdicts from the router's closed lists, judge models the first few seen.
 */
export function createShadowMetrics(registry: Registry, prefix: string): ShadowMetrics {
  const registers = [registry];
  const calls = new Counter({
    name: `${prefix}shadow_calls_total`,
    help: 'Shadow calls sent, by route, the arm that served the call, and outcome (success, error, cancelled).',
    labelNames: ['route', 'arm', 'shadow_model', 'outcome'] as const,
    registers,
  });
  const skips = new Counter({
    name: `${prefix}shadow_skips_total`,
    help: 'Calls in the shadow sample that were not mirrored, by reason (max_in_flight, budget, opted_out, streamed, closed).',
    labelNames: ['route', 'shadow_model', 'reason'] as const,
    registers,
  });
  const cost = new Counter({
    name: `${prefix}shadow_cost_usd_total`,
    help: 'USD spent on shadow calls.',
    labelNames: ['route', 'shadow_model'] as const,
    registers,
  });
  const spent = new Gauge({
    name: `${prefix}shadow_spent_usd`,
    help: "This process's shadow spend so far, against its budget (shadow_budget_usd).",
    labelNames: ['route', 'shadow_model'] as const,
    registers,
  });
  const budget = new Gauge({
    name: `${prefix}shadow_budget_usd`,
    help: "The route's shadow budget per process (the config's budgetUsd).",
    labelNames: ['route', 'shadow_model'] as const,
    registers,
  });
  const judgements = new Counter({
    name: `${prefix}judgements_total`,
    help: 'Judge verdicts on shadow calls: candidate_better (the shadow model), served_better, tie, judge_error.',
    labelNames: ['route', 'arm', 'shadow_model', 'verdict'] as const,
    registers,
  });
  const judgeCost = new Counter({
    name: `${prefix}judge_cost_usd_total`,
    help: 'USD spent on judge calls.',
    labelNames: ['route', 'shadow_model', 'judge_model'] as const,
    registers,
  });

  /** route -> its arms and shadow models ever configured (grows with configs, never with traffic). */
  const known = new Map<string, { arms: Set<string>; shadowModels: Set<string> }>();
  const judgeModels = new Set<string>();
  const route = (r: string): string => (known.has(r) ? r : OTHER);
  const arm = (r: string, a: string): string => (known.get(r)?.arms.has(a) === true ? a : OTHER);
  const shadowModel = (r: string, m: string): string => (known.get(r)?.shadowModels.has(m) === true ? m : OTHER);
  const judgeModel = (m: string): string => {
    if (!judgeModels.has(m) && judgeModels.size < MAX_JUDGE_MODELS) judgeModels.add(m);
    return judgeModels.has(m) ? m : OTHER;
  };

  return {
    applyConfig(config) {
      for (const [name, routeConfig] of Object.entries(config?.routes ?? {})) {
        const { shadow } = routeConfig;
        if (shadow === undefined) continue;
        let entry = known.get(name);
        if (entry === undefined) known.set(name, (entry = { arms: new Set(), shadowModels: new Set() }));
        entry.shadowModels.add(shadow.model);
        const labels = { route: name, shadow_model: shadow.model };
        for (const a of routeConfig.arms) {
          entry.arms.add(a.name);
          if (a.model === shadow.model) continue; // never mirrored: it already runs the shadow model
          for (const outcome of SENT_OUTCOMES) calls.labels({ ...labels, arm: a.name, outcome }).inc(0);
          for (const verdict of JUDGE_VERDICTS) judgements.labels({ ...labels, arm: a.name, verdict }).inc(0);
        }
        for (const reason of SHADOW_SKIP_REASONS) skips.labels({ ...labels, reason }).inc(0);
        cost.labels(labels).inc(0);
        spent.labels(labels).inc(0);
        budget.labels(labels).set(shadow.budgetUsd);
      }
    },
    shadow(e) {
      const labels = { route: route(e.route), shadow_model: shadowModel(e.route, e.shadowModel) };
      if (e.outcome === 'skipped') skips.labels({ ...labels, reason: foldInto(SHADOW_SKIP_REASONS, e.skipReason) }).inc();
      else calls.labels({ ...labels, arm: arm(e.route, e.arm), outcome: foldInto(SENT_OUTCOMES, e.outcome) }).inc();
      if (e.costUsd > 0) cost.labels(labels).inc(e.costUsd);
      spent.labels(labels).set(e.spentUsd);
      budget.labels(labels).set(e.budgetUsd);
    },
    judgement(e) {
      const labels = { route: route(e.route), shadow_model: shadowModel(e.route, e.shadowModel) };
      judgements.labels({ ...labels, arm: arm(e.route, e.arm), verdict: foldInto(JUDGE_VERDICTS, e.verdict) }).inc();
      if (e.costUsd !== null) judgeCost.labels({ ...labels, judge_model: judgeModel(e.judgeModel) }).inc(e.costUsd);
    },
  };
}
