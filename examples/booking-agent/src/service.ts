import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { createCanaryMetrics, DEFAULT_DURATION_BUCKETS, DEFAULT_TTFT_BUCKETS, DEFAULT_UNIT_DURATION_BUCKETS } from '@model-canary/metrics';
import { createRouter, type Router } from '@model-canary/router';
import { startSimulator, type SimulatorOptions as SimulatorSettings, type Simulator } from '@model-canary/simulator';
import { Registry } from 'prom-client';
import { createApp, type BookingApp } from './app.js';
import { ROUTES } from './booking/orchestrate.js';
import { createPlanJudge } from './booking/plan-judge.js';
import { createLogger, type Logger } from './logging.js';
import type { ModelBackend, Settings } from './settings.js';

type SimulatorOptions = Omit<SimulatorSettings, 'seed' | 'timeScale'>;

export interface ServiceOptions {
  readonly settings: Settings;
  readonly logger?: Logger;
  /** Extra options of the embedded simulator (faults, model profiles); ignored on the `anthropic` backend. */
  readonly simulator?: SimulatorOptions;
  readonly newId?: () => string;
}

export interface RunningService {
  /** Base URL of the booking service, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  /** Who answers the model calls (`settings.modelBackend`). */
  readonly backend: ModelBackend;
  /** The embedded simulator's URL, or null when calling the real API. */
  readonly simulatorUrl: string | null;
  readonly simulator: Simulator | null;
  readonly router: Router;
  readonly registry: Registry;
  readonly booking: BookingApp;
  readonly logger: Logger;
  /** Stops taking bookings, waits for in-flight ones (up to the timeout), then closes everything. */
  close(timeoutMs?: number): Promise<{ drained: boolean }>;
}

const CLOSE_GRACE_MS = 1000;
/**
 * Pending connections the kernel queues before the app accepts them (capped by net.core.somaxconn). Node's
 * default of 511 drops a burst of a few thousand connects, which clients then see as a reset or a SYN retry
 * seconds later: a burst must reach admission control to get its fast 503.
 */
const LISTEN_BACKLOG = 4096;

/** What the router serves until a good rollout file is read: control only (Haiku 4.5, the verifier on Opus 4.7). */
const CONTROL_ONLY = {
  routes: {
    [ROUTES.orchestrator]: { arms: [{ name: 'control', model: 'claude-haiku-4-5' }] },
    [ROUTES.specialist]: { arms: [{ name: 'control', model: 'claude-haiku-4-5' }] },
    [ROUTES.verifier]: { arms: [{ name: 'control', model: 'claude-opus-4-7' }] },
  },
};

/** The SDK key used against the embedded simulator: never a real credential. */
export const SIMULATOR_API_KEY = 'simulator-local-key';

/**
 * The metrics package's latency buckets fit real LLM calls; a sped-up simulator (timeScale 0.02 in
 * the demo) would put every call in the first bucket, so they shrink by the same factor.
 */
function latencyBuckets(timeScale: number): { buckets?: number[]; ttftBuckets?: number[]; unitDurationBuckets?: number[] } {
  if (timeScale >= 1 || timeScale <= 0) return {};
  const scale = (values: readonly number[]): number[] => values.map((v) => Number((v * timeScale).toPrecision(3)));
  return {
    buckets: scale(DEFAULT_DURATION_BUCKETS),
    ttftBuckets: scale(DEFAULT_TTFT_BUCKETS),
    unitDurationBuckets: scale(DEFAULT_UNIT_DURATION_BUCKETS),
  };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts the whole service in process: the simulator (backend `simulator` only), the SDK client,
 * the router on the rollout file, the metrics, and the HTTP server. server.ts, the demo and the
 * tests all start it this way.
 */
export async function startService({ settings, logger = createLogger({ level: settings.logLevel }), simulator: simulatorOptions = {}, newId }: ServiceOptions): Promise<RunningService> {
  const backend = settings.modelBackend;
  const simulator = backend === 'simulator'
    ? await startSimulator({ ...simulatorOptions, seed: settings.simSeed, timeScale: settings.simTimeScale })
    : null;
  const client = new Anthropic({
    apiKey: settings.anthropicApiKey ?? SIMULATOR_API_KEY,
    authToken: null,
    baseURL: simulator?.url ?? settings.anthropicBaseUrl ?? null,
    timeout: settings.modelTimeoutMs,
    maxRetries: settings.modelMaxRetries,
  });
  let router: Router;
  try {
    router = createRouter({
      configFile: settings.rolloutFile,
      client,
      routes: Object.values(ROUTES),
      // A missing or broken rollout file at start serves control only (and says so in GET /rollout).
      defaultConfig: CONTROL_ONLY,
      auditFile: settings.auditFile,
      // Shadow calls of the orchestrator (rollout.json's `shadow`) are judged blind on the plan rubric (issue 16).
      judge: createPlanJudge(client),
    });
  } catch (error) {
    await simulator?.close();
    throw error;
  }
  const registry = new Registry();
  const detachMetrics = createCanaryMetrics({ registry, ...latencyBuckets(simulator === null ? 1 : settings.simTimeScale) }).attach(router);
  const booking = createApp({
    router,
    registry,
    logger,
    specialistConcurrency: settings.specialistConcurrency,
    verifyMinServices: settings.verifyMinServices,
    maxTokens: settings.maxTokens,
    bookingTimeoutMs: settings.bookingTimeoutMs,
    idempotencyCapacity: settings.idempotencyCapacity,
    maxBookingsInFlight: settings.maxBookingsInFlight,
    backend,
    ...(newId === undefined ? {} : { newId }),
  });
  const server = createServer(booking.app);
  let address: AddressInfo;
  try {
    address = await listen(server, settings.port, settings.host);
  } catch (error) {
    // A port in use or a bad host: what started stops (the file watcher, the simulator), so the process exits.
    detachMetrics();
    await router.close();
    await simulator?.close();
    throw error;
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  const { version, lastReload } = router.snapshot();
  logger.info(
    { url, backend, simulator: simulator?.url ?? null, rolloutFile: settings.rolloutFile, auditFile: settings.auditFile, version, reload: lastReload?.result ?? null, maxBookingsInFlight: settings.maxBookingsInFlight },
    `booking service listening (backend ${backend})`,
  );

  let closing: Promise<{ drained: boolean }> | undefined;
  const close = (timeoutMs = settings.shutdownTimeoutMs): Promise<{ drained: boolean }> => {
    closing ??= (async () => {
      const drained = await booking.inFlight.drain(timeoutMs);
      // Requests that raced the drain get their 503 within the grace period; then idle keep-alive
      // sockets and any stragglers are cut so close() cannot hang.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      });
      booking.close();
      detachMetrics();
      await router.close();
      await simulator?.close();
      logger.info({ drained }, 'booking service stopped');
      return { drained };
    })();
    return closing;
  };
  return { url, backend, simulatorUrl: simulator?.url ?? null, simulator, router, registry, booking, logger, close };
}
