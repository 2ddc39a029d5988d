import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampController, type RampController } from '@model-canary/controller';
import { makeTempDir, removeTempDir, waitFor } from './harness/index.js';
import { createRampRollout, type RampRolloutFile } from './support/controller-rollout.js';
import { startRampStack, type RampStack } from './support/controller-stack.js';
import { openReport, type OpenedReport } from './support/report-browser.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);
/** `SCREENSHOTS=1`: the screenshots go to packages/report/docs (the READMEs show them), else to a temp dir. */
const SHOTS = process.env.SCREENSHOTS === '1' ? join(ROOT, 'packages/report/docs') : undefined;
const ARMS = ['canary', 'control'];
const TESTED_GUARDRAILS = ['bookingSuccess', 'behaviourErrors', 'latencyP95Ratio', 'costPerSuccessRatio'];

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('report');
  if (SHOTS !== undefined) await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await removeTempDir(dir);
});

const shot = (name: string): string => join(SHOTS ?? dir, name);

/** What every report must show in a real browser: no error, no request, every chart drawn with its series. */
function expectRendered(opened: OpenedReport, charts: readonly string[]): void {
  expect(opened.errors).toEqual([]);
  expect(opened.requests).toEqual([]);
  expect(opened.charts.map((c) => c.id)).toEqual(expect.arrayContaining([...charts]));
  for (const chart of opened.charts) {
    expect({ id: chart.id, drawn: chart.width > 100 && chart.height > 100 && chart.marks > 0 }).toEqual({ id: chart.id, drawn: true });
    // Every series the chart is said to show is in its legend or on its axis.
    for (const series of chart.series) expect({ id: chart.id, series, shown: chart.texts.includes(series) }).toEqual({ id: chart.id, series, shown: true });
  }
}

describe('HTML reports opened in headless Chromium', () => {
  it('`pnpm demo --report` shows the arms side by side from the service’s /metrics', async () => {
    const file = join(dir, 'demo.html');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/booking-agent/src/demo.ts', '-n', '200', '-c', '16', '--report', file], { cwd: ROOT, timeout: 90_000 });
    expect(stdout).toContain(`Report: ${file}`);
    const opened = await openReport(file, shot('demo-report'));
    expectRendered(opened, ['booking-success', 'cost-per-booking', 'latency-quantiles', 'latency-distribution', 'token-mix', 'cascade-cost', 'cascade-success', 'judged-win-rate', 'judged-verdicts', 'judged-spend']);
    const series = Object.fromEntries(opened.charts.map((c) => [c.id, c.series]));
    for (const id of ['booking-success', 'cost-per-booking', 'latency-quantiles', 'latency-distribution', 'token-mix', 'cascade-success']) expect({ id, series: series[id] }).toEqual({ id, series: ARMS });
    // The demo runs the verifier and shadows the orchestrator: every agent type is costed, the judge has spoken.
    expect(series['cascade-cost']).toEqual(['orchestrator', 'specialist', 'verifier']);
    expect(series['judged-win-rate']).toEqual(['win rate']);
    expect(series['judged-verdicts']).toContain('candidate better');
    expect(series['judged-spend']).toEqual(['shadow', 'judge', 'budget']);
    // Per route: the orchestrator's two arms and the specialist's one.
    expect(opened.charts.find((c) => c.id === 'booking-success')!.texts).toEqual(expect.arrayContaining(['orchestrator', 'specialist']));
  });

  it('`canary rehearse --report` shows the outcome over runs and one run’s looks', async () => {
    const file = join(dir, 'rehearse.html');
    await run(process.execPath, [join(ROOT, 'packages/router/bin/model-canary.js'), 'rehearse', '--config', 'examples/booking-agent/rollout.json', '--scenario', 'canary-worse,aa',
      '--runs', '16', '--calibration-calls', '0', '--report', file], { cwd: ROOT, timeout: 90_000 });
    const opened = await openReport(file, shot('rehearsal-report'));
    expectRendered(opened, ['rehearsal-outcomes', 'rehearsal-bookings', 'rehearsal-run-percent', ...TESTED_GUARDRAILS.map((g) => `rehearsal-run-${g}`), 'rehearsal-run-srm', 'rehearsal-run-spend']);
    expect(opened.charts.find((c) => c.id === 'rehearsal-outcomes')!.texts).toEqual(expect.arrayContaining(['canary-worse', 'aa']));
    // Run 0 of a canary 5 pp worse is rolled back, and the rollback is marked.
    expect(opened.charts.find((c) => c.id === 'rehearsal-run-bookingSuccess')!.texts).toContain('rollback');
  });

  describe('`canary report --audit` after a real ramp (controller, Prometheus, booking service)', () => {
    let rollout: RampRolloutFile;
    let stack: RampStack;
    let controller: RampController;

    beforeAll(async () => {
      rollout = await createRampRollout(40);
      stack = await startRampStack({ rolloutFile: rollout.path, canaryPlans: { invalidRate: 0.02, incompleteRate: 0.03 }, controlPlans: { invalidRate: 0.08, incompleteRate: 0.1 }, seed: 'report' });
      controller = await createRampController({ prometheus: stack.prometheus.url, configFile: rollout.path, interval: 1_000, auditFile: rollout.auditFile });
    }, 60_000);

    afterAll(async () => {
      await controller?.close();
      await stack?.stop();
      await rollout?.remove();
    });

    it('charts every look: the percent, each guardrail against its margin or cap, SRM, spend, the advances', async () => {
      await waitFor(async () => ((await rollout.audit()).some((l) => l['reason'] === 'completed' || l['decision'] === 'rollback') ? true : undefined), {
        timeoutMs: 90_000, intervalMs: 500, what: 'the ramp to complete',
      });
      await controller.close();
      const file = join(dir, 'ramp.html');
      await run(process.execPath, [join(ROOT, 'packages/router/bin/model-canary.js'), 'report', '--audit', rollout.auditFile, '--metrics', `${stack.service.url}/metrics`, '--out', file], { cwd: ROOT, timeout: 60_000 });
      const opened = await openReport(file, shot('ramp-report'));
      const id = 'evidence-orchestrator';
      expectRendered(opened, ['booking-success', 'latency-distribution', `${id}-percent`, ...TESTED_GUARDRAILS.map((g) => `${id}-${g}`), `${id}-srm`, `${id}-spend`]);
      const advances = (await rollout.audit()).filter((l) => l['decision'] === 'advance').length;
      expect(advances).toBeGreaterThan(0);
      expect(opened.charts.find((c) => c.id === `${id}-percent`)!.texts).toContain('advance');
      const html = await readFile(file, 'utf8');
      expect(html).toMatch(new RegExp(`${advances} advances?[,<]`));
    });
  });
});
