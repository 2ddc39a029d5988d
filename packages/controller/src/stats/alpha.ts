/** The guardrails that spend α (the spend budget is arithmetic, not a test). */
export const TESTED_GUARDRAILS = ['bookingSuccess', 'behaviourErrors', 'latencyP95Ratio', 'costPerSuccessRatio'] as const;
export type TestedGuardrail = (typeof TESTED_GUARDRAILS)[number];

export interface AlphaPlan {
  readonly total: number;
  /** Per-step SRM threshold (the mixture test's false alarm bound per step). */
  readonly srmPerStep: number;
  readonly srmSteps: number;
  /** α of each guardrail's confidence sequence. */
  readonly perGuardrail: number;
}

/**
 * Splits the rollout's α (Bonferroni): every step strictly between 0 and 100 spends `srmThreshold`
 * on its SRM test, the rest is shared equally by the four tested guardrails. Each guardrail's
 * confidence sequence runs over the whole rollout (cumulative counts, time-uniform), so steps and
 * looks need no further split. Family-wise: P(any false rollback or false pass) ≤ total.
 */
export function planAlpha({ alpha, steps, srmThreshold = 0.001 }: { alpha: number; steps: readonly number[]; srmThreshold?: number }): AlphaPlan {
  const srmSteps = steps.filter((p) => p > 0 && p < 100).length;
  const left = alpha - srmSteps * srmThreshold;
  if (!(left > 0)) throw new RangeError(`alpha ${alpha} leaves nothing for the guardrails after ${srmSteps} SRM tests at ${srmThreshold}`);
  return { total: alpha, srmPerStep: srmThreshold, srmSteps, perGuardrail: left / TESTED_GUARDRAILS.length };
}
