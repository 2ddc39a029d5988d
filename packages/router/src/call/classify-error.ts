import type { ErrorClass } from '../events.js';

/**
 * Error classes that mean "the model had no capacity for this call", the only failures a fallback may
 * serve from the default arm. A bad request or a refusal would fail on control too, or must not be hidden.
 */
export const CAPACITY_ERROR_CLASSES: ReadonlySet<ErrorClass> = new Set<ErrorClass>([
  'rate_limit',
  'overloaded',
  'server',
  'timeout',
  'connection',
]);

/** Error class of an HTTP error status, as the SDK's own error subclasses split them. */
export function classifyStatus(status: number): ErrorClass {
  if (status === 429) return 'rate_limit';
  if (status === 529) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'server';
  if (status === 401 || status === 403) return 'auth';
  if (status === 400 || status === 404 || status === 413 || status === 422 || status === 431) return 'bad_request';
  return 'other';
}

/** Error class of an API error `type`, for errors without a status (an SSE `error` event mid-stream). */
export function classifyErrorType(type: unknown): ErrorClass {
  switch (type) {
    case 'overloaded_error':
      return 'overloaded';
    case 'rate_limit_error':
      return 'rate_limit';
    case 'api_error':
      return 'server';
    case 'timeout_error':
      return 'timeout';
    case 'invalid_request_error':
    case 'not_found_error':
      return 'bad_request';
    case 'authentication_error':
    case 'permission_error':
      return 'auth';
    default:
      return 'other';
  }
}

/**
 * Error class of whatever a model call threw. Duck-typed on the SDK's error names and fields rather than
 * `instanceof`, so it also works when the app's SDK copy is not the one this package resolves.
 * A caller's abort is `other` (see `isCallerAbort`); it is not a model failure.
 */
export function classifyError(err: unknown): ErrorClass {
  if (typeof err !== 'object' || err === null) return 'other';
  if (isDeadlineExceeded(err)) return 'timeout';
  const e = err as { name?: unknown; status?: unknown; type?: unknown; error?: unknown };
  switch (e.name) {
    case 'APIUserAbortError':
      return 'other';
    case 'APIConnectionTimeoutError':
      return 'timeout';
    case 'APIConnectionError':
      return 'connection';
  }
  if (typeof e.status === 'number') return classifyStatus(e.status);
  const type = e.type ?? (e.error as { error?: { type?: unknown } } | undefined)?.error?.type;
  if (type != null) return classifyErrorType(type);
  return isConnectionDrop(err) ? 'connection' : 'other';
}

/**
 * True for the router's `DeadlineExceededError`, also when a stream wrapped it (the SDK's MessageStream turns a
 * body error into an `AnthropicError` whose `cause` is the original).
 */
export function isDeadlineExceeded(err: unknown): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (typeof cur === 'object' && cur !== null && !seen.has(cur)) {
    seen.add(cur);
    if ((cur as { code?: unknown }).code === 'DEADLINE_EXCEEDED') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/** True when the call ended because its caller aborted it (AbortSignal, `stream.abort()`, a `break`). */
export function isCallerAbort(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const name = (err as { name?: unknown }).name;
  return name === 'APIUserAbortError' || name === 'AbortError';
}

/** Error class implied by a successful response's stop reason: the call answered, but not usefully. */
export function stopReasonErrorClass(stopReason: unknown): ErrorClass | null {
  switch (stopReason) {
    case 'refusal':
      return 'refusal';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens';
    default:
      return null;
  }
}

// A body that stops mid-stream surfaces from undici as `TypeError: terminated` (cause: a socket error),
// which the SDK's MessageStream wraps in a plain AnthropicError with that cause.
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET']);

function isConnectionDrop(err: unknown): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (typeof cur === 'object' && cur !== null && !seen.has(cur)) {
    seen.add(cur);
    const c = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof c.code === 'string' && CONNECTION_CODES.has(c.code)) return true;
    if (c.message === 'terminated' || c.message === 'fetch failed') return true;
    cur = c.cause;
  }
  return false;
}
