import type { Middleware, MiddlewareContext } from '@anthropic-ai/sdk';
import type { ErrorClass } from '../events.js';
import { AttemptFailure, type CallTracker, type ObservedMessage } from './call-tracker.js';
import { MAX_DEADLINE_MS } from './call-deadline.js';
import { classifyError, classifyStatus } from './classify-error.js';

type Request = Parameters<Middleware>[0];
type Next = Parameters<Middleware>[1];

/** What the middleware needs from the caller's client: its own defaults, read through public fields. */
export interface ClientDefaults {
  readonly maxRetries: number;
  readonly timeout: number;
}

/**
 * The per-request middleware of one routed call (the SDK runs it for every attempt, retries included). It
 * reports each attempt to the call's tracker, bounds the attempt by the call's deadline, and, when the route
 * allows it, serves a capacity failure of the SDK's final attempt with one attempt at the default arm's model
 * before the SDK sees the failure. For a `create` call it also ends the tracker: the SDK's promise is returned
 * to the caller untouched.
 */
export function callMiddleware(call: CallTracker, client: ClientDefaults): Middleware {
  return async function modelCanaryCall(request, next, ctx) {
    const { deadline } = call;
    if (deadline?.passed()) throw deadline.error;
    const maxRetries = ctx.options?.maxRetries ?? client.maxRetries;
    const final = retryCount(request) >= maxRetries;
    const sent = deadline === null ? request : { ...request, signal: withDeadline(request.signal, deadline.signal) };
    const startedAt = performance.now();
    let response: Response;
    call.attemptStarted();
    call.sending += 1;
    try {
      response = await next(sent);
    } catch (error) {
      const errorClass = failureClass(call, request.signal);
      call.attemptFailed({ origin: 'primary', model: call.decision.model, status: null, startedAt, errorClass, requestId: null });
      if (deadline?.passed()) throw deadline.error;
      if (final && call.canFallback(errorClass)) {
        const served = await serveFromFallback(call, request, next, ctx, client, errorClass, final);
        if (served !== null) return served;
      }
      // A cancel ends the call whatever attempt it hit: the SDK does not retry it.
      if ((final || call.cancelled) && !call.streaming) call.fail(new AttemptFailure(errorClass, null));
      else if (!call.streaming) call.awaitRetry(new AttemptFailure(errorClass, null), retryWaitMs(null, retryCount(request)));
      throw error;
    } finally {
      call.sending -= 1;
    }
    const requestId = response.headers.get('request-id');
    if (response.ok) {
      call.attemptResponded({ origin: 'primary', model: call.decision.model, status: response.status, startedAt, errorClass: null, requestId });
      if (!call.streaming) endOnBody(call, ctx, request, response, final);
      return response;
    }
    const errorClass = classifyStatus(response.status);
    call.attemptFailed({ origin: 'primary', model: call.decision.model, status: response.status, startedAt, errorClass, requestId });
    const retried = !final && sdkRetries(response);
    if (!retried && call.canFallback(errorClass)) {
      const served = await serveFromFallback(call, request, next, ctx, client, errorClass, final, response);
      if (served !== null) return served;
    }
    if (!retried) {
      if (!call.streaming) call.fail(new AttemptFailure(errorClass, requestId));
      return response;
    }
    const returned = deadline === null ? response : waitWithin(response, deadline.remainingMs());
    if (!call.streaming) call.awaitRetry(new AttemptFailure(errorClass, requestId), retryWaitMs(returned.headers, retryCount(request)));
    return returned;
  };
}

/** The one attempt at the default arm's model, on the same request; null when the body has no model to swap. */
async function serveFromFallback(
  call: CallTracker,
  request: Request,
  next: Next,
  ctx: MiddlewareContext,
  client: ClientDefaults,
  primaryErrorClass: ErrorClass,
  /** The SDK retries a thrown fallback attempt unless this was its final attempt. */
  final: boolean,
  failed?: Response,
): Promise<Response | null> {
  const arm = call.fallbackArm;
  const body = arm === null ? null : withModel(request.body, arm.model);
  if (arm === null || body === null) return null;
  await failed?.body?.cancel().catch(() => undefined);
  call.useFallback(primaryErrorClass);

  // After the SDK's own timeout fired, the attempt's signal is spent: the fallback gets a fresh one that
  // still follows the caller's abort and the call's deadline, with the same header timeout.
  let signal = request.signal ?? null;
  const timer = new AbortController();
  const timeoutMs = ctx.options?.timeout ?? client.timeout;
  const timeout = setTimeout(() => timer.abort(new DOMException('the fallback attempt got no answer in time', 'TimeoutError')), timeoutMs);
  if (signal?.aborted === true) signal = call.signal ? AbortSignal.any([call.signal, timer.signal]) : timer.signal;
  if (call.deadline !== null) signal = withDeadline(signal, call.deadline.signal);
  const startedAt = performance.now();
  try {
    const response = await next({ ...request, body, signal });
    const requestId = response.headers.get('request-id');
    if (response.ok) {
      call.attemptResponded({ origin: 'fallback', model: arm.model, status: response.status, startedAt, errorClass: null, requestId });
      if (!call.streaming) endOnBody(call, ctx, request, response, final);
      return response;
    }
    const errorClass = classifyStatus(response.status);
    call.attemptFailed({ origin: 'fallback', model: arm.model, status: response.status, startedAt, errorClass, requestId });
    if (!call.streaming) call.fail(new AttemptFailure(errorClass, requestId));
    return finalFailure(response);
  } catch (error) {
    const errorClass = failureClass(call, signal);
    call.attemptFailed({ origin: 'fallback', model: arm.model, status: null, startedAt, errorClass, requestId: null });
    if (call.deadline?.passed()) throw call.deadline.error;
    if ((final || call.cancelled) && !call.streaming) call.fail(new AttemptFailure(errorClass, null));
    throw error;
  } finally {
    clearTimeout(timeout);
  }
}

/**
 * A non-streaming call ends with its body, read through the SDK's own parse (a clone; the caller's stays unread).
 * A body that breaks on the transport, with retries left and no `x-should-retry: false`, may be sent again by
 * the SDK (1.17 does): the call then waits for that attempt.
 */
function endOnBody(call: CallTracker, ctx: MiddlewareContext, request: Request, response: Response, final: boolean): void {
  const resendable = !final && response.headers.get('x-should-retry') !== 'false';
  ctx.parse<ObservedMessage>(response).then(
    (message) => call.succeed(message),
    (error: unknown) => (resendable && classifyError(error) === 'connection' ? call.awaitRetry(error, retryWaitMs(null, retryCount(request))) : call.fail(error)),
  );
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

/**
 * A retryable failure whose `retry-after` asks for a longer wait than the call has left: the wait is cut to
 * the deadline (`retry-after-ms`, which the SDK reads first), so the next attempt ends the call on time.
 */
function waitWithin(response: Response, remainingMs: number): Response {
  const asked = retryAfterMs(response.headers);
  if (asked === null || asked <= remainingMs) return response;
  const headers = new Headers(response.headers);
  headers.set('retry-after-ms', String(Math.max(1, Math.ceil(remainingMs))));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * How long a `create` waits for the SDK's next attempt after a failed one: the wait the SDK takes (a positive
 * `retry-after-ms` or `retry-after` one timer can hold, else its backoff: 0.5 s doubling per retry, at most 8 s)
 * and 2 s for a busy event loop.
 */
function retryWaitMs(headers: Headers | null, retryCount: number): number {
  const asked = headers === null ? null : retryAfterMs(headers);
  const wait = asked !== null && asked > 0 && asked <= MAX_DEADLINE_MS ? asked : Math.min(500 * 2 ** retryCount, 8000);
  return Math.min(wait + 2000, MAX_DEADLINE_MS);
}

function retryAfterMs(headers: Headers): number | null {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (ms > 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return null;
  const seconds = Number.parseFloat(raw);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : at - Date.now();
}

/**
 * Whether the SDK retries this failed response when it has retries left, as its README documents: the
 * server's `x-should-retry` first, then 408, 409, 429 and 5xx.
 */
function sdkRetries(response: Response): boolean {
  const header = response.headers.get('x-should-retry');
  if (header === 'true') return true;
  if (header === 'false') return false;
  const { status } = response;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The SDK numbers its attempts in the `X-Stainless-Retry-Count` request header (documented for middleware). */
function retryCount(request: Request): number {
  const raw = request.headers.get('x-stainless-retry-count');
  const count = raw === null ? 0 : Number.parseInt(raw, 10);
  return Number.isNaN(count) ? 0 : count;
}

function withDeadline(signal: AbortSignal | null | undefined, deadline: AbortSignal): AbortSignal {
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

/** A transport failure: the caller's abort, the SDK's timeout (it aborts the attempt's signal), or the connection. */
function failureClass(call: CallTracker, signal: AbortSignal | null | undefined): ErrorClass {
  if (call.deadline?.passed()) return 'timeout';
  if (call.signal?.aborted) return 'other';
  return signal?.aborted ? 'timeout' : 'connection';
}

/** The request body with another model, or null when it is not the JSON the SDK sends. */
function withModel(body: unknown, model: string): string | null {
  if (typeof body !== 'string') return null;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return JSON.stringify({ ...parsed, model });
  } catch {
    return null;
  }
}
