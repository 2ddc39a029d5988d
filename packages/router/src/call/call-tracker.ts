import type { ArmConfig, RolloutConfig } from '../config/rollout-config.js';
import type { Decision } from '../decision.js';
import type { RouterEvents } from '../event-emitter.js';
import type { AttemptOrigin, CallEvent, ErrorClass, FallbackServed, TokenCounts } from '../events.js';
import { costUsd } from '../pricing/cost-usd.js';
import { tokensFromUsage, ZERO_TOKENS, type UsageLike } from '../pricing/tokens-from-usage.js';
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
  readonly _request_id?: string | null | undefined;
}

/** Receives each finished call's arm and total cost (a unit's ledger). */
export interface CallSink {
  callStarted(): void;
  callFinished(route: string, arm: string, costUsd: number | null): void;
}

/**
 * The state of one routed call, from its decision to its single `call` event. The observed fetch reports
 * each HTTP attempt into it; the call wrapper reports how the SDK call ended. Whatever happens, `finish`
 * runs once and emits exactly one `call` event (later reports are ignored).
 */
export class CallTracker {
  readonly startedAt: number;
  readonly t0 = performance.now();
  attempts = 0;
  /** Set when the primary's capacity failure was served by the default arm. */
  fallbackUsed = false;
  /** Aborting the call (caller's signal, or a MessageStream's controller). */
  signal: AbortSignal | null | undefined;
  private primaryErrorClass: ErrorClass | null = null;
  /** Which arm's attempt came last: the one whose answer (or failure) reaches the caller. */
  private lastOrigin: AttemptOrigin = 'primary';
  private lastRequestId: string | null = null;
  // The pending 2xx attempt, kept in fields rather than an object (one allocation less per call).
  private pendingAttempt = 0;
  private pendingOrigin: AttemptOrigin = 'primary';
  private pendingModel = '';
  private pendingStatus = 0;
  private pendingStartedAt = 0;
  private pendingRequestId: string | null = null;
  private firstTokenAt: number | undefined;
  private finished = false;

  constructor(
    private readonly env: CallEnv,
    readonly id: string,
    readonly decision: Decision,
    private readonly config: RolloutConfig,
    /** The default arm that may serve this call's capacity failure, or null when fallback is off for it. */
    readonly fallbackArm: ArmConfig | null,
    private readonly key: string | undefined,
    private readonly streaming: boolean,
    /** Effective `maxRetries` and `timeout` of this call, to tell the SDK's final attempt. */
    readonly maxRetries: number,
    readonly timeoutMs: number,
    private readonly sink: CallSink | undefined,
  ) {
    this.startedAt = env.now();
    sink?.callStarted();
    if (env.events.has('callStart')) {
      env.events.emit('callStart', {
        type: 'callStart',
        callId: id,
        route: decision.route,
        arm: decision.arm,
        model: decision.model,
        startedAt: this.startedAt,
      });
    }
  }

  /**
   * True when a capacity failure of this attempt may still be served from the default arm. Not a stream's
   * timeout: the SDK builds the stream on the attempt's own signal, which its timeout has already aborted.
   */
  canFallback(errorClass: ErrorClass): boolean {
    if (this.streaming && errorClass === 'timeout') return false;
    return this.fallbackArm !== null && !this.fallbackUsed && CAPACITY_ERROR_CLASSES.has(errorClass) && !this.signal?.aborted;
  }

  /** Marks the switch to the default arm; the primary's failure class becomes the call's error class. */
  useFallback(primaryErrorClass: ErrorClass): void {
    this.fallbackUsed = true;
    this.primaryErrorClass = primaryErrorClass;
  }

  /** An attempt that failed before or at its response headers: emitted now. */
  attemptFailed(origin: AttemptOrigin, model: string, status: number | null, startedAt: number, errorClass: ErrorClass, requestId: string | null): void {
    const attempt = ++this.attempts;
    this.lastOrigin = origin;
    if (requestId !== null) this.lastRequestId = requestId;
    this.emitAttempt(attempt, origin, model, status, performance.now() - startedAt, errorClass, requestId);
  }

  /** A 2xx attempt: emitted when the call ends, so its duration covers the body and a mid-body failure counts. */
  attemptResponded(origin: AttemptOrigin, model: string, status: number, startedAt: number, requestId: string | null): void {
    if (this.pendingAttempt !== 0) this.flushPending(null, performance.now());
    if (requestId !== null) this.lastRequestId = requestId;
    this.pendingAttempt = ++this.attempts;
    this.lastOrigin = origin;
    this.pendingOrigin = origin;
    this.pendingModel = model;
    this.pendingStatus = status;
    this.pendingStartedAt = startedAt;
    this.pendingRequestId = requestId;
  }

  /** First content delta of a stream. */
  firstToken(): void {
    this.firstTokenAt ??= performance.now();
  }

  succeed(message: ObservedMessage | null | undefined): void {
    this.finish(message ?? null, undefined, false);
  }

  /** `partial` is what a stream had received before it failed (its usage is a lower bound). */
  fail(error: unknown, partial?: ObservedMessage | null): void {
    this.finish(partial ?? null, error, true);
  }

  private finish(message: ObservedMessage | null, error: unknown, failed: boolean): void {
    if (this.finished) return;
    this.finished = true;
    try {
      this.record(message, error, failed);
    } catch (bug) {
      // The observation must never turn the caller's answer into an error.
      this.env.events.emit('error', { type: 'error', source: 'call', error: bug });
    }
  }

  private record(message: ObservedMessage | null, error: unknown, failed: boolean): void {
    const end = performance.now();
    const aborted = failed && (isCallerAbort(error) || this.signal?.aborted === true);
    const bodyError: ErrorClass | null = failed ? (aborted ? 'other' : classifyError(error)) : null;
    if (this.pendingAttempt !== 0) this.flushPending(bodyError, end);

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
    this.sink?.callFinished(decision.route, decision.arm, costTotal);

    if (!this.env.events.has('call')) return;
    // Built as one literal with every field (optional ones undefined-free below): no spreads on the hot path.
    const event: Mutable<CallEvent> = {
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
      outcome: fallback !== undefined ? 'fallback' : errorClass === null ? 'success' : 'error',
      errorClass,
      attempts: this.attempts,
      requestId: message?._request_id ?? requestIdOf(error) ?? this.lastRequestId,
    };
    if (this.key !== undefined) event.key = this.key;
    if (this.firstTokenAt !== undefined) event.ttftMs = this.firstTokenAt - this.t0;
    if (fallback !== undefined) event.fallback = fallback;
    if (aborted) event.aborted = true;
    this.env.events.emit('call', event);
  }

  private price(model: string, tokens: TokenCounts, message: ObservedMessage | null): number | null {
    const cost = costUsd(model, tokens, this.config.prices, { batch: message?.usage?.service_tier === 'batch' });
    if (cost === null) this.env.reportUnpriced(model);
    return cost;
  }

  private flushPending(errorClass: ErrorClass | null, end: number): void {
    const attempt = this.pendingAttempt;
    if (attempt === 0) return;
    this.pendingAttempt = 0;
    this.emitAttempt(attempt, this.pendingOrigin, this.pendingModel, this.pendingStatus, end - this.pendingStartedAt, errorClass, this.pendingRequestId);
  }

  private emitAttempt(
    attempt: number,
    origin: AttemptOrigin,
    model: string,
    status: number | null,
    durationMs: number,
    errorClass: ErrorClass | null,
    requestId: string | null,
  ): void {
    if (!this.env.events.has('attempt')) return;
    const { decision } = this;
    this.env.events.emit('attempt', {
      type: 'attempt',
      callId: this.id,
      route: decision.route,
      arm: decision.arm,
      model,
      origin,
      attempt,
      status,
      durationMs,
      errorClass,
      requestId,
    });
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function sumCost(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

function requestIdOf(error: unknown): string | null | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const id = (error as { requestID?: unknown }).requestID;
  return typeof id === 'string' ? id : undefined;
}
