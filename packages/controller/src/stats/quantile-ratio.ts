import { histogramQuantile, type Histogram } from './histogram.js';
import { mixtureHalfWidth, type Interval } from './normal-mixture.js';

/** Mixing sd in probability units: the boundary is tightest where the CDF is known to ±2.5 pp. */
export const QUANTILE_TAU = 0.025;

export interface QuantileBounds extends Interval {
  /** Half-width ε of the confidence sequence on F(Q(q)) = q. */
  readonly epsilon: number;
  /** Bounds that assume nothing inside a bucket (bucket edges): coarser, never anti-conservative. */
  readonly strictLower: number;
  readonly strictUpper: number;
}

/**
 * Time-uniform bounds on the q-quantile from a histogram (Howard & Ramdas 2022, "Sequential
 * estimation of quantiles with applications to A/B-testing and best-arm identification",
 * Bernoulli, Thm. 1 idea): at x* = Q(q), 1{X ≤ x*} is Bernoulli(q) with known variance q(1−q), so a
 * normal-mixture sequence gives |F̂ₙ(x*) − q| ≤ εₙ at every look with probability ≥ 1−α. Then
 * Q(q) lies above every bucket edge e with F̂(e) < q − ε and below every edge with F̂(e) > q + ε.
 * `strictLower`/`strictUpper` use bucket edges only (coarse, never anti-conservative); `lower`/`upper`
 * interpolate linearly inside the bucket like `histogram_quantile` (Q̂(q−ε), Q̂(q+ε)), which is
 * what a pass may use: with edge-only bounds a ratio straddling two buckets could never pass.
 */
export function quantileBounds(h: Histogram, q: number, alpha: number): QuantileBounds {
  const n = h.count;
  const estimate = histogramQuantile(h, q);
  if (n <= 0) return { estimate, lower: 0, upper: Number.POSITIVE_INFINITY, epsilon: 1, strictLower: 0, strictUpper: Number.POSITIVE_INFINITY };
  const epsilon = mixtureHalfWidth((q * (1 - q)) / n, QUANTILE_TAU * QUANTILE_TAU, alpha);
  let strictLower = 0;
  let strictUpper = Number.POSITIVE_INFINITY;
  for (const b of h.buckets) {
    const f = b.count / n;
    if (f < q - epsilon && Number.isFinite(b.le)) strictLower = b.le;
    if (f > q + epsilon && strictUpper === Number.POSITIVE_INFINITY) strictUpper = b.le;
  }
  const lower = q - epsilon <= 0 ? 0 : interpolated(h, q - epsilon);
  const upper = q + epsilon >= 1 ? Number.POSITIVE_INFINITY : interpolated(h, q + epsilon);
  return { estimate, lower, upper, epsilon, strictLower, strictUpper };
}

/** Like histogram_quantile, but a rank in the +Inf bucket is +Inf (unknown), not the last edge. */
function interpolated(h: Histogram, q: number): number {
  const rank = q * h.count;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of h.buckets) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return Number.POSITIVE_INFINITY;
      const inBucket = b.count - prevCount;
      return inBucket > 0 ? prevLe + ((b.le - prevLe) * (rank - prevCount)) / inBucket : b.le;
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return Number.POSITIVE_INFINITY;
}

export interface QuantileRatio extends Interval {
  /** Edge-only ratio bounds: a rollback needs `strictLower` above the cap. */
  readonly strictLower: number;
  readonly strictUpper: number;
  readonly canary: QuantileBounds;
  readonly control: QuantileBounds;
}

/**
 * Bounds on Q_canary(q) / Q_control(q) at level 1−α: each arm's quantile sequence at α/2
 * (union bound), then interval division [L₁/U₀, U₁/L₀], for both the interpolated and the strict bounds.
 */
export function quantileRatio(canary: Histogram, control: Histogram, q: number, alpha: number): QuantileRatio {
  const c = quantileBounds(canary, q, alpha / 2);
  const t = quantileBounds(control, q, alpha / 2);
  const div = (a: number, b: number, whenZero: number): number => (b > 0 && Number.isFinite(b) ? a / b : b === 0 ? whenZero : 0);
  return {
    estimate: c.estimate / t.estimate,
    lower: div(c.lower, t.upper, Number.POSITIVE_INFINITY),
    upper: div(c.upper, t.lower, Number.POSITIVE_INFINITY),
    strictLower: div(c.strictLower, t.strictUpper, Number.POSITIVE_INFINITY),
    strictUpper: div(c.strictUpper, t.strictLower, Number.POSITIVE_INFINITY),
    canary: c,
    control: t,
  };
}
