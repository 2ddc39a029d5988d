import type { Exposition } from '../prometheus/prom-text.js';
import { select, sumOf } from '../prometheus/prom-text.js';

/** One agent type (route) of the bookings one arm of a route was given. */
export interface AgentRow {
  readonly agent: string;
  readonly costPerBooking: number;
  readonly callsPerBooking: number;
  /** Calls that succeeded over those not cancelled (NaN without any). */
  readonly callSuccessRate: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);

/**
 * Each agent route's share of the bookings `route` gave `arm` (the metrics package's `unit_agent_cost_usd_total`,
 * `unit_agent_calls_total` and `units_total`), in the order the scrape lists them; empty without the series.
 */
export function cascadeOf(exposition: Exposition, route: string, arm: string, { prefix = 'model_canary_' }: { prefix?: string } = {}): AgentRow[] {
  const [cost, calls, units] = [`${prefix}unit_agent_cost_usd_total`, `${prefix}unit_agent_calls_total`, `${prefix}units_total`];
  const agents = [...new Set(select(exposition, cost, { route, arm }).flatMap((s) => (s.labels.agent_route === undefined ? [] : [s.labels.agent_route])))];
  const bookings = sumOf(exposition, units, { route, arm });
  return agents.map((agent) => {
    const by = { route, arm, agent_route: agent };
    const n = sumOf(exposition, calls, by);
    return {
      agent,
      costPerBooking: ratio(sumOf(exposition, cost, by), bookings),
      callsPerBooking: ratio(n, bookings),
      callSuccessRate: ratio(sumOf(exposition, calls, { ...by, outcome: 'success' }), n - sumOf(exposition, calls, { ...by, outcome: 'cancelled' })),
    };
  });
}
