import { z } from 'zod';

/**
 * The `shadow` section of a route (issue 16): a share of units whose served calls are repeated in the background
 * on another model, for a judge to compare the two answers. The shadow's answer never reaches the caller.
 */
export const shadowSchema = z
  .strictObject({
    model: z.string().min(1).meta({ description: 'The shadow model: a priced model id or an alias from `models`.' }),
    percent: z
      .number()
      .min(0)
      .max(100)
      .refine((p) => Math.abs(Math.round(p * 100) - p * 100) < 1e-6, { message: 'must be a multiple of 0.01 (percent resolution is 0.01)' })
      .meta({ description: 'Percent of units (by key) whose calls are mirrored, sticky per unit; independent of the arms split.' }),
    budgetUsd: z
      .number()
      .min(0)
      .meta({ description: 'Spend cap of this route\'s shadow calls in USD, per router process, for its lifetime. A call is skipped when its estimate would pass it.' }),
    maxInFlight: z
      .int()
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: 'Shadow calls (and their judgements) running at once; more are skipped. Default 8.' }),
    salt: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Hash salt of the shadow sample; defaults to "shadow:" + the route name. Changing it reshuffles the sample.' }),
    timeoutMs: z
      .int()
      .min(1)
      .max(600_000)
      .optional()
      .meta({ description: 'Bound on one shadow call (and on one judgement) in ms. Default 60000.' }),
  })
  .meta({ description: 'Mirror a share of units\' served calls on another model in the background (never in the caller\'s path), for a judge.' });

export type ShadowInput = z.infer<typeof shadowSchema>;

export const DEFAULT_SHADOW_MAX_IN_FLIGHT = 8;
export const DEFAULT_SHADOW_TIMEOUT_MS = 60_000;

/** A route's shadow with defaults applied and its model alias resolved. */
export interface ShadowConfig {
  readonly model: string;
  readonly percent: number;
  readonly budgetUsd: number;
  readonly maxInFlight: number;
  readonly salt: string;
  readonly timeoutMs: number;
}

export function resolveShadow(route: string, input: ShadowInput, models: Readonly<Record<string, string>>): ShadowConfig {
  return {
    model: models[input.model] ?? input.model,
    percent: input.percent,
    budgetUsd: input.budgetUsd,
    maxInFlight: input.maxInFlight ?? DEFAULT_SHADOW_MAX_IN_FLIGHT,
    salt: input.salt ?? `shadow:${route}`,
    timeoutMs: input.timeoutMs ?? DEFAULT_SHADOW_TIMEOUT_MS,
  };
}
