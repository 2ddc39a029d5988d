import type { ArmConfig, RolloutConfig } from '../config/rollout-config.js';
import type { Decision } from '../decision.js';
import type { RouterEvents } from '../event-emitter.js';
import { DeadlineExceededError } from '../errors.js';
import type { AttemptOrigin, CallEvent, CallOutcome, ErrorClass, FallbackServed, TokenCounts } from '../events.js';
import { costUsd } from '../pricing/cost-usd.js';
import { tokensFromUsage, ZERO_TOKENS, type UsageLike } from '../pricing/tokens-from-usage.js';
import type { CallDeadline } from './call-deadline.js';
import type { CallSpan } from './call-span.js';
import { CAPACITY_ERROR_CLASSES, classifyError, isCallerAbort, stopReasonErrorClass } from './classify-error.js';

/** What the tracker needs from the router: its events, clock and once-only pricing reports. */
export interface CallEnv {
  readonly events: RouterEvents;
  readonly now: () => number;
  /** Reports a model without a price, once per model per router. */
  readonly reportUnpriced: (model: string) => void;
}

/** The parts of a response message the observation reads (the SDK's `Message`, or a stream's snapshot). */
export interface ObservedMessage {
  readonly model?: string;
  readonly stop_reason?: string | null;
  readonly usage?: (UsageLike & { readonly service_tier?: string | null }) | null;
}

/** Receives each finished call's arm, total cost and outcome (a unit's ledger). */
export interface CallSink {
  callStarted(): void;
  callFinished(route: string, arm: string, costUsd: number | null, outcome: CallOutcome): void;
}

/** What a call's tracker is built from: its decision and what the router knows about it. */
export interface CallTrackerInit {
  readonly env: CallEnv;
  readonly id: string;
  readonly decision: Decision;
  readonly config: RolloutConfig;
  /** The default arm that may serve this call's capacity failure, or null when fallback is off for it. */
  readonly fallbackArm: ArmConfig | null;
  readonly key: string | undefined;
  readonly streaming: boolean;
  /** The unit ledger the call counts in, if any. */
  readonly sink: CallSink | undefined;
}

/** One HTTP attempt as the middleware saw it. */
export interface AttemptReport {
  readonly origin: AttemptOrigin;
  readonly model: string;
  /** HTTP status, or null when no response arrived. */
  readonly status: number | null;
  /** `performance.now()` when the attempt was sent. */
  readonly startedAt: number;
  readonly errorClass: ErrorClass | null;
  readonly requestId: string | null;
}

/** How the final attempt of a call failed, as the middleware saw it (the SDK builds the caller's error from it). */
export class AttemptFailure {
  constructor(
    readonly errorClass: ErrorClass,
    /** The request id of the failed response, when one came. */
    readonly requestID: string | null,
  ) {}
}

/**
 * The state of one routed call, from its decision to its single `call` event. The call's middleware reports
 * each HTTP attempt into it; the call path reports how the call ended. Whatever happens, `finish` runs once
 * and emits exactly one `call` event (later reports are ignored).
 */
export class CallTracker {
  readonly id: string;
  readonly decision: Decision;
  readonly fallbackArm: ArmConfig | null;
  readonly streaming: boolean;
  readonly startedAt: number;
  readonly t0 = performance.now();
  attempts = 0;
  /** Attempts on the wire now (the middleware's count). */
  sending = 0;
  /** Set when the primary's capacity failure was served by the default arm. */
  fallbackUsed = false;
  /** The caller's way to cancel the call (its AbortSignal, or a MessageStream's controller). */
  signal: AbortSignal | null | undefined;
  /** The bound on the whole call, when it has one. */
  deadline: CallDeadline | null = null;
  /** Runs once when the call ends (to drop listeners it set). */
  onEnd: (() => void) | null = null;
  /** The router's OpenTelemetry span of the call, ended with its `call` event. */
  span: CallSpan | null = null;
  /** Runs once with the answer when the assigned arm's model served the call (the shadow's mirror, issue 16). */
  onServed: ((message: ObservedMessage) => void) | null = null;
  private readonly env: CallEnv;
  private readonly config: RolloutConfig;
  private readonly key: string | undefined;
  private readonly sink: CallSink | undefined;
  private primaryErrorClass: ErrorClass | null = null;
  /** Which arm's attempt came last: the one whose answer (or failure) reaches the caller. */
  private lastOrigin: AttemptOrigin = 'primary';
  private lastRequestId: string | null = null;
  /** The latest 2xx attempt, emitted when the call ends so its duration covers the body. */
  private pending: (AttemptReport & { readonly attempt: number }) | null = null;
  private firstTokenAt: number | undefined;
  private finished = false;
  /** Set while the call waits for the SDK's next attempt (`awaitRetry`). */
  private retryWait: ReturnType<typeof setTimeout> | null = null;

  constructor(init: CallTrackerInit) {
    this.env = init.env;
    this.id = init.id;
    this.decision = init.decision;
    this.config = init.config;
    this.fallbackArm = init.fallbackArm;
    this.key = init.key;
    this.streaming = init.streaming;
    this.sink = init.sink;
    this.startedAt = this.env.now();
    this.sink?.callStarted();
    this.env.events.emit('callStart', {
      type: 'callStart',
      callId: this.id,
      route: this.decision.route,
      arm: this.decision.arm,
      model: this.decision.model,
      startedAt: this.startedAt,
    });
  }

  /** True once the call's single `call` event is out. */
  get ended(): boolean {
    return this.finished;
  }

  /** True when the caller (not the router's deadline) cancelled the call. */
  get cancelled(): boolean {
    return this.signal?.aborted === true && this.deadline?.passed() !== true;
  }

  /**
   * True when a capacity failure of this attempt may still be served from the default arm. Not a stream's
   * timeout: the SDK builds the stream on the attempt's own signal, which its timeout has already aborted.
   */
  canFallback(errorClass: ErrorClass): boolean {
    if (this.streaming && errorClass === 'timeout') return false;
    return this.fallbackArm !== null && !this.fallbackUsed && CAPACITY_ERROR_CLASSES.has(errorClass) && !this.signal?.aborted && this.deadline?.passed() !== true;
  }

  /** Marks the switch to the default arm; the primary's failure class becomes the call's error class. */
  useFallback(primaryErrorClass: ErrorClass): void {
    this.fallbackUsed = true;
    this.primaryErrorClass = primaryErrorClass;
  }

  /** An attempt that failed before or at its response headers: emitted now. */
  attemptFailed(report: AttemptReport): void {
    this.flushPending(null);
    const attempt = ++this.attempts;
    this.lastOrigin = report.origin;
    if (report.requestId !== null) this.lastRequestId = report.requestId;
    this.emitAttempt({ ...report, attempt }, performance.now());
  }

  /** The middleware sends an attempt (it ends the wait of `awaitRetry`). */
  attemptStarted(): void {
    if (this.retryWait !== null) clearTimeout(this.retryWait);
    this.retryWait = null;
  }

  /** A 2xx attempt: emitted when the call ends, so its duration covers the body and a mid-body failure counts. */
  attemptResponded(report: AttemptReport): void {
    this.flushPending(null);
    // An attempt the SDK sent after the call was recorded (a late resend) still gets its event.
    if (this.finished) return this.emitAttempt({ ...report, attempt: ++this.attempts }, performance.now());
    if (report.requestId !== null) this.lastRequestId = report.requestId;
    this.lastOrigin = report.origin;
    this.pending = { ...report, attempt: ++this.attempts };
  }

  /** First content delta of a stream. */
  firstToken(): void {
    this.firstTokenAt ??= performance.now();
  }

  succeed(message: ObservedMessage | null | undefined): void {
    this.finish(message ?? null, undefined, false);
  }

  /**
   * A `create`'s attempt failed and the SDK is expected to send the request again within `waitMs` (a retry, or
   * SDK 1.17's re-send of a 2xx body that broke mid-read, when the caller reads the result): the call waits for
   * that attempt, its deadline or its cancel, and ends with `failure` if no attempt starts in time (a caller's
   * client middleware threw instead, SDK 1.14 never re-sends a body, a caller took `asResponse()`). Its duration
   * then ends at the failure.
   */
  awaitRetry(failure: unknown, waitMs: number): void {
    if (this.finished) return;
    if (this.pending !== null) this.flushPending(failure instanceof AttemptFailure ? failure.errorClass : classifyError(failure));
    const failedAt = performance.now();
    this.retryWait = setTimeout(() => this.finish(null, failure, true, failedAt), waitMs);
    this.retryWait.unref();
  }

  /** `partial` is what a stream had received before it failed (its usage is a lower bound). */
  fail(error: unknown, partial?: ObservedMessage | null): void {
    this.finish(partial ?? null, error, true);
  }

  private finish(message: ObservedMessage | null, error: unknown, failed: boolean, end = performance.now()): void {
    if (this.finished) return;
    this.finished = true;
    this.attemptStarted();
    this.deadline?.clear();
    this.onEnd?.();
    try {
      this.record(message, error, failed, end);
    } catch (bug) {
      // The observation must never turn the caller's answer into an error.
      this.env.events.emit('error', { type: 'error', source: 'call', error: bug });
    }
    if (!failed && !this.fallbackUsed && message !== null && this.onServed !== null) {
      try {
        this.onServed(message);
      } catch (bug) {
        this.env.events.emit('error', { type: 'error', source: 'shadow', error: bug });
      }
    }
  }

  private record(message: ObservedMessage | null, error: unknown, failed: boolean, end: number): void {
    const pastDeadline = failed && (error instanceof DeadlineExceededError || this.deadline?.passed() === true);
    const cancelled = failed && !pastDeadline && (this.cancelled || isCallerAbort(error));
    const bodyError: ErrorClass | null =
      !failed || cancelled ? null : pastDeadline ? 'timeout' : error instanceof AttemptFailure ? error.errorClass : classifyError(error);
    this.flushPending(bodyError, end);

    const stopClass = message !== null && !failed ? stopReasonErrorClass(message.stop_reason) : null;
    const { decision } = this;
    let tokens: TokenCounts = ZERO_TOKENS;
    let cost: number | null = 0;
    let fallback: FallbackServed | undefined;
    let errorClass: ErrorClass | null;
    // Served by the default arm only when its attempt came last: after a fallback attempt the SDK may still
    // retry, and a later primary attempt's answer is the assigned arm's own.
    if (this.fallbackUsed && this.fallbackArm !== null && this.lastOrigin === 'fallback') {
      errorClass = this.primaryErrorClass;
      const fbTokens = tokensFromUsage(message?.usage);
      fallback = {
        arm: this.fallbackArm.name,
        model: this.fallbackArm.model,
        servedModel: message?.model ?? null,
        tokens: fbTokens,
        costUsd: this.price(this.fallbackArm.model, fbTokens, message),
        outcome: failed ? 'error' : 'success',
        errorClass: bodyError ?? stopClass,
      };
    } else {
      errorClass = bodyError ?? stopClass;
      tokens = tokensFromUsage(message?.usage);
      cost = this.price(decision.model, tokens, message);
    }
    const costTotal = fallback === undefined ? cost : sumCost(cost, fallback.costUsd);
    const outcome: CallOutcome = cancelled ? 'cancelled' : fallback !== undefined ? 'fallback' : errorClass === null ? 'success' : 'error';
    this.sink?.callFinished(decision.route, decision.arm, costTotal, outcome);

    const event: CallEvent = {
      type: 'call',
      callId: this.id,
      route: decision.route,
      arm: decision.arm,
      model: decision.model,
      servedModel: message?.model ?? null,
      keyed: decision.keyed,
      bucket: decision.bucket,
      reason: decision.reason,
      configVersion: decision.configVersion,
      streaming: this.streaming,
      startedAt: this.startedAt,
      durationMs: end - this.t0,
      usage: fallback === undefined ? (message?.usage ?? null) : null,
      tokens,
      costUsd: cost,
      outcome,
      errorClass,
      attempts: this.attempts,
      requestId: requestIdOf(error) ?? this.lastRequestId,
      ...(this.key === undefined ? {} : { key: this.key }),
      ...(this.firstTokenAt === undefined ? {} : { ttftMs: this.firstTokenAt - this.t0 }),
      ...(fallback === undefined ? {} : { fallback }),
      ...(pastDeadline ? { deadlineExceeded: true } : {}),
    };
    try {
      this.span?.end(event);
    } catch (error) {
      this.env.events.emit('error', { type: 'error', source: 'tracing', error });
    }
    this.env.events.emit('call', event);
  }

  private price(model: string, tokens: TokenCounts, message: ObservedMessage | null): number | null {
    const cost = costUsd(model, tokens, this.config.prices, { batch: message?.usage?.service_tier === 'batch' });
    if (cost === null) this.env.reportUnpriced(model);
    return cost;
  }

  private flushPending(errorClass: ErrorClass | null, end = performance.now()): void {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    this.emitAttempt({ ...pending, errorClass }, end);
  }

  private emitAttempt(report: AttemptReport & { readonly attempt: number }, end: number): void {
    this.env.events.emit('attempt', {
      type: 'attempt',
      callId: this.id,
      route: this.decision.route,
      arm: this.decision.arm,
      model: report.model,
      origin: report.origin,
      attempt: report.attempt,
      status: report.status,
      durationMs: end - report.startedAt,
      errorClass: report.errorClass,
      requestId: report.requestId,
    });
  }
}

function sumCost(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

function requestIdOf(error: unknown): string | null | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const id = (error as { requestID?: unknown }).requestID;
  return typeof id === 'string' ? id : undefined;
}
