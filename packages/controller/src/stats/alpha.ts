/** The guardrails that spend α (the spend budget is arithmetic, not a test). */
export const TESTED_GUARDRAILS = ['bookingSuccess', 'behaviourErrors', 'latencyP95Ratio', 'costPerSuccessRatio', 'judgedQuality'] as const;
/** The tested guardrails of a plan: judged quality only when the ramp sets it. */
export function testedGuardrails(judged: boolean): readonly TestedGuardrail[] {
  return judged ? TESTED_GUARDRAILS : TESTED_GUARDRAILS.filter((g) => g !== 'judgedQuality');
}
export type TestedGuardrail = (typeof TESTED_GUARDRAILS)[number];

export interface AlphaPlan {
  readonly total: number;
  /** Per-step SRM threshold (the mixture test's false alarm bound per step). */
  readonly srmPerStep: number;
  readonly srmSteps: number;
  /** α of each guardrail's one-sided harm boundary (a false rollback). */
  readonly harm: number;
  /** α of each guardrail's one-sided non-inferiority boundary (a false pass). */
  readonly pass: number;
}

/**
 * Splits the rollout's α (Bonferroni) for its two kinds of error, each bounded by `alpha` over the whole rollout:
 * - a false rollback: every step strictly between 0 and 100 spends `srmThreshold` on its SRM test, and the rest
 *   is shared equally by the tested guardrails' one-sided harm boundaries (four, five with judged quality);
 * - a false pass (declaring non-inferiority of a canary that is worse than the margin): shared equally by the
 *   tested guardrails' one-sided non-inferiority boundaries.
 * Each boundary is time-uniform over the whole rollout (its statistic combines the steps, see strata.ts), so
 * steps and looks need no further split.
 */
export function planAlpha({ alpha, steps, srmThreshold = 0.001, judged = false }: { alpha: number; steps: readonly number[]; srmThreshold?: number; judged?: boolean }): AlphaPlan {
  const tested = testedGuardrails(judged).length;
  const srmSteps = steps.filter((p) => p > 0 && p < 100).length;
  const left = alpha - srmSteps * srmThreshold;
  if (!(left > 0)) throw new RangeError(`alpha ${alpha} leaves nothing for the guardrails after ${srmSteps} SRM tests at ${srmThreshold}`);
  return { total: alpha, srmPerStep: srmThreshold, srmSteps, harm: left / tested, pass: alpha / tested };
}
