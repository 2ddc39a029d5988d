import Anthropic from '@anthropic-ai/sdk';
import { classifyError, type ErrorClass } from '@model-canary/router';
import { BookingAgentError, ERROR_TYPES } from '../errors.js';

/** Error classes of the router's closed set that mean "try again later" rather than "broken" (answered 503). */
const CAPACITY: ReadonlySet<ErrorClass> = new Set<ErrorClass>(['rate_limit', 'overloaded', 'timeout', 'connection']);

/**
 * Turns a failed model call into the booking's HTTP answer: capacity problems (429, 529, timeouts,
 * connection errors) are 503 so clients retry; anything else from the model side is 502.
 */
export function toModelFailure(error: unknown, step: string, context: Record<string, unknown>): BookingAgentError {
  // The router's own classification: the answer and the metrics name the same class.
  const errorClass = classifyError(error);
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
