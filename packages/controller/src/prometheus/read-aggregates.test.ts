import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePrometheus, type FakePrometheus } from '../controller/test-helpers/fake-prometheus.js';
import { decideRamp } from '../decision/decide.js';
import { PLAN } from '../decision/test-helpers/profiles.js';
import { CounterLedger } from './counter-ledger.js';
import { createPrometheusClient } from './prometheus-client.js';
import { createRouteReader } from './read-aggregates.js';

let prom: FakePrometheus;
beforeAll(async () => {
  prom = await startFakePrometheus();
});
afterAll(async () => {
  await prom.close();
});

const HOUR = 3_600_000;
const reader = () => createRouteReader(createPrometheusClient({ url: prom.url }), { route: 'orchestrator', canaryArm: 'canary', controlArm: 'control' });

describe('createRouteReader over Prometheus HTTP', () => {
  it('reads the judge verdicts on control\'s served calls, pooled over the ramp, for judged quality (issue 16)', async () => {
    const same = { costPerBooking: 0.001, latencySeconds: 1 };
    prom.set({
      canary: { success: 900, failure: 100, invalid: 0, ...same },
      control: { success: 9000, failure: 1000, invalid: 0, ...same, judgements: { candidate_better: 300, served_better: 600, tie: 100, judge_error: 7 } },
    });
    prom.queries.length = 0;
    const a = await reader().read({ rampStartedAt: 0, stepStartedAt: 0, percent: 10, now: HOUR });
    expect(a?.judgements).toEqual({ candidateBetter: 300, servedBetter: 600, tie: 100 });
    expect(prom.queries.find((q) => q.includes('judgements_total'))).toContain('arm="control"');
    const judged = { ...PLAN, guardrails: { ...PLAN.guardrails, judgedQuality: { margin: 0.05 } } };
    const d = decideRamp({ state: { percent: 10, stepStartedAt: 0 }, aggregates: a!, plan: judged, now: HOUR });
    expect(d).toMatchObject({ decision: 'rollback', reason: 'guardrail-failed' });
    expect(d.guardrails.filter((g) => g.verdict === 'fail').map((g) => g.name)).toEqual(['judgedQuality']);
  });

  it('counts exactly what the counters grew since the step began, keeping capacity errors apart from behaviour errors', async () => {
    prom.set({
      canary: { success: 90, failure: 5, invalid: 5, costPerBooking: 0.003, latencySeconds: 1.5, overloaded: 7, abandoned: 12, cancelled: 40 },
      control: { success: 850, failure: 100, invalid: 50, costPerBooking: 0.001, latencySeconds: 0.8 },
    });
    prom.queries.length = 0;
    const r = reader();
    // The first look takes its baselines at the step's start (an hour ago), then reads now: one hour of growth.
    const a = await r.read({ rampStartedAt: 0, stepStartedAt: 0, percent: 10, now: HOUR });
    expect(a?.steps).toHaveLength(1);
    // The 12 bookings abandoned at shutdown are neither bookings nor failures; the 40 cancelled calls are no calls to judge.
    expect(a?.steps[0]?.canary).toMatchObject({ bookings: 100, successes: 90, calls: 100, behaviourErrors: 5, capacityErrors: 7 });
    expect(a?.steps[0]?.canary.costUsd).toBeCloseTo(0.3, 10);
    expect(a?.steps[0]?.control.latency.count).toBe(1000);
    expect(a?.step).toEqual({ canaryBookings: 100, controlBookings: 1000, otherBookings: 1000 });
    expect(a?.mixedBookings).toBe(2);
    expect(prom.queries.some((q) => q.includes('increase('))).toBe(false);
    expect(prom.queries.some((q) => q.startsWith('model_canary_unit_assignments_total{route="orchestrator"}'))).toBe(true);
    // Latency of every call, whatever its outcome (intent to treat), like success and cost.
    const latency = prom.queries.find((q) => q.includes('request_duration_seconds_bucket'));
    expect(latency).toBeDefined();
    expect(latency).not.toContain('outcome=');
  });

  it('counts bookings the app never ended (expired) as failures: an arm cannot hide failures by leaving bookings open', async () => {
    // The canary's app path leaves 15% of its bookings open (never ended): they expire. Of those it ends, it
    // succeeds as often as control. Left out, the canary would look as good as control.
    prom.set({
      canary: { success: 7225, failure: 1275, invalid: 0, expired: 1500, costPerBooking: 0.001, latencySeconds: 1 },
      control: { success: 76_500, failure: 13_500, invalid: 0, costPerBooking: 0.001, latencySeconds: 1 },
    });
    const a = await reader().read({ rampStartedAt: 0, stepStartedAt: 0, percent: 10, now: HOUR });
    expect(a?.steps[0]?.canary).toMatchObject({ bookings: 10_000, successes: 7225 });
    const d = decideRamp({ state: { percent: 10, stepStartedAt: 0 }, aggregates: a!, plan: PLAN, now: HOUR });
    expect(d.decision).toBe('rollback');
    expect(d.guardrails.find((g) => g.name === 'bookingSuccess')?.verdict).toBe('fail');
  });

  it('starts a new step at the first look after the step changed, and keeps the old one apart', async () => {
    prom.set({ canary: { success: 100, failure: 0, invalid: 0, costPerBooking: 0.001, latencySeconds: 1 }, control: { success: 900, failure: 0, invalid: 0, costPerBooking: 0.001, latencySeconds: 1 } });
    const r = reader();
    await r.read({ rampStartedAt: 0, stepStartedAt: 0, percent: 10, now: HOUR });
    const b = await r.read({ rampStartedAt: 0, stepStartedAt: 1.5 * HOUR, percent: 25, now: 2 * HOUR });
    expect(b?.steps.map((s) => s.canary.bookings)).toEqual([200, 0]);
    expect(b?.step.canaryBookings).toBe(0);
    const c = await r.read({ rampStartedAt: 0, stepStartedAt: 1.5 * HOUR, percent: 25, now: 3 * HOUR });
    expect(c?.steps.map((s) => [s.percent, s.canary.bookings])).toEqual([[10, 200], [25, 100]]);
    expect(c?.step.canaryBookings).toBe(100);
  });

  it('a restarted controller whose step starts at this very look (a person’s edit) starts that step empty, the ramp so far apart', async () => {
    prom.set({ canary: { success: 100, failure: 0, invalid: 0, costPerBooking: 0.001, latencySeconds: 1 }, control: { success: 900, failure: 0, invalid: 0, costPerBooking: 0.001, latencySeconds: 1 } });
    const a = await reader().read({ rampStartedAt: 0, stepStartedAt: 2 * HOUR, percent: 25, now: 2 * HOUR });
    // Not the whole ramp's assignments (10%) judged against the new 25%: that would be a sample-ratio mismatch.
    expect(a?.step).toEqual({ canaryBookings: 0, controlBookings: 0, otherBookings: 0 });
    expect(a?.steps.map((s) => [s.percent, s.canary.bookings])).toEqual([[Number.NaN, 200], [25, 0]]);
  });

  it('answers null when there is no series at all', async () => {
    prom.set({});
    expect(await reader().read({ rampStartedAt: 0, stepStartedAt: 0, percent: 10, now: HOUR })).toBeNull();
  });

  it('throws a PROMETHEUS error when Prometheus does not answer', async () => {
    prom.set(null);
    await expect(reader().read({ rampStartedAt: 0, stepStartedAt: 0, percent: 10, now: HOUR })).rejects.toMatchObject({ code: 'PROMETHEUS' });
  });
});

describe('CounterLedger', () => {
  const sample = (instance: string, value: number) => ({ metric: { arm: 'canary', instance }, value });

  it('counts exact increases per replica: a reset counts from 0, a new replica from 0, a vanished one keeps its count', () => {
    const ledger = new CounterLedger();
    ledger.update('units', [sample('a', 100), sample('b', 50)], false);
    const start = ledger.mark();
    ledger.update('units', [sample('a', 110), sample('b', 55)]);
    // Replica a restarts (its counter drops to 3), replica b goes away, replica c comes up with 4.
    ledger.update('units', [sample('a', 3), sample('c', 4)]);
    const total = ledger.deltas(start).reduce((s, d) => s + d.value, 0);
    expect(total).toBe(10 + 3 + 5 + 4);
  });

  it('does not extrapolate: 10 events between two reads are 10 (PromQL increase() over a short window can say 20)', () => {
    const ledger = new CounterLedger();
    ledger.update('units', [sample('a', 40)], false);
    const start = ledger.mark();
    ledger.update('units', [sample('a', 50)]);
    expect(ledger.deltas(start)[0]?.value).toBe(10);
  });
});
