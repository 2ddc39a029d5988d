import { mixtureInterval, mixturePValue, type Interval } from './normal-mixture.js';
import type { StratumEstimate } from './strata.js';

/** Successes out of trials for one arm. */
export interface Proportion {
  readonly successes: number;
  readonly trials: number;
}

export interface ProportionDifference extends Interval {
  /** Always-valid p-value (this look) against a difference equal to `theta0`. */
  readonly pValue: number;
  readonly theta0: number;
  readonly variance: number;
}

/**
 * Confidence sequence for p_canary − p_control (normal mixture, see normal-mixture.ts).
 *
 * Variance: V = max(p̃₁q̃₁, p̄q̄)/n₁ + max(p̃₀q̃₀, p̄q̄)/n₀, with p̃ = (x+1)/(n+2) per arm (the add-one
 * smoothing of Agresti & Caffo 2000) and p̄ the smoothed pooled proportion. Taking the larger of the
 * unpooled and pooled Bernoulli variance keeps the plug-in honest for rare events on the small
 * arm (0 errors in the canary's first 150 calls must not look like certainty; measured: the
 * unpooled plug-in alone miscovered 5% at α = 2% with 2–3% event rates, see stats.test.ts).
 * `tau` is the mixing standard deviation: the difference size at which the boundary is tightest
 * (we use the guardrail's margin, see STATISTICS.md).
 */
export function proportionDifference(
  canary: Proportion,
  control: Proportion,
  { alpha, tau, theta0 = 0 }: { alpha: number; tau: number; theta0?: number },
): ProportionDifference {
  const s = proportionStratum(canary, control);
  if (s === null) {
    return { estimate: Number.NaN, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY, pValue: 1, theta0, variance: Number.POSITIVE_INFINITY };
  }
  const tau2 = tau * tau;
  const interval = mixtureInterval(s.estimate, s.variance, tau2, alpha);
  return { ...interval, pValue: mixturePValue(s.estimate, theta0, s.variance, tau2), theta0, variance: s.variance };
}

/** p_canary − p_control and its variance (the formula above) for one step; null when an arm has no trials. */
export function proportionStratum(canary: Proportion, control: Proportion): StratumEstimate | null {
  if (canary.trials <= 0 || control.trials <= 0) return null;
  const s1 = (canary.successes + 1) / (canary.trials + 2);
  const s0 = (control.successes + 1) / (control.trials + 2);
  const pooled = (canary.successes + control.successes + 1) / (canary.trials + control.trials + 2);
  const vPooled = pooled * (1 - pooled);
  return {
    estimate: canary.successes / canary.trials - control.successes / control.trials,
    variance: Math.max(s1 * (1 - s1), vPooled) / canary.trials + Math.max(s0 * (1 - s0), vPooled) / control.trials,
  };
}
