import { histogramQuantile, type Histogram } from './histogram.js';
import { mixtureHalfWidth, type Interval } from './normal-mixture.js';

/** Mixing sd in probability units: the boundary is tightest where the CDF is known to ±2.5 pp. */
const QUANTILE_TAU = 0.025;

export interface QuantileBounds extends Interval {
  /** Half-width ε of the confidence sequence on F(Q(q)) = q. */
  readonly epsilon: number;
}

/**
 * Time-uniform bounds on the q-quantile from a histogram (Howard & Ramdas 2022, "Sequential
 * estimation of quantiles with applications to A/B-testing and best-arm identification",
 * Bernoulli, Thm. 1 idea): at x* = Q(q), 1{X ≤ x*} is Bernoulli(q) with known variance q(1−q), so a
 * normal-mixture sequence gives |F̂ₙ(x*) − q| ≤ εₙ at every look with probability ≥ 1−α. Then
 * Q(q) lies above every bucket edge e with F̂(e) < q − ε and below every edge with F̂(e) > q + ε.
 * Bucket edges make the bounds coarser, never anti-conservative.
 */
export function quantileBounds(h: Histogram, q: number, alpha: number): QuantileBounds {
  const n = h.count;
  const estimate = histogramQuantile(h, q);
  if (n <= 0) return { estimate, lower: 0, upper: Number.POSITIVE_INFINITY, epsilon: 1 };
  const epsilon = mixtureHalfWidth((q * (1 - q)) / n, QUANTILE_TAU * QUANTILE_TAU, alpha);
  let lower = 0;
  let upper = Number.POSITIVE_INFINITY;
  for (const b of h.buckets) {
    const f = b.count / n;
    if (f < q - epsilon && Number.isFinite(b.le)) lower = b.le;
    if (f > q + epsilon && upper === Number.POSITIVE_INFINITY) upper = b.le;
  }
  return { estimate, lower, upper, epsilon };
}

export interface QuantileRatio extends Interval {
  readonly canary: QuantileBounds;
  readonly control: QuantileBounds;
}

/**
 * Bounds on Q_canary(q) / Q_control(q) at level 1−α: each arm's quantile sequence at α/2
 * (union bound), then interval division [L₁/U₀, U₁/L₀].
 */
export function quantileRatio(canary: Histogram, control: Histogram, q: number, alpha: number): QuantileRatio {
  const c = quantileBounds(canary, q, alpha / 2);
  const t = quantileBounds(control, q, alpha / 2);
  const lower = t.upper > 0 && Number.isFinite(t.upper) ? c.lower / t.upper : 0;
  const upper = t.lower > 0 ? c.upper / t.lower : Number.POSITIVE_INFINITY;
  return { estimate: c.estimate / t.estimate, lower, upper, canary: c, control: t };
}
