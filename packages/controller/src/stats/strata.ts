/** An estimate of canary − control (or a log ratio) within one step, and its variance. */
export interface StratumEstimate {
  readonly estimate: number;
  readonly variance: number;
}

/**
 * Combines the steps' own canary-vs-control estimates, each weighted by its information 1/Vₖ:
 * θ̂ = Σ (θ̂ₖ / Vₖ) / Σ (1 / Vₖ), V = 1 / Σ (1 / Vₖ).
 *
 * Why: the allocation changes from step to step, so pooling counts over the ramp compares the canary's
 * late-step bookings with control's spread ones (Simpson's paradox): anything that changes over time, a
 * shared incident, a traffic mix, reads as a canary effect. Within a step both arms see the same time.
 * Why it stays peeking-safe: S = Σ θ̂ₖ/Vₖ has independent increments with drift θ per unit of information
 * I = Σ 1/Vₖ, so S is (asymptotically) Brownian motion in information time, and the normal-mixture boundary
 * on (θ̂ = S/I, V = 1/I) keeps its time-uniform guarantee (Jennison & Turnbull 2000, §11, "information time").
 * Steps with an infinite or zero variance are left out. Null when no step has information yet.
 */
export function combineStrata(strata: readonly StratumEstimate[]): StratumEstimate | null {
  let information = 0;
  let weighted = 0;
  for (const s of strata) {
    if (!(s.variance > 0) || !Number.isFinite(s.variance) || !Number.isFinite(s.estimate)) continue;
    information += 1 / s.variance;
    weighted += s.estimate / s.variance;
  }
  return information > 0 ? { estimate: weighted / information, variance: 1 / information } : null;
}
