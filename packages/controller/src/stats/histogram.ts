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
 * mean (`sum / count`), for non-negative observations: an observation in a finite bucket (a, b] is at most
 * max(|a − m|, |b − m|) from the mean m. The k observations of the +Inf bucket are each ≥ L (the last finite
 * edge) and together at most T = sum − Σ (count × lower edge) of the finite buckets; by convexity their Σx² is
 * at most (k − 1)L² + (T − (k − 1)L)² (all the excess on one of them), and (x − m)² ≤ x² when m ≤ L ≤ x
 * (x² + m² otherwise). A bound, however heavy the tail.
 */
export function histogramSumSquaresUpper(h: Histogram): number {
  if (h.count <= 0) return 0;
  const m = h.sum / h.count;
  let prevCount = 0;
  let lower = 0;
  let spread = 0;
  let finiteFloor = 0;
  for (const b of h.buckets) {
    const k = b.count - prevCount;
    prevCount = b.count;
    if (Number.isFinite(b.le)) {
      const d = Math.max(Math.abs(lower - m), Math.abs(b.le - m));
      spread += k * d * d;
      finiteFloor += k * lower;
      lower = b.le;
    } else if (k > 0) {
      const tail = Math.max(k * lower, h.sum - finiteFloor);
      const squares = (k - 1) * lower * lower + (tail - (k - 1) * lower) ** 2;
      spread += m <= lower ? squares : squares + k * m * m;
    }
  }
  return spread + h.count * m * m;
}
