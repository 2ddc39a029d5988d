import { mixtureHalfWidth, mixturePValue, type Interval } from './normal-mixture.js';
import type { StratumEstimate } from './strata.js';

/** One arm's bookings and what they cost. */
export interface ArmCost {
  readonly bookings: number;
  readonly successes: number;
  /** Total USD of all the arm's bookings (failed ones included). */
  readonly costUsd: number;
  /** Σ cost² over bookings (exact in process; an upper bound from a histogram). */
  readonly costSumSquares: number;
}

export interface CostRatio extends Interval {
  /** Canary and control cost per successful booking. */
  readonly canaryCostPerSuccess: number;
  readonly controlCostPerSuccess: number;
  /** Variance of the log ratio used. */
  readonly variance: number;
  /** Always-valid p-value (this look) against ratio = `cap`. */
  readonly pValue: number;
}

/** Mixing sd on the log scale: tightest for ratios about 15% apart (3.0 vs 3.5). */
export const LOG_RATIO_TAU = 0.15;

/**
 * Confidence sequence for (cost per successful booking of canary) / (same of control).
 *
 * Per arm R = c̄ / s̄ (mean cost per booking over success rate). Delta method on the log scale:
 * Var(log R) ≈ Var(cᵢ/c̄ − sᵢ/s̄)/n, bounded without the unknown covariance by Cauchy–Schwarz:
 * ≤ (CV(c) + √((1−p)/p))² / n. The log ratio of the two arms gets the normal-mixture boundary
 * (normal-mixture.ts), then exp() maps the interval back. Conservative twice over (the bound above,
 * and the histogram's Σc² upper bound in production); asymptotic like every plug-in variance.
 */
export function costPerSuccessRatio(canary: ArmCost, control: ArmCost, { alpha, cap }: { alpha: number; cap: number }): CostRatio {
  const c = armLog(canary);
  const t = armLog(control);
  const canaryCostPerSuccess = canary.successes > 0 ? canary.costUsd / canary.successes : Number.POSITIVE_INFINITY;
  const controlCostPerSuccess = control.successes > 0 ? control.costUsd / control.successes : Number.POSITIVE_INFINITY;
  if (c === null || t === null) {
    return { estimate: canaryCostPerSuccess / controlCostPerSuccess, lower: 0, upper: Number.POSITIVE_INFINITY, canaryCostPerSuccess, controlCostPerSuccess, variance: Number.POSITIVE_INFINITY, pValue: 1 };
  }
  const logEstimate = c.logR - t.logR;
  const variance = c.variance + t.variance;
  const w = mixtureHalfWidth(variance, LOG_RATIO_TAU * LOG_RATIO_TAU, alpha);
  return {
    estimate: Math.exp(logEstimate),
    lower: Math.exp(logEstimate - w),
    upper: Math.exp(logEstimate + w),
    canaryCostPerSuccess,
    controlCostPerSuccess,
    variance,
    pValue: mixturePValue(logEstimate, Math.log(cap), variance, LOG_RATIO_TAU * LOG_RATIO_TAU),
  };
}

/** log(cost per success of canary / of control) and its variance (the bound above) for one step; null when not computable. */
export function costLogRatioStratum(canary: ArmCost, control: ArmCost): StratumEstimate | null {
  const c = armLog(canary);
  const t = armLog(control);
  return c === null || t === null ? null : { estimate: c.logR - t.logR, variance: c.variance + t.variance };
}

function armLog(a: ArmCost): { logR: number; variance: number } | null {
  if (a.bookings <= 1 || a.successes <= 0 || a.costUsd <= 0) return null;
  const n = a.bookings;
  const mean = a.costUsd / n;
  const varCost = Math.max(0, a.costSumSquares / n - mean * mean) * (n / (n - 1));
  const cv = Math.sqrt(varCost) / mean;
  // Add-one smoothing as for proportions so that an arm with no failures still has variance.
  const p = (a.successes + 1) / (n + 2);
  const sdLog = cv + Math.sqrt((1 - p) / p);
  return { logR: Math.log(a.costUsd / a.successes), variance: (sdLog * sdLog) / n };
}
