import type { Decision, DecisionReason } from './decision.js';
import type { JudgementEvent, ShadowEvent } from './shadow/shadow-events.js';
import type { ShadowChange } from './reload/shadow-changes.js';

/**
 * Outcome of one model call, counted under the arm it was assigned (intent to treat). `cancelled`: the
 * application ended the call (its AbortSignal, `stream.abort()`, leaving the iteration); no error of the model,
 * so error rates leave it out.
 */
export const CALL_OUTCOMES = ['success', 'error', 'fallback', 'cancelled'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The closed set of error classes a call or attempt can end in. */
export const ERROR_CLASSES = [
  'rate_limit',
  'overloaded',
  'server',
  'timeout',
  'connection',
  'bad_request',
  'auth',
  'refusal',
  'max_tokens',
  'other',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/**
 * The classes a call gets from its response's stop reason: the model answered (HTTP 2xx), so the attempt that
 * carried the answer succeeded and no attempt event ever has one of these.
 */
export const STOP_REASON_ERROR_CLASSES = ['refusal', 'max_tokens'] as const satisfies readonly ErrorClass[];

/**
 * Task-level outcomes of a unit (a booking). The router sets the last two: `abandoned` for a unit still open at
 * `router.close()` (a shutdown cut it off: not a result of its model), `expired` for a unit the app never ended
 * within `unitTimeoutMs` of its last call (a booking the app failed to finish: a failed result).
 */
export const UNIT_OUTCOMES = ['success', 'failure', 'invalid', 'abandoned', 'expired'] as const;
export type UnitOutcome = (typeof UNIT_OUTCOMES)[number];

export const TOKEN_TYPES = ['input', 'output', 'cache_read', 'cache_write_5m', 'cache_write_1h'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

/** Token counts by type, normalised from the SDK's `usage` object. */
export type TokenCounts = Readonly<Record<TokenType, number>>;

export const ATTEMPT_ORIGINS = ['primary', 'fallback'] as const;
export type AttemptOrigin = (typeof ATTEMPT_ORIGINS)[number];

export const RELOAD_RESULTS = ['applied', 'rejected', 'unchanged', 'missing'] as const;
export type ReloadResult = (typeof RELOAD_RESULTS)[number];

export interface DecisionEvent extends Decision {
  readonly type: 'decision';
}

/** Emitted when a call starts (after its decision), so in-flight gauges can follow. */
export interface CallStartEvent {
  readonly type: 'callStart';
  readonly callId: string;
  readonly route: string;
  readonly arm: string;
  readonly model: string;
  readonly startedAt: number;
}

/** One per HTTP attempt, including the SDK's own retries and a fallback attempt. */
export interface AttemptEvent {
  readonly type: 'attempt';
  readonly callId: string;
  readonly route: string;
  readonly arm: string;
  /** The model this attempt asked for (the control model on a fallback attempt). */
  readonly model: string;
  readonly origin: AttemptOrigin;
  /** 1-based attempt number within the call. */
  readonly attempt: number;
  /** HTTP status, or null when no response arrived (timeout, connection error, abort). */
  readonly status: number | null;
  readonly durationMs: number;
  readonly errorClass: ErrorClass | null;
  readonly requestId: string | null;
}

/** Tokens and cost of a fallback attempt, recorded with its own model. */
export interface FallbackServed {
  readonly arm: string;
  readonly model: string;
  readonly servedModel: string | null;
  readonly tokens: TokenCounts;
  readonly costUsd: number | null;
  readonly outcome: 'success' | 'error';
  readonly errorClass: ErrorClass | null;
}

/** Exactly one per call, whatever happened (success, SDK error, abort, stream abandoned). */
export interface CallEvent {
  readonly type: 'call';
  readonly callId: string;
  readonly route: string;
  /** The assigned arm; a fallback never changes it. */
  readonly arm: string;
  /** The assigned arm's model. */
  readonly model: string;
  readonly servedModel: string | null;
  /** The unit key, for in-process consumers (logs). Never a metric label. */
  readonly key?: string;
  readonly keyed: boolean;
  readonly bucket: number;
  readonly reason: DecisionReason;
  readonly configVersion: number;
  readonly streaming: boolean;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** Time to first content token, streams only. */
  readonly ttftMs?: number;
  /** The response's own usage object, as the SDK returned it (primary attempt), or null. */
  readonly usage: unknown;
  /** Tokens of the primary (assigned-model) attempts. */
  readonly tokens: TokenCounts;
  /** Cost of the primary attempts in USD, or null when the model has no price. */
  readonly costUsd: number | null;
  readonly outcome: CallOutcome;
  readonly errorClass: ErrorClass | null;
  readonly attempts: number;
  readonly requestId: string | null;
  readonly fallback?: FallbackServed;
  /** Set when the call passed its deadline (`deadlineMs`): outcome `error`, class `timeout`. */
  readonly deadlineExceeded?: boolean;
}

export interface UnitRouteSummary {
  readonly route: string;
  readonly arm: string;
  readonly calls: number;
  readonly costUsd: number;
  /** True when calls of this unit on this route landed on more than one arm (e.g. a reload mid-unit). */
  readonly mixedArms: boolean;
  /** The route's calls of this unit by final outcome (they add up to `calls`). */
  readonly outcomes: Readonly<Record<CallOutcome, number>>;
}

export interface UnitEvent {
  readonly type: 'unit';
  readonly key: string;
  readonly outcome: UnitOutcome;
  readonly reason?: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly calls: number;
  /** Total cost of every call of the unit, fallbacks included. */
  readonly costUsd: number;
  /** One entry per route the unit called. */
  readonly routes: readonly UnitRouteSummary[];
}

/**
 * Emitted once per unit and route, when the unit's first call on the route starts: the moment the unit gets its
 * arm. Counting units here (not when they end) is what a sample-ratio test needs: a unit assigned before a
 * percent change and ended after it belongs to the old split.
 */
export interface UnitAssignmentEvent {
  readonly type: 'unitAssignment';
  readonly key: string;
  readonly route: string;
  readonly arm: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

export interface ConfigProblem {
  /** JSON path of the offending value, e.g. `routes.orchestrator.arms[0].percent`. */
  readonly path: string;
  readonly message: string;
  /** 1-based position in the file, for syntax errors and duplicate keys. */
  readonly line?: number;
  readonly column?: number;
}

export interface PercentChange {
  readonly route: string;
  readonly arm: string;
  readonly from: number | null;
  readonly to: number | null;
}

export interface ConfigEvent {
  readonly type: 'config';
  readonly result: ReloadResult;
  /** Where the config came from: a file path or `inline`. */
  readonly source: string;
  readonly at: number;
  /** Version now serving (unchanged on rejection). */
  readonly version: number;
  readonly hashBefore: string | null;
  readonly hashAfter: string | null;
  readonly changes: readonly PercentChange[];
  /** Routes whose `shadow` was added, removed or changed (applied configs only; absent when none). */
  readonly shadowChanges?: readonly ShadowChange[];
  readonly problems: readonly ConfigProblem[];
}

export interface ErrorEvent {
  readonly type: 'error';
  /** What failed: an observer of some event, the watcher, pricing, … */
  readonly source: string;
  readonly error: unknown;
}

export interface RouterEventMap {
  decision: DecisionEvent;
  callStart: CallStartEvent;
  attempt: AttemptEvent;
  call: CallEvent;
  unit: UnitEvent;
  unitAssignment: UnitAssignmentEvent;
  config: ConfigEvent;
  shadow: ShadowEvent;
  judgement: JudgementEvent;
  error: ErrorEvent;
}
export type RouterEventName = keyof RouterEventMap;
