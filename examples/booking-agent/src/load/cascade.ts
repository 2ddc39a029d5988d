// The cascade's arithmetic lives in @model-canary/report (its report charts it); the demo's table reads the same.
import type { AgentRow } from '@model-canary/report';

export { cascadeOf } from '@model-canary/report';
export type { AgentRow } from '@model-canary/report';

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
