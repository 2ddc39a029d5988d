import type { Router as CanaryRouter } from '@model-canary/router';
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { createBookingMetrics } from './booking/booking-metrics.js';
import { createCallLog } from './booking/call-log.js';
import { ROUTES } from './booking/orchestrate.js';
import { createIdempotencyStore } from './idempotency.js';
import { createInFlight, type InFlight } from './in-flight.js';
import type { Logger } from './logging.js';
import { admissionControl } from './routes/admission.js';
import { BODY_LIMIT, bookingRoutes } from './routes/bookings.js';
import { requestContext } from './routes/context.js';
import { errorHandler, notFound } from './routes/error-handler.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { rolloutRoutes } from './routes/rollout.js';
import { logRouterEvents } from './router-log.js';
import { DEFAULT_MAX_BOOKINGS_IN_FLIGHT, DEFAULT_MAX_TOKENS, DEFAULT_VERIFY_MIN_SERVICES, type ModelBackend } from './settings.js';

export interface AppDeps {
  /** A router created with `client` (and usually `configFile`); the app never closes it. */
  readonly router: Pick<CanaryRouter, 'unit' | 'on' | 'snapshot'>;
  /** The registry `/metrics` serves; the caller attaches the canary metrics to it. */
  readonly registry: Registry;
  readonly logger: Logger;
  readonly specialistConcurrency?: number;
  /** Itineraries of this many services or more are reviewed by the verifier (route `verifier`) first. Default 3. */
  readonly verifyMinServices?: number;
  readonly maxTokens?: number;
  /** Bound on one whole booking, in ms (its model calls get the time left as their deadline). Default 180000. */
  readonly bookingTimeoutMs?: number;
  readonly idempotencyCapacity?: number;
  /** Bookings in progress at once; the excess is answered 503 `overloaded` with retry-after, at once. */
  readonly maxBookingsInFlight?: number;
  /** Named by /healthz: who answers the model calls. */
  readonly backend?: ModelBackend;
  readonly newId?: () => string;
  readonly now?: () => number;
}

export interface BookingApp {
  readonly app: Express;
  readonly inFlight: InFlight;
  /** Unsubscribes from the router. */
  close(): void;
}

/** Builds the Express app from its dependencies. It does not listen: see server.ts. */
export function createApp({
  router,
  registry,
  logger,
  specialistConcurrency = 4,
  verifyMinServices = DEFAULT_VERIFY_MIN_SERVICES,
  maxTokens = DEFAULT_MAX_TOKENS,
  bookingTimeoutMs = 180_000,
  idempotencyCapacity = 10_000,
  maxBookingsInFlight = DEFAULT_MAX_BOOKINGS_IN_FLIGHT,
  backend = 'anthropic',
  newId,
  now = Date.now,
}: AppDeps): BookingApp {
  const callLog = createCallLog(router);
  const offRouterLog = logRouterEvents(router, logger);
  const inFlight = createInFlight();
  const idempotency = createIdempotencyStore({ capacity: idempotencyCapacity, keep: (r) => r.status < 500 });
  const metrics = createBookingMetrics(registry);
  const zeroArms = (): void => {
    const arms = router.snapshot().config.routes[ROUTES.orchestrator]?.arms ?? [];
    metrics.zero(ROUTES.orchestrator, arms.map((a) => a.name));
  };
  zeroArms();
  const offConfig = router.on('config', (event) => {
    if (event.result === 'applied') zeroArms();
  });
  const orchestrator = { router, callLog, metrics, concurrency: specialistConcurrency, maxTokens, bookingTimeoutMs, verifyMinServices };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // The body is read before admission: a client that sends its headers and trickles its body (a slowloris) must
  // not hold a booking slot while it does, or a handful of them refuse every real booking.
  app.post('/bookings', express.json({ limit: BODY_LIMIT }), admissionControl({ inFlight, max: maxBookingsInFlight, rejected: metrics.rejected, logger }));
  app.use(requestContext(logger, now));
  app.use(bookingRoutes({ orchestrator, idempotency, ...(newId === undefined ? {} : { newId }) }));
  app.use(healthRoutes({ draining: () => inFlight.draining(), inFlight: () => inFlight.count(), backend }));
  app.use(rolloutRoutes(router));
  app.use(metricsRoutes(registry));
  app.use(notFound);
  app.use(errorHandler(logger));
  return {
    app,
    inFlight,
    close: () => {
      callLog.detach();
      offConfig();
      offRouterLog();
    },
  };
}
