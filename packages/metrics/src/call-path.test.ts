// End to end inside one process: the real router's call path, the real Anthropic SDK, the simulator on
// 127.0.0.1, and these metrics. The counters must add up exactly to what was sent.
import Anthropic from '@anthropic-ai/sdk';
import { createRouter, type Router } from '@model-canary/router';
import { startSimulator } from '@model-canary/simulator';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanaryMetrics } from './canary-metrics.js';
import { samples, sampleValue } from './test-helpers/read-metric.js';

for (const name of Object.keys(process.env)) if (name.startsWith('ANTHROPIC_')) delete process.env[name];

const SONNET = 'claude-sonnet-4-6';
const HAIKU = 'claude-haiku-4-5';
const BOOKINGS = 40;

async function total(registry: Registry, metric: string, filter: Record<string, string> = {}): Promise<number> {
  return (await samples(registry, metric))
    .filter((s) => s.name === metric && Object.entries(filter).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('metrics of real calls through the router', () => {
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  let router: Router;
  const registry = new Registry();
  const arms: Record<string, number> = {};

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 'metrics', timeScale: 0, baselineFaults: false });
    const client = new Anthropic({ apiKey: 'sk-metrics-test', baseURL: simulator.url, maxRetries: 0 });
    router = createRouter({
      config: {
        routes: {
          orchestrator: {
            fallback: true,
            arms: [
              { name: 'canary', model: SONNET, percent: 30 },
              { name: 'control', model: HAIKU },
            ],
          },
        },
      },
      client,
      seed: 'metrics',
    });
    createCanaryMetrics({ registry }).attach(router);
    for (let i = 0; i < BOOKINGS; i += 1) {
      const booking = router.unit(`booking-${i}`);
      await booking.messages.create({ max_tokens: 1024, messages: [{ role: 'user', content: 'Book a table for two.' }] }, { route: 'orchestrator' });
      const summary = booking.end({ outcome: i % 5 === 0 ? 'failure' : 'success' });
      const arm = summary.routes[0]?.arm ?? 'none';
      arms[arm] = (arms[arm] ?? 0) + 1;
    }
  });

  afterAll(async () => {
    await router.close();
    await simulator.close();
  });

  it('counts every call, decision and booking exactly once, under its arm', async () => {
    expect(await total(registry, 'model_canary_requests_total')).toBe(BOOKINGS);
    expect(await total(registry, 'model_canary_decisions_total')).toBe(BOOKINGS);
    expect(await total(registry, 'model_canary_units_total')).toBe(BOOKINGS);
    for (const [arm, count] of Object.entries(arms)) {
      expect(await total(registry, 'model_canary_units_total', { arm })).toBe(count);
      expect(await total(registry, 'model_canary_requests_total', { arm })).toBe(count);
    }
    expect(await total(registry, 'model_canary_units_total', { outcome: 'failure' })).toBe(BOOKINGS / 5);
    expect(await sampleValue(registry, 'model_canary_in_flight', { route: 'orchestrator', arm: 'control' })).toBe(0);
  });

  it('records tokens and cost in USD per arm, and the cost of each booking', async () => {
    const control = { route: 'orchestrator', arm: 'control', model: HAIKU };
    expect(await sampleValue(registry, 'model_canary_tokens_total', { ...control, type: 'input' })).toBeGreaterThan(0);
    expect(await sampleValue(registry, 'model_canary_tokens_total', { ...control, type: 'output' })).toBeGreaterThan(0);
    const cost = (await sampleValue(registry, 'model_canary_cost_usd_total', control)) ?? 0;
    expect(cost).toBeGreaterThan(0);
    const bookingCost = (await sampleValue(registry, 'model_canary_unit_cost_usd_sum', { route: 'orchestrator', arm: 'control' })) ?? 0;
    expect(bookingCost).toBeCloseTo(cost, 9);
  });

  it('records time to first token for a streamed call', async () => {
    const stream = router.messages.stream({ max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] }, { route: 'orchestrator', forceArm: 'control' });
    await stream.finalMessage();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await sampleValue(registry, 'model_canary_time_to_first_token_seconds_count', { route: 'orchestrator', arm: 'control', model: HAIKU })).toBe(1);
  });

  it('counts a canary call served by the control model as a canary fallback, its tokens under the control model', async () => {
    const before = (await sampleValue(registry, 'model_canary_tokens_total', { route: 'orchestrator', arm: 'canary', model: HAIKU, type: 'input' })) ?? 0;
    simulator.setFaults([{ kind: 'overloaded', model: SONNET, count: 1 }]);
    const message = await router.messages.create({ max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] }, { route: 'orchestrator', forceArm: 'canary' });
    expect(message.model).toBe(HAIKU);
    expect(await sampleValue(registry, 'model_canary_requests_total', { route: 'orchestrator', arm: 'canary', model: SONNET, outcome: 'fallback' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_attempts_total', { route: 'orchestrator', arm: 'canary', model: SONNET, origin: 'primary', error_class: 'overloaded' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_attempts_total', { route: 'orchestrator', arm: 'canary', model: HAIKU, origin: 'fallback', error_class: 'none' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_tokens_total', { route: 'orchestrator', arm: 'canary', model: HAIKU, type: 'input' })).toBeGreaterThan(before);
  });

  it('never exposes a unit key or a request id in the scrape', async () => {
    const text = await registry.metrics();
    expect(text).not.toContain('booking-');
    expect(text).not.toMatch(/req_[A-Za-z0-9]/);
  });
});
