import { select, type Exposition, type LabelFilter } from './prom-text.js';

export interface Bucket {
  /** Upper bound (`le`), +Infinity for the last bucket. */
  readonly le: number;
  /** Cumulative count of observations <= le. */
  readonly count: number;
}

/**
 * The q-quantile of a cumulative histogram, interpolated linearly inside the bucket the way
 * PromQL's histogram_quantile does: NaN without observations, the highest finite bound when the
 * rank falls in the +Inf bucket, and a lower bound of 0 for the first bucket.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const last = sorted.at(-1);
  if (last === undefined || last.le !== Number.POSITIVE_INFINITY || last.count === 0) return Number.NaN;
  if (q <= 0) return Number.NEGATIVE_INFINITY;
  if (q >= 1) return Number.POSITIVE_INFINITY;
  const rank = q * last.count;
  const index = sorted.findIndex((b) => b.count >= rank);
  const bucket = sorted[index];
  if (bucket === undefined) return Number.NaN;
  if (bucket.le === Number.POSITIVE_INFINITY) return sorted[sorted.length - 2]?.le ?? Number.NaN;
  const below = sorted[index - 1];
  const lowerBound = below?.le ?? 0;
  const lowerCount = below?.count ?? 0;
  if (index === 0 && bucket.le <= 0) return bucket.le;
  return lowerBound + (bucket.le - lowerBound) * ((rank - lowerCount) / (bucket.count - lowerCount));
}

/** Merges the `_bucket` series of `name` matching `filter` (summing over the other labels) into buckets. */
export function bucketsOf(exposition: Exposition, name: string, filter: LabelFilter = {}): Bucket[] {
  const byLe = new Map<number, number>();
  for (const sample of select(exposition, `${name}_bucket`, filter)) {
    const leText = sample.labels.le;
    if (leText === undefined) continue;
    const le = leText === '+Inf' ? Number.POSITIVE_INFINITY : Number(leText);
    byLe.set(le, (byLe.get(le) ?? 0) + sample.value);
  }
  return [...byLe].map(([le, count]) => ({ le, count }));
}
