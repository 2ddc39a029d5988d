import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRouter, type Router } from '@model-canary/router';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanaryMetrics } from './canary-metrics.js';
import type { CanaryMetricsSource } from './source.js';
import { sampleValue } from './test-helpers/read-metric.js';

// The real router must satisfy the structural source type (checked by tsc over the tests).
const _routerIsASource = (router: Router): CanaryMetricsSource => router;

const rollout = (canaryPercent: number, extraArm = false) =>
  JSON.stringify({
    routes: {
      orchestrator: {
        arms: [
          { name: 'canary', model: 'sonnet', percent: canaryPercent },
          ...(extraArm ? [{ name: 'verifier', model: 'claude-opus-4-7', percent: 5 }] : []),
          { name: 'control', model: 'haiku' },
        ],
      },
    },
    models: { haiku: 'claude-haiku-4-5', sonnet: 'claude-sonnet-4-6' },
  });

describe('attached to a real router with a rollout file', () => {
  let dir: string;
  let file: string;
  let router: Router;
  const registry = new Registry();
  const percent = (arm: string, model: string) => sampleValue(registry, 'model_canary_arm_percent', { route: 'orchestrator', arm, model });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mc-metrics-router-'));
    file = path.join(dir, 'rollout.json');
    await writeFile(file, rollout(10));
    router = createRouter({ configFile: file, watch: false, seed: 'metrics' });
    createCanaryMetrics({ registry }).attach(router);
  });

  afterAll(async () => {
    await router.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts with the file percents under the resolved model ids, and counts decisions per arm', async () => {
    expect(await percent('canary', 'claude-sonnet-4-6')).toBe(10);
    expect(await percent('control', 'claude-haiku-4-5')).toBe(90);
    expect(await sampleValue(registry, 'model_canary_config_last_reload_successful')).toBe(1);
    const arms = { canary: 0, control: 0 } as Record<string, number>;
    for (let i = 0; i < 500; i += 1) {
      const { arm } = router.decide({ route: 'orchestrator', key: `booking-${i}` });
      arms[arm] = (arms[arm] ?? 0) + 1;
    }
    for (const arm of ['canary', 'control']) {
      expect(await sampleValue(registry, 'model_canary_decisions_total', { route: 'orchestrator', arm, reason: 'split' })).toBe(arms[arm]);
    }
    expect(await registry.metrics()).not.toContain('booking-');
  });

  it('keeps counting, and counts the error, when another observer of the router throws', async () => {
    const before = (await sampleValue(registry, 'model_canary_decisions_total', { route: 'orchestrator', arm: 'control', reason: 'forced' })) ?? 0;
    const unsubscribe = router.on('decision', () => {
      throw new Error('a broken logger');
    });
    try {
      expect(router.decide({ route: 'orchestrator', key: 'k', forceArm: 'control' }).arm).toBe('control');
    } finally {
      unsubscribe();
    }
    expect(await sampleValue(registry, 'model_canary_decisions_total', { route: 'orchestrator', arm: 'control', reason: 'forced' })).toBe(before + 1);
    expect(await sampleValue(registry, 'model_canary_router_errors_total')).toBe(1);
  });

  it('follows an applied reload: new percents, a new arm at zero', async () => {
    await writeFile(file, rollout(25, true));
    expect((await router.reload()).result).toBe('applied');
    expect(await percent('canary', 'claude-sonnet-4-6')).toBe(25);
    expect(await percent('verifier', 'claude-opus-4-7')).toBe(5);
    expect(await percent('control', 'claude-haiku-4-5')).toBe(70);
    expect(await sampleValue(registry, 'model_canary_requests_total', { route: 'orchestrator', arm: 'verifier', model: 'claude-opus-4-7', outcome: 'success' })).toBe(0);
    expect(await sampleValue(registry, 'model_canary_config_version')).toBe(router.snapshot().version);
  });

  it('reports a rejected reload and keeps the serving percents', async () => {
    await writeFile(file, '{ "routes": { "orchestrator": ');
    expect((await router.reload()).result).toBe('rejected');
    expect(await sampleValue(registry, 'model_canary_config_last_reload_successful')).toBe(0);
    expect(await sampleValue(registry, 'model_canary_config_reloads_total', { result: 'rejected' })).toBe(1);
    expect(await percent('canary', 'claude-sonnet-4-6')).toBe(25);
  });
});
