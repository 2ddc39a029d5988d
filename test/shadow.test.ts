import Anthropic from '@anthropic-ai/sdk';
import { createCanaryMetrics } from '@model-canary/metrics';
import { createJudge, createRouter, type Router } from '@model-canary/router';
import { startSimulator, type Simulator } from '@model-canary/simulator';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePids, serveMetrics, waitFor, type MetricsServer } from './harness/index.js';
import { startObservability, type Observability } from './support/observability.js';

const BUDGET_ALERT = 'ModelCanaryShadowBudgetSpent';
const SHADOW = { route: 'orchestrator', shadow_model: 'claude-sonnet-4-6' };

// Issue 16: the shadow and judge series in a real Prometheus, and the shipped budget alert firing through a real
// Alertmanager (for: shortened to 1 s) once the shadow budget is spent.
describe('shadow traffic and its judge in a real Prometheus', () => {
  let sim: Simulator;
  let router: Router;
  let metrics: MetricsServer;
  let observability: Observability;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 'e2e-shadow', timeScale: 0, baselineFaults: false });
    const client = new Anthropic({ apiKey: 'test', baseURL: sim.url, maxRetries: 0 });
    router = createRouter({
      config: {
        routes: {
          orchestrator: {
            arms: [
              { name: 'canary', model: 'claude-sonnet-4-6', percent: 10 },
              { name: 'control', model: 'claude-haiku-4-5' },
            ],
            shadow: { model: 'claude-sonnet-4-6', percent: 50, budgetUsd: 0.03, maxInFlight: 4 },
          },
        },
      },
      client,
      judge: createJudge({ client, rubric: 'The better plan covers every requested service.' }),
    });
    const registry = new Registry();
    createCanaryMetrics({ registry }).attach(router);
    metrics = await serveMetrics(registry);
    observability = await startObservability([metrics.target]);
    await observability.prometheus.waitForFreshScrape(15_000);
    await observability.prometheus.waitForHealthyRules();
  });

  afterAll(async () => {
    await observability?.stop();
    await metrics?.close();
    await router?.close();
    await sim?.close();
    expect(livePids()).toEqual([]);
  });

  it('shows the shadow calls, skips, spend and verdicts, and fires the budget alert once the budget is spent', async () => {
    // Before any traffic the series exist at 0 and the alert is quiet.
    const zero = await observability.prometheus.query(`model_canary_shadow_skips_total{route="orchestrator",reason="budget"}`);
    expect(zero.map((s) => s.value)).toEqual([0]);
    for (let i = 0; i < 120; i++) {
      await router.messages.create({ max_tokens: 300, messages: [{ role: 'user', content: `Book a table for two, booking ${i}.` }] }, { route: 'orchestrator', key: `booking-${i}` });
    }
    await observability.prometheus.waitForFreshScrape();
    const sent = await observability.prometheus.query(`sum(model_canary_shadow_calls_total{route="orchestrator",outcome="success"})`);
    const verdicts = await observability.prometheus.query(`sum(model_canary_judgements_total{route="orchestrator"})`);
    const budgetSkips = await observability.prometheus.query(`sum(model_canary_shadow_skips_total{route="orchestrator",reason="budget"})`);
    const spent = await observability.prometheus.query(`model_canary_shadow_spent_usd{route="orchestrator"}`);
    const judgeCost = await observability.prometheus.query(`sum(model_canary_judge_cost_usd_total{route="orchestrator"})`);
    console.info(`shadow calls ${sent[0]?.value}, verdicts ${verdicts[0]?.value}, budget skips ${budgetSkips[0]?.value}, spent ${spent[0]?.value} USD of 0.03, judge ${judgeCost[0]?.value} USD`);
    expect(sent[0]?.value).toBeGreaterThan(0);
    expect(verdicts[0]?.value).toBeGreaterThan(0);
    expect(verdicts[0]?.value).toBeLessThanOrEqual(sent[0]?.value ?? 0);
    expect(budgetSkips[0]?.value).toBeGreaterThan(0);
    expect(spent[0]?.value).toBeLessThanOrEqual(0.03 + 0.01);
    expect(judgeCost[0]?.value).toBeGreaterThan(0);

    const firing = await waitFor(
      async () => (await observability.prometheus.alerts()).find((a) => a.labels['alertname'] === BUDGET_ALERT && a.state === 'firing'),
      { timeoutMs: 45_000, intervalMs: 250, what: `${BUDGET_ALERT} to fire` },
    );
    expect(firing.labels).toMatchObject({ ...SHADOW, severity: 'info' });
    const delivered = await observability.webhook.waitForAlert((a) => a.labels['alertname'] === BUDGET_ALERT && a.status === 'firing', 30_000);
    expect(delivered.annotations['summary']).toBe('The shadow budget of route orchestrator is spent');
    const winRate = await waitFor(async () => (await observability.prometheus.query(`model_canary:judge_win_rate:ratio1h{route="orchestrator"}`))[0], {
      timeoutMs: 15_000,
      intervalMs: 250,
      what: 'the win rate recording rule',
    });
    expect(winRate.value).toBeGreaterThanOrEqual(0);
    expect(winRate.value).toBeLessThanOrEqual(1);
  });
});
