import Anthropic from '@anthropic-ai/sdk';
import { BookingAgentError, ERROR_TYPES } from '../errors.js';

/** Error classes of the router's closed set that mean "try again later" rather than "broken". */
const CAPACITY = new Set(['rate_limit', 'overloaded', 'timeout', 'connection']);

/** The router's error class of an SDK error (same closed set as its `call` events). */
export function errorClassOf(error: unknown): string {
  if (error instanceof Anthropic.APIConnectionTimeoutError) return 'timeout';
  if (error instanceof Anthropic.APIUserAbortError) return 'other';
  if (error instanceof Anthropic.APIConnectionError) return 'connection';
  if (error instanceof Anthropic.APIError) {
    const status = error.status;
    if (status === 429) return 'rate_limit';
    if (status === 529 || error.type === 'overloaded_error') return 'overloaded';
    if (status === 401 || status === 403) return 'auth';
    if (status !== undefined && status >= 500) return 'server';
    if (status !== undefined && status >= 400) return 'bad_request';
  }
  return 'other';
}

/**
 * Turns a failed model call into the booking's HTTP answer: capacity problems (429, 529, timeouts,
 * connection errors) are 503 so clients retry; anything else from the model side is 502.
 */
export function toModelFailure(error: unknown, step: string, context: Record<string, unknown>): BookingAgentError {
  const errorClass = errorClassOf(error);
  const capacity = CAPACITY.has(errorClass);
  const status = error instanceof Anthropic.APIError ? error.status : undefined;
  const name = error instanceof Error ? error.constructor.name : 'Error';
  return new BookingAgentError(
    capacity ? 503 : 502,
    capacity ? ERROR_TYPES.modelUnavailable : ERROR_TYPES.modelError,
    `The ${step} model call failed: ${name}${status === undefined ? '' : ` (HTTP ${status})`}.`,
    { cause: error, details: { errorClass, ...context } },
  );
}
