import Anthropic from '@anthropic-ai/sdk';
import { createJudge, createRouter } from '@model-canary/router';
import { startSimulator } from '@model-canary/simulator';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createCanaryMetrics } from './canary-metrics.js';
import { samples, sampleValue } from './test-helpers/read-metric.js';

const config = {
  routes: {
    orchestrator: {
      arms: [
        { name: 'canary', model: 'claude-sonnet-4-6', percent: 10 },
        { name: 'control', model: 'claude-haiku-4-5' },
      ],
      shadow: { model: 'claude-sonnet-4-6', percent: 100, budgetUsd: 0.02, maxInFlight: 2 },
    },
  },
};

describe('shadow and judge series', () => {
  it('exist at zero for a configured shadow and count calls, skips, cost, verdicts and judge cost', async () => {
    const sim = await startSimulator({ seed: 'shadow-metrics', timeScale: 0, baselineFaults: false });
    const client = new Anthropic({ apiKey: 'test', baseURL: sim.url, maxRetries: 0 });
    const router = createRouter({ config, client, judge: createJudge({ client, rubric: 'Better plans cover more.' }) });
    const registry = new Registry();
    createCanaryMetrics({ registry }).attach(router);
    const labels = { route: 'orchestrator', shadow_model: 'claude-sonnet-4-6' };
    try {
      expect(await sampleValue(registry, 'model_canary_shadow_skips_total', { ...labels, reason: 'budget' })).toBe(0);
      expect(await sampleValue(registry, 'model_canary_judgements_total', { ...labels, arm: 'control', verdict: 'tie' })).toBe(0);
      expect(await sampleValue(registry, 'model_canary_shadow_budget_usd', labels)).toBe(0.02);
      // the canary arm already runs the shadow model: it is never mirrored, so it has no series
      expect(await sampleValue(registry, 'model_canary_shadow_calls_total', { ...labels, arm: 'canary', outcome: 'success' })).toBeUndefined();

      for (let i = 0; i < 40; i++) {
        await router.messages.create({ max_tokens: 200, messages: [{ role: 'user', content: `book ${i}` }] }, { route: 'orchestrator', key: `b-${i}`, forceArm: 'control' });
      }
    } finally {
      await router.close();
      await sim.close();
    }
    const sent = await sampleValue(registry, 'model_canary_shadow_calls_total', { ...labels, arm: 'control', outcome: 'success' });
    const skipped = (await samples(registry, 'model_canary_shadow_skips_total')).reduce((n, s) => n + s.value, 0);
    expect(sent).toBeGreaterThan(0);
    expect((sent ?? 0) + skipped).toBe(40);
    expect(await sampleValue(registry, 'model_canary_shadow_skips_total', { ...labels, reason: 'budget' })).toBeGreaterThan(0);
    const spent = await sampleValue(registry, 'model_canary_shadow_cost_usd_total', labels);
    expect(spent).toBeGreaterThan(0);
    expect(await sampleValue(registry, 'model_canary_shadow_spent_usd', labels)).toBeCloseTo(spent ?? 0, 12);
    const verdicts = (await samples(registry, 'model_canary_judgements_total')).reduce((n, s) => n + s.value, 0);
    expect(verdicts).toBe(sent);
    expect(await sampleValue(registry, 'model_canary_judge_cost_usd_total', { ...labels, judge_model: 'claude-opus-4-7' })).toBeGreaterThan(0);
  });
});
