import type { ErrorClass, TokenCounts } from '../events.js';

/**
 * Why a sampled call was not mirrored. `streamed`: the router mirrors `create` calls only (a stream's answer is
 * read by the caller as it arrives; mirroring it would need a second full read the shadow has no use for).
 */
export const SHADOW_SKIP_REASONS = ['max_in_flight', 'budget', 'opted_out', 'streamed', 'closed'] as const;
export type ShadowSkipReason = (typeof SHADOW_SKIP_REASONS)[number];

/** How a shadow call ended: `skipped` when it was never sent (see `skipReason`). */
export const SHADOW_OUTCOMES = ['success', 'error', 'cancelled', 'skipped'] as const;
export type ShadowOutcome = (typeof SHADOW_OUTCOMES)[number];

/**
 * One per call in a route's shadow sample, mirrored or skipped. `request`, `served` and `candidate` are the call's
 * params and both answers, for an in-process judge: never log them, never use them as metric labels.
 */
export interface ShadowEvent {
  readonly type: 'shadow';
  readonly route: string;
  /** The arm that served the call, and its model. */
  readonly arm: string;
  readonly servedModel: string;
  readonly shadowModel: string;
  readonly outcome: ShadowOutcome;
  readonly skipReason: ShadowSkipReason | null;
  readonly errorClass: ErrorClass | null;
  readonly durationMs: number;
  readonly tokens: TokenCounts;
  /** Cost of the shadow call in USD (0 when skipped). */
  readonly costUsd: number;
  /** The route's shadow spend so far in this process, this call included. */
  readonly spentUsd: number;
  readonly budgetUsd: number;
  readonly key?: string;
  readonly request?: unknown;
  readonly served?: unknown;
  readonly candidate?: unknown;
}

export const JUDGE_VERDICTS = ['candidate_better', 'served_better', 'tie', 'judge_error'] as const;
export type JudgeVerdict = (typeof JUDGE_VERDICTS)[number];

/** One per judged shadow call. */
export interface JudgementEvent {
  readonly type: 'judgement';
  readonly route: string;
  readonly arm: string;
  readonly servedModel: string;
  /** The shadow (candidate) model. */
  readonly shadowModel: string;
  readonly judgeModel: string;
  readonly verdict: JudgeVerdict;
  /** The verdict of each order the judge saw (served as A first, then as B); null for an order that failed. */
  readonly orders: readonly (JudgeVerdict | null)[];
  readonly durationMs: number;
  readonly tokens: TokenCounts;
  /** USD of the judge's calls, or null when the judge model has no price. */
  readonly costUsd: number | null;
  readonly errorClass: ErrorClass | null;
  readonly key?: string;
}
