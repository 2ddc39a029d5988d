import type { Histogram } from '../stats/histogram.js';
import type { ArmAggregate } from './types.js';

/** One arm's counts over several steps (for display, the audit trail and the budget's totals; never compared pooled). */
export function sumArms(arms: readonly ArmAggregate[]): ArmAggregate {
  const add = (f: (a: ArmAggregate) => number): number => arms.reduce((s, a) => s + f(a), 0);
  return {
    bookings: add((a) => a.bookings),
    successes: add((a) => a.successes),
    calls: add((a) => a.calls),
    behaviourErrors: add((a) => a.behaviourErrors),
    capacityErrors: add((a) => a.capacityErrors),
    costUsd: add((a) => a.costUsd),
    costSumSquares: add((a) => a.costSumSquares),
    latency: sumHistograms(arms.map((a) => a.latency)),
  };
}

function sumHistograms(hs: readonly Histogram[]): Histogram {
  const first = hs.find((h) => h.buckets.length > 0);
  if (first === undefined) return { buckets: [], count: hs.reduce((a, h) => a + h.count, 0), sum: hs.reduce((a, h) => a + h.sum, 0) };
  return {
    buckets: first.buckets.map((b, i) => ({ le: b.le, count: hs.reduce((a, h) => a + (h.buckets[i]?.count ?? h.count), 0) })),
    count: hs.reduce((a, h) => a + h.count, 0),
    sum: hs.reduce((a, h) => a + h.sum, 0),
  };
}
