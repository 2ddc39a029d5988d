import { z } from 'zod';

/**
 * The `ramp` section of a route (issue 8): the steps a rollout controller may walk the canary
 * through, how long each step must last, and the guardrails that decide advance / hold / rollback.
 * It lives in the router so that `rollout.json` is validated in one place (the router never acts
 * on it: only `@model-canary/controller` ramps). No transforms, so the JSON Schema is exact.
 */

/** Per-step SRM threshold; each step between 0 and 100 spends this much of the rollout's α. */
export const SRM_THRESHOLD = 0.001;

const percent = z
  .number()
  .min(0, 'a step percent must be within [0, 100]')
  .max(100, 'a step percent must be within [0, 100]')
  .refine((p) => Math.abs(Math.round(p * 100) - p * 100) < 1e-9, 'a step percent has 0.01 resolution');

export const rampStepSchema = z.union([
  percent,
  z.strictObject({
    percent,
    /** Overrides the ramp's `minBookingsPerArm` for this step. */
    minBookingsPerArm: z.int().min(0).optional(),
    /** Overrides the ramp's `minDurationMinutes` for this step. */
    minDurationMinutes: z.number().min(0).optional(),
  }),
]);

const margin = (fallback: number) =>
  z
    .strictObject({ margin: z.number().gt(0, 'a margin must be > 0').lt(0.5, 'a margin must be < 0.5 (a difference of proportions)') })
    .default({ margin: fallback });

const ratioCap = (fallback: number) =>
  z.strictObject({ max: z.number().min(1, 'a ratio cap must be >= 1 (1 = no worse than control)').max(1000) }).default({ max: fallback });

export const rampGuardrailsSchema = z.strictObject({
  /** Non-inferiority margin on booking success (canary − control ≥ −margin). */
  bookingSuccess: margin(0.02),
  /** Margin on the model-behaviour call error rate (invalid plan, refusal, max_tokens). */
  behaviourErrors: margin(0.01),
  /** Cap on canary p95 latency / control p95 latency. */
  latencyP95Ratio: ratioCap(3),
  /** Cap on canary cost per successful booking / control's. */
  costPerSuccessRatio: ratioCap(3.5),
  /**
   * Judged quality (issue 16), tested only when set (the route needs a `shadow` on the canary's model and a
   * judge): non-inferiority of the canary's win rate against the served control answers, ties as halves.
   */
  judgedQuality: z
    .strictObject({ margin: z.number().gt(0, 'a margin must be > 0').lt(0.5, 'a margin must be < 0.5 (below a 50% win rate)') })
    .optional()
    .meta({ description: 'Margin on the judged win rate of the canary against control (win rate >= 0.5 - margin), ties counted as half a win. Tested only when set.' }),
});

/** A shadow phase before the first step (issue 16): judged quality must be proven non-inferior first. */
export const rampShadowSchema = z
  .strictObject({
    minJudgements: z.int().min(1).default(200).meta({ description: 'Judgements (not judge errors) needed before the shadow phase can end.' }),
    margin: z
      .number()
      .gt(0, 'a margin must be > 0')
      .lt(0.5, 'a margin must be < 0.5 (below a 50% win rate)')
      .default(0.05)
      .meta({ description: "Non-inferiority margin on the canary's judged win rate (>= 0.5 - margin) to start the ramp." }),
  })
  .meta({ description: 'Shadow phase at 0%: the controller starts the first step only once judged quality is proven non-inferior, and stops the rollout if it is proven worse.' });

export const rampSchema = z
  .strictObject({
    canaryArm: z.string().min(1).optional().meta({ description: "The arm being ramped; defaults to the route's first arm with a percent." }),
    steps: z
      .array(rampStepSchema)
      .min(1, 'a ramp needs at least one step')
      .meta({ description: "Canary percents in strictly increasing order, each within the route's maxPercent (a number, or { percent, minBookingsPerArm?, minDurationMinutes? })." }),
    minBookingsPerArm: z.int().min(0).default(200).meta({ description: 'Bookings each arm must see in a step before it can advance.' }),
    minDurationMinutes: z.number().min(0).default(10).meta({ description: 'Minutes a step lasts at least before it can advance.' }),
    alpha: z
      .number()
      .gt(0, 'alpha must be in (0, 0.5)')
      .lt(0.5, 'alpha must be in (0, 0.5)')
      .default(0.05)
      .meta({ description: 'Error level for the whole rollout, for each kind of error: false rollbacks (0.001 per SRM-tested step, the rest split over the four guardrails\' harm boundaries) and false passes (split over their non-inferiority boundaries).' }),
    guardrails: rampGuardrailsSchema.default({
      bookingSuccess: { margin: 0.02 },
      behaviourErrors: { margin: 0.01 },
      latencyP95Ratio: { max: 3 },
      costPerSuccessRatio: { max: 3.5 },
    }),
    proveBefore: z
      .number()
      .min(0)
      .max(100)
      .default(50)
      .meta({ description: 'Non-inferiority must be proven (every tested guardrail passes) before a step at or above this percent and before the last step; smaller steps advance when their minimums are met and no guardrail shows harm.' }),
    shadow: rampShadowSchema.optional(),
    budgetUsd: z
      .number()
      .positive('budgetUsd must be > 0')
      .meta({ description: 'Most extra USD the canary may cost over what control would have cost for the same bookings; exhausted = rollback.' }),
  })
  .superRefine((ramp, ctx) => {
    const ps = ramp.steps.map(stepPercent);
    for (let i = 1; i < ps.length; i++) {
      if (!(ps[i]! > ps[i - 1]!)) ctx.addIssue({ code: 'custom', path: ['steps', i], message: `steps must be strictly increasing (${ps[i]} after ${ps[i - 1]})` });
    }
    const srmSteps = ps.filter((p) => p > 0 && p < 100).length;
    if (ramp.alpha <= srmSteps * SRM_THRESHOLD) {
      ctx.addIssue({ code: 'custom', path: ['alpha'], message: `alpha ${ramp.alpha} must exceed ${srmSteps} SRM steps × ${SRM_THRESHOLD}` });
    }
  });

export type RampStep = z.infer<typeof rampStepSchema>;
export type RampConfig = z.infer<typeof rampSchema>;
export type RampGuardrails = z.infer<typeof rampGuardrailsSchema>;
export type RampShadow = z.infer<typeof rampShadowSchema>;

export function stepPercent(step: RampStep): number {
  return typeof step === 'number' ? step : step.percent;
}

export interface RampIssue {
  /** Path relative to the route (e.g. `['ramp', 'steps', 3]`). */
  readonly path: (string | number)[];
  readonly message: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks that need the route, on the route's JSON as it is (defensively, like the other cross-field
 * rules: a value of the wrong type is the shape check's problem): every step within the route's
 * `maxPercent`, and a canary arm that exists and is not the default arm.
 */
export function rampRouteIssues(route: unknown): RampIssue[] {
  if (!isObject(route) || !isObject(route['ramp'])) return [];
  const ramp = route['ramp'];
  const arms = Array.isArray(route['arms']) ? route['arms'].filter(isObject) : [];
  const maxPercent = typeof route['maxPercent'] === 'number' ? route['maxPercent'] : undefined;
  const issues: RampIssue[] = [];
  if (Array.isArray(ramp['steps'])) {
    ramp['steps'].forEach((step: unknown, i) => {
      const p = typeof step === 'number' ? step : isObject(step) && typeof step['percent'] === 'number' ? step['percent'] : undefined;
      if (p !== undefined && maxPercent !== undefined && p > maxPercent) {
        issues.push({ path: ['ramp', 'steps', i], message: `step ${p} is above the route's maxPercent ${maxPercent}` });
      }
    });
  }
  const hasPercent = (arm: Json): boolean => typeof arm['percent'] === 'number';
  if (typeof ramp['canaryArm'] === 'string') {
    const arm = arms.find((a) => a['name'] === ramp['canaryArm']);
    if (!arm) issues.push({ path: ['ramp', 'canaryArm'], message: `canaryArm "${ramp['canaryArm']}" is not an arm of this route` });
    else if (!hasPercent(arm)) issues.push({ path: ['ramp', 'canaryArm'], message: `canaryArm "${ramp['canaryArm']}" is the default arm; ramp an arm with a percent` });
  } else if (arms.length > 0 && !arms.some(hasPercent)) {
    issues.push({ path: ['ramp'], message: 'a ramp needs an arm with a percent to ramp (set canaryArm or give the canary arm a percent)' });
  }
  const judged = isObject(ramp['guardrails']) && ramp['guardrails']['judgedQuality'] !== undefined;
  if ((judged || ramp['shadow'] !== undefined) && !isObject(route['shadow'])) {
    issues.push({ path: ['ramp', judged ? 'guardrails' : 'shadow'], message: 'judged quality needs a `shadow` on this route (the canary\'s model, judged against the served answers)' });
  }
  return issues;
}
