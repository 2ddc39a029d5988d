import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createCanaryMetrics } from './canary-metrics.js';
import { BOOKING_CONFIG } from './test-helpers/events.js';
import { createFakeRouter } from './test-helpers/fake-router.js';
import { sampleValue, samples } from './test-helpers/read-metric.js';

let registry: Registry;
afterEach(() => {
  registry.clear();
});

function setup() {
  registry = new Registry();
  const router = createFakeRouter(BOOKING_CONFIG);
  createCanaryMetrics({ registry }).attach(router);
  return router;
}

const outcomes = (success: number, error = 0, cancelled = 0) => ({ success, error, fallback: 0, cancelled });

describe('the cascade series (unit_agent_*)', () => {
  it('exist at zero for every arm of every route and every agent route of the config', async () => {
    setup();
    const routes = Object.keys(BOOKING_CONFIG.routes);
    const cost = await samples(registry, 'model_canary_unit_agent_cost_usd_total');
    expect(new Set(cost.map((s) => s.labels.agent_route))).toEqual(new Set(routes));
    expect(await sampleValue(registry, 'model_canary_unit_agent_cost_usd_total', { route: 'orchestrator', arm: 'canary', agent_route: 'specialist' })).toBe(0);
    expect(await sampleValue(registry, 'model_canary_unit_agent_calls_total', { route: 'orchestrator', arm: 'control', agent_route: 'specialist', outcome: 'cancelled' })).toBe(0);
  });

  it("split a unit's cost and calls by agent route under the arm the orchestrator gave it", async () => {
    const router = setup();
    router.emit('unit', {
      outcome: 'failure',
      durationMs: 4000,
      costUsd: 0.016,
      routes: [
        { route: 'orchestrator', arm: 'canary', mixedArms: false, costUsd: 0.01, outcomes: outcomes(1) },
        { route: 'specialist', arm: 'control', mixedArms: false, costUsd: 0.006, outcomes: outcomes(1, 1, 1) },
      ],
    });
    const value = (name: string, labels: Record<string, string>) => sampleValue(registry, name, labels);
    expect(await value('model_canary_unit_agent_cost_usd_total', { route: 'orchestrator', arm: 'canary', agent_route: 'orchestrator' })).toBe(0.01);
    expect(await value('model_canary_unit_agent_cost_usd_total', { route: 'orchestrator', arm: 'canary', agent_route: 'specialist' })).toBe(0.006);
    expect(await value('model_canary_unit_agent_cost_usd_total', { route: 'orchestrator', arm: 'control', agent_route: 'specialist' })).toBe(0);
    expect(await value('model_canary_unit_agent_calls_total', { route: 'orchestrator', arm: 'canary', agent_route: 'specialist', outcome: 'success' })).toBe(1);
    expect(await value('model_canary_unit_agent_calls_total', { route: 'orchestrator', arm: 'canary', agent_route: 'specialist', outcome: 'error' })).toBe(1);
    expect(await value('model_canary_unit_agent_calls_total', { route: 'orchestrator', arm: 'canary', agent_route: 'specialist', outcome: 'cancelled' })).toBe(1);
    // The specialist route's own arm sees the same unit too.
    expect(await value('model_canary_unit_agent_cost_usd_total', { route: 'specialist', arm: 'control', agent_route: 'orchestrator' })).toBe(0.01);
  });

  it('leave out a unit whose calls on the route landed on two arms', async () => {
    const router = setup();
    router.emit('unit', {
      outcome: 'success',
      durationMs: 1000,
      costUsd: 0.01,
      routes: [{ route: 'orchestrator', arm: 'canary', mixedArms: true, costUsd: 0.01, outcomes: outcomes(2) }],
    });
    const nonZero = (await samples(registry, 'model_canary_unit_agent_cost_usd_total')).filter((s) => s.value !== 0);
    expect(nonZero).toEqual([]);
  });
});
