import { pct, usd } from '../charts/format.js';
import { armColours } from '../charts/theme.js';
import type { AgentRow } from '../data/cascade.js';
import type { Block, Section } from '../section.js';
import { facetChart } from './facet-chart.js';

/** One arm of one route and the cascade of the bookings it was given. */
export interface ArmCascade {
  readonly route: string;
  readonly arm: string;
  readonly agents: readonly AgentRow[];
}

/** Agent types in colours no arm uses, in the order a booking calls them. */
const AGENT_COLOURS: Record<string, string> = { orchestrator: '#3B528B', specialist: '#21918C', verifier: '#B5A3D6' };

function agentColours(agents: readonly string[]): { domain: string[]; range: string[] } {
  const domain = Object.keys(AGENT_COLOURS).filter((a) => agents.includes(a)).concat([...new Set(agents)].filter((a) => !(a in AGENT_COLOURS)));
  return { domain, range: domain.map((a) => AGENT_COLOURS[a] ?? '#9CA3AF') };
}

/** Vega-Lite has no NaN: a missing value is null (drawn as nothing). */
const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Per arm of each route, what the bookings it was given cost on every agent type, and how those calls ended. */
export function cascadeSection(all: readonly ArmCascade[], source: string): Section {
  // A route with one arm compares nothing; it is shown only when no route has a canary.
  const compared = all.filter((c) => all.some((o) => o.route === c.route && o.arm !== c.arm));
  const cascades = compared.length > 0 ? compared : all;
  const routes = [...new Set(cascades.map((c) => c.route))];
  const arms = armColours(cascades.map((c) => c.arm));
  const agents = agentColours(cascades.flatMap((c) => c.agents.map((a) => a.agent)));
  const column = { field: 'route', type: 'nominal', title: null, sort: routes, header: { labelFontWeight: 600 } } as const;
  const rows = cascades.flatMap((c) => c.agents.map((a) => ({ route: c.route, arm: c.arm, agent: a.agent, order: agents.domain.indexOf(a.agent), cost: num(a.costPerBooking), callsPerBooking: num(a.callsPerBooking), success: num(a.callSuccessRate) })));
  const blocks: Block[] = [{
    kind: 'table',
    head: ['route', 'arm', 'agent type', 'cost / booking', 'calls / booking', 'call success'],
    numeric: [3, 4, 5],
    rows: cascades.flatMap((c) => c.agents.map((a) => [c.route, c.arm, a.agent, usd(a.costPerBooking), Number.isFinite(a.callsPerBooking) ? a.callsPerBooking.toFixed(2) : '—', pct(a.callSuccessRate)])),
    caption: 'Call success: calls that succeeded over those that ended (cancelled calls left out).',
  }];

  const cost = rows.filter((r) => r.cost !== null);
  if (cost.length > 0) {
    blocks.push(facetChart('cascade-cost', 'Cost per booking by agent type (USD)', 'Mean USD per booking of each agent type’s calls, stacked, by the arm the route gave the booking: a dearer orchestrator can cost more, or less, downstream.', agents.domain, {
      data: { values: cost },
      facet: { column },
      resolve: { scale: { x: 'independent' } },
      spec: {
        width: 46 * Math.max(2, arms.domain.length), height: 220,
        mark: { type: 'bar', opacity: 0.9 },
        encoding: {
          x: { field: 'arm', type: 'nominal', title: null, sort: arms.domain, axis: { labelAngle: 0 } },
          y: { field: 'cost', type: 'quantitative', title: 'USD per booking', stack: 'zero', axis: { format: '$.3f' } },
          color: { field: 'agent', type: 'nominal', title: 'agent type', scale: agents },
          order: { field: 'order' },
        },
      },
    }));
  }

  const success = rows.filter((r) => r.success !== null);
  if (success.length > 0) {
    blocks.push(facetChart('cascade-success', 'Call success by agent type', 'Share of each agent type’s calls that succeeded, by the arm the route gave the booking: whether the canary’s plans make the specialist and the verifier fail more.', arms.domain, {
      data: { values: success },
      facet: { column },
      spec: {
        width: 70 * Math.max(2, agents.domain.length), height: 200,
        mark: { type: 'bar', opacity: 0.85 },
        encoding: {
          x: { field: 'agent', type: 'nominal', title: 'agent type', sort: agents.domain, axis: { labelAngle: 0 } },
          xOffset: { field: 'arm', type: 'nominal', sort: arms.domain },
          y: { field: 'success', type: 'quantitative', title: 'calls that succeeded', axis: { format: '.0%' } },
          color: { field: 'arm', type: 'nominal', title: 'arm', scale: arms },
        },
      },
    }));
  }

  return {
    id: 'cascade',
    title: 'The agent cascade',
    intro: `What a booking costs on each agent type, and how often those calls succeed, by the arm a route with several arms gave the booking, read from ${source}.`,
    blocks,
  };
}
