import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one arm does per hour: the fake's counters grow at this rate from the first time queried after `set`. */
export interface FakeArm {
  readonly success: number;
  readonly failure: number;
  readonly invalid: number;
  readonly costPerBooking: number;
  readonly latencySeconds: number;
  readonly overloaded?: number;
  /** Bookings the router closed as `abandoned` (at shutdown): in units_total, never a result. */
  readonly abandoned?: number;
  /** Bookings the router closed as `expired` (never ended by the app within its unit timeout): a failed result. */
  readonly expired?: number;
  /** Calls the application cancelled (outcome `cancelled` in requests_total): no call of the model's to judge. */
  readonly cancelled?: number;
  /** Judge verdicts per hour on shadow calls of answers this arm served (issue 16). */
  readonly judgements?: { readonly candidate_better: number; readonly served_better: number; readonly tie: number; readonly judge_error?: number };
}

export interface FakePrometheus {
  readonly url: string;
  /**
   * Arms by name; `null` answers 503 (Prometheus down); an empty object answers no series. Counters are 0 at the
   * first query time after this call and grow linearly with the query's `time`, at the figures per hour.
   */
  set(arms: Record<string, FakeArm> | null): void;
  readonly queries: string[];
  close(): Promise<void>;
}

const LATENCY_EDGES = [0.5, 1, 2, 5, 10];
const COST_EDGES = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05];

/** A real HTTP server on 127.0.0.1:0 answering `/api/v1/query` like Prometheus, from per-arm figures. */
export async function startFakePrometheus(): Promise<FakePrometheus> {
  let arms: Record<string, FakeArm> | null = {};
  let since: number | null = null;
  const queries: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = url.searchParams.get('query') ?? '';
    queries.push(query);
    if (arms === null) {
      res.writeHead(503).end('down');
      return;
    }
    const result: { metric: Record<string, string>; value: [number, string] }[] = [];
    const at = Number(url.searchParams.get('time') ?? Date.now() / 1000) * 1000;
    since ??= at;
    const hours = Math.max(0, at - since) / 3_600_000;
    const push = (metric: Record<string, string>, v: number): void => {
      result.push({ metric, value: [at / 1000, String(v * hours)] });
    };
    for (const [arm, a] of Object.entries(arms)) {
      const n = a.success + a.failure + a.invalid + (a.expired ?? 0);
      // Every unit that ended, abandoned ones too, is in the cost histogram.
      const units = n + (a.abandoned ?? 0);
      if (query.includes('units_total')) {
        push({ arm, outcome: 'success' }, a.success);
        push({ arm, outcome: 'failure' }, a.failure);
        push({ arm, outcome: 'invalid' }, a.invalid);
        if (a.abandoned !== undefined) push({ arm, outcome: 'abandoned' }, a.abandoned);
        if (a.expired !== undefined) push({ arm, outcome: 'expired' }, a.expired);
      } else if (query.includes('unit_assignments_total')) push({ arm }, n);
      else if (query.includes('requests_total')) push({ arm }, n + (query.includes('outcome!="cancelled"') ? 0 : (a.cancelled ?? 0)));
      else if (query.includes('request_errors_total')) push({ arm, error_class: 'refusal' }, 0);
      else if (query.includes('attempts_total')) push({ arm, error_class: 'overloaded' }, a.overloaded ?? 0);
      else if (query.includes('unit_cost_usd_sum')) push({ arm }, units * a.costPerBooking);
      else if (query.includes('unit_cost_usd_bucket')) for (const le of [...COST_EDGES, Number.POSITIVE_INFINITY]) push({ arm, le: Number.isFinite(le) ? String(le) : '+Inf' }, a.costPerBooking <= le ? units : 0);
      else if (query.includes('judgements_total')) for (const [verdict, v] of Object.entries(a.judgements ?? {})) push({ arm, verdict }, v);
      else if (query.includes('request_duration_seconds_bucket')) for (const le of [...LATENCY_EDGES, Number.POSITIVE_INFINITY]) push({ arm, le: Number.isFinite(le) ? String(le) : '+Inf' }, a.latencySeconds <= le ? n : 0);
    }
    if (query.includes('unit_mixed_arms_total') && Object.keys(arms).length > 0) push({ outcome: 'success' }, 2);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set(next) {
      arms = next;
      since = null;
    },
    queries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
