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
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Plain decimal digits only: `Number()` alone would read "0x50" as 80 and "1e3" as 1000. */
const decimalIn = (pattern: RegExp, error: string, min: number, max: number) =>
  z.string().regex(pattern, { error }).transform(Number).pipe(z.number().min(min, { error }).max(max, { error }));

const intIn = (min: number, max: number) => decimalIn(/^\d+$/, `must be an integer from ${min} to ${max}`, min, max);

const envSchema = z.object({
  PORT: intIn(0, 65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  ROLLOUT_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  SIM_SEED: z.string().min(1).default('booking-agent'),
  SIM_TIME_SCALE: decimalIn(/^\d+(\.\d+)?$/, 'must be a number from 0 to 100', 0, 100).default(1),
  SPECIALIST_CONCURRENCY: intIn(1, 32).default(4),
  MAX_TOKENS: intIn(64, 16_384).default(DEFAULT_MAX_TOKENS),
  MODEL_TIMEOUT_MS: intIn(1000, 600_000).optional(),
  MODEL_MAX_RETRIES: intIn(0, 10).default(2),
  BOOKING_TIMEOUT_MS: intIn(1000, 3_600_000).optional(),
  IDEMPOTENCY_CAPACITY: intIn(1, 1_000_000).default(10_000),
  SHUTDOWN_TIMEOUT_MS: intIn(0, 600_000).default(30_000),
});

export interface Settings {
  readonly port: number;
  readonly host: string;
  /** Absolute path of the rollout file the router watches. */
  readonly rolloutFile: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Set: call the real API. Unset: start the embedded simulator. */
  readonly anthropicApiKey: string | undefined;
  readonly anthropicBaseUrl: string | undefined;
  readonly simSeed: string;
  readonly simTimeScale: number;
  readonly specialistConcurrency: number;
  readonly maxTokens: number;
  readonly modelTimeoutMs: number;
  readonly modelMaxRetries: number;
  /** Bound on one whole booking: its model calls get the time left as their deadline. */
  readonly bookingTimeoutMs: number;
  readonly idempotencyCapacity: number;
  readonly shutdownTimeoutMs: number;
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
 * (and a blank `ANTHROPIC_API_KEY` does not switch to the real API). Numbers are plain decimals.
 * A bad value throws a SettingsError naming every offending variable.
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
  // The simulator holds a "timeout" fault until the client gives up, in real time: a sped-up run
  // gets a timeout sped up the same way, or one such fault would stall it for a minute.
  const onSimulator = e.ANTHROPIC_API_KEY === undefined && e.SIM_TIME_SCALE < 1;
  const modelTimeoutMs = e.MODEL_TIMEOUT_MS ?? (onSimulator ? Math.max(1000, Math.round(DEFAULT_TIMEOUT_MS * e.SIM_TIME_SCALE)) : DEFAULT_TIMEOUT_MS);
  const bookingTimeoutMs =
    e.BOOKING_TIMEOUT_MS ?? (onSimulator ? Math.max(10_000, Math.round(DEFAULT_BOOKING_TIMEOUT_MS * e.SIM_TIME_SCALE)) : DEFAULT_BOOKING_TIMEOUT_MS);
  return {
    port: e.PORT,
    host: e.HOST,
    rolloutFile: e.ROLLOUT_FILE === undefined ? DEFAULT_ROLLOUT_FILE : path.resolve(PACKAGE_DIR, e.ROLLOUT_FILE),
    logLevel: e.LOG_LEVEL,
    anthropicApiKey: e.ANTHROPIC_API_KEY,
    anthropicBaseUrl: e.ANTHROPIC_BASE_URL,
    simSeed: e.SIM_SEED,
    simTimeScale: e.SIM_TIME_SCALE,
    specialistConcurrency: e.SPECIALIST_CONCURRENCY,
    maxTokens: e.MAX_TOKENS,
    modelTimeoutMs,
    modelMaxRetries: e.MODEL_MAX_RETRIES,
    bookingTimeoutMs,
    idempotencyCapacity: e.IDEMPOTENCY_CAPACITY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}
