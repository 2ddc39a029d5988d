import { bucketLabel, int, pct, secs, usd } from '../charts/format.js';
import { armColours } from '../charts/theme.js';
import type { ArmFigures } from '../data/arm-figures.js';
import { wilson95 } from '../data/wilson.js';
import type { Bucket } from '../prometheus/quantile.js';
import type { Block, Section } from '../section.js';
import { facetChart } from './facet-chart.js';

/** Token types in colours no arm uses, each type its own colour whichever types a scrape has. */
const TOKEN_COLOURS: Record<string, string> = { input: '#3B528B', output: '#5EC962', cache_read: '#21918C', cache_write_5m: '#B5A3D6', cache_write_1h: '#7A5195' };

function tokenColours(types: readonly string[]): { domain: string[]; range: string[] } {
  const domain = Object.keys(TOKEN_COLOURS).filter((t) => types.includes(t)).concat([...new Set(types)].filter((t) => !(t in TOKEN_COLOURS)));
  return { domain, range: domain.map((t) => TOKEN_COLOURS[t] ?? '#9CA3AF') };
}

const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);
/** Vega-Lite has no NaN: a missing value is null (drawn as nothing). */
const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The arms side by side, every route (one facet column per route): success, cost, latency, tokens, errors. */
export function armsSection(arms: readonly ArmFigures[], source: string): Section {
  const colour = { field: 'arm', type: 'nominal', title: 'arm', scale: armColours(arms.map((a) => a.arm)) } as const;
  const routes = [...new Set(arms.map((a) => a.route))];
  const names = [...new Set(arms.map((a) => a.arm))];
  const column = { field: 'route', type: 'nominal', title: null, sort: routes, header: { labelFontWeight: 600 } } as const;
  const row = { ...column, header: { labelFontWeight: 600, labelAngle: 0, labelAlign: 'left' } } as const;
  const armLabel = (a: ArmFigures): string => `${a.arm} (${a.model})`;
  const blocks: Block[] = [];

  blocks.push({
    kind: 'table',
    head: ['route', 'arm', 'model', 'percent', 'bookings', 'booking success', 'calls', 'call success', 'cost / booking', 'p50', 'p95', 'p99'],
    numeric: [3, 4, 5, 6, 7, 8, 9, 10, 11],
    rows: arms.map((a) => [a.route, a.arm, a.model, a.percent === null ? '—' : `${a.percent}%`, int(a.bookings), pct(ratio(a.bookingSuccesses, a.bookings)),
      int(a.calls), pct(ratio(a.callSuccesses, a.calls)), usd(a.costPerBooking), secs(a.latency.p50), secs(a.latency.p95), secs(a.latency.p99)]),
    caption: 'Latency: call latency on the route, quantiles interpolated inside the histogram buckets as PromQL does.',
  });

  const success = arms.filter((a) => a.bookings > 0).map((a) => {
    const ci = wilson95(a.bookingSuccesses, a.bookings);
    return { route: a.route, arm: a.arm, label: armLabel(a), rate: a.bookingSuccesses / a.bookings, lower: ci.lower, upper: ci.upper, bookings: a.bookings };
  });
  if (success.length > 0) {
    blocks.push(facetChart('booking-success', 'Booking success rate', 'Share of ended bookings that succeeded, with a 95% Wilson interval (a fixed-sample interval, for reading; the controller decides on its own sequential intervals).', names, {
      data: { values: success },
      facet: { column },
      resolve: { scale: { x: 'independent' } },
      spec: {
        width: 46 * Math.max(2, names.length), height: 220,
        layer: [
          { mark: { type: 'bar', opacity: 0.85 }, encoding: { x: { field: 'arm', type: 'nominal', title: null, sort: colour.scale.domain, axis: { labelAngle: 0 } }, y: { field: 'rate', type: 'quantitative', title: 'bookings that succeeded', axis: { format: '.0%' } }, color: colour } },
          { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x: { field: 'arm', type: 'nominal', sort: colour.scale.domain }, y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' }, color: { value: '#111827' } } },
          { mark: { type: 'text', dy: -8, baseline: 'bottom', fontSize: 10 }, encoding: { x: { field: 'arm', type: 'nominal', sort: colour.scale.domain }, y: { field: 'upper', type: 'quantitative' }, text: { field: 'rate', type: 'quantitative', format: '.1%' } } },
        ],
      },
    }));
  }

  const cost = arms.filter((a) => Number.isFinite(a.costPerBooking)).map((a) => ({ route: a.route, arm: a.arm, cost: a.costPerBooking }));
  if (cost.length > 0) {
    blocks.push(facetChart('cost-per-booking', 'Cost per booking (USD)', 'Mean USD of a booking’s calls on the route (fallback attempts included), from the unit cost histogram’s sum and count.', names, {
      data: { values: cost },
      facet: { column },
      resolve: { scale: { x: 'independent', y: 'independent' } },
      spec: {
        width: 46 * Math.max(2, names.length), height: 220,
        layer: [
          { mark: { type: 'bar', opacity: 0.85 }, encoding: { x: { field: 'arm', type: 'nominal', title: null, sort: colour.scale.domain, axis: { labelAngle: 0 } }, y: { field: 'cost', type: 'quantitative', title: 'USD per booking', axis: { format: '$.3f' } }, color: colour } },
          { mark: { type: 'text', dy: -4, baseline: 'bottom', fontSize: 10 }, encoding: { x: { field: 'arm', type: 'nominal', sort: colour.scale.domain }, y: { field: 'cost', type: 'quantitative' }, text: { field: 'cost', type: 'quantitative', format: '$.4f' } } },
        ],
      },
    }));
  }

  /** Bars of each arm's share per histogram bucket, one facet row per route. */
  const distributionChart = (id: string, title: string, caption: string, values: readonly { bucket: string }[], axis: { x: string; y: string }): Block => facetChart(id, title, caption, names, {
    data: { values },
    facet: { row },
    spec: {
      // About 66 px a bucket, so that labels fit and a chart with few buckets stays narrow.
      width: Math.min(660, 66 * new Set(values.map((v) => v.bucket)).size), height: 130,
      mark: { type: 'bar', opacity: 0.85 },
      encoding: {
        x: { field: 'bucket', type: 'ordinal', title: axis.x, sort: { field: 'order' }, axis: { labelAngle: 0 } },
        xOffset: { field: 'arm', type: 'nominal', sort: colour.scale.domain },
        y: { field: 'share', type: 'quantitative', title: axis.y, axis: { format: '.0%' } },
        color: colour,
      },
    },
  });

  const costShares = distribution(arms, (a) => a.bookingCost, 'USD');
  if (costShares.length > 0) {
    blocks.push(distributionChart('booking-cost-distribution', 'Cost per booking: distribution', 'Share of each arm’s bookings per cost bucket (USD of the booking’s calls on the route): a higher mean from a few expensive bookings looks different from a shift of them all.',
      costShares, { x: 'cost of a booking (upper bound of the bucket)', y: 'share of bookings' }));
  }

  const quantiles = arms.flatMap((a) => (['p50', 'p90', 'p95', 'p99'] as const).map((q) => ({ route: a.route, arm: a.arm, quantile: q, seconds: num(a.latency[q]) })))
    .filter((d) => d.seconds !== null);
  if (quantiles.length > 0) {
    blocks.push(facetChart('latency-quantiles', 'Call latency percentiles (seconds)', 'p50 to p99 of one model call on the route, every outcome, interpolated inside the latency histogram’s buckets.', names, {
      data: { values: quantiles },
      facet: { column },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 190, height: 220,
        mark: { type: 'bar', opacity: 0.85 },
        encoding: {
          x: { field: 'quantile', type: 'ordinal', title: 'percentile', sort: ['p50', 'p90', 'p95', 'p99'], axis: { labelAngle: 0 } },
          xOffset: { field: 'arm', type: 'nominal', sort: colour.scale.domain },
          y: { field: 'seconds', type: 'quantitative', title: 'seconds' },
          color: colour,
        },
      },
    }));
  }

  const latency = distribution(arms, (a) => a.callLatency, 's');
  if (latency.length > 0) {
    blocks.push(distributionChart('latency-distribution', 'Call latency distribution', 'Share of each arm’s calls per latency bucket (the histogram Prometheus stores): shapes compare even when the arms’ call counts differ tenfold.',
      latency, { x: 'call latency (upper bound of the bucket)', y: 'share of calls' }));
  }

  const tokens = arms.flatMap((a) => Object.entries(a.tokens).filter(([, v]) => v > 0).map(([type, v]) => ({ route: a.route, arm: a.arm, type, perCall: v / Math.max(1, a.calls) })));
  if (tokens.length > 0) {
    blocks.push(facetChart('token-mix', 'Token mix per call', 'Tokens of an average call by type: what an arm reads (input, cache reads) and writes (output) drives its price.', names, {
      data: { values: tokens },
      resolve: { scale: { y: 'independent' } },
      facet: { row },
      spec: {
        width: 420, height: { step: 22 },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'arm', type: 'nominal', title: null, sort: colour.scale.domain },
          x: { field: 'perCall', type: 'quantitative', title: 'tokens per call', stack: 'zero' },
          color: { field: 'type', type: 'nominal', title: 'token type', scale: tokenColours(tokens.map((t) => t.type)) },
          order: { field: 'type' },
        },
      },
    }));
  }

  const errors = arms.flatMap((a) => Object.entries(a.errors).map(([errorClass, n]) => ({ route: a.route, arm: a.arm, errorClass, perThousand: (1000 * n) / Math.max(1, a.calls) })));
  if (errors.length > 0) {
    blocks.push(facetChart('error-classes', 'Failed calls by error class', 'Calls that ended in an error, per 1,000 calls of the arm. Capacity errors (rate_limit, overloaded, server, timeout, connection) say nothing of the model; refusal, max_tokens and invalid output do.', names, {
      data: { values: errors },
      facet: { column },
      spec: {
        width: 240, height: { step: 14 },
        mark: { type: 'bar', opacity: 0.85 },
        encoding: {
          y: { field: 'errorClass', type: 'nominal', title: null },
          yOffset: { field: 'arm', type: 'nominal', sort: colour.scale.domain },
          x: { field: 'perThousand', type: 'quantitative', title: 'per 1,000 calls' },
          color: colour,
        },
      },
    }));
  } else {
    blocks.push({ kind: 'note', text: 'No call ended in an error on any arm: there is no error-class chart.' });
  }

  return {
    id: 'arms',
    title: 'The arms side by side',
    intro: `Every route and arm in ${source}. Arms keep one colour throughout the report: ${colour.scale.domain.join(', ')}.`,
    blocks,
  };
}

/** Per-bucket shares of each arm, keeping the buckets between the first and last that any arm uses. */
function distribution(arms: readonly ArmFigures[], buckets: (a: ArmFigures) => readonly Bucket[], unit: 's' | 'USD'): { route: string; arm: string; bucket: string; order: number; share: number }[] {
  const rows = arms.flatMap((a) => {
    const b = buckets(a);
    const total = b.at(-1)?.count ?? 0;
    if (total === 0) return [];
    return b.map((bucket, i) => ({ route: a.route, arm: a.arm, bucket: bucketLabel(bucket.le, b[i - 1]?.le, unit), order: i, share: (bucket.count - (b[i - 1]?.count ?? 0)) / total }));
  });
  const used = rows.filter((r) => r.share > 0).map((r) => r.order);
  const [first, last] = [Math.min(...used), Math.max(...used)];
  return rows.filter((r) => r.order >= first && r.order <= last);
}
