import type { ErrorClass } from '../events.js';
import type { CallTracker } from './call-tracker.js';
import { classifyStatus } from './classify-error.js';

/** The `fetch` signature the SDK calls (its `Fetch` type, kept structural so no SDK runtime import is needed). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Key under which a call's tracker rides in the request's `fetchOptions`. The SDK spreads `fetchOptions`
 * into the `RequestInit` it hands to `fetch` on every attempt (middleware included), so the observed fetch
 * finds its call with one property read: no header, no AsyncLocalStorage, no per-call middleware chain.
 */
export const CALL_TRACKER: unique symbol = Symbol('model-canary.call');

type TrackedInit = RequestInit & { [CALL_TRACKER]?: CallTracker };

/**
 * Wraps the client's transport once per router. Each HTTP attempt of a routed call (the SDK's retries
 * included) is reported to its tracker exactly once; the retry loop stays the SDK's own. When the route
 * allows it, a capacity failure on the SDK's final attempt is served by one attempt at the default arm's
 * model before the SDK sees the failure: the caller then receives the SDK's own result (or stream) of
 * that response, and nothing has reached the caller yet.
 */
export function createObservedFetch(base: FetchLike): FetchLike {
  return function observedFetch(input, init) {
    const call = (init as TrackedInit | undefined)?.[CALL_TRACKER];
    if (call === undefined) return base(input, init);
    if (call.fallbackArm === null) {
      // Observed on a side branch: the SDK awaits the transport's own promise, with no extra hop.
      const startedAt = performance.now();
      const pending = base(input, init);
      pending.then(
        (response) => recordResponse(call, response, startedAt),
        () => call.attemptFailed('primary', call.decision.model, null, startedAt, failureClass(call, init), null),
      );
      return pending;
    }
    return fetchWithFallback(base, call, input, init);
  };
}

function recordResponse(call: CallTracker, response: Response, startedAt: number): void {
  const requestId = response.headers.get('request-id');
  if (response.ok) call.attemptResponded('primary', call.decision.model, response.status, startedAt, requestId);
  else call.attemptFailed('primary', call.decision.model, response.status, startedAt, classifyStatus(response.status), requestId);
}

/** The transport of a call that may still be served by the default arm: it waits for each primary attempt. */
async function fetchWithFallback(base: FetchLike, call: CallTracker, input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
  const startedAt = performance.now();
  let response: Response;
  try {
    response = await base(input, init);
  } catch (error) {
    const errorClass = failureClass(call, init);
    call.attemptFailed('primary', call.decision.model, null, startedAt, errorClass, null);
    if (call.canFallback(errorClass) && isFinalAttempt(call, init)) {
      const served = await serveFromFallback(base, input, init as RequestInit, call, errorClass);
      if (served !== null) return served;
    }
    throw error;
  }
  recordResponse(call, response, startedAt);
  if (response.ok) return response;
  const errorClass = classifyStatus(response.status);
  if (call.canFallback(errorClass) && (isFinalAttempt(call, init) || response.headers.get('x-should-retry') === 'false')) {
    const served = await serveFromFallback(base, input, init as RequestInit, call, errorClass, response);
    if (served !== null) return served;
  }
  return response;
}

async function serveFromFallback(
  base: FetchLike,
  input: string | URL | Request,
  init: RequestInit,
  call: CallTracker,
  primaryErrorClass: ErrorClass,
  failed?: Response,
): Promise<Response | null> {
  const arm = call.fallbackArm;
  const body = arm === null ? null : withModel(init.body, arm.model);
  if (arm === null || body === null) return null;
  await failed?.body?.cancel().catch(() => undefined);
  call.useFallback(primaryErrorClass);

  // After the SDK's own timeout fired, the attempt's signal is spent: the fallback gets a fresh one that
  // still follows the caller's abort, with the same header timeout.
  let signal = init.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (signal?.aborted === true) {
    const timeout = new AbortController();
    timer = setTimeout(() => timeout.abort(new DOMException('fallback attempt timed out', 'TimeoutError')), call.timeoutMs);
    signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
  }
  const startedAt = performance.now();
  try {
    const response = await base(input, { ...init, body, signal: signal ?? null });
    const requestId = response.headers.get('request-id');
    if (response.ok) {
      call.attemptResponded('fallback', arm.model, response.status, startedAt, requestId);
      return response;
    }
    call.attemptFailed('fallback', arm.model, response.status, startedAt, classifyStatus(response.status), requestId);
    return finalFailure(response);
  } catch (error) {
    call.attemptFailed('fallback', arm.model, null, startedAt, failureClass(call, { signal: signal ?? null }), null);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The default arm's failed response, marked so the SDK does not retry it: a retry would go to the assigned arm
 * again, after the one fallback attempt the call was allowed.
 */
function finalFailure(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('x-should-retry', 'false');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** A transport failure: the caller's abort, the SDK's timeout (it aborts the attempt's signal), or the connection. */
function failureClass(call: CallTracker, init: RequestInit | undefined): ErrorClass {
  if (call.signal?.aborted) return 'other';
  return init?.signal?.aborted ? 'timeout' : 'connection';
}

/** The SDK numbers its attempts in a header; the last one is the one whose failure reaches the caller. */
function isFinalAttempt(call: CallTracker, init: RequestInit | undefined): boolean {
  const headers = init?.headers;
  const raw =
    headers instanceof Headers
      ? headers.get('x-stainless-retry-count')
      : (headers as Record<string, string> | undefined)?.['X-Stainless-Retry-Count'];
  return Number(raw ?? 0) >= call.maxRetries;
}

/** The request body with another model, or null when it is not a JSON object naming a model. */
function withModel(body: RequestInit['body'], model: string): string | null {
  if (typeof body !== 'string') return null;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed !== 'object' || parsed === null || !('model' in parsed)) return null;
    return JSON.stringify({ ...parsed, model });
  } catch {
    return null;
  }
}
