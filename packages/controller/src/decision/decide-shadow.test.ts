import { describe, expect, it } from 'vitest';
import { decideRamp } from './decide.js';
import { PLAN } from './test-helpers/profiles.js';
import type { ArmAggregate, RampPlan, RouteAggregates } from './types.js';

const arm = (n: number): ArmAggregate => ({
  bookings: n, successes: 0.9 * n, calls: n, behaviourErrors: 0.02 * n, capacityErrors: 0, costUsd: 0.004 * n, costSumSquares: n * (0.004 ** 2 + 0.002 ** 2),
  latency: { buckets: [{ le: 1, count: 0.3 * n }, { le: 2, count: 0.8 * n }, { le: 5, count: 0.99 * n }, { le: Number.POSITIVE_INFINITY, count: n }], count: n, sum: 1.5 * n },
});
const judged = (candidateBetter: number, servedBetter: number, tie: number, percent = 10): RouteAggregates => ({
  steps: [{ percent, canary: arm(percent === 0 ? 0 : 5000), control: arm(45_000) }],
  step: { canaryBookings: percent === 0 ? 0 : 5000, controlBookings: 45_000, otherBookings: 45_000 },
  mixedBookings: 0,
  judgements: { candidateBetter, servedBetter, tie },
});
const JUDGED: RampPlan = { ...PLAN, guardrails: { ...PLAN.guardrails, judgedQuality: { margin: 0.05 } }, shadow: { minJudgements: 500, margin: 0.05 } };
const now = 60 * 60_000;
const shadowPhase = { percent: 0, stepStartedAt: 0, phase: 'shadow' as const };

describe('the shadow phase before the first step', () => {
  it('holds until it has its minimum of judgements, then starts the first step once quality is proven non-inferior', () => {
    expect(decideRamp({ state: shadowPhase, aggregates: judged(140, 140, 120, 0), plan: JUDGED, now })).toMatchObject({ decision: 'hold', reason: 'shadow-judging', toPercent: 0 });
    expect(decideRamp({ state: shadowPhase, aggregates: judged(700, 700, 600, 0), plan: JUDGED, now })).toMatchObject({ decision: 'advance', reason: 'shadow-passed', toPercent: 5 });
  });

  it('stops the rollout when the canary is proven worse (it never starts), and a stopped route stays stopped', () => {
    const d = decideRamp({ state: shadowPhase, aggregates: judged(300, 600, 100, 0), plan: JUDGED, now });
    expect(d).toMatchObject({ decision: 'rollback', reason: 'shadow-failed', toPercent: 0 });
    expect(d.guardrails.map((g) => [g.name, g.verdict])).toEqual([['judgedQuality', 'fail']]);
    expect(decideRamp({ state: { percent: 0, stepStartedAt: 0 }, aggregates: judged(300, 600, 100, 0), plan: JUDGED, now })).toMatchObject({ decision: 'hold', reason: 'stopped' });
  });
});

describe('judged quality as a guardrail during the ramp', () => {
  const at10 = { percent: 10, stepStartedAt: 0 };

  it('rolls back a canary that loses on quality while booking success cannot tell', () => {
    const d = decideRamp({ state: at10, aggregates: judged(300, 600, 100), plan: JUDGED, now });
    expect(d).toMatchObject({ decision: 'rollback', reason: 'guardrail-failed' });
    expect(d.guardrails.filter((g) => g.verdict === 'fail').map((g) => g.name)).toEqual(['judgedQuality']);
    // The same counts without the guardrail configured: judgements are not read, the step advances on no harm.
    expect(decideRamp({ state: at10, aggregates: judged(300, 600, 100), plan: PLAN, now })).toMatchObject({ decision: 'advance', reason: 'no-harm' });
  });

  it('must pass before proveBefore when configured', () => {
    const at25 = { percent: 25, stepStartedAt: 0 };
    const big = (j: [number, number, number]): RouteAggregates => ({ ...judged(...j), steps: [{ percent: 25, canary: arm(10_000), control: arm(30_000) }], step: { canaryBookings: 10_000, controlBookings: 30_000, otherBookings: 30_000 } });
    expect(decideRamp({ state: at25, aggregates: big([20, 20, 10]), plan: JUDGED, now })).toMatchObject({ decision: 'hold', reason: 'inconclusive' });
    expect(decideRamp({ state: at25, aggregates: big([2000, 2000, 1000]), plan: JUDGED, now })).toMatchObject({ decision: 'advance', reason: 'guardrails-passed' });
  });
});
