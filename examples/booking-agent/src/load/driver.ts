import { createBookingGenerator, type BookingBody } from './generate.js';

/** What the driver itself saw: every request sent is either answered (by status) or lost. */
export interface LoadCounts {
  sent: number;
  /** HTTP status → count. */
  answered: Record<string, number>;
  /** Requests that got no HTTP answer (connection refused, reset, timeout), by error message. */
  lost: Record<string, number>;
  /** Answered bookings per arm, as the service reported it (`arm`, or `error.arm` of a failed booking). */
  byArm: Record<string, number>;
  durationMs: number;
}

export interface LoadOptions {
  /** Base URL of a running booking service, e.g. http://127.0.0.1:3000. */
  url: string;
  total: number;
  concurrency: number;
  seed?: string | number;
  /** Per-request timeout; a booking not answered by then counts as lost. */
  timeoutMs?: number;
  /** Called after every answered or lost request (progress bars). */
  onDone?: (counts: LoadCounts) => void;
  now?: () => number;
}

async function sendOne(url: string, body: BookingBody, timeoutMs: number): Promise<{ status: number; arm?: string }> {
  const response = await fetch(new URL('/bookings', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let arm: string | undefined;
  try {
    const parsed = JSON.parse(text) as { arm?: unknown; error?: { arm?: unknown } };
    const reported = parsed.arm ?? parsed.error?.arm;
    if (typeof reported === 'string') arm = reported;
  } catch {
    // a non-JSON answer still counts by its status
  }
  return arm === undefined ? { status: response.status } : { status: response.status, arm };
}

/** Sends `total` generated bookings with at most `concurrency` in flight and counts what came back. */
export async function runLoad({ url, total, concurrency, seed = 1, timeoutMs = 120_000, onDone, now = Date.now }: LoadOptions): Promise<LoadCounts> {
  const next = createBookingGenerator(seed);
  const bodies = Array.from({ length: total }, () => next());
  const counts: LoadCounts = { sent: 0, answered: {}, lost: {}, byArm: {}, durationMs: 0 };
  const started = now();
  let index = 0;
  const worker = async (): Promise<void> => {
    while (index < bodies.length) {
      const body = bodies[index++] as BookingBody;
      counts.sent++;
      try {
        const { status, arm } = await sendOne(url, body, timeoutMs);
        counts.answered[status] = (counts.answered[status] ?? 0) + 1;
        if (arm !== undefined) counts.byArm[arm] = (counts.byArm[arm] ?? 0) + 1;
      } catch (error) {
        const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        counts.lost[reason] = (counts.lost[reason] ?? 0) + 1;
      }
      onDone?.(counts);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, worker));
  counts.durationMs = now() - started;
  return counts;
}

export function answeredTotal(counts: LoadCounts): number {
  return Object.values(counts.answered).reduce((a, b) => a + b, 0);
}

export function lostTotal(counts: LoadCounts): number {
  return Object.values(counts.lost).reduce((a, b) => a + b, 0);
}

/** "sent 300, answered 300 (200: 291, 502: 6, 503: 3), lost 0, in 12.3 s (24.4/s)". */
export function describeCounts(counts: LoadCounts): string {
  const statuses = Object.entries(counts.answered)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  const lost = lostTotal(counts);
  const lostDetail = lost === 0 ? '' : ` (${Object.entries(counts.lost).map(([why, n]) => `${why}: ${n}`).join(', ')})`;
  const seconds = counts.durationMs / 1000;
  const rate = seconds > 0 ? ` (${(answeredTotal(counts) / seconds).toFixed(1)} bookings/s)` : '';
  return `sent ${counts.sent}, answered ${answeredTotal(counts)} (${statuses || 'none'}), lost ${lost}${lostDetail}, in ${seconds.toFixed(1)} s${rate}`;
}
