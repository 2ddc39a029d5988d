import { Agent, request } from 'node:http';
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
  /** 503 answers without an arm: bookings refused before they started (overloaded, shutting down). */
  refused: { count: number; withoutRetryAfter: number; p50Ms: number; p95Ms: number; slowestMs: number };
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

interface Answer {
  status: number;
  arm?: string;
  retryAfter: boolean;
  /** From the request fully sent to the response's head: the service's time to answer, not the driver's queue. */
  ms: number;
}

function sendOne(url: string, body: BookingBody, timeoutMs: number, agent: Agent, now: () => number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sentAt = now();
    const req = request(new URL('/bookings', url), { method: 'POST', agent, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      const ms = now() - sentAt;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', reject);
      res.on('end', () => {
        const answer: Answer = { status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] !== undefined, ms };
        const arm = armOf(text);
        resolve(arm === undefined ? answer : { ...answer, arm });
      });
    });
    req.on('finish', () => (sentAt = now()));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The arm the service reported: `arm`, or `error.arm` of a failed booking; a non-JSON answer has none. */
function armOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { arm?: unknown; error?: { arm?: unknown } };
    const reported = parsed.arm ?? parsed.error?.arm;
    return typeof reported === 'string' ? reported : undefined;
  } catch {
    return undefined;
  }
}

/** Sends `total` generated bookings with at most `concurrency` in flight and counts what came back. */
export async function runLoad({ url, total, concurrency, seed = 1, timeoutMs = 120_000, onDone, now = Date.now }: LoadOptions): Promise<LoadCounts> {
  const next = createBookingGenerator(seed);
  const bodies = Array.from({ length: total }, () => next());
  const counts: LoadCounts = { sent: 0, answered: {}, lost: {}, byArm: {}, refused: { count: 0, withoutRetryAfter: 0, p50Ms: 0, p95Ms: 0, slowestMs: 0 }, durationMs: 0 };
  const refusedMs: number[] = [];
  const started = now();
  // One connection per worker, kept alive between its bookings (a refusal closes its connection while draining).
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, concurrency) });
  let index = 0;
  const worker = async (): Promise<void> => {
    while (index < bodies.length) {
      const body = bodies[index++] as BookingBody;
      counts.sent++;
      try {
        const { status, arm, retryAfter, ms } = await sendOne(url, body, timeoutMs, agent, now);
        counts.answered[status] = (counts.answered[status] ?? 0) + 1;
        if (arm !== undefined) counts.byArm[arm] = (counts.byArm[arm] ?? 0) + 1;
        else if (status === 503) {
          counts.refused.count++;
          if (!retryAfter) counts.refused.withoutRetryAfter++;
          refusedMs.push(ms);
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        counts.lost[reason] = (counts.lost[reason] ?? 0) + 1;
      }
      onDone?.(counts);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, worker));
  } finally {
    agent.destroy();
  }
  counts.durationMs = now() - started;
  refusedMs.sort((a, b) => a - b);
  const at = (q: number): number => refusedMs[Math.min(refusedMs.length - 1, Math.floor(q * refusedMs.length))] ?? 0;
  counts.refused = { ...counts.refused, p50Ms: at(0.5), p95Ms: at(0.95), slowestMs: refusedMs.at(-1) ?? 0 };
  return counts;
}

export function answeredTotal(counts: LoadCounts): number {
  return Object.values(counts.answered).reduce((a, b) => a + b, 0);
}

export function lostTotal(counts: LoadCounts): number {
  return Object.values(counts.lost).reduce((a, b) => a + b, 0);
}

/** "sent 300, answered 300 (201: 291, 502: 6, 503: 3), lost 0, in 12.3 s (24.4 bookings/s)", and the refusals if any. */
export function describeCounts(counts: LoadCounts): string {
  const statuses = Object.entries(counts.answered)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  const lost = lostTotal(counts);
  const lostDetail = lost === 0 ? '' : ` (${Object.entries(counts.lost).map(([why, n]) => `${why}: ${n}`).join(', ')})`;
  const seconds = counts.durationMs / 1000;
  const rate = seconds > 0 ? ` (${(answeredTotal(counts) / seconds).toFixed(1)} bookings/s)` : '';
  const { refused } = counts;
  const refusals = refused.count === 0 ? '' : `; refused before starting ${refused.count} (503 in p50 ${Math.round(refused.p50Ms)} ms, p95 ${Math.round(refused.p95Ms)} ms, max ${Math.round(refused.slowestMs)} ms; ${refused.withoutRetryAfter} without retry-after)`;
  return `sent ${counts.sent}, answered ${answeredTotal(counts)} (${statuses || 'none'}), lost ${lost}${lostDetail}, in ${seconds.toFixed(1)} s${rate}${refusals}`;
}
