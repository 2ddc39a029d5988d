import type Anthropic from '@anthropic-ai/sdk';
import type { ArmConfig, RolloutConfig } from '../config/rollout-config.js';
import type { DecideInput, Decision } from '../decision.js';
import { ERROR_CODES, ModelCanaryError } from '../errors.js';
import type { RouterEvents } from '../event-emitter.js';
import { CallTracker, type CallEnv, type CallSink, type ObservedMessage } from './call-tracker.js';
import type { CallOptions, RoutedCreateParams, RoutedCreateResult, RoutedMessageStream, RoutedMessages, RoutedStreamParams, SdkRequestOptions } from './call-types.js';
import { observeCall } from './consumer-watch.js';
import { CALL_TRACKER, createObservedFetch, type FetchLike } from './observed-fetch.js';

export interface CallPathOptions {
  /** The caller's SDK client: its key, base URL, timeouts, retries and middleware all apply. */
  readonly client: Anthropic;
  readonly decide: (input: DecideInput) => Decision;
  /** The config of the snapshot `decide` answers from (read in the same tick, so both are one snapshot). */
  readonly config: () => RolloutConfig;
  readonly events: RouterEvents;
  readonly now: () => number;
}

/** The router's call path; units call through it with their own ledger as sink. */
export interface CallPath extends RoutedMessages {
  createWith(params: RoutedCreateParams, options: CallOptions, sink: CallSink | undefined): RoutedCreateResult;
  streamWith(params: RoutedStreamParams, options: CallOptions, sink: CallSink | undefined): RoutedMessageStream;
}

/**
 * Builds the call path once per router: one clone of the caller's client whose transport observes every
 * attempt (see `createObservedFetch`). Per call: one decision, one tracker, one params copy with the arm's model.
 */
export function createCallPath({ client, decide, config, events, now }: CallPathOptions): CallPath {
  const routed = client.withOptions({ fetch: createObservedFetch(transportOf(client)), timeout: explicitTimeout(client) });
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
        error: new ModelCanaryError(`no price for model "${model}": its cost is recorded as unknown (null); add it to the config's prices`, {
          code: ERROR_CODES.unpricedModel,
        }),
      });
    },
  };
  let calls = 0;

  /**
   * Decides and opens the call's tracker.
   */
  function begin(options: CallOptions, streaming: boolean, sink: CallSink | undefined): CallTracker {
    const cfg = config();
    const decision = decide({ route: options.route, key: options.key, forceArm: options.forceArm });
    const tracker = new CallTracker(
      env,
      String(++calls),
      decision,
      cfg,
      cfg.routes[decision.route]?.fallback === true ? fallbackArmOf(cfg, decision) : null,
      options.key,
      streaming,
      options.maxRetries ?? routed.maxRetries,
      options.timeout ?? routed.timeout,
      sink,
    );
    tracker.signal = options.signal;
    return tracker;
  }

  /** The caller's SDK request options without the route fields, carrying the tracker in `fetchOptions`. */
  function requestOptions(options: CallOptions, tracker: CallTracker): SdkRequestOptions {
    const { route: _route, key: _key, forceArm: _forceArm, ...request } = options;
    const own = request.fetchOptions;
    request.fetchOptions = (own === undefined ? { [CALL_TRACKER]: tracker } : Object.assign({ [CALL_TRACKER]: tracker }, own)) as unknown as NonNullable<
      SdkRequestOptions['fetchOptions']
    >;
    return request;
  }

  function createWith(params: RoutedCreateParams, options: CallOptions, sink: CallSink | undefined): RoutedCreateResult {
    if ((params as { stream?: unknown }).stream === true) {
      throw new ModelCanaryError('router.messages.create() does not take `stream: true`; use router.messages.stream()', {
        code: ERROR_CODES.invalidOptions,
      });
    }
    const tracker = begin(options, false, sink);
    let promise: RoutedCreateResult;
    try {
      promise = routed.messages.create(withModel(params, tracker.decision.model), requestOptions(options, tracker));
    } catch (error) {
      tracker.fail(error); // the SDK refuses some requests synchronously (e.g. a huge non-streaming max_tokens)
      throw error;
    }
    // Observed on a side branch and the SDK's own promise returned: no extra hop for the caller, and a
    // rejection nobody handles stays the caller's unhandled rejection, as without the router.
    observeCall(
      promise,
      (message) => tracker.succeed(message),
      (error) => tracker.fail(error),
    );
    return promise;
  }

  function streamWith(params: RoutedStreamParams, options: CallOptions, sink: CallSink | undefined): RoutedMessageStream {
    const tracker = begin(options, true, sink);
    let stream: RoutedMessageStream;
    try {
      stream = routed.messages.stream(withModel(params, tracker.decision.model), requestOptions(options, tracker));
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

/**
 * A copy of the caller's params with the arm's model. `Object.assign` on purpose: in Node 20's V8 a spread
 * followed by more properties (`{ ...params, model }`) takes a slow path costing about a microsecond.
 */
function withModel<P extends object>(params: P, model: string): P & { model: string } {
  return Object.assign({}, params, { model });
}

/** The default arm when the decided route serves capacity failures from it and the call is on another arm. */
function fallbackArmOf(config: RolloutConfig, decision: Decision): ArmConfig | null {
  const route = config.routes[decision.route];
  if (route?.fallback !== true) return null;
  const control = route.arms.find((arm) => arm.percent === null);
  return control === undefined || control.name === decision.arm ? null : control;
}

/**
 * `withOptions` pins the clone's timeout, and a pinned timeout turns off the SDK's local refusal of
 * non-streaming calls too long to wait for: the clone keeps the caller's own timeout option, unset when the
 * caller left it unset (the SDK keeps the options it was built with, clones included, in `_options`).
 */
function explicitTimeout(client: Anthropic): number | undefined {
  const own = (client as unknown as { _options?: { timeout?: unknown } })._options;
  if (own !== undefined) return typeof own.timeout === 'number' ? own.timeout : undefined;
  const Sdk = client.constructor as { DEFAULT_TIMEOUT?: number };
  return client.timeout === Sdk.DEFAULT_TIMEOUT ? undefined : client.timeout;
}

/**
 * The client's own transport (its `fetch` option, or the global fetch), which the observed fetch wraps so a
 * caller's custom fetch keeps working. The SDK keeps it in a TypeScript-private field, readable at runtime.
 */
function transportOf(client: Anthropic): FetchLike {
  const own = (client as unknown as { fetch?: unknown }).fetch;
  return typeof own === 'function' ? (own as FetchLike) : (input, init) => fetch(input, init);
}
