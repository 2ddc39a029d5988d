import type { Uniform } from '../../stats/binomial.js';
import { sampleBinomial } from '../../stats/binomial.js';
import type { Histogram } from '../../stats/histogram.js';
import { decideRamp } from '../decide.js';
import type { ArmAggregate, RampDecision, RampPlan, StepArms } from '../types.js';

/** An arm's behaviour as probabilities and moments: enough to simulate counts without bookings. */
export interface CountProfile {
  readonly success: number;
  readonly behaviourError: number;
  readonly capacityError: number;
  readonly costMean: number;
  readonly costSd: number;
  /** Probability of each latency bucket (last one the +Inf bucket), summing to 1. */
  readonly latencyBuckets: readonly number[];
}

export const LATENCY_EDGES = [0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 60];

export function lognormalBuckets(medianSeconds: number, sigma: number): number[] {
  const cdf = (x: number): number => 0.5 * (1 + erf(Math.log(x / medianSeconds) / (sigma * Math.SQRT2)));
  const probs: number[] = [];
  let prev = 0;
  for (const e of LATENCY_EDGES) {
    const c = cdf(e);
    probs.push(c - prev);
    prev = c;
  }
  probs.push(1 - prev);
  return probs;
}

function erf(x: number): number {
  // Abramowitz & Stegun 7.1.26, good to 1.5e-7: enough to lay out bucket probabilities.
  const s = Math.sign(x);
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return s * y;
}

interface MutableArm {
  bookings: number;
  successes: number;
  calls: number;
  behaviourErrors: number;
  capacityErrors: number;
  costUsd: number;
  costSumSquares: number;
  bucketCounts: number[];
}

const emptyArm = (): MutableArm => ({ bookings: 0, successes: 0, calls: 0, behaviourErrors: 0, capacityErrors: 0, costUsd: 0, costSumSquares: 0, bucketCounts: LATENCY_EDGES.map(() => 0).concat(0) });

function addBookings(arm: MutableArm, n: number, p: CountProfile, random: Uniform): void {
  if (n === 0) return;
  arm.bookings += n;
  arm.calls += n;
  arm.successes += sampleBinomial(n, p.success, random);
  arm.behaviourErrors += sampleBinomial(n, p.behaviourError, random);
  arm.capacityErrors += sampleBinomial(n, p.capacityError, random);
  // Sum of n costs by its normal approximation (n ≥ 1 per look is plenty for a guardrail test).
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const sum = Math.max(0, n * p.costMean + Math.sqrt(n) * p.costSd * z);
  arm.costUsd += sum;
  arm.costSumSquares += n * (p.costSd * p.costSd + p.costMean * p.costMean);
  let left = n;
  let mass = 1;
  p.latencyBuckets.forEach((q, i) => {
    const k = i === p.latencyBuckets.length - 1 ? left : sampleBinomial(left, Math.min(1, q / mass), random);
    arm.bucketCounts[i]! += k;
    left -= k;
    mass -= q;
  });
}

function freeze(arm: MutableArm): ArmAggregate {
  let cumulative = 0;
  const buckets = arm.bucketCounts.map((c, i) => {
    cumulative += c;
    return { le: LATENCY_EDGES[i] ?? Number.POSITIVE_INFINITY, count: cumulative };
  });
  const latency: Histogram = { buckets, count: cumulative, sum: 0 };
  return { ...arm, latency };
}

export interface CountRolloutResult {
  readonly outcome: 'completed' | 'rolledBack' | 'holding';
  readonly last: RampDecision;
  readonly looks: number;
}

/**
 * One simulated rollout: every look, `bookingsPerLook` bookings split by the current percent,
 * outcomes drawn from the arm profiles, and `decideRamp` called exactly as the controller does.
 */
export function countRollout({ plan, canary, control, random, bookingsPerLook, lookMinutes, maxLooks, srmShareOverride }: {
  plan: RampPlan; canary: CountProfile; control: CountProfile; random: Uniform; bookingsPerLook: number; lookMinutes: number; maxLooks: number;
  /** Serve this canary share instead of the configured percent (to provoke an SRM). */
  srmShareOverride?: (percent: number) => number;
}): CountRolloutResult {
  let c = emptyArm();
  let t = emptyArm();
  const closed: StepArms[] = [];
  let percent = plan.steps[0]!.percent;
  let stepStartedAt = 0;
  let step = { canaryBookings: 0, controlBookings: 0, otherBookings: 0 };
  let last: RampDecision | undefined;
  for (let look = 1; look <= maxLooks; look++) {
    const now = look * lookMinutes * 60_000;
    const share = srmShareOverride ? srmShareOverride(percent) : percent / 100;
    const n1 = sampleBinomial(bookingsPerLook, share, random);
    const n0 = bookingsPerLook - n1;
    addBookings(c, n1, canary, random);
    addBookings(t, n0, control, random);
    step = { canaryBookings: step.canaryBookings + n1, controlBookings: step.controlBookings + n0, otherBookings: step.otherBookings + n0 };
    const d = decideRamp({ state: { percent, stepStartedAt }, aggregates: { steps: [...closed, { percent, canary: freeze(c), control: freeze(t) }], step, mixedBookings: 0 }, plan, now });
    last = d;
    if (d.decision === 'rollback') return { outcome: 'rolledBack', last: d, looks: look };
    if (d.decision === 'advance') {
      closed.push({ percent, canary: freeze(c), control: freeze(t) });
      c = emptyArm();
      t = emptyArm();
      percent = d.toPercent;
      stepStartedAt = now;
      step = { canaryBookings: 0, controlBookings: 0, otherBookings: 0 };
      if (percent === plan.steps[plan.steps.length - 1]!.percent) return { outcome: 'completed', last: d, looks: look };
    }
  }
  return { outcome: 'holding', last: last!, looks: maxLooks };
}
