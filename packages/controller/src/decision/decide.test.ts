import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { decideRamp } from './decide.js';
import { countRollout } from './test-helpers/count-rollout.js';
import { HAIKU, PLAN, SONNET } from './test-helpers/profiles.js';
import type { ArmAggregate, RampPlan, RouteAggregates } from './types.js';

/** 800 bookings a minute, a look every 30 s, at most 5 simulated hours. */
const RUN = { bookingsPerLook: 400, lookMinutes: 0.5, maxLooks: 600 };

describe('decideRamp over simulated rollouts (counts drawn from seeded binomials, a look every interval)', () => {
  it.each([
    ['5 pp lower booking success', 'bookingSuccess', 0.95, { ...HAIKU, success: 0.85 }],
    ['4x cost per booking', 'costPerSuccessRatio', 0.95, { ...HAIKU, costMean: 0.016, costSd: 0.008 }],
    ['4 pp more behaviour errors', 'behaviourErrors', 0.95, { ...HAIKU, behaviourError: 0.06 }],
  ] as const)('power: a canary with %s is rolled back by %s in at least %d of 500 rollouts', (_label, guardrail, power, profile) => {
    const random = seedrandom.alea(`power-${guardrail}`);
    const results = Array.from({ length: 500 }, () => countRollout({ plan: PLAN, canary: profile, control: HAIKU, random, ...RUN }));
    const rolledBack = results.filter((x) => x.outcome === 'rolledBack' && x.last.guardrails.some((g) => g.name === guardrail && g.verdict === 'fail'));
    expect(rolledBack.length / 500).toBeGreaterThanOrEqual(power);
  }, 60_000);

  it('a better, 3x pricier canary under a 3.5x cost cap completes in at least 90% of 500 rollouts', () => {
    const random = seedrandom.alea('better');
    const results = Array.from({ length: 500 }, () => countRollout({ plan: PLAN, canary: SONNET, control: HAIKU, random, ...RUN }));
    expect(results.filter((x) => x.outcome === 'completed').length / 500).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it('SRM: a 12%/88% split configured as 10% is rolled back for sample-ratio mismatch', () => {
    const random = seedrandom.alea('srm');
    const plan: RampPlan = { ...PLAN, steps: [10, 100].map((percent) => ({ percent, minBookingsPerArm: 100_000, minDurationMinutes: 0 })) };
    const results = Array.from({ length: 200 }, () => countRollout({ plan, canary: HAIKU, control: HAIKU, random, ...RUN, maxLooks: 200, srmShareOverride: () => 0.12 }));
    expect(results.every((x) => x.outcome === 'rolledBack' && x.last.reason === 'sample-ratio-mismatch')).toBe(true);
  });
});

const arm = (n: number, over: Partial<ArmAggregate> = {}): ArmAggregate => ({
  bookings: n, successes: 0.9 * n, calls: n, behaviourErrors: 0.02 * n, capacityErrors: 0, costUsd: 0.004 * n, costSumSquares: n * (0.004 ** 2 + 0.002 ** 2),
  latency: { buckets: [{ le: 1, count: 0.3 * n }, { le: 2, count: 0.8 * n }, { le: 5, count: 0.99 * n }, { le: Number.POSITIVE_INFINITY, count: n }], count: n, sum: 1.5 * n },
  ...over,
});
const aggregates = (canary: Partial<ArmAggregate>, step = { canaryBookings: 5000, controlBookings: 45_000, otherBookings: 45_000 }): RouteAggregates => ({
  steps: [{ percent: 10, canary: arm(5000, canary), control: arm(45_000) }],
  step,
  mixedBookings: 3,
});

describe('decideRamp, one look', () => {
  const at10 = { percent: 10, stepStartedAt: 0 };
  const now = 60 * 60_000;

  it.each([
    ['Prometheus down (no aggregates)', { state: at10, aggregates: null }, 'hold', 'no-data'],
    ['no series (all zero)', { state: at10, aggregates: { steps: [{ percent: 10, canary: arm(0), control: arm(0) }], step: { canaryBookings: 0, controlBookings: 0, otherBookings: 0 }, mixedBookings: 0 } }, 'hold', 'no-data'],
    ['at 0% after a rollback', { state: { percent: 0, stepStartedAt: 0 }, aggregates: aggregates({}) }, 'hold', 'stopped'],
    ['kill switch off', { state: { ...at10, enabled: false }, aggregates: aggregates({}) }, 'hold', 'disabled'],
    ['an off-plan percent set by a person', { state: { percent: 7, stepStartedAt: 0 }, aggregates: aggregates({}, { canaryBookings: 700, controlBookings: 9300, otherBookings: 9300 }) }, 'hold', 'off-plan'],
    ['step too young', { state: { percent: 10, stepStartedAt: now - 60_000 }, aggregates: aggregates({}) }, 'hold', 'step-minimum'],
    ['identical arms with enough data, next step below proveBefore', { state: at10, aggregates: aggregates({}) }, 'advance', 'no-harm'],
    ['canary 5 pp worse', { state: at10, aggregates: aggregates({ successes: 4250 }) }, 'rollback', 'guardrail-failed'],
    ['budget exhausted', { state: at10, aggregates: aggregates({ costUsd: 1100 }) }, 'rollback', 'budget-exhausted'],
    ['12% of the step on a 10% canary', { state: at10, aggregates: aggregates({}, { canaryBookings: 1200, controlBookings: 8800, otherBookings: 8800 }) }, 'rollback', 'sample-ratio-mismatch'],
  ] as const)('%s', (_label, input, decision, reason) => {
    const d = decideRamp({ ...input, plan: PLAN, now });
    expect(d.decision).toBe(decision);
    expect(d.reason).toBe(reason);
    if (decision === 'advance') expect(d.toPercent).toBe(25);
    if (decision === 'rollback') expect(d.toPercent).toBe(0);
  });

  it('advances an early step on no harm, but proves non-inferiority before a step at or above proveBefore', () => {
    const few = (n: number, percent: number): RouteAggregates => {
      const others = Math.round((n * (100 - percent)) / percent);
      return { steps: [{ percent, canary: arm(n), control: arm(others) }], step: { canaryBookings: n, controlBookings: others, otherBookings: others }, mixedBookings: 0 };
    };
    // 300 canary bookings: far too few to prove a 2 pp margin, enough for the step's minimums.
    expect(decideRamp({ state: at10, aggregates: few(300, 10), plan: PLAN, now })).toMatchObject({ decision: 'advance', reason: 'no-harm', toPercent: 25 });
    const at25 = { percent: 25, stepStartedAt: 0 };
    expect(decideRamp({ state: at25, aggregates: few(300, 25), plan: PLAN, now })).toMatchObject({ decision: 'hold', reason: 'inconclusive' });
    expect(decideRamp({ state: at25, aggregates: few(10_000, 25), plan: PLAN, now })).toMatchObject({ decision: 'advance', reason: 'guardrails-passed', toPercent: 50 });
    // The last step always needs proof, whatever proveBefore says.
    const at50 = { percent: 50, stepStartedAt: 0 };
    expect(decideRamp({ state: at50, aggregates: few(300, 50), plan: { ...PLAN, proveBefore: 101 }, now })).toMatchObject({ decision: 'hold', reason: 'inconclusive' });
  });

  it('completed means completed: at the last step nothing is compared, so a drop that hits both arms cannot roll it back', () => {
    const awful = aggregates({ successes: 1000 });
    expect(decideRamp({ state: at10, aggregates: awful, plan: PLAN, now }).decision).toBe('rollback');
    expect(decideRamp({ state: { percent: 100, stepStartedAt: 0 }, aggregates: awful, plan: PLAN, now })).toMatchObject({ decision: 'hold', reason: 'completed', toPercent: 100 });
  });

  it('compares within steps: an incident that hits both arms in the step where the canary has most of its bookings is not a canary effect', () => {
    // Step 5%: both arms 90% success. Step 25%: a shared incident, both arms at 80%. Pooled over the ramp the canary
    // (mostly in the second step) reads 82% against control's 86%: a 4 pp "harm" that is only time.
    const step = (percent: number, canaryN: number, controlN: number, p: number) => ({ percent, canary: arm(canaryN, { successes: p * canaryN }), control: arm(controlN, { successes: p * controlN }) });
    const shared: RouteAggregates = { steps: [step(5, 1000, 19_000, 0.9), step(25, 4000, 12_000, 0.8)], step: { canaryBookings: 4000, controlBookings: 12_000, otherBookings: 12_000 }, mixedBookings: 0 };
    const d = decideRamp({ state: { percent: 25, stepStartedAt: 0 }, aggregates: shared, plan: PLAN, now });
    expect(d.decision).not.toBe('rollback');
    expect(d.guardrails.find((g) => g.name === 'bookingSuccess')?.estimate).toBeCloseTo(0, 10);
    expect(d.counts!.canary.successes / d.counts!.canary.bookings - d.counts!.control.successes / d.counts!.control.bookings).toBeLessThan(-0.03);
  });

  it('provider capacity errors are shown but never fail the behaviour guardrail', () => {
    const d = decideRamp({ state: at10, aggregates: aggregates({ capacityErrors: 400 }), plan: PLAN, now });
    expect(d.decision).toBe('advance');
    expect(d.guardrails.find((g) => g.name === 'behaviourErrors')?.detail).toContain('capacity errors (not counted) 400');
  });

  it('mixed-arm bookings are carried in the evidence', () => {
    const d = decideRamp({ state: at10, aggregates: aggregates({}), plan: PLAN, now });
    expect(d.counts?.mixedBookings).toBe(3);
  });
});
