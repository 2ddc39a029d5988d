import type { Histogram } from './histogram.js';

/** One step's latency histograms of both arms (same bucket edges). */
export interface HistogramPair {
  readonly canary: Histogram;
  readonly control: Histogram;
}

/**
 * Both arms' latency distributions standardised to one mix of steps (direct standardisation): each arm's CDF is
 * Σ wₖ F̂ₖ(x), with the same weights wₖ for both arms, proportional to the step's information on a difference
 * (1 / (1/n₁ₖ + 1/n₀ₖ)). So a slow hour that hits both arms moves both, whichever step holds most of an arm's
 * calls. Returned as histograms with an effective count n = 1 / Σ wₖ²/nₖ (the count whose Bernoulli variance
 * q(1−q)/n equals that of the weighted CDF), so the quantile bounds of quantile-ratio.ts apply unchanged.
 * Steps where an arm has no call are left out; null when none is left.
 */
export function standardizedHistograms(steps: readonly HistogramPair[]): HistogramPair | null {
  const used = steps.filter((s) => s.canary.count > 0 && s.control.count > 0);
  if (used.length === 0) return null;
  const raw = used.map((s) => 1 / (1 / s.canary.count + 1 / s.control.count));
  const total = raw.reduce((a, b) => a + b, 0);
  const w = raw.map((x) => x / total);
  const arm = (pick: (s: HistogramPair) => Histogram): Histogram => {
    const hs = used.map(pick);
    const n = 1 / hs.reduce((a, h, k) => a + (w[k]! * w[k]!) / h.count, 0);
    const edges = hs[0]!.buckets.map((b) => b.le);
    const buckets = edges.map((le, i) => ({ le, count: n * hs.reduce((a, h, k) => a + (w[k]! * (h.buckets[i]?.count ?? h.count)) / h.count, 0) }));
    const mean = hs.reduce((a, h, k) => a + (w[k]! * h.sum) / h.count, 0);
    return { buckets, count: n, sum: mean * n };
  };
  return { canary: arm((s) => s.canary), control: arm((s) => s.control) };
}
