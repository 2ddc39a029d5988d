import type { RequestHandler, Response } from 'express';
import type { RejectionReason } from '../booking/booking-metrics.js';
import { BookingAgentError, ERROR_TYPES } from '../errors.js';
import type { Logger } from '../logging.js';

export interface AdmissionDeps {
  readonly inFlight: { start(): () => void; draining(): boolean; count(): number };
  /** Bookings in progress at once (from the end of the request body to the end of the response). */
  readonly max: number;
  readonly rejected: (reason: RejectionReason) => void;
  readonly logger: Logger;
}

/** An admitted booking's slot, held by its response and by its work: freed when both are over. */
export interface Slot {
  /** Takes a hold; call the returned function once when done (a second call does nothing). */
  hold(): () => void;
}

/** The slot admission gave this response, if any. */
export function slotOf(res: Response): Slot | undefined {
  return res.locals.slot as Slot | undefined;
}

function openSlot(release: () => void): Slot {
  let holders = 0;
  return {
    hold() {
      holders++;
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        if (--holders === 0) release();
      };
    },
  };
}

/**
 * Admission control for POST /bookings, mounted right after the body is read (at most 100 kB, so a refusal still
 * costs little when thousands arrive at once, and a client trickling its body holds no slot meanwhile): while draining, a 503 `shutting_down` with `Connection: close` (the
 * client is not cut later mid-request and knows it did not book); above `max` bookings in progress, a 503
 * `overloaded`, at once, rather than a queue that times out. Both carry retry-after and are counted; an
 * overloaded refusal is not logged one by one (the metric counts them: a flood of lines would not help).
 * An admitted booking holds its slot until its response is over and its work has ended: a client that goes
 * away does not free a slot its booking still uses, and a drain still waits for that booking.
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
    const slot = openSlot(inFlight.start());
    res.locals.slot = slot;
    res.once('close', slot.hold());
    next();
  };
}
