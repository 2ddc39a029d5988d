import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCanaryMetrics } from './canary-metrics.js';
import { BOOKING_CONFIG, HAIKU, SONNET, callEvent, tokens } from './test-helpers/events.js';
import { exportedSampleNames, recordedNames } from './test-helpers/exported-names.js';
import { createFakeRouter } from './test-helpers/fake-router.js';
import { metricNamesIn } from './test-helpers/promql-names.js';
import { promtool } from './test-helpers/promtool.js';

const RULES = new URL('../rules/', import.meta.url);
const path = (relative: string) => fileURLToPath(new URL(relative, RULES));

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ record?: string; alert?: string; expr: string; for?: string; annotations?: Record<string, string> }> }>;
}
const readRules = async (name: string) => parse(await readFile(path(name), 'utf8')) as RuleFile;

describe('shipped Prometheus rules', () => {
  it('pass promtool check rules', () => {
    const result = promtool(['check', 'rules', path('recording.yml'), path('alerts.yml')]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status, result.output).toBe(0);
  });

  it('pass their promtool unit tests: every alert fires on bad series and stays quiet on good ones', () => {
    const result = promtool(['test', 'rules', path('tests/alerts.test.yml')]);
    expect(result.status, result.output).toBe(0);
  });

  it('pass the cascade rules\' promtool unit tests: cost per booking and call success split by agent route', () => {
    const result = promtool(['test', 'rules', path('tests/cascade.test.yml')]);
    expect(result.status, result.output).toBe(0);
  });

  it('give every alert a summary, a description and a for', async () => {
    const alerts = (await readRules('alerts.yml')).groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert)).toEqual([
      'ModelCanaryErrorRateAboveControl',
      'ModelCanaryLatencyAboveControl',
      'ModelCanarySampleRatioMismatch',
      'ModelCanaryConfigReloadFailed',
      'ModelCanaryArmWithoutTraffic',
      'ModelCanaryShadowBudgetSpent',
    ]);
    for (const alert of alerts) {
      expect(alert.for, alert.alert).toMatch(/^\d+[smh]$/);
      expect(alert.annotations?.summary, alert.alert).toBeTruthy();
      expect(alert.annotations?.description, alert.alert).toBeTruthy();
    }
  });

  it('read only metrics this package exports and series its recording rules define', async () => {
    const known = new Set([...(await exportedSampleNames()), ...(await recordedNames(new URL('recording.yml', RULES)))]);
    for (const file of ['recording.yml', 'alerts.yml']) {
      for (const rule of (await readRules(file)).groups.flatMap((g) => g.rules)) {
        const unknown = [...metricNamesIn(rule.expr)].filter((name) => !known.has(name));
        expect(unknown, `${rule.record ?? rule.alert}`).toEqual([]);
      }
    }
  });

  it('name every recording rule model_canary:<what>:<window>', async () => {
    for (const name of await recordedNames(new URL('recording.yml', RULES))) {
      expect(name).toMatch(/^model_canary:[a-z0-9_]+:[a-z0-9_]+$/);
    }
  });
});

describe('package exports', () => {
  it.each([
    ['@model-canary/metrics/rules/recording.yml', 'rules/recording.yml'],
    ['@model-canary/metrics/rules/alerts.yml', 'rules/alerts.yml'],
    ['@model-canary/metrics/dashboards/model-canary.json', 'dashboards/model-canary.json'],
  ])('resolve %s to the shipped file', (specifier, file) => {
    expect(createRequire(import.meta.url).resolve(specifier)).toBe(fileURLToPath(new URL(`../${file}`, import.meta.url)));
  });
});

describe('a real scrape after traffic', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const registry = new Registry();
    const router = createFakeRouter(BOOKING_CONFIG);
    createCanaryMetrics({ registry }).attach(router);
    for (let i = 0; i < 50; i += 1) {
      const arm = i % 10 === 0 ? 'canary' : 'control';
      router.emit('decision', { route: 'orchestrator', arm, reason: 'split' });
      router.emit('callStart', { callId: `c${i}`, route: 'orchestrator', arm });
      router.emit('call', callEvent({ callId: `c${i}`, arm, model: arm === 'canary' ? SONNET : HAIKU, ttftMs: 300, tokens: tokens({ input: 800, output: 90, cache_read: 400 }) }));
      router.emit('unit', { outcome: i % 7 === 0 ? 'failure' : 'success', durationMs: 3000, costUsd: 0.004, routes: [{ route: 'orchestrator', arm, mixedArms: false }] });
    }
    router.emit('config', { type: 'config', result: 'rejected', at: Date.now(), version: 1 });
    server = createServer((_req, res) => {
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes promtool check metrics', async () => {
    const body = await (await fetch(url)).text();
    expect(body).toContain('model_canary_requests_total{route="orchestrator",arm="canary",model="claude-sonnet-4-6",outcome="success"} 5');
    const result = promtool(['check', 'metrics'], body);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
