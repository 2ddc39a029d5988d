import { z } from 'zod';
import { rampSchema } from './ramp-schema.js';
import { shadowSchema } from './shadow-schema.js';

// The shape of a rollout file, field by field. Cross-field rules (one default arm, sums, caps, model
// references, declared routes) live in `check-rollout.ts`, so that they are reported even when another part of
// the file has a shape problem. The JSON Schema shipped with the package is generated from this schema.

const isHundredth = (n: number): boolean => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6;

const percentField = z
  .number()
  .min(0)
  .max(100)
  .refine(isHundredth, { message: 'must be a multiple of 0.01 (percent resolution is 0.01)' });

export const armSchema = z
  .strictObject({
    name: z.string().min(1).meta({ description: 'Arm name, unique within the route (a metric label value).' }),
    model: z
      .string()
      .min(1)
      .meta({ description: 'A priced model id (see `prices`) or an alias from `models`.' }),
    percent: percentField
      .nullable()
      .optional()
      .meta({
        description:
          'Percent of units (0-100, resolution 0.01). Omit it (or null) on exactly one arm: the default arm takes the rest.',
      }),
  })
  .meta({ description: 'One arm of a route. Arms own consecutive bucket ranges in declared order.' });

/** Route fields, exported so that later sections (e.g. a ramp plan, issue 8) extend the route additively. */
export const routeFields = {
  salt: z.string().min(1).optional().meta({ description: 'Hash salt; defaults to the route name. Changing it reshuffles units.' }),
  enabled: z.boolean().optional().meta({ description: 'Kill switch: false serves the default arm to everyone. Default true.' }),
  maxPercent: percentField.optional().meta({ description: 'Cap on the total percent of the non-default arms.' }),
  fallback: z
    .boolean()
    .optional()
    .meta({ description: 'Serve capacity-failed canary calls from the default arm (counted as canary fallback). Default false.' }),
  arms: z.array(armSchema).min(1).meta({ description: 'Arms in order, canary first; exactly one has no percent.' }),
  ramp: rampSchema
    .optional()
    .meta({ description: 'Ramp plan for a rollout controller (@model-canary/controller): steps, minimums, guardrails, budget, alpha. The router never ramps by itself.' }),
  shadow: shadowSchema.optional(),
};

export const routeSchema = z.strictObject(routeFields);

/** Cost is computed on prices scaled to integers (see `costUsd`): a price must have at most 6 decimal places. */
export const PRICE_DECIMALS = 6;
const usdPerMTok = z
  .number()
  .min(0)
  .refine((usd) => Math.abs(usd * 10 ** PRICE_DECIMALS - Math.round(usd * 10 ** PRICE_DECIMALS)) < 1e-3, {
    message: `must have at most ${PRICE_DECIMALS} decimal places (USD per million tokens)`,
  });

export const modelPriceSchema = z.strictObject({
  input: usdPerMTok,
  output: usdPerMTok,
  cacheWrite5m: usdPerMTok,
  cacheWrite1h: usdPerMTok,
  cacheRead: usdPerMTok,
});

export const pricesSchema = z
  .strictObject({
    asOf: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-08-01')
      .optional()
      .meta({ description: 'Date the file prices were checked (YYYY-MM-DD).' }),
    models: z
      .record(z.string().min(1), modelPriceSchema)
      .optional()
      .meta({ description: 'USD per million tokens by model id; overrides the built-in table per model.' }),
  })
  .meta({ description: 'Price overrides merged over the built-in dated table.' });

export const rolloutSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Path or URL of this JSON Schema, for editors.' }),
    routes: z
      .record(z.string().min(1), routeSchema)
      .meta({ description: 'One entry per agent role (orchestrator, specialist, ...).' }),
    models: z
      .record(z.string().min(1), z.string().min(1))
      .optional()
      .meta({ description: 'Model aliases: alias -> priced model id.' }),
    prices: pricesSchema.optional(),
  })
  .meta({ title: 'model-canary rollout config', description: 'Routes, arms and percents of a model-canary rollout.' });

export type RolloutInput = z.infer<typeof rolloutSchema>;
export type RouteInput = z.infer<typeof routeSchema>;
