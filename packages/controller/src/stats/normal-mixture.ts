import { erfc } from './erfc.js';

/**
 * The two-sided normal-mixture boundary: the one piece of sequential statistics every guardrail uses.
 *
 * For an estimator θ̂ that is (asymptotically) Gaussian around θ with variance V, the mixture
 * likelihood ratio against θ0 with a N(θ0, τ²) mixing distribution is
 *
 *   Λ = sqrt(V / (V + τ²)) · exp( τ² (θ̂ − θ0)² / (2 V (V + τ²)) )
 *
 * (Johari, Koomen, Pekelis & Walsh 2017, "Peeking at A/B tests", KDD, §4, the mSPRT; Robbins 1970).
 * Λ is a nonnegative martingale under θ0, so by Ville's inequality P(∃ look: Λ ≥ 1/α) ≤ α, however
 * often it is looked at. Inverting `Λ < 1/α` gives the confidence sequence
 *
 *   |θ̂ − θ| ≤ sqrt( V (V + τ²)/τ² · ( 2 ln(1/α) + ln((V + τ²)/V) ) )
 *
 * which is Howard, Ramdas, McAuliffe & Sekhon 2021 ("Time-uniform, nonparametric, nonasymptotic
 * confidence sequences", Ann. Statist., §3.5 eq. (14), two-sided normal mixture), written in the
 * estimator's variance instead of their intrinsic time V_t.
 * With a plug-in variance it is the asymptotic confidence sequence of Waudby-Smith, Arnold, Wu,
 * Ramdas & … (2024, "Time-uniform central limit theory and asymptotic confidence sequences", Ann. Statist.).
 */

/** Half-width of the level-(1−α) confidence sequence at estimator variance `variance`. */
export function mixtureHalfWidth(variance: number, tau2: number, alpha: number): number {
  if (!(variance > 0)) return variance === 0 ? 0 : Number.POSITIVE_INFINITY;
  if (!(tau2 > 0) || !(alpha > 0 && alpha < 1)) throw new RangeError('mixtureHalfWidth needs tau2 > 0 and 0 < alpha < 1');
  const v = variance;
  return Math.sqrt(((v * (v + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((v + tau2) / v)));
}

/**
 * 1/Λ for the null θ0, capped at 1: the always-valid p-value at this look (its running minimum over
 * looks is the always-valid p-value of Johari et al. 2017, Prop. 2).
 */
export function mixturePValue(estimate: number, theta0: number, variance: number, tau2: number): number {
  if (!(variance > 0)) return estimate === theta0 ? 1 : 0;
  const v = variance;
  const d = estimate - theta0;
  const logLambda = 0.5 * Math.log(v / (v + tau2)) + (tau2 * d * d) / (2 * v * (v + tau2));
  return Math.min(1, Math.exp(-logLambda));
}

/** A confidence sequence's interval at one look. */
export interface Interval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

export function mixtureInterval(estimate: number, variance: number, tau2: number, alpha: number): Interval {
  const w = mixtureHalfWidth(variance, tau2, alpha);
  return { estimate, lower: estimate - w, upper: estimate + w };
}

/** Standard normal CDF. */
function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Half-width of the one-sided level-(1−α) normal-mixture boundary: with probability ≥ 1 − α, at every look,
 * θ ≥ θ̂ − w (or, mirrored, θ ≤ θ̂ + w). The mixing distribution is the half-normal N(0, τ²) on the side
 * being tested, so the mixture likelihood ratio of a gap d = θ̂ − θ is
 *
 *   Λ⁺(d) = 2 · sqrt(V / (V + τ²)) · exp( τ² d² / (2 V (V + τ²)) ) · Φ( d τ / sqrt(V (V + τ²)) )
 *
 * (the one-sided normal mixture of Howard, Ramdas, McAuliffe & Sekhon 2021, §3.5, in the estimator's
 * variance), a nonnegative supermartingale under the null, so Ville's inequality applies. w is the smallest
 * d ≥ 0 with Λ⁺(d) ≥ 1/α, found by bisection. Λ⁺ is twice the two-sided mixture times Φ(·) < 1, so it is a hair
 * wider than the two-sided boundary at 2α (under 0.1% for the guardrails' variances) and about 5–8% narrower than the
 * two-sided one at α: a one-sided decision (harm, non-inferiority) needs only this.
 */
export function oneSidedHalfWidth(variance: number, tau2: number, alpha: number): number {
  if (!(variance > 0)) return variance === 0 ? 0 : Number.POSITIVE_INFINITY;
  if (!(tau2 > 0) || !(alpha > 0 && alpha < 1)) throw new RangeError('oneSidedHalfWidth needs tau2 > 0 and 0 < alpha < 1');
  const v = variance;
  const target = Math.log(1 / alpha);
  const logLambda = (d: number): number =>
    Math.log(2) + 0.5 * Math.log(v / (v + tau2)) + (tau2 * d * d) / (2 * v * (v + tau2)) + Math.log(normalCdf((d * Math.sqrt(tau2)) / Math.sqrt(v * (v + tau2))));
  let lo = 0;
  // The two-sided boundary at α/2... is always wider than needed: a safe upper end for the bisection.
  let hi = mixtureHalfWidth(v, tau2, Math.min(alpha, 0.5) / 2) + Math.sqrt(v);
  while (logLambda(hi) < target) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (logLambda(mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
