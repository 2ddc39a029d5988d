import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrometheusClient } from '../prometheus/prometheus-client.js';
import { createPrometheusClient } from '../prometheus/prometheus-client.js';
import { createRampController, type RampController } from './ramp-controller.js';
import { startFakePrometheus, type FakeArm, type FakePrometheus } from './test-helpers/fake-prometheus.js';

const rollout = (percent: number): string =>
  `${JSON.stringify(
    {
      routes: {
        orchestrator: {
          arms: [
            { name: 'canary', model: 'claude-sonnet-4-6', percent },
            { name: 'control', model: 'claude-haiku-4-5' },
          ],
          ramp: { steps: [5, 10, 25], minBookingsPerArm: 100, minDurationMinutes: 10, budgetUsd: 1000 },
        },
      },
    },
    null,
    2,
  )}\n`;

const good: FakeArm = { success: 9000, failure: 500, invalid: 500, costPerBooking: 0.004, latencySeconds: 1.5 };
/** Step counts are what the fake answers for any window, so the split must fit the percent: 10k canary vs 190k control at 5%. */
const control: FakeArm = { success: 171_000, failure: 9500, invalid: 9500, costPerBooking: 0.004, latencySeconds: 1.5 };

let prom: FakePrometheus;
let dir: string;
let file: string;
let clock: number;
const controllers: RampController[] = [];

beforeAll(async () => {
  prom = await startFakePrometheus();
});
afterAll(async () => {
  await prom.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ramp-'));
  file = join(dir, 'rollout.json');
  await writeFile(file, rollout(5));
  clock = Date.parse('2026-01-01T00:00:00Z');
});
afterEach(async () => {
  for (const c of controllers.splice(0)) await c.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(options: { dryRun?: boolean; prometheus?: PrometheusClient; now?: () => number } = {}): Promise<RampController> {
  const c = await createRampController({
    prometheus: options.prometheus ?? prom.url, configFile: file, interval: 3_600_000, auditFile: join(dir, 'audit.jsonl'), now: options.now ?? (() => clock), dryRun: options.dryRun ?? false,
  });
  controllers.push(c);
  return c;
}

const percentInFile = async (): Promise<number> => (JSON.parse(await readFile(file, 'utf8')) as { routes: { orchestrator: { arms: { percent?: number }[] } } }).routes.orchestrator.arms[0]!.percent!;

describe('createRampController against a fake Prometheus', () => {
  it('advances to the next step once the step minimums pass and every guardrail passes, writing the file and the audit trail', async () => {
    prom.set({ canary: good, control });
    const c = await start();
    // The first look takes the counters' baselines: nothing has happened in this step yet.
    const [first] = await c.tick();
    expect(first?.decision.reason).toBe('no-data');
    clock += 11 * 60_000;
    const [second] = await c.tick();
    expect(second?.decision.decision).toBe('advance');
    expect(second?.applied).toBe(true);
    expect(await percentInFile()).toBe(10);
    const audit = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit.at(-1)).toMatchObject({ route: 'orchestrator', decision: 'advance', fromPercent: 5, toPercent: 10, applied: true });
    const metrics = await c.registry.metrics();
    expect(metrics).toContain('model_canary_ramp_step{route="orchestrator"} 10');
    expect(metrics).toContain('model_canary_ramp_decisions_total{route="orchestrator",decision="advance"} 1');
    expect(metrics).toContain('model_canary_ramp_guardrail{route="orchestrator",guardrail="bookingSuccess",stat="lower"}');
  });

  it.each([
    ['Prometheus down', null],
    ['no series', {}],
  ])('%s: only holds with reason no-data and never writes', async (_label, arms) => {
    prom.set(arms);
    const before = await readFile(file, 'utf8');
    const c = await start();
    clock += 60 * 60_000;
    const [d] = await c.tick();
    expect(d?.decision).toMatchObject({ decision: 'hold', reason: 'no-data' });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('rolls a worse canary back to 0 and then holds there until a person moves it', async () => {
    prom.set({ canary: { ...good, success: 7000, failure: 2500 }, control });
    const c = await start();
    await c.tick();
    clock += 5 * 60_000;
    const [d] = await c.tick();
    expect(d?.decision).toMatchObject({ decision: 'rollback', reason: 'guardrail-failed', toPercent: 0 });
    expect(await percentInFile()).toBe(0);
    clock += 60 * 60_000;
    const [after] = await c.tick();
    expect(after?.decision).toMatchObject({ decision: 'hold', reason: 'stopped' });
  });

  it("runs the timer's looks after tick()'s: a slow look cannot undo the rollback a later look wrote", async () => {
    const failing = await startFakePrometheus();
    try {
      prom.set({ canary: good, control });
      failing.set({ canary: { ...good, success: 7000, failure: 2500 }, control });
      const healthy = createPrometheusClient({ url: prom.url });
      const broken = createPrometheusClient({ url: failing.url });
      const slowLookAt = clock + 11 * 60_000;
      // Looks up to `slowLookAt` see a healthy canary (that one slowly, 400 ms); any later look sees it failing.
      const split: PrometheusClient = {
        async query(q, at) {
          if (at === undefined || at > slowLookAt) return broken.query(q, at);
          if (at === slowLookAt) await new Promise((resolve) => setTimeout(resolve, 400));
          return healthy.query(q, at);
        },
      };
      // The timer's first look comes 150 ms after start: in the middle of the slow look below.
      const c = await createRampController({ prometheus: split, configFile: file, interval: 150, auditFile: join(dir, 'audit.jsonl'), now: () => clock });
      controllers.push(c);
      await c.tick(); // at 5%: the step minimum is not met yet
      clock = slowLookAt;
      const slow = c.tick();
      await Promise.resolve();
      await Promise.resolve();
      clock += 60_000;
      const [advanced] = await slow;
      expect(advanced).toMatchObject({ applied: true, decision: { decision: 'advance', fromPercent: 5, toPercent: 10 } });
      const applied = async (): Promise<Record<string, unknown>[]> =>
        (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.applied === true);
      // Time goes on: the failing canary's bookings of the new step pile up until the timer's look rolls it back.
      for (let i = 0; i < 100 && (await applied()).length < 2; i++) {
        clock += 60_000;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await applied()).map((r) => [r.decision, r.fromPercent, r.toPercent])).toEqual([['advance', 5, 10], ['rollback', 10, 0]]);
      expect(await percentInFile()).toBe(0);
    } finally {
      await failing.close();
    }
  });

  it("starts a new ramp when a person puts another model on the canary arm: the old model's time does not count", async () => {
    prom.set({ canary: good, control });
    const c = await start();
    await c.tick(); // 5% on Sonnet 4.6: the step starts now
    clock += 9 * 60_000;
    await writeFile(file, rollout(5).replace('claude-sonnet-4-6', 'claude-opus-4-7'));
    await c.tick(); // the new model is seen: its step starts now
    clock += 2 * 60_000; // 11 minutes on the arm, 2 on Opus 4.7
    const [d] = await c.tick();
    expect(d?.decision).toMatchObject({ decision: 'hold', reason: 'step-minimum', fromPercent: 5 });
    expect(await percentInFile()).toBe(5);
    const audit = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit.at(-1)).toMatchObject({ model: 'claude-opus-4-7', stepStartedAt: clock - 2 * 60_000, rampStartedAt: clock - 2 * 60_000 });
  });

  it('refuses to write a file the router would reject, and says why (another arm takes the room)', async () => {
    prom.set({ canary: good, control });
    const config = JSON.parse(rollout(5)) as { routes: { orchestrator: { arms: object[] } } };
    config.routes.orchestrator.arms.splice(1, 0, { name: 'other', model: 'claude-opus-4-7', percent: 91 });
    await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
    const errors: unknown[] = [];
    const c = await createRampController({ prometheus: prom.url, configFile: file, interval: 3_600_000, auditFile: join(dir, 'audit.jsonl'), now: () => clock, onError: (e) => errors.push(e) });
    controllers.push(c);
    await c.tick();
    clock += 11 * 60_000;
    const [d] = await c.tick();
    expect(d).toMatchObject({ applied: false, decision: { decision: 'advance', fromPercent: 5, toPercent: 10 } });
    expect(await percentInFile()).toBe(5);
    expect(String(errors[0])).toMatch(/not writing orchestrator at 10%: the router would refuse the file .*add up to 101/);
    const audit = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit).toContainEqual(expect.objectContaining({ event: 'write-refused', route: 'orchestrator', toPercent: 10 }));
    expect(await c.registry.metrics()).toContain('model_canary_ramp_step{route="orchestrator"} 5');
  });

  it('keeps a byte-order mark the router accepts, and rolls back through it', async () => {
    prom.set({ canary: { ...good, success: 7000, failure: 2500 }, control });
    await writeFile(file, `\uFEFF${rollout(5)}`);
    const c = await start();
    await c.tick();
    clock += 5 * 60_000;
    const [d] = await c.tick();
    expect(d).toMatchObject({ applied: true, decision: { decision: 'rollback', toPercent: 0 } });
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect((JSON.parse(text.slice(1)) as { routes: { orchestrator: { arms: { percent?: number }[] } } }).routes.orchestrator.arms[0]?.percent).toBe(0);
  });

  it("respects a person's edit made between its read and its write", async () => {
    prom.set({ canary: good, control });
    const real = createPrometheusClient({ url: prom.url });
    let edit = false;
    const editing: PrometheusClient = {
      async query(q, at) {
        if (edit) {
          edit = false;
          await writeFile(file, rollout(25));
        }
        return real.query(q, at);
      },
    };
    const c = await start({ prometheus: editing });
    await c.tick();
    clock += 11 * 60_000;
    edit = true;
    const [d] = await c.tick();
    expect(d?.decision.decision).toBe('advance');
    expect(d?.applied).toBe(false);
    expect(await percentInFile()).toBe(25);
    prom.set({});
    const [next] = await c.tick();
    expect(next?.decision).toMatchObject({ decision: 'hold', fromPercent: 25 });
    expect(await percentInFile()).toBe(25);
  });

  it("follows a person's edit saved right after its own write and never writes over it", async () => {
    prom.set({ canary: good, control });
    let armed = false;
    // The clock is read right after the controller's rename: a person's save lands exactly there.
    const now = (): number => {
      if (armed && readFileSync(file, 'utf8') === rollout(10)) {
        armed = false;
        writeFileSync(file, rollout(0));
      }
      return clock;
    };
    const c = await start({ now });
    await c.tick();
    clock += 11 * 60_000;
    armed = true;
    const [d] = await c.tick();
    expect(d).toMatchObject({ decision: { decision: 'advance', toPercent: 10 }, applied: true });
    expect(armed).toBe(false);
    expect(await percentInFile()).toBe(0);
    clock += 11 * 60_000;
    const [next] = await c.tick();
    expect(next).toMatchObject({ decision: { decision: 'hold', fromPercent: 0 }, applied: false });
    expect(await percentInFile()).toBe(0);
  });

  it('dry-run decides but never writes', async () => {
    prom.set({ canary: good, control });
    const c = await start({ dryRun: true });
    await c.tick();
    clock += 11 * 60_000;
    const [d] = await c.tick();
    expect(d?.decision.decision).toBe('advance');
    expect(d?.applied).toBe(false);
    expect(await percentInFile()).toBe(5);
  });

  it('a restarted controller keeps the step clock from its audit trail', async () => {
    prom.set({ canary: good, control });
    const first = await start();
    await first.tick();
    await first.close();
    controllers.splice(controllers.indexOf(first), 1);
    clock += 11 * 60_000;
    const second = await start();
    const [d] = await second.tick();
    expect(d?.decision).toMatchObject({ decision: 'advance', fromPercent: 5, toPercent: 10 });
  });

  it('a second controller on the same file refuses to start', async () => {
    await start();
    await expect(start()).rejects.toMatchObject({ code: 'LOCKED' });
  });
});

describe('the shadow phase (issue 16)', () => {
  const shadowRollout = (percent: number): string =>
    `${JSON.stringify({
      routes: {
        orchestrator: {
          arms: [
            { name: 'canary', model: 'claude-sonnet-4-6', percent },
            { name: 'control', model: 'claude-haiku-4-5' },
          ],
          shadow: { model: 'claude-sonnet-4-6', percent: 20, budgetUsd: 10 },
          ramp: { steps: [5, 10, 25], minBookingsPerArm: 100, minDurationMinutes: 10, budgetUsd: 1000, shadow: { minJudgements: 200, margin: 0.05 } },
        },
      },
    }, null, 2)}\n`;
  const judged = (candidate_better: number, served_better: number, tie: number): FakeArm => ({ ...control, judgements: { candidate_better, served_better, tie } });

  it('starts the first step from 0% once judged quality is proven non-inferior', async () => {
    await writeFile(file, shadowRollout(0));
    prom.set({ control: judged(3000, 3000, 2000) });
    const c = await start();
    await c.tick(); // baselines
    clock += 3_600_000;
    const [look] = await c.tick();
    expect(look?.decision).toMatchObject({ decision: 'advance', reason: 'shadow-passed', toPercent: 5 });
    expect(await percentInFile()).toBe(5);
  });

  it('stops a canary proven worse before any user is served by it, and does not judge it again after a restart', async () => {
    await writeFile(file, shadowRollout(0));
    prom.set({ control: judged(1000, 3000, 500) });
    const c = await start();
    await c.tick();
    clock += 3_600_000;
    const [look] = await c.tick();
    expect(look?.decision).toMatchObject({ decision: 'rollback', reason: 'shadow-failed', toPercent: 0 });
    expect(await percentInFile()).toBe(0);
    await c.close();
    controllers.splice(controllers.indexOf(c), 1);
    prom.set({ control: judged(3000, 3000, 2000) });
    const again = await start();
    clock += 3_600_000;
    await again.tick();
    clock += 3_600_000;
    const [later] = await again.tick();
    expect(later?.decision).toMatchObject({ decision: 'hold', reason: 'stopped' });
  });
});
