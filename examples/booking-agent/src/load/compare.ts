import { select, sumOf, type Exposition } from './prom-text.js';
import { cascadeOf, type AgentRow } from './cascade.js';
import { bucketsOf, histogramQuantile } from './quantile.js';

/** Metric names read back from `/metrics` (the metrics package's, and this app's own). */
export const METRIC = {
  units: 'model_canary_units_total',
  requests: 'model_canary_requests_total',
  requestDuration: 'model_canary_request_duration_seconds',
  tokens: 'model_canary_tokens_total',
  unitCost: 'model_canary_unit_cost_usd',
  unitDuration: 'model_canary_unit_duration_seconds',
  armPercent: 'model_canary_arm_percent',
  bookingTokens: 'booking_agent_booking_tokens_total',
} as const;

/** One arm of the compared route, as measured between two scrapes. */
export interface ArmRow {
  readonly arm: string;
  readonly model: string;
  readonly configuredPercent: number | null;
  readonly bookings: number;
  /** Share of this route's bookings that landed on the arm, in [0, 1]. */
  readonly split: number;
  readonly bookingSuccesses: number;
  readonly bookingSuccessRate: number;
  readonly calls: number;
  readonly callSuccessRate: number;
  /** Seconds: unit (booking) latency when exported, else the route's call latency. */
  readonly p50: number;
  readonly p95: number;
  readonly latencySource: 'booking' | 'call';
  /** Tokens of every call of the booking when the app exports them, else only this route's calls. */
  readonly tokenSource: 'booking' | 'route';
  readonly costPerBooking: number;
  readonly tokensPerBooking: number;
  /** Each agent type (route) of this arm's bookings: orchestrator, specialist, verifier (empty without the series). */
  readonly agents: readonly AgentRow[];
}

const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);

function armsOf(exposition: Exposition, route: string): Map<string, { model: string; percent: number | null }> {
  const arms = new Map<string, { model: string; percent: number | null }>();
  for (const s of select(exposition, METRIC.armPercent, { route })) {
    const arm = s.labels.arm;
    if (arm !== undefined) arms.set(arm, { model: s.labels.model ?? '?', percent: s.value });
  }
  for (const name of [METRIC.units, METRIC.requests]) {
    for (const s of select(exposition, name, { route })) {
      const arm = s.labels.arm;
      if (arm !== undefined && !arms.has(arm)) arms.set(arm, { model: s.labels.model ?? '?', percent: null });
    }
  }
  return arms;
}

/** Per-arm comparison of one route (the orchestrator by default) from a scrape or a diff of two. */
export function compareArms(exposition: Exposition, route = 'orchestrator'): ArmRow[] {
  const arms = armsOf(exposition, route);
  const totalBookings = sumOf(exposition, METRIC.units, { route });
  const hasUnitLatency = select(exposition, `${METRIC.unitDuration}_count`, { route }).length > 0;
  const hasBookingTokens = select(exposition, METRIC.bookingTokens).length > 0;
  return [...arms].map(([arm, { model, percent }]) => {
    const bookings = sumOf(exposition, METRIC.units, { route, arm });
    const bookingSuccesses = sumOf(exposition, METRIC.units, { route, arm, outcome: 'success' });
    // Calls the app cancelled (a failed booking's sibling specialists) are neither successes nor failures.
    const calls = sumOf(exposition, METRIC.requests, { route, arm }) - sumOf(exposition, METRIC.requests, { route, arm, outcome: 'cancelled' });
    const buckets = hasUnitLatency
      ? bucketsOf(exposition, METRIC.unitDuration, { route, arm })
      : bucketsOf(exposition, METRIC.requestDuration, { route, arm });
    const tokens = hasBookingTokens
      ? sumOf(exposition, METRIC.bookingTokens, { route, arm })
      : sumOf(exposition, METRIC.tokens, { route, arm });
    return {
      arm,
      model,
      configuredPercent: percent,
      bookings,
      split: ratio(bookings, totalBookings),
      bookingSuccesses,
      bookingSuccessRate: ratio(bookingSuccesses, bookings),
      calls,
      callSuccessRate: ratio(sumOf(exposition, METRIC.requests, { route, arm, outcome: 'success' }), calls),
      p50: histogramQuantile(0.5, buckets),
      p95: histogramQuantile(0.95, buckets),
      latencySource: hasUnitLatency ? 'booking' : 'call',
      tokenSource: hasBookingTokens ? 'booking' : 'route',
      costPerBooking: ratio(sumOf(exposition, `${METRIC.unitCost}_sum`, { route, arm }), sumOf(exposition, `${METRIC.unitCost}_count`, { route, arm })),
      tokensPerBooking: ratio(tokens, bookings),
      agents: cascadeOf(exposition, route, arm),
    };
  });
}
