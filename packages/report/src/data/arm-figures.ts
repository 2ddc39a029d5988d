import type { Exposition } from '../prometheus/prom-text.js';
import { select, sumOf } from '../prometheus/prom-text.js';
import { bucketsOf, histogramQuantile, type Bucket } from '../prometheus/quantile.js';

/** What the report shows of one arm of one route, read from a `/metrics` scrape (or the difference of two). */
export interface ArmFigures {
  readonly route: string;
  readonly arm: string;
  readonly model: string;
  /** The arm's configured percent (`arm_percent`), null when the scrape has none. */
  readonly percent: number | null;
  readonly bookings: number;
  readonly bookingSuccesses: number;
  readonly calls: number;
  readonly callSuccesses: number;
  /** Calls per error class (`request_errors_total`), classes with no call left out. */
  readonly errors: Readonly<Record<string, number>>;
  /** Tokens per type (input, output, cache_read, …) over every call of the route. */
  readonly tokens: Readonly<Record<string, number>>;
  readonly costUsd: number;
  /** USD per ended booking (`unit_cost_usd` sum / count), NaN without bookings. */
  readonly costPerBooking: number;
  /** Cumulative buckets of the cost of a booking (USD). */
  readonly bookingCost: readonly Bucket[];
  /** Cumulative buckets of call latency (seconds), every outcome. */
  readonly callLatency: readonly Bucket[];
  /** Cumulative buckets of booking latency (seconds), when the app exports them. */
  readonly bookingLatency: readonly Bucket[];
  /** Call latency quantiles in seconds (PromQL's interpolation inside buckets). */
  readonly latency: { readonly p50: number; readonly p90: number; readonly p95: number; readonly p99: number };
}

const byLabel = (exposition: Exposition, name: string, filter: Record<string, string>, label: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const s of select(exposition, name, filter)) {
    const key = s.labels[label];
    if (key !== undefined) out[key] = (out[key] ?? 0) + s.value;
  }
  return out;
};

/** Routes and their arms, from the configured percents and from every series that names an arm. */
function armsByRoute(exposition: Exposition, prefix: string): Map<string, Map<string, { model: string; percent: number | null }>> {
  const routes = new Map<string, Map<string, { model: string; percent: number | null }>>();
  const add = (route: string | undefined, arm: string | undefined, model: string | undefined, percent: number | null): void => {
    if (route === undefined || arm === undefined) return;
    const arms = routes.get(route) ?? new Map<string, { model: string; percent: number | null }>();
    routes.set(route, arms);
    const known = arms.get(arm);
    if (known === undefined || (known.percent === null && percent !== null)) arms.set(arm, { model: model ?? known?.model ?? '?', percent });
  };
  for (const s of select(exposition, `${prefix}arm_percent`)) add(s.labels.route, s.labels.arm, s.labels.model, s.value);
  for (const s of select(exposition, `${prefix}requests_total`)) add(s.labels.route, s.labels.arm, s.labels.model, null);
  return routes;
}

/** Every arm of every route in the scrape, routes and arms in the order the scrape first names them. */
export function armFigures(exposition: Exposition, { prefix = 'model_canary_' }: { prefix?: string } = {}): ArmFigures[] {
  const out: ArmFigures[] = [];
  for (const [route, arms] of armsByRoute(exposition, prefix)) {
    for (const [arm, { model, percent }] of arms) {
      const f = { route, arm };
      const errors = byLabel(exposition, `${prefix}request_errors_total`, f, 'error_class');
      for (const [k, v] of Object.entries(errors)) if (v === 0) delete errors[k];
      const callLatency = bucketsOf(exposition, `${prefix}request_duration_seconds`, f);
      const q = (p: number): number => histogramQuantile(p, callLatency);
      const unitCostCount = sumOf(exposition, `${prefix}unit_cost_usd_count`, f);
      out.push({
        route, arm, model, percent,
        bookings: sumOf(exposition, `${prefix}units_total`, f),
        bookingSuccesses: sumOf(exposition, `${prefix}units_total`, { ...f, outcome: 'success' }),
        calls: sumOf(exposition, `${prefix}requests_total`, f),
        callSuccesses: sumOf(exposition, `${prefix}requests_total`, { ...f, outcome: 'success' }),
        errors,
        tokens: byLabel(exposition, `${prefix}tokens_total`, f, 'type'),
        costUsd: sumOf(exposition, `${prefix}cost_usd_total`, f),
        costPerBooking: unitCostCount === 0 ? Number.NaN : sumOf(exposition, `${prefix}unit_cost_usd_sum`, f) / unitCostCount,
        bookingCost: sorted(bucketsOf(exposition, `${prefix}unit_cost_usd`, f)),
        callLatency: sorted(callLatency),
        bookingLatency: sorted(bucketsOf(exposition, `${prefix}unit_duration_seconds`, f)),
        latency: { p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99) },
      });
    }
  }
  return out;
}

const sorted = (buckets: readonly Bucket[]): Bucket[] => [...buckets].sort((a, b) => a.le - b.le);
