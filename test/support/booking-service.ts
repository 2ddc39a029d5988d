import path from 'node:path';
import { startService, type RunningService } from '@model-canary/booking-agent/src/service.js';
import { loadSettings } from '@model-canary/booking-agent/src/settings.js';
import { DEFAULT_PROFILES, type FaultRule } from '@model-canary/simulator';

// The example calls the real API when a key is set; these tests must only ever reach the simulator.
for (const name of Object.keys(process.env)) if (name.startsWith('ANTHROPIC_')) delete process.env[name];

export type { RunningService };

export interface BookingServiceOptions {
  readonly rolloutFile: string;
  readonly seed?: string;
  /** Simulator delay multiplier: small, so thousands of bookings fit in seconds. */
  readonly timeScale?: number;
  /** The SDK's retries per call (the example's default is 2). */
  readonly maxRetries?: number;
  /** Whether the model profiles' own random errors and invalid plans apply. */
  readonly baselineFaults?: boolean;
  readonly faults?: readonly FaultRule[];
  /**
   * Whether the simulated models make plan mistakes (invalid or incomplete plans) at their profiles' rates.
   * Such a booking fails after a paid orchestrator call, a cost its error response does not report.
   */
  readonly planMistakes?: boolean;
  /** Booking ids; replicas given the same sequence see the same units. */
  readonly newId?: () => string;
}

/**
 * The example booking service exactly as `pnpm start` runs it (startService: embedded simulator,
 * router on the rollout file, metrics on its own registry), configured through its own settings
 * parser, on a kernel-chosen loopback port.
 */
export function startBookingService({
  rolloutFile,
  seed = 'e2e',
  timeScale = 0.001,
  maxRetries = 2,
  baselineFaults = true,
  faults = [],
  planMistakes = true,
  newId,
}: BookingServiceOptions): Promise<RunningService> {
  const settings = loadSettings({
    PORT: '0',
    HOST: '127.0.0.1',
    ROLLOUT_FILE: rolloutFile,
    AUDIT_FILE: path.join(path.dirname(rolloutFile), 'config.audit.jsonl'),
    MODEL_BACKEND: 'simulator',
    LOG_LEVEL: 'silent',
    SIM_SEED: seed,
    SIM_TIME_SCALE: String(timeScale),
    MODEL_MAX_RETRIES: String(maxRetries),
    SPECIALIST_CONCURRENCY: '4',
  });
  const models = planMistakes
    ? {}
    : Object.fromEntries(Object.keys(DEFAULT_PROFILES).map((id) => [id, { planQuality: { invalidRate: 0, incompleteRate: 0 } }]));
  return startService({ settings, simulator: { baselineFaults, faults, models }, ...(newId === undefined ? {} : { newId }) });
}

/** `host:port` of a running service, as a Prometheus scrape target. */
export function scrapeTarget(service: RunningService): string {
  return new URL(service.url).host;
}
