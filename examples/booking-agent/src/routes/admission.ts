import type { RequestHandler } from 'express';
import type { RejectionReason } from '../booking/booking-metrics.js';
import { BookingAgentError, ERROR_TYPES } from '../errors.js';
import type { Logger } from '../logging.js';

export interface AdmissionDeps {
  readonly inFlight: { start(): () => void; draining(): boolean; count(): number };
  /** Bookings in progress at once (from arrival to the end of the response). */
  readonly max: number;
  readonly rejected: (reason: RejectionReason) => void;
  readonly logger: Logger;
}

/**
 * Admission control for POST /bookings, mounted before everything else so that a refusal costs as little as
 * possible when thousands arrive at once: while draining, a 503 `shutting_down` with `Connection: close` (the
 * client is not cut later mid-request and knows it did not book); above `max` bookings in progress, a 503
 * `overloaded`, at once, rather than a queue that times out. Both carry retry-after and are counted; an
 * overloaded refusal is not logged one by one (the metric counts them: a flood of lines would not help).
 * An admitted booking holds its slot until its response is finished or its connection closes.
 */
export function admissionControl({ inFlight, max, rejected, logger }: AdmissionDeps): RequestHandler {
  const refuse = (res: Parameters<RequestHandler>[1], error: BookingAgentError): void => {
    res.setHeader('retry-after', '1');
    res.status(error.status).json(error.toBody());
  };
  return (req, res, next) => {
    if (inFlight.draining()) {
      rejected('shutting_down');
      logger.warn({ errorType: ERROR_TYPES.draining, http: { method: req.method, path: req.path } }, 'booking refused: shutting down');
      res.setHeader('connection', 'close');
      refuse(res, new BookingAgentError(503, ERROR_TYPES.draining, 'The service is shutting down; retry on another instance.'));
      return;
    }
    if (inFlight.count() >= max) {
      rejected('overloaded');
      refuse(res, new BookingAgentError(503, ERROR_TYPES.overloaded, `More than ${max} bookings are in progress; retry shortly.`));
      return;
    }
    res.once('close', inFlight.start());
    next();
  };
}
