import { chiSquare1Sf } from './erfc.js';
import { mixturePValue } from './normal-mixture.js';

export interface SrmInput {
  /** Bookings assigned to the canary arm since this step began. */
  readonly canary: number;
  /** Bookings assigned to every other arm since this step began. */
  readonly others: number;
  /** The canary's configured percent during this step, in [0, 100]. */
  readonly percent: number;
}

export interface SrmResult {
  readonly applicable: boolean;
  readonly expectedShare: number;
  readonly observedShare: number;
  readonly chiSquare: number;
  /** Fixed-horizon Pearson chi-square p-value (1 df). */
  readonly pValue: number;
  /** Always-valid p-value of the mixture SPRT on the canary share at this look. */
  readonly sequentialPValue: number;
  readonly mismatch: boolean;
}

/**
 * Sample-ratio mismatch on the step's own counts against the step's own percent (so a step change,
 * which changes the expected share, never looks like a mismatch).
 *
 * Fires only when both agree: Pearson's chi-square (1 df) p < `threshold` (the conventional 0.001)
 * AND the always-valid mixture p-value of the canary share against the configured share is below
 * the same threshold. The chi-square alone, recomputed every 30 s on growing counts, would fire
 * with probability well above 0.001 per step (repeated looks); requiring the mixture test caps the
 * per-step false alarm rate at `threshold` by Ville's inequality (Lindon & Malek 2022, "Anytime-valid
 * inference for multinomial count data", make the same argument for SRM).
 * Null variance of the share is known, π(1−π)/N; mixing sd τ = 0.2·min(π, 1−π), i.e. tightest
 * for a relative share error of about 20% (10% configured, 12% observed).
 */
export function srmTest({ canary, others, percent }: SrmInput, threshold = 0.001): SrmResult {
  const n = canary + others;
  const pi = percent / 100;
  const observedShare = n > 0 ? canary / n : Number.NaN;
  if (n === 0 || pi <= 0 || pi >= 1) {
    // At 0% or 100% there is nothing to split; a canary booking at 0% is not a ratio question.
    return { applicable: false, expectedShare: pi, observedShare, chiSquare: 0, pValue: 1, sequentialPValue: 1, mismatch: false };
  }
  const expected = n * pi;
  const chiSquare = ((canary - expected) * (canary - expected)) / (n * pi * (1 - pi));
  const pValue = chiSquare1Sf(chiSquare);
  const tau = 0.2 * Math.min(pi, 1 - pi);
  const sequentialPValue = mixturePValue(observedShare, pi, (pi * (1 - pi)) / n, tau * tau);
  return { applicable: true, expectedShare: pi, observedShare, chiSquare, pValue, sequentialPValue, mismatch: pValue < threshold && sequentialPValue < threshold };
}
