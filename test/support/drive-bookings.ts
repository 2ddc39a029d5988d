import { createBookingGenerator } from '@model-canary/booking-agent/src/load/generate.js';

/** What the driver learnt from one response (success body, or the error body's details). */
export interface BookingResult {
  readonly status: number;
  readonly id: string | undefined;
  readonly arm: string | undefined;
  /** From a successful booking's body, or an error body's details when the service reports it there. */
  readonly costUsd: number | undefined;
  readonly errorType: string | undefined;
}

export interface DriveOptions {
  readonly url: string;
  readonly count: number;
  readonly concurrency?: number;
  readonly seed?: string | number;
}

/**
 * Sends `count` generated bookings (the example load driver's generator) with bounded concurrency and
 * keeps every answer. Unlike the example's driver it keeps ids, so a test can compare booking by booking.
 */
export async function driveBookings({ url, count, concurrency = 16, seed = 1 }: DriveOptions): Promise<BookingResult[]> {
  const next = createBookingGenerator(seed);
  const bodies = Array.from({ length: count }, () => next());
  const results: BookingResult[] = [];
  let index = 0;
  const worker = async (): Promise<void> => {
    while (index < bodies.length) {
      const body = bodies[index++];
      const response = await fetch(new URL('/bookings', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      results.push(toResult(response.status, await response.json()));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

interface ResponseBody {
  id?: unknown;
  arm?: unknown;
  costUsd?: unknown;
  error?: { type?: unknown; id?: unknown; arm?: unknown; costUsd?: unknown };
}

function toResult(status: number, raw: unknown): BookingResult {
  const body = (raw ?? {}) as ResponseBody;
  const source = body.error ?? body;
  const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return {
    status,
    id: str(source.id),
    arm: str(source.arm),
    costUsd: typeof source.costUsd === 'number' ? source.costUsd : undefined,
    errorType: str(body.error?.type),
  };
}

/** Per-arm figures the driver computes from the responses alone. */
export interface ArmFigures {
  readonly bookings: number;
  readonly succeeded: number;
  readonly successRate: number;
  /** Sum of the costUsd the responses reported. */
  readonly costUsd: number;
}

export function figuresByArm(results: readonly BookingResult[]): Record<string, ArmFigures> {
  const out: Record<string, { bookings: number; succeeded: number; costUsd: number }> = {};
  for (const result of results) {
    const arm = result.arm ?? 'unknown';
    const figures = (out[arm] ??= { bookings: 0, succeeded: 0, costUsd: 0 });
    figures.bookings++;
    if (result.status === 201) figures.succeeded++;
    figures.costUsd += result.costUsd ?? 0;
  }
  return Object.fromEntries(
    Object.entries(out).map(([arm, f]) => [arm, { ...f, successRate: f.succeeded / f.bookings }]),
  );
}

export interface Traffic {
  /** Results so far. */
  readonly results: readonly BookingResult[];
  /** Waits for the bookings in flight, sends no more, and returns every result. */
  stop(): Promise<BookingResult[]>;
}

/** Sends generated bookings continuously (until `stop()`), for tests that change things during traffic. */
export function startTraffic({ url, concurrency = 8, seed = 1 }: Omit<DriveOptions, 'count'>): Traffic {
  const next = createBookingGenerator(seed);
  const results: BookingResult[] = [];
  let stopping = false;
  const worker = async (): Promise<void> => {
    while (!stopping) {
      const response = await fetch(new URL('/bookings', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(next()),
      });
      results.push(toResult(response.status, await response.json()));
    }
  };
  const workers = Promise.all(Array.from({ length: concurrency }, worker));
  return {
    results,
    stop: async () => {
      stopping = true;
      await workers;
      return results;
    },
  };
}
