import { select, sumOf, type Exposition } from './prom-text.js';

/** The metrics package's cascade series: each agent route's calls and cost per unit, under the unit's arm. */
export const CASCADE_METRIC = {
  cost: 'model_canary_unit_agent_cost_usd_total',
  calls: 'model_canary_unit_agent_calls_total',
  units: 'model_canary_units_total',
} as const;

/** One agent type (route) of the bookings of one arm of the compared route. */
export interface AgentRow {
  readonly agent: string;
  readonly costPerBooking: number;
  readonly callsPerBooking: number;
  /** Calls that succeeded over those not cancelled (NaN without any). */
  readonly callSuccessRate: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);

/** Each agent route's share of the bookings `route` gave `arm`, in the order the scrape lists them. */
export function cascadeOf(exposition: Exposition, route: string, arm: string): AgentRow[] {
  const agents = [...new Set(select(exposition, CASCADE_METRIC.cost, { route, arm }).flatMap((s) => (s.labels.agent_route === undefined ? [] : [s.labels.agent_route])))];
  const bookings = sumOf(exposition, CASCADE_METRIC.units, { route, arm });
  return agents.map((agent) => {
    const by = { route, arm, agent_route: agent };
    const calls = sumOf(exposition, CASCADE_METRIC.calls, by);
    return {
      agent,
      costPerBooking: ratio(sumOf(exposition, CASCADE_METRIC.cost, by), bookings),
      callsPerBooking: ratio(calls, bookings),
      callSuccessRate: ratio(sumOf(exposition, CASCADE_METRIC.calls, { ...by, outcome: 'success' }), calls - sumOf(exposition, CASCADE_METRIC.calls, { ...by, outcome: 'cancelled' })),
    };
  });
}

/**
 * Where the cost difference per booking between two arms comes from: the compared route's own calls (the
 * orchestrator call itself) and the rest of the cascade, each agent route named. Null without the series.
 */
export function cascadeSplit(route: string, dear: { readonly arm: string; readonly agents: readonly AgentRow[] }, cheap: { readonly arm: string; readonly agents: readonly AgentRow[] }): string | null {
  const costOf = (agents: readonly AgentRow[], agent: string): number => agents.find((a) => a.agent === agent)?.costPerBooking ?? 0;
  const names = [...new Set([...dear.agents, ...cheap.agents].map((a) => a.agent))];
  const deltas = names.map((agent) => ({ agent, delta: costOf(dear.agents, agent) - costOf(cheap.agents, agent) })).filter((d) => Number.isFinite(d.delta));
  const total = deltas.reduce((sum, d) => sum + d.delta, 0);
  if (deltas.length === 0 || total === 0 || !Number.isFinite(total)) return null;
  const own = deltas.find((d) => d.agent === route)?.delta ?? 0;
  const signed = (x: number): string => `${x < 0 ? '-' : '+'}$${Math.abs(x).toFixed(4)}`;
  const share = (x: number): string => `${Math.round((x / total) * 100)}%`;
  const rest = deltas.filter((d) => d.agent !== route);
  const restTotal = total - own;
  const parts = rest.map((d) => `${d.agent} ${signed(d.delta)}`).join(', ');
  return `of the ${signed(total)} per booking of ${dear.arm} over ${cheap.arm}, the ${route} call itself is ${signed(own)} (${share(own)}) and the cascade ${signed(restTotal)} (${share(restTotal)}${parts === '' ? '' : `: ${parts}`})`;
}
