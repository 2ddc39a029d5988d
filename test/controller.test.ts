import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampController, MIN_SAMPLES_PER_ARM, type RampController, type RampDecision } from '@model-canary/controller';
import { livePids, sleep, waitFor } from './harness/index.js';
import { peekDecision } from './support/controller-peek.js';
import { createRampRollout, TEST_RAMP, type RampRolloutFile } from './support/controller-rollout.js';
import { interceptingClient, startRampStack, type InterceptingClient, type RampStack } from './support/controller-stack.js';
import { CANARY } from './support/rollout-file.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

/** The model profiles' own plan quality: Sonnet 4.6 (canary) makes fewer plan mistakes than Haiku 4.5. */
const SONNET_PLANS = { invalidRate: 0.02, incompleteRate: 0.03 };
const HAIKU_PLANS = { invalidRate: 0.08, incompleteRate: 0.1 };

interface Look {
  readonly at: number;
  readonly decision: RampDecision;
  readonly applied: boolean;
}

const routerPercent = (stack: RampStack): number | null | undefined =>
  stack.service.router.snapshot().config.routes[CANARY.route]?.arms.find((a) => a.name === CANARY.arm)?.percent;

async function promPercent(stack: RampStack): Promise<number | undefined> {
  const [sample] = await stack.prometheus.query(`max(model_canary_arm_percent{route="${CANARY.route}",arm="${CANARY.arm}"})`);
  return sample?.value;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** A controller looking every second at the stack's Prometheus, each decision pushed to `looks`. */
function lookEverySecond(stack: RampStack, rollout: RampRolloutFile, looks: Look[]): Promise<RampController> {
  return createRampController({
    prometheus: stack.prometheus.url,
    configFile: rollout.path,
    interval: 1_000,
    auditFile: rollout.auditFile,
    onDecision: (_route, decision, applied) => looks.push({ at: Date.now(), decision, applied }),
  });
}

/** Stops what a describe started, even after a failed start, and checks that no process is left. */
async function tearDown(controller: RampController | undefined, stack: RampStack | undefined, rollout: RampRolloutFile | undefined): Promise<void> {
  await controller?.close();
  await stack?.stop();
  await rollout?.remove();
  expect(livePids()).toEqual([]);
}
const [FIRST, SECOND, THIRD, LAST] = TEST_RAMP.steps;

describe('a better canary ramps to 100%; one writer; a person’s edit wins; Prometheus stopped means hold', () => {
  let rollout: RampRolloutFile;
  let stack: RampStack;
  let client: InterceptingClient;
  let timed: RampController;
  let manual: RampController | undefined;
  const looks: Look[] = [];
  /** File percent and text right after each applied change, read back from disk. */
  const written: Array<{ percent: Promise<number>; text: Promise<string> }> = [];
  /** Percents the router applied by hot reload, in order. */
  const routerSaw: number[] = [];
  let startedAt: number;
  let completedAt: number;
  let initialText: string;

  const describeLook = (l: Look): string =>
    `${l.decision.decision} ${l.decision.reason} ${l.decision.fromPercent}→${l.decision.toPercent}: ${l.decision.summary} | ${l.decision.guardrails.map((g) => `${g.name} ${g.verdict}: ${g.detail}`).join(' | ')}`;

  beforeAll(async () => {
    rollout = await createRampRollout(FIRST);
    initialText = await rollout.text();
    stack = await startRampStack({ rolloutFile: rollout.path, canaryPlans: SONNET_PLANS, controlPlans: HAIKU_PLANS, seed: 'better' });
    stack.service.router.on('config', (e) => {
      if (e.result === 'applied') routerSaw.push(routerPercent(stack) ?? Number.NaN);
    });
    client = interceptingClient(stack.prometheus.url);
    startedAt = Date.now();
    timed = await createRampController({
      prometheus: client,
      configFile: rollout.path,
      interval: 1_000,
      auditFile: rollout.auditFile,
      onDecision: (_route, decision, applied) => {
        looks.push({ at: Date.now(), decision, applied });
        if (applied) written.push({ percent: rollout.canaryPercent(), text: rollout.text() });
      },
    });
  }, 60_000);

  afterAll(async () => {
    await timed?.close();
    await manual?.close();
    await stack?.stop();
    await rollout?.remove();
    expect(livePids()).toEqual([]);
  });

  it('refuses a second controller on the same file, through the API and `model-canary ramp`, and keeps the first one’s lock', async () => {
    await expect(createRampController({ prometheus: stack.prometheus.url, configFile: rollout.path, interval: 1_000 })).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining(`pid ${process.pid}`),
    });
    const cli = await run(process.execPath, [join(ROOT, 'packages/router/bin/model-canary.js'), 'ramp', '--config', rollout.path, '--prometheus', stack.prometheus.url, '--once'], { cwd: ROOT }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/another rollout controller \(pid \d+ on [^)]+\) holds .*rollout\.json\.lock/);
    expect(JSON.parse(await readFile(rollout.lockFile, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
  });

  it('advances through every step to 100%, one step per write, never rolling back', async () => {
    await waitFor(() => (looks.some((l) => l.decision.reason === 'completed' || l.decision.decision === 'rollback') ? true : undefined), {
      timeoutMs: 80_000,
      intervalMs: 200,
      what: 'the ramp to reach its last step',
    });
    completedAt = Date.now();
    const notHolding = looks.filter((l) => l.decision.decision !== 'hold');
    if (notHolding.some((l) => l.decision.decision === 'rollback')) console.error(notHolding.map(describeLook).join('\n'));
    expect(notHolding.map((l) => [l.decision.decision, l.decision.fromPercent, l.decision.toPercent, l.applied])).toEqual([
      ['advance', FIRST, SECOND, true], ['advance', SECOND, THIRD, true], ['advance', THIRD, LAST, true],
    ]);
    expect(await Promise.all(written.map((w) => w.percent))).toEqual([SECOND, THIRD, LAST]);
    const steps = [startedAt, ...notHolding.map((l) => l.at)];
    console.info(
      `controller: better canary ${TEST_RAMP.steps.join('→')} in ${seconds(steps.at(-1)! - startedAt)} ` +
        `(per step ${steps.slice(1).map((t, i) => seconds(t - steps[i]!)).join(', ')}; ${looks.length} looks at 1 s; ` +
        `first advance on ${notHolding[0]?.decision.counts?.canary.bookings}/${notHolding[0]?.decision.counts?.control.bookings} bookings)`,
    );
  });

  it('changes only the canary percent in the file at each step', async () => {
    const texts = await Promise.all(written.map((w) => w.text));
    expect(texts).toHaveLength(3);
    for (const [i, text] of texts.entries()) {
      const expected = JSON.parse(initialText) as { routes: Record<string, { arms: Array<{ name: string; percent?: number | null }> }> };
      expected.routes[CANARY.route]!.arms.find((a) => a.name === CANARY.arm)!.percent = [SECOND, THIRD, LAST][i]!;
      expect(JSON.parse(text)).toEqual(expected);
    }
  });

  it('is followed by the service: the router reloads each step and Prometheus shows each arm_percent in order', async () => {
    await waitFor(async () => ((await promPercent(stack)) === LAST ? true : undefined), { timeoutMs: 10_000, what: 'arm_percent 100 in Prometheus' });
    expect(routerSaw).toEqual([SECOND, THIRD, LAST]);
    expect(routerPercent(stack)).toBe(LAST);
    const [series] = await stack.prometheus.queryRange(`max(model_canary_arm_percent{route="${CANARY.route}",arm="${CANARY.arm}"})`, {
      start: startedAt / 1000 - 1,
      end: Date.now() / 1000,
      step: 0.5,
    });
    const distinct = (series?.values ?? []).map(([, v]) => v).filter((v, i, all) => i === 0 || v !== all[i - 1]);
    expect(distinct).toEqual([...TEST_RAMP.steps]);
  });

  it('passed every guardrail with confidence at each advance, and reports the step in its own metrics', async () => {
    for (const look of looks.filter((l) => l.decision.decision === 'advance')) {
      expect(look.decision.guardrails.map((g) => [g.name, g.verdict])).toEqual([
        ['bookingSuccess', 'pass'], ['behaviourErrors', 'pass'], ['latencyP95Ratio', 'pass'], ['costPerSuccessRatio', 'pass'], ['budget', 'pass'], ['srm', 'pass'],
      ]);
      expect(look.decision.counts!.step.canaryBookings).toBeGreaterThanOrEqual(TEST_RAMP.minBookingsPerArm);
    }
    const metrics = await timed.registry.metrics();
    expect(metrics).toMatch(/model_canary_ramp_step\{route="orchestrator"\} 100\n/);
    expect(metrics).toMatch(/model_canary_ramp_decisions_total\{route="orchestrator",decision="advance"\} 3\n/);
  });

  // From here the test takes the looks itself (tick() is what the timer runs), so each edit lands at a known point.
  const tick = async (): Promise<RampDecision & { applied: boolean }> => {
    const [look] = await manual!.tick();
    if (look === undefined) throw new Error('the controller looked at no route');
    return { ...look.decision, applied: look.applied };
  };
  const advanceDue = (what: string): Promise<true> =>
    waitFor(async () => ((await peekDecision({ prometheus: client, configFile: rollout.path, auditFile: rollout.auditFile, route: CANARY.route })).decision === 'advance' ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 300,
      what,
    });

  it('adopts a person’s edit between looks as a new step instead of restoring its own percent', async () => {
    await timed.close();
    // A restarted controller: the lock was released, the audit trail keeps the ramp's clock.
    manual = await createRampController({ prometheus: client, configFile: rollout.path, interval: 3_600_000, auditFile: rollout.auditFile });
    const personText = await rollout.personSets(SECOND);
    const first = await tick();
    expect(first).toMatchObject({ decision: 'hold', reason: 'step-minimum', fromPercent: SECOND, toPercent: SECOND, applied: false });
    expect(await rollout.text()).toBe(personText);
    await waitFor(() => (routerPercent(stack) === SECOND ? true : undefined), { what: 'the router at the person’s percent' });
  });

  it('never overwrites a person’s edit made while it is deciding, and ramps on from the person’s percent', async () => {
    await advanceDue('an advance due at the person’s step');
    // The person sets the canary back to the first step after the controller read the file and before it writes.
    let personText = '';
    client.beforeNextQuery(async () => {
      personText = await rollout.personSets(FIRST);
    });
    const raced = await tick();
    expect(raced).toMatchObject({ decision: 'advance', fromPercent: SECOND, toPercent: THIRD, applied: false });
    expect(await rollout.text()).toBe(personText);
    const audit = await rollout.audit();
    expect(audit.at(-1)).toMatchObject({ decision: 'advance', applied: false, conflict: true });
    await waitFor(() => (routerPercent(stack) === FIRST ? true : undefined), { what: 'the router at the person’s percent' });

    // The next look adopts the person's percent as a new step (its clock restarts) instead of restoring its own.
    const next = await tick();
    expect(next).toMatchObject({ decision: 'hold', fromPercent: FIRST, toPercent: FIRST, applied: false });
    expect(await rollout.text()).toBe(personText);
    const last = (await rollout.audit()).at(-1)!;
    expect(last['percent']).toBe(FIRST);
    expect(last['stepStartedAt']).toBeGreaterThan(Number(audit.at(-1)!['stepStartedAt']));
  });

  it('with Prometheus stopped while an advance is due, only holds and writes nothing', async () => {
    await advanceDue('an advance due at the first step again');
    await stack.prometheus.stop();
    const text = await rollout.text();
    const mtime = (await stat(rollout.path)).mtimeMs;
    const held: Array<RampDecision & { applied: boolean }> = [];
    for (let i = 0; i < 4; i++) {
      held.push(await tick());
      await sleep(500);
    }
    expect(held.map((d) => [d.decision, d.reason, d.fromPercent, d.toPercent, d.applied])).toEqual(held.map(() => ['hold', 'no-data', FIRST, FIRST, false]));
    expect(held.every((d) => d.counts === null)).toBe(true);
    expect(await rollout.text()).toBe(text);
    expect((await stat(rollout.path)).mtimeMs).toBe(mtime);
    expect(routerPercent(stack)).toBe(FIRST);
    expect((await rollout.audit()).slice(-4).map((r) => [r['reason'], r['applied']])).toEqual(held.map(() => ['no-data', false]));
    console.info(`controller: after completion, person's edits and Prometheus stop took ${seconds(Date.now() - completedAt)}`);
  });
});

describe('a worse canary is rolled back to 0%', () => {
  let rollout: RampRolloutFile;
  let stack: RampStack;
  let controller: RampController;
  const looks: Look[] = [];
  let startedAt: number;

  beforeAll(async () => {
    rollout = await createRampRollout(FIRST);
    // The canary model sends invalid plans for 80% of bookings (a model-behaviour error); control none.
    stack = await startRampStack({ rolloutFile: rollout.path, canaryPlans: { invalidRate: 0.8, incompleteRate: 0 }, controlPlans: { invalidRate: 0, incompleteRate: 0 }, seed: 'worse' });
    startedAt = Date.now();
    controller = await lookEverySecond(stack, rollout, looks);
    await waitFor(async () => ((await rollout.canaryPercent()) === 0 ? true : undefined), { timeoutMs: 30_000, intervalMs: 100, what: 'the rollback to 0%' });
    // Two more looks after the rollback.
    const afterRollback = (): number => looks.length - 1 - looks.findIndex((l) => l.decision.decision === 'rollback');
    await waitFor(() => (looks.some((l) => l.decision.decision === 'rollback') && afterRollback() >= 2 ? true : undefined), { timeoutMs: 10_000, what: 'two looks after the rollback' });
  }, 60_000);

  afterAll(() => tearDown(controller, stack, rollout));

  it('rolls back at the first look at which both arms have enough bookings to be tested, never advancing before', () => {
    const index = looks.findIndex((l) => l.decision.decision === 'rollback');
    const rollback = looks[index]!;
    expect(rollback).toMatchObject({ applied: true, decision: { reason: 'guardrail-failed', fromPercent: FIRST, toPercent: 0 } });
    const failed = rollback.decision.guardrails.filter((g) => g.verdict === 'fail').map((g) => g.name);
    expect(failed).toContain('behaviourErrors');
    // The documented bound: below MIN_SAMPLES_PER_ARM bookings per arm no guardrail is evaluated; the first
    // look with that many must already roll back (80 pp more invalid plans against a 25 pp margin).
    const earlier = looks.slice(0, index);
    expect(earlier.map((l) => l.decision.decision).filter((d) => d !== 'hold')).toEqual([]);
    const tested = (l: Look): boolean => (l.decision.counts?.canary.bookings ?? 0) >= MIN_SAMPLES_PER_ARM && (l.decision.counts?.control.bookings ?? 0) >= MIN_SAMPLES_PER_ARM;
    expect(earlier.filter(tested)).toEqual([]);
    console.info(
      `controller: worse canary rolled back after ${seconds(rollback.at - startedAt)} at look ${index + 1}, on ` +
        `${rollback.decision.counts?.canary.bookings}/${rollback.decision.counts?.control.bookings} bookings (${failed.join(', ')} failed; ` +
        `behaviour errors ${rollback.decision.counts?.canary.behaviourErrors}/${rollback.decision.counts?.canary.calls} vs ${rollback.decision.counts?.control.behaviourErrors}/${rollback.decision.counts?.control.calls})`,
    );
  });

  it('stays at 0%: later looks hold as stopped, and the service and Prometheus follow', async () => {
    const after = looks.slice(looks.findIndex((l) => l.decision.decision === 'rollback') + 1);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after.map((l) => [l.decision.decision, l.decision.reason, l.applied])).toEqual(after.map(() => ['hold', 'stopped', false]));
    expect(await rollout.canaryPercent()).toBe(0);
    expect(routerPercent(stack)).toBe(0);
    await waitFor(async () => ((await promPercent(stack)) === 0 ? true : undefined), { timeoutMs: 10_000, what: 'arm_percent 0 in Prometheus' });
  });
});


describe('a step change with bookings in flight across it', () => {
  let rollout: RampRolloutFile;
  let stack: RampStack;
  let controller: RampController;
  const looks: Look[] = [];
  /** Orchestrator bookings that have their arm and have not ended, by key. */
  const open = new Set<string>();
  /** How many were open at each step change the router applied. */
  const openAtChange: number[] = [];

  beforeAll(async () => {
    // The same plan quality on both arms (an A/A on quality), bookings that take seconds (the simulator's own
    // latencies), and early steps that advance on no harm: every step change happens with bookings in flight,
    // assigned at the old percent and ending at the new one.
    const ramp = { ...TEST_RAMP, steps: [10, 50, 100], proveBefore: 100, minBookingsPerArm: 15, minDurationMinutes: 0.1 };
    rollout = await createRampRollout(10, ramp);
    stack = await startRampStack({ rolloutFile: rollout.path, canaryPlans: HAIKU_PLANS, controlPlans: HAIKU_PLANS, seed: 'in-flight', concurrency: 64, timeScale: 1 });
    stack.service.router.on('unitAssignment', (e) => {
      if (e.route === CANARY.route) open.add(e.key);
    });
    stack.service.router.on('unit', (e) => open.delete(e.key));
    stack.service.router.on('config', (e) => {
      if (e.result === 'applied') openAtChange.push(open.size);
    });
    controller = await lookEverySecond(stack, rollout, looks);
    await waitFor(() => (looks.some((l) => l.decision.reason === 'completed' || l.decision.decision === 'rollback') ? true : undefined), {
      timeoutMs: 150_000,
      intervalMs: 250,
      what: 'the ramp to complete or roll back',
    });
  }, 180_000);

  afterAll(() => tearDown(controller, stack, rollout));

  it('changes steps while bookings assigned at the old percent are still running', () => {
    expect(openAtChange.length).toBeGreaterThanOrEqual(2);
    expect(openAtChange.every((n) => n > 0)).toBe(true);
  });

  it('counts those bookings in the split they were assigned in: no sample-ratio mismatch at any look, and the ramp completes', () => {
    const notHolding = looks.filter((l) => l.decision.decision !== 'hold');
    expect(notHolding.map((l) => [l.decision.decision, l.decision.fromPercent, l.decision.toPercent])).toEqual([
      ['advance', 10, 50], ['advance', 50, 100],
    ]);
    expect(looks.filter((l) => l.decision.guardrails.some((g) => g.name === 'srm' && g.verdict === 'fail'))).toEqual([]);
    for (const l of notHolding) {
      const { canaryBookings, otherBookings } = l.decision.counts!.step;
      expect(canaryBookings).toBeGreaterThanOrEqual(15);
      expect(l.decision.guardrails.find((g) => g.name === 'srm')?.verdict).toBe('pass');
      console.info(`controller in flight: at ${l.decision.fromPercent}% the step assigned ${canaryBookings}/${canaryBookings + otherBookings} to the canary (${open.size} open now)`);
    }
    console.info(`controller in flight: bookings open at each step change ${openAtChange.join(', ')}`);
  });
});
