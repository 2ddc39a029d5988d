import type { ErrorRequestHandler, RequestHandler } from 'express';
import { BookingAgentError, ERROR_TYPES } from '../errors.js';
import type { Logger } from '../logging.js';

interface BodyParserError {
  type?: unknown;
  status?: unknown;
  message?: unknown;
  limit?: unknown;
  expose?: unknown;
}

/** Maps body-parser's errors (which carry a `type`) to this service's errors. */
function fromBodyParser(error: BodyParserError): BookingAgentError | null {
  switch (error.type) {
    case 'entity.too.large':
      return new BookingAgentError(
        413,
        ERROR_TYPES.bodyTooLarge,
        `The request body is larger than the limit${typeof error.limit === 'number' ? ` of ${error.limit} bytes` : ''}.`,
      );
    case 'entity.parse.failed':
      return new BookingAgentError(400, ERROR_TYPES.invalidJson, `The request body is not valid JSON: ${String(error.message)}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new BookingAgentError(415, ERROR_TYPES.unsupportedMediaType, String(error.message));
    default:
      // Any other client error body-parser marks as safe to show (a body it cannot inflate, a size that does
      // not match content-length, an aborted upload) is the client's: its status and message, not a 500.
      if (error.expose === true && typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
        return new BookingAgentError(error.status, ERROR_TYPES.invalidBody, `The request body could not be read: ${String(error.message)}`);
      }
      return null;
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new BookingAgentError(404, ERROR_TYPES.notFound, `No route for ${req.method} ${req.path}.`));
};

/** Every error becomes JSON `{ error: { type, message } }`; stacks go to the log, never to the client. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known =
      error instanceof BookingAgentError
        ? error
        : typeof error === 'object' && error !== null
          ? fromBodyParser(error as BodyParserError)
          : null;
    const log = (res.locals.context as { log?: Logger } | undefined)?.log ?? logger;
    const answer = known ?? new BookingAgentError(500, ERROR_TYPES.internal, 'Internal error.');
    // A bug gets the error level and its stack; a refusal the service chose (draining, overloaded, store full)
    // is expected under load or at shutdown: one warn line, no stack.
    if (answer.status === 500 || known === null) {
      log.error({ err: error instanceof BookingAgentError && error.cause !== undefined ? error.cause : error, errorType: answer.type }, answer.message);
    } else if (answer.status >= 500) {
      log.warn({ errorType: answer.type }, answer.message);
    }
    if (answer.status === 503) res.setHeader('retry-after', '1');
    res.status(answer.status).json(answer.toBody());
  };
}
