import type Anthropic from '@anthropic-ai/sdk';
import { context } from '@opentelemetry/api';
import type { ArmConfig, RolloutConfig } from '../config/rollout-config.js';
import type { DecideInput, Decision } from '../decision.js';
import { ERROR_CODES, ModelCanaryError } from '../errors.js';
import type { RouterEvents } from '../event-emitter.js';
import { CallTracker, type CallEnv, type CallSink, type ObservedMessage } from './call-tracker.js';
import type { CallOptions, RoutedCreateParams, RoutedCreateResult, RoutedMessageStream, RoutedMessages, RoutedStreamParams, SdkRequestOptions } from './call-types.js';
import { MAX_DEADLINE_MS, startDeadline } from './call-deadline.js';
import { callMiddleware } from './call-middleware.js';
import { routerTracer, startCallSpan } from './call-span.js';
import type { ShadowRunner } from '../shadow/shadow-runner.js';

export interface CallPathOptions {
  /** The caller's SDK client: its key, base URL, timeouts, retries and middleware all apply. */
  readonly client: Anthropic;
  readonly decide: (input: DecideInput) => Decision;
  /** The config of the snapshot `decide` answers from (read in the same tick, so both are one snapshot). */
  readonly config: () => RolloutConfig;
  readonly events: RouterEvents;
  readonly now: () => number;
  /** Default bound on each whole call, unless the call sets its own `deadlineMs`. */
  readonly deadlineMs?: number | undefined;
  /** Mirrors sampled calls on their route's shadow model (issue 16); null when the router has none to run. */
  readonly shadow?: ShadowRunner | null | undefined;
}

/** The router's call path; units call through it with their own ledger as sink. */
export interface CallPath extends RoutedMessages {
  createWith(params: RoutedCreateParams, options: CallOptions, sink: CallSink | undefined): RoutedCreateResult;
  streamWith<P extends RoutedStreamParams>(params: P, options: CallOptions, sink: CallSink | undefined): RoutedMessageStream<P>;
}

/**
 * Builds the call path once per router over the caller's own client. Per call: one decision, one tracker, one
 * params copy with the arm's model, and the call's own middleware added to the request options (the SDK runs
 * it for every attempt). The SDK's own promise or stream goes back to the caller untouched.
 */
export function createCallPath({ client, decide, config, events, now, deadlineMs: defaultDeadlineMs, shadow = null }: CallPathOptions): CallPath {
  const unpriced = new Set<string>();
  const env: CallEnv = {
    events,
    now,
    reportUnpriced(model) {
      if (unpriced.has(model)) return;
      unpriced.add(model);
      events.emit('error', {
        type: 'error',
        source: 'pricing',
        error: new ModelCanaryError(ERROR_CODES.unpricedModel, `no price for model "${model}": its cost is recorded as unknown (null); add it to the config's prices`),
      });
    },
  };
  let calls = 0;
  const tracer = routerTracer();

  /** Decides, opens the call's tracker and starts its deadline. */
  function begin(options: CallOptions, streaming: boolean, sink: CallSink | undefined, params: object): CallTracker {
    if (typeof options?.route !== 'string') {
      throw new ModelCanaryError(ERROR_CODES.invalidOptions, 'a routed call needs { route } in its options, e.g. router.messages.create(params, { route: "orchestrator" })');
    }
    const deadlineMs = checkedDeadline(options.deadlineMs ?? defaultDeadlineMs);
    const cfg = config();
    const decision = decide({ route: options.route, key: options.key, forceArm: options.forceArm });
    const tracker = new CallTracker({
      env,
      id: String(++calls),
      decision,
      config: cfg,
      fallbackArm: fallbackArmOf(cfg, decision),
      key: options.key,
      streaming,
      sink,
    });
    tracker.signal = options.signal;
    try {
      tracker.span = startCallSpan(tracer, decision, options.key, streaming);
    } catch (error) {
      events.emit('error', { type: 'error', source: 'tracing', error });
    }
    if (shadow !== null) {
      tracker.onServed = shadow.sample({
        decision,
        config: cfg,
        key: options.key,
        params: params as Readonly<Record<string, unknown>>,
        streaming,
        optedOut: options.shadow === false,
        signal: options.signal,
      });
    }
    if (deadlineMs !== undefined) tracker.deadline = startDeadline(decision.route, deadlineMs, (error) => tracker.fail(error));
    return tracker;
  }

  /**
   * The caller's SDK request options without the route fields, with the call's middleware after the caller's own,
   * and the unit key as the SDK span's `gen_ai.conversation.id` unless the caller gave one.
   */
  function requestOptions(options: CallOptions, tracker: CallTracker): SdkRequestOptions {
    const { route: _route, key, forceArm: _forceArm, deadlineMs: _deadlineMs, shadow: _shadow, ...request } = options;
    const openTelemetry = key === undefined || request.openTelemetry?.conversationId !== undefined ? request.openTelemetry : { ...request.openTelemetry, conversationId: key };
    return { ...request, ...(openTelemetry === undefined ? {} : { openTelemetry }), middleware: [...(request.middleware ?? []), callMiddleware(tracker, client)] };
  }

  /** Runs the SDK call in the router span's context, so that the SDK's own call span is its child. */
  function inSpan<T>(tracker: CallTracker, call: () => T): T {
    return tracker.span === null ? call() : context.with(tracker.span.context, call);
  }

  function createWith(params: RoutedCreateParams, options: CallOptions, sink: CallSink | undefined): RoutedCreateResult {
    if ((params as { stream?: unknown }).stream === true) {
      throw new ModelCanaryError(ERROR_CODES.invalidOptions, 'router.messages.create() does not take `stream: true`; use router.messages.stream()');
    }
    const tracker = begin(options, false, sink, params);
    let promise: RoutedCreateResult;
    try {
      promise = inSpan(tracker, () => client.messages.create(withModel(params, tracker.decision.model), requestOptions(options, tracker)));
    } catch (error) {
      tracker.fail(error); // the SDK refuses some requests synchronously (e.g. a huge non-streaming max_tokens)
      throw error;
    }
    // The middleware ends the call at its final attempt; a cancel can come between attempts (the SDK's retry
    // wait), where no attempt sees it.
    followCancel(tracker);
    return promise;
  }

  function streamWith<P extends RoutedStreamParams>(params: P, options: CallOptions, sink: CallSink | undefined): RoutedMessageStream<P> {
    const tracker = begin(options, true, sink, params);
    let stream: RoutedMessageStream<P>;
    try {
      stream = inSpan(tracker, () => client.messages.stream(withModel(params, tracker.decision.model), requestOptions(options, tracker)));
    } catch (error) {
      tracker.fail(error);
      throw error;
    }
    // The stream's own controller carries the caller's signal and `stream.abort()`.
    tracker.signal = stream.controller.signal;
    const onEvent = (event: { type: string }): void => {
      if (event.type !== 'content_block_delta') return;
      tracker.firstToken();
      stream.off('streamEvent', onEvent);
    };
    stream.on('streamEvent', onEvent);
    // A success is recorded at `finalMessage`, subscribed before any of the caller's listeners: a caller's
    // listener that throws there keeps the SDK from ever emitting `end`, and the call would go unrecorded.
    stream.on('finalMessage', (message: ObservedMessage) => tracker.succeed(message));
    // Failures are read at `end` (emitted after success, error and abort alike), never at `error`/`abort`: a
    // listener there would silence the SDK's unhandled-rejection report for callers that forgot to handle
    // errors. `done()` is read after the SDK made that check, so it does not change it either.
    stream.on('end', () => {
      if (stream.errored || stream.aborted) stream.done().catch((error: unknown) => tracker.fail(error, stream.currentMessage));
      else tracker.succeed(stream.receivedMessages.at(-1));
    });
    return stream;
  }

  return {
    createWith,
    streamWith,
    create: (params, options) => createWith(params, options, undefined),
    stream: (params, options) => streamWith(params, options, undefined),
  };
}

/** A copy of the caller's params with the arm's model. */
function withModel<P extends object>(params: P, model: string): P & { model: string } {
  return { ...params, model };
}

/**
 * Ends a `create` call as cancelled when its caller aborts it between attempts (before the first, or during the
 * SDK's wait before a retry); an attempt on the wire reports the cancel itself, after its own attempt event.
 */
function followCancel(tracker: CallTracker): void {
  const { signal } = tracker;
  if (!signal) return;
  if (signal.aborted) return tracker.fail(signal.reason);
  const onAbort = (): void => {
    if (tracker.sending === 0) tracker.fail(signal.reason);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  tracker.onEnd = () => signal.removeEventListener('abort', onAbort);
}

function checkedDeadline(ms: number | undefined): number | undefined {
  if (ms === undefined) return undefined;
  if (typeof ms !== 'number' || !(ms > 0 && ms <= MAX_DEADLINE_MS)) {
    throw new ModelCanaryError(ERROR_CODES.invalidOptions, `deadlineMs must be a number of ms above 0 and at most ${MAX_DEADLINE_MS}, got ${String(ms)}`);
  }
  return ms;
}

/** The default arm when the decided route serves capacity failures from it and the call is on another arm. */
function fallbackArmOf(config: RolloutConfig, decision: Decision): ArmConfig | null {
  const route = config.routes[decision.route];
  if (route?.fallback !== true) return null;
  const control = route.arms.find((arm) => arm.percent === null);
  return control === undefined || control.name === decision.arm ? null : control;
}
