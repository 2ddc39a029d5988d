import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONTROLLER_METRIC_NAMES } from '@model-canary/controller';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { exportedSampleNames, recordedNames } from '../test-helpers/exported-names.js';
import { metricNamesIn } from '../test-helpers/promql-names.js';
import { promtool } from '../test-helpers/promtool.js';
import { dashboardJson } from './dashboard-json.js';

const COMMITTED = new URL('../../dashboards/model-canary.json', import.meta.url);

interface Target { expr?: string }
interface Panel { type: string; title?: string; datasource?: { uid?: string }; targets?: Target[] }
interface Dashboard {
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: unknown }> };
  annotations: { list: Array<{ name: string; expr?: string; datasource?: { uid?: string } }> };
}

const dashboard = JSON.parse(dashboardJson()) as Dashboard;
const expressions = [
  ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title ?? p.type, expr: t.expr ?? '' }))),
  ...dashboard.annotations.list.map((a) => ({ where: `annotation ${a.name}`, expr: a.expr ?? '' })),
];

/** Grafana's variables, replaced the way Grafana would before sending the query. */
function substitute(expr: string): string {
  return expr.replaceAll('$__rate_interval', '5m').replaceAll('$route', 'orchestrator');
}

describe('the Grafana dashboard', () => {
  it('is committed exactly as the code generates it (run `pnpm --filter @model-canary/metrics generate`)', async () => {
    expect(await readFile(COMMITTED, 'utf8')).toBe(dashboardJson());
  });

  it('has a Prometheus datasource variable and a route variable, used by every query', () => {
    const variables = dashboard.templating.list.map((v) => `${v.name}:${v.type}`);
    expect(variables).toEqual(['datasource:datasource', 'route:query']);
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
    }
  });

  it('shows config reloads as annotations', () => {
    expect(dashboard.annotations.list.map((a) => a.name)).toEqual(['Config applied', 'Config rejected']);
  });

  it.each([
    'Request rate per arm',
    'Observed split against configured percent',
    'Call success rate per arm',
    'Booking success rate per arm',
    'Latency of successful calls',
    'Time to first token',
    'Tokens by type per arm',
    'Cost per call',
    'Cost per booking',
    'Projected daily cost at 100% on each arm',
    'Error classes per arm',
    'Fallbacks and retried attempts per arm',
    'Configured percent now',
    'Config reloads',
    'Bookings on two arms (left out of the comparison)',
    'Ramp step',
    'Controller decisions',
    'Guardrail verdicts',
    'Guardrail evidence',
  ])('has the panel "%s" with a query filtered by $route or global', (title) => {
    const panel = dashboard.panels.find((p) => p.title === title);
    expect(panel?.targets?.length).toBeGreaterThan(0);
  });

  it('filters every per-arm query by the route variable', () => {
    for (const { where, expr } of expressions.filter((e) => e.expr.includes('by (arm'))) {
      expect(expr, where).toContain('route="$route"');
    }
  });

  it("reads only metrics this package exports, its recording rules define, and the rollout controller's", async () => {
    const known = new Set([
      ...(await exportedSampleNames()),
      ...(await recordedNames(new URL('../../rules/recording.yml', import.meta.url))),
      ...CONTROLLER_METRIC_NAMES,
    ]);
    for (const { where, expr } of expressions) {
      const names = [...metricNamesIn(expr)];
      expect(names.length, where).toBeGreaterThan(0);
      expect(names.filter((name) => !known.has(name)), where).toEqual([]);
    }
  });

  it("has a rollout controller row that reads every series of the controller's", () => {
    const rowStart = dashboard.panels.findIndex((p) => p.type === 'row' && p.title === 'Rollout controller');
    expect(rowStart).toBeGreaterThan(-1);
    const rest = dashboard.panels.slice(rowStart + 1);
    const nextRow = rest.findIndex((p) => p.type === 'row');
    const row = nextRow === -1 ? rest : rest.slice(0, nextRow);
    const read = new Set(row.flatMap((p) => (p.targets ?? []).flatMap((t) => [...metricNamesIn(t.expr ?? '')])));
    expect([...read].sort()).toEqual([...CONTROLLER_METRIC_NAMES].sort());
  });

  describe('PromQL', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'mc-dashboard-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('parses every expression (as recording rules checked by promtool)', async () => {
      const rules = expressions.map((e, i) => ({ record: `dashboard:query_${i}:check`, expr: substitute(e.expr) }));
      const file = path.join(dir, 'dashboard-queries.yml');
      await writeFile(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
      const result = promtool(['check', 'rules', file]);
      expect(result.status, result.output).toBe(0);
      expect(result.output).toContain(`SUCCESS: ${expressions.length} rules found`);
    });

    it('would catch a broken expression', async () => {
      const file = path.join(dir, 'broken.yml');
      await writeFile(file, stringify({ groups: [{ name: 'x', rules: [{ record: 'x:y:z', expr: 'sum by (arm (rate(x[5m]))' }] }] }));
      expect(promtool(['check', 'rules', file]).status).not.toBe(0);
    });
  });
});
