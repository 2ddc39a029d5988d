import path from 'node:path';
import { startService, type RunningService } from '@model-canary/booking-agent/src/service.js';
import { loadSettings } from '@model-canary/booking-agent/src/settings.js';
import { createPrometheusClient, type PrometheusClient } from '@model-canary/controller';
import { startPrometheus, type PrometheusServer } from '../harness/index.js';
import { scrapeTarget } from './booking-service.js';
import { startTraffic, type Traffic } from './drive-bookings.js';

// The example calls the real API when a key is set; these tests must only ever reach the simulator.
for (const name of Object.keys(process.env)) if (name.startsWith('ANTHROPIC_')) delete process.env[name];

export const MODELS = { canary: 'claude-sonnet-4-6', control: 'claude-haiku-4-5' } as const;

export interface PlanQuality {
  readonly invalidRate: number;
  readonly incompleteRate: number;
}

export interface RampStackOptions {
  readonly rolloutFile: string;
  /** Plan mistakes of the canary model (Sonnet 4.6) and of the control model (Haiku 4.5): the canary's quality. */
  readonly canaryPlans: PlanQuality;
  readonly controlPlans: PlanQuality;
  readonly seed?: string;
  readonly concurrency?: number;
  /** The simulator's time scale: 0 answers at once; 1 takes the model profiles' own latencies (bookings in flight for seconds). */
  readonly timeScale?: number;
}

/** The example service on the simulator, a real Prometheus scraping it every second, and bookings flowing. */
export interface RampStack {
  readonly service: RunningService;
  readonly prometheus: PrometheusServer;
  readonly traffic: Traffic;
  stop(): Promise<void>;
}

/**
 * Starts the example booking service (embedded simulator, time scale 0, no random capacity
 * faults, the given plan quality per model), a Prometheus scraping it every second, and continuous
 * traffic. `stop()` stops whatever was started, in reverse order, also after a failed start.
 */
export async function startRampStack({ rolloutFile, canaryPlans, controlPlans, seed = 'controller', concurrency = 8, timeScale = 0 }: RampStackOptions): Promise<RampStack> {
  const started: Array<() => Promise<unknown>> = [];
  const stop = async (): Promise<void> => {
    for (const close of started.reverse()) await close().catch(() => undefined);
    started.length = 0;
  };
  try {
    const settings = loadSettings({
      PORT: '0',
      HOST: '127.0.0.1',
      ROLLOUT_FILE: rolloutFile,
      AUDIT_FILE: path.join(path.dirname(rolloutFile), 'config.audit.jsonl'),
      MODEL_BACKEND: 'simulator',
      LOG_LEVEL: 'silent',
      SIM_SEED: seed,
      // Time scale 0: simulated latencies vanish (the latency guardrail still compares arms on the
      // default buckets); bookings are then as fast as this machine serves them (~100/s).
      SIM_TIME_SCALE: String(timeScale),
      MODEL_TIMEOUT_MS: timeScale > 0 ? '60000' : '10000',
      MODEL_MAX_RETRIES: '2',
      SPECIALIST_CONCURRENCY: '4',
    });
    const service = await startService({
      settings,
      simulator: {
        baselineFaults: false,
        faults: [],
        models: { [MODELS.canary]: { planQuality: canaryPlans }, [MODELS.control]: { planQuality: controlPlans } },
      },
    });
    started.push(() => service.close(5_000));
    const prometheus = await startPrometheus({ scrapeTargets: [scrapeTarget(service)] });
    started.push(() => prometheus.stop());
    await prometheus.waitForFreshScrape(15_000);
    const traffic = startTraffic({ url: service.url, concurrency, seed });
    started.push(() => traffic.stop());
    return { service, prometheus, traffic, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A Prometheus client that runs `beforeNextQuery` once, just before the next query it forwards. */
export interface InterceptingClient extends PrometheusClient {
  beforeNextQuery(action: () => Promise<unknown>): void;
}

/**
 * Wraps the controller's own Prometheus client so a test can act while a look is reading Prometheus,
 * i.e. after the controller read the rollout file and before it writes it.
 */
export function interceptingClient(url: string): InterceptingClient {
  const inner = createPrometheusClient({ url });
  let pending: (() => Promise<unknown>) | undefined;
  return {
    beforeNextQuery(action) {
      pending = action;
    },
    async query(promql, atMs) {
      const action = pending;
      pending = undefined;
      if (action !== undefined) await action();
      return inner.query(promql, atMs);
    },
  };
}
