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
 * An upper bound on Σx² from bucket counts (every observation placed at its bucket's upper edge;
 * the +Inf bucket at the largest finite edge, the one place where this is not a bound). Used to get
 * a conservative variance of cost per booking when only the histogram is known.
 */
export function histogramSumSquaresUpper(h: Histogram): number {
  let prevCount = 0;
  let lastFinite = 0;
  let total = 0;
  for (const b of h.buckets) {
    const edge = Number.isFinite(b.le) ? b.le : lastFinite;
    if (Number.isFinite(b.le)) lastFinite = b.le;
    total += (b.count - prevCount) * edge * edge;
    prevCount = b.count;
  }
  return total;
}
