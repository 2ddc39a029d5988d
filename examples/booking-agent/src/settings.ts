import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The package root, so relative paths in settings do not depend on the caller's working directory. */
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_ROLLOUT_FILE = path.join(PACKAGE_DIR, 'rollout.json');

const DEFAULT_TIMEOUT_MS = 60_000;
/** The bound on one whole booking (every model call, retry waits included), before any scaling. */
const DEFAULT_BOOKING_TIMEOUT_MS = 180_000;
/**
 * max_tokens of every model call. A specialist's confirmation cut off at max_tokens fails the booking, so the
 * default leaves room. From the simulator profiles' lognormal answer lengths, 1024 would cut off 1% of Haiku
 * 4.5's answers and 3.5% of Sonnet 4.6's; 4096 cuts off about 1 in 10,000. A limit costs nothing until used.
 */
export const DEFAULT_MAX_TOKENS = 4096;
/** High-stakes bookings, reviewed by the verifier: three services or more (of flights, hotel, restaurant, car). */
export const DEFAULT_VERIFY_MIN_SERVICES = 3;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Who answers the model calls: the real API (the default: production), or the embedded simulator (an explicit opt-in). */
export const MODEL_BACKENDS = ['anthropic', 'simulator'] as const;
export type ModelBackend = (typeof MODEL_BACKENDS)[number];
export const DEFAULT_AUDIT_FILE = path.join(PACKAGE_DIR, 'config.audit.jsonl');
/** Bookings in progress at once; the excess is answered 503 with retry-after at once. */
export const DEFAULT_MAX_BOOKINGS_IN_FLIGHT = 256;

/** Plain decimal digits only: `Number()` alone would read "0x50" as 80 and "1e3" as 1000. */
const decimalIn = (pattern: RegExp, error: string, min: number, max: number) =>
  z.string().regex(pattern, { error }).transform(Number).pipe(z.number().min(min, { error }).max(max, { error }));

const intIn = (min: number, max: number) => decimalIn(/^\d+$/, `must be an integer from ${min} to ${max}`, min, max);

const envSchema = z.object({
  PORT: intIn(0, 65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  ROLLOUT_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  MODEL_BACKEND: z.enum(MODEL_BACKENDS).default('anthropic'),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  SIM_SEED: z.string().min(1).default('booking-agent'),
  SIM_TIME_SCALE: decimalIn(/^\d+(\.\d+)?$/, 'must be a number from 0 to 100', 0, 100).default(1),
  SPECIALIST_CONCURRENCY: intIn(1, 32).default(4),
  VERIFY_MIN_SERVICES: intIn(1, 5).default(DEFAULT_VERIFY_MIN_SERVICES),
  MAX_TOKENS: intIn(64, 16_384).default(DEFAULT_MAX_TOKENS),
  MODEL_TIMEOUT_MS: intIn(1000, 600_000).optional(),
  MODEL_MAX_RETRIES: intIn(0, 10).default(2),
  BOOKING_TIMEOUT_MS: intIn(1000, 3_600_000).optional(),
  IDEMPOTENCY_CAPACITY: intIn(1, 1_000_000).default(10_000),
  SHUTDOWN_TIMEOUT_MS: intIn(0, 600_000).default(30_000),
  MAX_BOOKINGS_IN_FLIGHT: intIn(1, 100_000).default(DEFAULT_MAX_BOOKINGS_IN_FLIGHT),
  AUDIT_FILE: z.string().min(1).optional(),
});

export interface Settings {
  readonly port: number;
  readonly host: string;
  /** Absolute path of the rollout file the router watches. */
  readonly rolloutFile: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** `anthropic` (with a key, checked at start) or `simulator` (the embedded one, asked for explicitly). */
  readonly modelBackend: ModelBackend;
  /** The API key of the `anthropic` backend; undefined on the simulator. */
  readonly anthropicApiKey: string | undefined;
  readonly anthropicBaseUrl: string | undefined;
  readonly simSeed: string;
  readonly simTimeScale: number;
  readonly specialistConcurrency: number;
  /** Itineraries of this many services or more are reviewed by the verifier before confirmation (5: never). */
  readonly verifyMinServices: number;
  readonly maxTokens: number;
  readonly modelTimeoutMs: number;
  readonly modelMaxRetries: number;
  /** Bound on one whole booking: its model calls get the time left as their deadline. */
  readonly bookingTimeoutMs: number;
  readonly idempotencyCapacity: number;
  readonly shutdownTimeoutMs: number;
  readonly maxBookingsInFlight: number;
  /** Absolute path of the JSON-lines audit trail of every applied, rejected or missing rollout config. */
  readonly auditFile: string;
}

export class SettingsError extends Error {
  readonly code = 'invalid_settings';
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'SettingsError';
  }
}

/**
 * Reads the service's settings from an environment object (process.env in production).
 * Values are trimmed, and empty or blank ones count as unset, so `PORT=` in a .env file means "use the default"
 * (and a blank `ANTHROPIC_API_KEY` is a missing key). Numbers are plain decimals. A bad value throws a
 * SettingsError naming every offending variable; so does the `anthropic` backend (the default) without a key:
 * the simulator is never a silent fallback for a missing secret.
 */
export function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const present = Object.fromEntries(
    Object.entries(env)
      .map(([name, value]) => [name, value?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = name.includes('KEY') ? '(hidden)' : JSON.stringify(present[name]);
      return `${name}=${value}: ${issue.message}`;
    });
    throw new SettingsError(`Invalid settings:\n  ${problems.join('\n  ')}`, problems);
  }
  const e = parsed.data;
  if (e.MODEL_BACKEND === 'anthropic' && e.ANTHROPIC_API_KEY === undefined) {
    const problem = 'ANTHROPIC_API_KEY is not set: set it to call the Anthropic API, or set MODEL_BACKEND=simulator to run on the embedded simulator (no real bookings)';
    throw new SettingsError(problem, [problem]);
  }
  // The simulator holds a "timeout" fault until the client gives up, in real time: a sped-up run
  // gets a timeout sped up the same way, or one such fault would stall it for a minute.
  const onSimulator = e.MODEL_BACKEND === 'simulator' && e.SIM_TIME_SCALE < 1;
  const modelTimeoutMs = e.MODEL_TIMEOUT_MS ?? (onSimulator ? Math.max(1000, Math.round(DEFAULT_TIMEOUT_MS * e.SIM_TIME_SCALE)) : DEFAULT_TIMEOUT_MS);
  const bookingTimeoutMs =
    e.BOOKING_TIMEOUT_MS ?? (onSimulator ? Math.max(10_000, Math.round(DEFAULT_BOOKING_TIMEOUT_MS * e.SIM_TIME_SCALE)) : DEFAULT_BOOKING_TIMEOUT_MS);
  return {
    port: e.PORT,
    host: e.HOST,
    rolloutFile: e.ROLLOUT_FILE === undefined ? DEFAULT_ROLLOUT_FILE : path.resolve(PACKAGE_DIR, e.ROLLOUT_FILE),
    logLevel: e.LOG_LEVEL,
    modelBackend: e.MODEL_BACKEND,
    anthropicApiKey: e.MODEL_BACKEND === 'anthropic' ? e.ANTHROPIC_API_KEY : undefined,
    anthropicBaseUrl: e.ANTHROPIC_BASE_URL,
    simSeed: e.SIM_SEED,
    simTimeScale: e.SIM_TIME_SCALE,
    specialistConcurrency: e.SPECIALIST_CONCURRENCY,
    verifyMinServices: e.VERIFY_MIN_SERVICES,
    maxTokens: e.MAX_TOKENS,
    modelTimeoutMs,
    modelMaxRetries: e.MODEL_MAX_RETRIES,
    bookingTimeoutMs,
    idempotencyCapacity: e.IDEMPOTENCY_CAPACITY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    maxBookingsInFlight: e.MAX_BOOKINGS_IN_FLIGHT,
    auditFile: e.AUDIT_FILE === undefined ? DEFAULT_AUDIT_FILE : path.resolve(PACKAGE_DIR, e.AUDIT_FILE),
  };
}
