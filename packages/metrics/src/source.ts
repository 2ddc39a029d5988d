import type { SourceJudgementEvent, SourceShadowEvent } from './shadow-metrics.js';
/**
 * The structural slice of a router that the metrics read: its config snapshot and its event stream.
 * The real `Router` of `@model-canary/router` satisfies it; so does any emitter of the same events,
 * which keeps this package testable and usable with a router of another version. Only the fields the
 * metrics read are listed; the router's events carry more.
 */
export interface SourceArm {
  readonly name: string;
  /** Resolved model id: becomes the `model` label. */
  readonly model: string;
  /** null = the default (control) arm, which takes the rest. */
  readonly percent: number | null;
}

export interface SourceRoute {
  /** Kill switch: false sends every call to the default arm. */
  readonly enabled: boolean;
  /** When true a failed canary call may be served by the default arm's model. */
  readonly fallback?: boolean | undefined;
  readonly arms: readonly SourceArm[];
  /** The route's shadow (issue 16), for the shadow series. */
  readonly shadow?: { readonly model: string; readonly budgetUsd: number } | undefined;
}

export interface SourceConfig {
  readonly routes: Readonly<Record<string, SourceRoute>>;
}

export interface SourceConfigEvent {
  readonly type: 'config';
  readonly result: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly version: number;
}

export interface SourceSnapshot {
  readonly version: number;
  /** The serving config; null (or no routes) before any config was loaded. */
  readonly config: SourceConfig | null;
  /**
   * `split` when the config's percents are in force; `default` or `error` when the router serves only
   * default arms (soft start without a file). Absent means `split`.
   */
  readonly serving?: string | undefined;
  readonly lastReload: SourceConfigEvent | null;
}

export interface SourceDecisionEvent {
  readonly route: string;
  readonly arm: string;
  readonly reason: string;
}

export interface SourceCallStartEvent {
  readonly callId: string;
  readonly route: string;
  readonly arm: string;
}

export interface SourceAttemptEvent {
  readonly route: string;
  readonly arm: string;
  readonly model: string;
  readonly origin: string;
  readonly errorClass: string | null;
}

export type SourceTokenCounts = Readonly<Record<'input' | 'output' | 'cache_read' | 'cache_write_5m' | 'cache_write_1h', number>>;

export interface SourceFallback {
  readonly model: string;
  readonly tokens: SourceTokenCounts;
  readonly costUsd: number | null;
}

export interface SourceCallEvent {
  readonly callId: string;
  readonly route: string;
  readonly arm: string;
  readonly model: string;
  readonly durationMs: number;
  readonly ttftMs?: number | undefined;
  readonly tokens: SourceTokenCounts;
  readonly costUsd: number | null;
  readonly outcome: string;
  readonly errorClass: string | null;
  readonly fallback?: SourceFallback | undefined;
}

export interface SourceUnitRouteSummary {
  readonly route: string;
  readonly arm: string;
  readonly mixedArms: boolean;
  /** The unit's cost on this route; read by the cascade series (`unit_agent_*`). */
  readonly costUsd?: number;
  /** The unit's calls on this route by outcome (routers that report it); without it the call counts stay at 0. */
  readonly outcomes?: Readonly<Record<string, number>>;
}

export interface SourceUnitEvent {
  readonly outcome: string;
  readonly durationMs: number;
  readonly costUsd: number;
  readonly routes: readonly SourceUnitRouteSummary[];
}

export interface SourceUnitAssignmentEvent {
  readonly route: string;
  readonly arm: string;
}

export interface SourceEventMap {
  decision: SourceDecisionEvent;
  callStart: SourceCallStartEvent;
  attempt: SourceAttemptEvent;
  call: SourceCallEvent;
  unit: SourceUnitEvent;
  unitAssignment: SourceUnitAssignmentEvent;
  config: SourceConfigEvent;
  shadow: SourceShadowEvent;
  judgement: SourceJudgementEvent;
  error: unknown;
}

/** What `attach` accepts: `snapshot()` plus `on(event, fn)` returning an unsubscribe function. */
export interface CanaryMetricsSource {
  snapshot(): SourceSnapshot;
  on<E extends keyof SourceEventMap>(event: E, fn: (e: SourceEventMap[E]) => void): () => void;
}
