import { Counter, type Registry } from 'prom-client';
import { CALL_OUTCOME_VALUES, foldInto } from './label-values.js';
import type { SourceUnitEvent } from './source.js';

/**
 * The cascade of a unit: what each route's calls (each agent type) cost and how they ended, under the arm
 * another route gave the unit. With `route="orchestrator"` and `agent_route="verifier"`, it answers how the
 * orchestrator's model changes what the verifier spends and how often it succeeds. Labels come from the
 * config only (routes × arms × routes × outcomes), so they stay bounded. A unit whose calls on `route`
 * landed on two arms is left out of that route's rows, as in `unit_cost_usd`.
 *
 * - `<prefix>unit_agent_cost_usd_total{route,arm,agent_route}`: USD of the unit's calls on `agent_route`.
 * - `<prefix>unit_agent_calls_total{route,arm,agent_route,outcome}`: those calls by final outcome.
 */
export interface UnitCascade {
  /** Series at 0 for one arm of `route` and every agent route of the config (idempotent). */
  zero(route: string, arm: string, agentRoutes: readonly string[]): void;
  /** Records one ended unit; `label` maps a route (and an arm of it) to its bounded label value. */
  observe(event: SourceUnitEvent, label: { route(route: string): string; arm(route: string, arm: string): string }): void;
}

export function createUnitCascade(registry: Registry, prefix: string): UnitCascade {
  const cost = new Counter({
    name: `${prefix}unit_agent_cost_usd_total`,
    help: 'USD of the calls a unit (booking) made on agent_route, under the arm route assigned the unit.',
    labelNames: ['route', 'arm', 'agent_route'] as const,
    registers: [registry],
  });
  const calls = new Counter({
    name: `${prefix}unit_agent_calls_total`,
    help: 'Calls a unit (booking) made on agent_route, by final outcome, under the arm route assigned the unit.',
    labelNames: ['route', 'arm', 'agent_route', 'outcome'] as const,
    registers: [registry],
  });
  return {
    zero(route, arm, agentRoutes) {
      for (const agent_route of agentRoutes) {
        cost.labels({ route, arm, agent_route }).inc(0);
        for (const outcome of CALL_OUTCOME_VALUES) calls.labels({ route, arm, agent_route, outcome }).inc(0);
      }
    },
    observe(event, label) {
      for (const by of event.routes) {
        if (by.mixedArms) continue;
        const route = label.route(by.route);
        const arm = label.arm(by.route, by.arm);
        for (const agent of event.routes) {
          const agent_route = label.route(agent.route);
          if (agent.costUsd !== undefined && agent.costUsd > 0) cost.labels({ route, arm, agent_route }).inc(agent.costUsd);
          for (const [outcome, n] of Object.entries(agent.outcomes ?? {})) {
            if (n > 0) calls.labels({ route, arm, agent_route, outcome: foldInto(CALL_OUTCOME_VALUES, outcome) }).inc(n);
          }
        }
      }
    },
  };
}
