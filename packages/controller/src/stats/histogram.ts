/** One cumulative Prometheus histogram bucket: observations ≤ `le`. */
export interface HistogramBucket {
  readonly le: number;
  readonly count: number;
}

/** A cumulative histogram as Prometheus stores it (buckets sorted by `le`, the last one +Inf). */
export interface Histogram {
  readonly buckets: readonly HistogramBucket[];
  readonly count: number;
  readonly sum: number;
}

/** Prometheus' `histogram_quantile` (linear interpolation inside the bucket), for display only. */
export function histogramQuantile(h: Histogram, q: number): number {
  if (h.count <= 0 || h.buckets.length === 0) return Number.NaN;
  const rank = q * h.count;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of h.buckets) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return prevLe;
      const inBucket = b.count - prevCount;
      return inBucket > 0 ? prevLe + ((b.le - prevLe) * (rank - prevCount)) / inBucket : b.le;
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/**
 * Σx² such that Σx²/n − mean² bounds the variance from above, from bucket counts and the exact
 * mean (`sum / count`): an observation in bucket (a, b] is at most max(|a − m|, |b − m|) from the
 * mean m. The +Inf bucket uses the largest finite edge as its upper end (the one place where this
 * is not a bound: keep the last bucket above any realistic value).
 */
export function histogramSumSquaresUpper(h: Histogram): number {
  if (h.count <= 0) return 0;
  const m = h.sum / h.count;
  let prevCount = 0;
  let lower = 0;
  let spread = 0;
  for (const b of h.buckets) {
    const upper = Number.isFinite(b.le) ? b.le : lower;
    const d = Math.max(Math.abs(lower - m), Math.abs(upper - m));
    spread += (b.count - prevCount) * d * d;
    prevCount = b.count;
    if (Number.isFinite(b.le)) lower = b.le;
  }
  return spread + h.count * m * m;
}
