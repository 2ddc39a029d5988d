import { createHash, randomUUID } from 'node:crypto';
import express, { Router as createExpressRouter, type RequestHandler, type Router } from 'express';
import type { RejectionReason } from '../booking/booking-metrics.js';
import { orchestrateBooking, type OrchestratorDeps } from '../booking/orchestrate.js';
import { BookingAgentError, ERROR_TYPES } from '../errors.js';
import type { IdempotencyStore, StoredResponse } from '../idempotency.js';
import { bookingBodySchema, fieldProblems } from './booking-body.js';
import { contextOf } from './context.js';

export const BODY_LIMIT = '100kb';

export interface BookingsRouteDeps {
  readonly orchestrator: OrchestratorDeps;
  readonly idempotency: IdempotencyStore;
  readonly inFlight: { start(): () => void; draining(): boolean; count(): number };
  readonly admission: Admission;
  readonly newId?: () => string;
}

export interface Admission {
  /** Bookings in progress at once (from arrival to the end of the response). */
  readonly max: number;
  readonly rejected: (reason: RejectionReason) => void;
}

/**
 * Admission control, before the body is even read: while draining, a 503 `shutting_down` with
 * `Connection: close` (so the client is not cut mid-request later and knows it did not book); above `max`
 * bookings in progress, a 503 `overloaded` with retry-after, at once, instead of a queue that times out.
 * An admitted booking holds its slot until its response is finished or its connection closes.
 */
function admit(inFlight: BookingsRouteDeps['inFlight'], { max, rejected }: Admission): RequestHandler {
  return (_req, res, next) => {
    if (inFlight.draining()) {
      rejected('shutting_down');
      res.setHeader('connection', 'close');
      next(new BookingAgentError(503, ERROR_TYPES.draining, 'The service is shutting down; retry on another instance.'));
      return;
    }
    if (inFlight.count() >= max) {
      rejected('overloaded');
      next(new BookingAgentError(503, ERROR_TYPES.overloaded, `More than ${max} bookings are in progress; retry shortly.`));
      return;
    }
    res.once('close', inFlight.start());
    next();
  };
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const toStored = (error: unknown): StoredResponse => {
  if (error instanceof BookingAgentError) return { status: error.status, body: error.toBody() };
  throw error;
};

/**
 * POST /bookings. With an `Idempotency-Key`, a retry gets the first answer (marked with
 * `idempotent-replayed: true`), a duplicate sent while the first runs waits for it, and reusing a
 * key with another body is a 422. Transient failures (5xx) are not stored, so a retry retries.
 */
export function bookingRoutes({ orchestrator, idempotency, inFlight, admission, newId = randomUUID }: BookingsRouteDeps): Router {
  return createExpressRouter().post('/bookings', admit(inFlight, admission), express.json({ limit: BODY_LIMIT }), async (req, res) => {
    if (!req.is('application/json')) {
      throw new BookingAgentError(415, ERROR_TYPES.unsupportedMediaType, 'Send the booking as JSON with Content-Type: application/json.');
    }
    const parsed = bookingBodySchema.safeParse(req.body);
    if (!parsed.success) {
      const fields = fieldProblems(parsed.error);
      throw new BookingAgentError(422, ERROR_TYPES.validation, `Invalid booking: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, { details: { fields } });
    }
    const { trace, log } = contextOf(res);
    const key = req.get('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new BookingAgentError(400, ERROR_TYPES.validation, 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
    }

    const work = async (): Promise<StoredResponse> => {
      const id = newId();
      try {
        const booking = await orchestrateBooking(orchestrator, { id, text: parsed.data.request, trace, log: log.child({ bookingId: id }) });
        return { status: 201, body: booking };
      } catch (error) {
        return toStored(error);
      }
    };

    let stored: StoredResponse;
    if (key === undefined) {
      stored = await work();
    } else {
      const fingerprint = createHash('sha256').update(JSON.stringify(parsed.data)).digest('hex');
      const result = await idempotency.run(key, fingerprint, work);
      if (result.kind === 'mismatch') {
        throw new BookingAgentError(422, ERROR_TYPES.idempotencyMismatch, 'This Idempotency-Key was already used with a different booking body.');
      }
      if (result.kind === 'full') {
        res.setHeader('retry-after', '1');
        throw new BookingAgentError(503, ERROR_TYPES.idempotencyFull, 'Too many bookings with an Idempotency-Key are still running; retry shortly.');
      }
      if (result.kind === 'replayed') res.setHeader('idempotent-replayed', 'true');
      stored = result.response;
    }
    if (stored.status === 503) res.setHeader('retry-after', '1');
    res.status(stored.status).json(stored.body);
  });
}
