import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Counter, Gauge, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isAlive,
  isPortOpen,
  makeTempDir,
  removeTempDir,
  serveMetrics,
  startAlertmanager,
  startPrometheus,
  startWebhookReceiver,
  waitFor,
  type AlertmanagerServer,
  type MetricsServer,
  type PrometheusServer,
  type WebhookReceiver,
} from './harness/index.js';

const RULES = `
groups:
  - name: smoke
    rules:
      - record: smoke:requests:sum
        expr: sum by (arm) (smoke_requests_total)
      - alert: SmokeErrorRatioHigh
        expr: smoke_error_ratio > 0.5
        for: 1s
        labels:
          severity: page
        annotations:
          summary: Smoke error ratio is {{ $value }}
          description: The smoke registry reports an error ratio above one half.
`;

describe('the Prometheus harness against a prom-client registry', () => {
  const registry = new Registry();
  const requests = new Counter({ name: 'smoke_requests_total', help: 'requests', labelNames: ['arm'] as const, registers: [registry] });
  const errorRatio = new Gauge({ name: 'smoke_error_ratio', help: 'error ratio', registers: [registry] });
  let metrics: MetricsServer;
  let webhook: WebhookReceiver;
  let alertmanager: AlertmanagerServer;
  let prometheus: PrometheusServer;
  let rulesDir: string;

  beforeAll(async () => {
    requests.labels('canary').inc(3);
    requests.labels('control').inc(27);
    errorRatio.set(0);
    rulesDir = await makeTempDir('smoke-rules');
    await writeFile(join(rulesDir, 'smoke.yml'), RULES);
    metrics = await serveMetrics(registry);
    webhook = await startWebhookReceiver();
    alertmanager = await startAlertmanager({ webhookUrl: webhook.url });
    prometheus = await startPrometheus({
      scrapeTargets: [metrics.target],
      ruleFiles: [join(rulesDir, 'smoke.yml')],
      alertmanagerUrl: alertmanager.url,
    });
  });

  afterAll(async () => {
    const pids = [prometheus?.pid, alertmanager?.pid].filter((pid) => pid !== undefined);
    const ports = [prometheus?.port, alertmanager?.port].filter((port) => port !== undefined);
    await prometheus?.stop();
    await alertmanager?.stop();
    await webhook?.close();
    await metrics?.close();
    await removeTempDir(rulesDir);
    // Nothing this file started outlives it.
    expect(pids.filter(isAlive)).toEqual([]);
    expect((await Promise.all(ports.map(isPortOpen))).some(Boolean)).toBe(false);
  });

  it('scrapes the registry and answers instant queries with its values', async () => {
    await prometheus.waitForFreshScrape();
    const samples = await prometheus.query('sum by (arm) (smoke_requests_total)');
    const byArm = Object.fromEntries(samples.map((s) => [s.metric['arm'], s.value]));
    expect(byArm).toEqual({ canary: 3, control: 27 });
  });

  it('evaluates the recording rule of the loaded rule file', async () => {
    await prometheus.waitForHealthyRules();
    const samples = await waitFor(async () => {
      const result = await prometheus.query('smoke:requests:sum');
      return result.length === 2 ? result : undefined;
    });
    expect(samples.map((s) => s.value).sort((a, b) => a - b)).toEqual([3, 27]);
  });

  it('returns range queries with one point per step', async () => {
    const series = await waitFor(async () => {
      const end = Date.now() / 1000;
      const result = await prometheus.queryRange('sum(smoke_requests_total)', { start: end - 10, end, step: 1 });
      return (result[0]?.values.length ?? 0) >= 3 ? result : undefined;
    });
    expect(series).toHaveLength(1);
    expect(series[0]?.values.every(([, value]) => value === 30)).toBe(true);
  });

  it('rejects an invalid PromQL expression with Prometheus\'s own message', async () => {
    await expect(prometheus.query('sum by (arm (smoke_requests_total)')).rejects.toThrow(/parse error/);
  });

  it('keeps the alert quiet while its condition is false', async () => {
    await prometheus.waitForFreshScrape();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await prometheus.alerts()).toEqual([]);
    expect(webhook.alerts()).toEqual([]);
  });

  it('fires the alert and delivers it, labels and annotations included, through Alertmanager to the webhook', async () => {
    const start = Date.now();
    errorRatio.set(0.9);
    const pending = await waitFor(async () => (await prometheus.alerts()).find((a) => a.state !== 'inactive'), {
      what: 'the alert to become active',
    });
    const pendingAt = Date.now();
    const firing = await waitFor(async () => (await prometheus.alerts()).find((a) => a.state === 'firing'), {
      what: 'the alert to fire',
    });
    const firingAt = Date.now();
    const delivered = await webhook.waitForAlert((a) => a.labels['alertname'] === 'SmokeErrorRatioHigh' && a.status === 'firing');
    console.info(
      `smoke alert: active after ${pendingAt - start} ms (${pending.state}), firing after ${firingAt - start} ms, webhook after ${delivered.receivedAt - start} ms`,
    );
    expect(firing.labels).toMatchObject({ alertname: 'SmokeErrorRatioHigh', severity: 'page' });
    expect(delivered.labels).toMatchObject({ alertname: 'SmokeErrorRatioHigh', severity: 'page', job: 'model-canary' });
    expect(delivered.annotations).toEqual({
      summary: 'Smoke error ratio is 0.9',
      description: 'The smoke registry reports an error ratio above one half.',
    });
    expect((await alertmanager.alerts()).map((a) => a.labels['alertname'])).toContain('SmokeErrorRatioHigh');
  });

  it('sends the resolution to the webhook once the condition clears', async () => {
    errorRatio.set(0);
    const resolved = await webhook.waitForAlert((a) => a.labels['alertname'] === 'SmokeErrorRatioHigh' && a.status === 'resolved');
    expect(resolved.annotations['summary']).toMatch(/^Smoke error ratio is/);
  });

  it('refuses a broken rule file on reload and keeps serving the last good one', async () => {
    await writeFile(join(rulesDir, 'broken.yml'), 'groups:\n  - name: broken\n    rules:\n      - record: x\n        expr: sum(\n');
    await expect(prometheus.configure({ ruleFiles: [join(rulesDir, 'smoke.yml'), join(rulesDir, 'broken.yml')] })).rejects.toThrow(
      /broken\.yml/,
    );
    expect((await prometheus.ruleGroups()).map((g) => g.name)).toEqual(['smoke']);
    await prometheus.configure({ ruleFiles: [join(rulesDir, 'smoke.yml')] });
  });
});
