import { createHash, randomUUID } from 'node:crypto';
import { Router as createExpressRouter, type Router } from 'express';
import { orchestrateBooking, type OrchestratorDeps } from '../booking/orchestrate.js';
import { BookingAgentError, ERROR_TYPES } from '../errors.js';
import type { IdempotencyStore, StoredResponse } from '../idempotency.js';
import { bookingBodySchema, fieldProblems } from './booking-body.js';
import { slotOf } from './admission.js';
import { contextOf } from './context.js';

/** Largest booking body; app.ts reads it (before admission) with `express.json`. */
export const BODY_LIMIT = '100kb';

export interface BookingsRouteDeps {
  readonly orchestrator: OrchestratorDeps;
  readonly idempotency: IdempotencyStore;
  readonly newId?: () => string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const toStored = (error: unknown): StoredResponse => {
  if (error instanceof BookingAgentError) return { status: error.status, body: error.toBody() };
  throw error;
};

/**
 * POST /bookings, once `admissionControl` admitted it. With an `Idempotency-Key`, a retry gets the first answer
 * (marked with `idempotent-replayed: true`), a duplicate sent while the first runs waits for it, and reusing a
 * key with another body is a 422. Transient failures (5xx) are not stored, so a retry retries.
 */
export function bookingRoutes({ orchestrator, idempotency, newId = randomUUID }: BookingsRouteDeps): Router {
  return createExpressRouter().post('/bookings', async (req, res) => {
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
      const letGo = slotOf(res)?.hold();
      try {
        const booking = await orchestrateBooking(orchestrator, { id, text: parsed.data.request, trace, log: log.child({ bookingId: id }) });
        return { status: 201, body: booking };
      } catch (error) {
        return toStored(error);
      } finally {
        letGo?.();
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
