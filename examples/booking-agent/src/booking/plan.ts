import { z } from 'zod';
import { SUBTASK_KINDS } from './plan-tool.js';

// The same constraints as the tool's JSON Schema (plan-tool.ts), checked on what the model returned.
const isoDate = z.iso.date();
const text = z.string().min(1).max(100);
const people = z.number().int().min(1).max(9);

const detailsSchemas = {
  flights: z.strictObject({ from: text, to: text, departDate: isoDate, returnDate: isoDate.optional(), passengers: people }),
  hotel: z.strictObject({ city: text, checkIn: isoDate, checkOut: isoDate, guests: people }),
  restaurant: z.strictObject({ city: text, date: isoDate, time: z.string().max(20).optional(), partySize: people, cuisine: text.optional() }),
  car: z.strictObject({ city: text, pickupDate: isoDate, dropoffDate: isoDate, carClass: text.optional() }),
} as const;

export const planSchema = z.strictObject({
  summary: z.string().max(500).optional(),
  subtasks: z
    .strictObject({
      flights: detailsSchemas.flights.optional(),
      hotel: detailsSchemas.hotel.optional(),
      restaurant: detailsSchemas.restaurant.optional(),
      car: detailsSchemas.car.optional(),
    })
    .refine((s) => SUBTASK_KINDS.some((kind) => s[kind] !== undefined), 'the plan has no subtask: at least one service is required')
    // The refine above, as the tool's JSON Schema says it (plan-tool.test.ts compares the two).
    .meta({ minProperties: 1 }),
});

export type Subtask = {
  [K in keyof typeof detailsSchemas]: { readonly kind: K; readonly details: z.infer<(typeof detailsSchemas)[K]> };
}[keyof typeof detailsSchemas];

export interface Plan {
  readonly summary: string | null;
  /** In a fixed order (flights, hotel, restaurant, car). */
  readonly subtasks: readonly Subtask[];
}

export type PlanCheck = { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Validates the orchestrator's tool input. An off-schema plan (a required detail missing, a bad
 * date) or an incomplete one (no service at all) is rejected with every problem by path; the
 * problems name fields, never the values (which come from the customer's text).
 */
export function checkPlan(input: unknown): PlanCheck {
  const parsed = planSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(plan)'}: ${issue.message}`) };
  }
  const { summary, subtasks } = parsed.data;
  const list: Subtask[] = [];
  if (subtasks.flights !== undefined) list.push({ kind: 'flights', details: subtasks.flights });
  if (subtasks.hotel !== undefined) list.push({ kind: 'hotel', details: subtasks.hotel });
  if (subtasks.restaurant !== undefined) list.push({ kind: 'restaurant', details: subtasks.restaurant });
  if (subtasks.car !== undefined) list.push({ kind: 'car', details: subtasks.car });
  return { ok: true, plan: { summary: summary ?? null, subtasks: list } };
}
