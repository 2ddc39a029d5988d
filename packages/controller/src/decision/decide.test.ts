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
  cumulative: { canary: arm(5000, canary), control: arm(45_000) },
  step,
  mixedBookings: 3,
});

describe('decideRamp, one look', () => {
  const at10 = { percent: 10, stepStartedAt: 0 };
  const now = 60 * 60_000;

  it.each([
    ['Prometheus down (no aggregates)', { state: at10, aggregates: null }, 'hold', 'no-data'],
    ['no series (all zero)', { state: at10, aggregates: { cumulative: { canary: arm(0), control: arm(0) }, step: { canaryBookings: 0, controlBookings: 0, otherBookings: 0 }, mixedBookings: 0 } }, 'hold', 'no-data'],
    ['at 0% after a rollback', { state: { percent: 0, stepStartedAt: 0 }, aggregates: aggregates({}) }, 'hold', 'stopped'],
    ['kill switch off', { state: { ...at10, enabled: false }, aggregates: aggregates({}) }, 'hold', 'disabled'],
    ['an off-plan percent set by a person', { state: { percent: 7, stepStartedAt: 0 }, aggregates: aggregates({}, { canaryBookings: 700, controlBookings: 9300, otherBookings: 9300 }) }, 'hold', 'off-plan'],
    ['step too young', { state: { percent: 10, stepStartedAt: now - 60_000 }, aggregates: aggregates({}) }, 'hold', 'step-minimum'],
    ['identical arms with enough data', { state: at10, aggregates: aggregates({}) }, 'advance', 'guardrails-passed'],
    ['canary 5 pp worse', { state: at10, aggregates: aggregates({ successes: 4250 }) }, 'rollback', 'guardrail-failed'],
    ['budget exhausted', { state: at10, aggregates: aggregates({ costUsd: 1100 }) }, 'rollback', 'budget-exhausted'],
    ['12% of the step on a 10% canary', { state: at10, aggregates: aggregates({}, { canaryBookings: 1200, controlBookings: 8800, otherBookings: 8800 }) }, 'rollback', 'sample-ratio-mismatch'],
  ] as const)('%s: %s (%s)', (_label, input, decision, reason) => {
    const d = decideRamp({ ...input, plan: PLAN, now });
    expect(d.decision).toBe(decision);
    expect(d.reason).toBe(reason);
    if (decision === 'advance') expect(d.toPercent).toBe(25);
    if (decision === 'rollback') expect(d.toPercent).toBe(0);
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
