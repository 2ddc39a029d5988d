import type { ArmAggregate } from '../decision/types.js';
import { histogramSumSquaresUpper, type Histogram } from '../stats/histogram.js';
import type { SampledBooking } from './booking-sampler.js';

/**
 * Counts one arm's bookings the way Prometheus would hold them (counters and histograms with the
 * metrics package's buckets), so that the rehearsal feeds decideRamp exactly what the controller
 * reads: in particular Σcost² comes from the cost histogram's bound, not from exact values.
 */
export class ArmAccumulator {
  bookings = 0;
  successes = 0;
  calls = 0;
  behaviourErrors = 0;
  capacityErrors = 0;
  costUsd = 0;
  private readonly latencyCounts: number[];
  private latencyCount = 0;
  private latencySum = 0;
  private readonly costCounts: number[];

  constructor(
    private readonly latencyEdges: readonly number[],
    private readonly costEdges: readonly number[],
  ) {
    this.latencyCounts = new Array<number>(latencyEdges.length + 1).fill(0);
    this.costCounts = new Array<number>(costEdges.length + 1).fill(0);
  }

  add(b: SampledBooking): void {
    this.bookings++;
    if (b.outcome === 'success') this.successes++;
    this.calls += b.calls;
    this.behaviourErrors += b.behaviourError;
    this.capacityErrors += b.capacityErrors;
    this.costUsd += b.costUsd;
    this.costCounts[bucketIndex(this.costEdges, b.costUsd)]!++;
    this.latencyCounts[bucketIndex(this.latencyEdges, b.latencySeconds)]!++;
    this.latencyCount++;
    this.latencySum += b.latencySeconds;
  }

  snapshot(): ArmAggregate {
    const latency = cumulative(this.latencyEdges, this.latencyCounts, this.latencyCount, this.latencySum);
    const cost = cumulative(this.costEdges, this.costCounts, this.bookings, this.costUsd);
    return {
      bookings: this.bookings,
      successes: this.successes,
      calls: this.calls,
      behaviourErrors: this.behaviourErrors,
      capacityErrors: this.capacityErrors,
      costUsd: this.costUsd,
      costSumSquares: histogramSumSquaresUpper(cost),
      latency,
    };
  }
}

function bucketIndex(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulative(edges: readonly number[], counts: readonly number[], count: number, sum: number): Histogram {
  let c = 0;
  const buckets = counts.map((n, i) => {
    c += n;
    return { le: edges[i] ?? Number.POSITIVE_INFINITY, count: c };
  });
  return { buckets, count, sum };
}
