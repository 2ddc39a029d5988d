import type { JsonSchema } from './request.js';
import type { Random } from './random.js';

/** How good a generated tool input is: valid, schema-valid but thin, or breaking the schema. */
export const PLAN_QUALITIES = ['valid', 'incomplete', 'invalid'] as const;
export type PlanQuality = (typeof PLAN_QUALITIES)[number];

const WORDS = ['alpha', 'harbor', 'north', 'hotel', 'flight', 'table', 'river', 'garden', 'station', 'window', 'paris', 'lisbon', 'seat', 'dinner', 'museum', 'ticket'];

function typeOf(schema: JsonSchema): string {
  const t = Array.isArray(schema.type) ? (schema.type.find((x) => x !== 'null') ?? 'null') : schema.type;
  if (typeof t === 'string') return t;
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return 'string';
}

function pick<T>(items: readonly T[], rng: Random): T {
  return items[Math.floor(rng() * items.length)] as T;
}

function stringFor(schema: JsonSchema, rng: Random): string {
  if (schema.format === 'date') return `2026-0${1 + Math.floor(rng() * 9)}-1${Math.floor(rng() * 9)}`;
  if (schema.format === 'date-time') return `2026-0${1 + Math.floor(rng() * 9)}-1${Math.floor(rng() * 9)}T1${Math.floor(rng() * 9)}:00:00Z`;
  if (schema.format === 'email') return `${pick(WORDS, rng)}@example.com`;
  let s = `${pick(WORDS, rng)} ${pick(WORDS, rng)}`;
  while (s.length < (schema.minLength ?? 0)) s += ` ${pick(WORDS, rng)}`;
  return s;
}

function numberFor(schema: JsonSchema, rng: Random, integer: boolean): number {
  const min = schema.minimum ?? 0;
  const max = schema.maximum ?? min + 100;
  const v = min + rng() * (max - min);
  return integer ? Math.min(max, Math.max(min, Math.round(v))) : Math.round(v * 100) / 100;
}

/** Thrown when a value would exceed its budget of JSON characters: the answer is cut at max_tokens instead. */
export class OutputBudgetExceeded extends Error {
  override readonly name = 'OutputBudgetExceeded';
}

/** JSON characters a generated value may still use; every value spends at least 2, so generation is bounded by it. */
export interface OutputBudget {
  chars: number;
}

function spend(budget: OutputBudget, chars: number): void {
  budget.chars -= Math.max(2, chars);
  if (budget.chars < 0) throw new OutputBudgetExceeded('generated input exceeds the output budget');
}

/**
 * Generates a schema-valid value. `thin` makes it valid but incomplete: optional properties left out and
 * arrays at their minimum length (at least one item), which is how an "incomplete plan" looks. Throws
 * OutputBudgetExceeded when the value would need more than `budget` characters.
 */
export function generateValue(schema: JsonSchema, rng: Random, thin = false, budget: OutputBudget = { chars: Number.POSITIVE_INFINITY }): unknown {
  spend(budget, 2);
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return pick(schema.enum, rng);
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(variants) && variants.length > 0) return generateValue(variants[0] as JsonSchema, rng, thin, budget);
  switch (typeOf(schema)) {
    case 'object': {
      const required = new Set(schema.required ?? []);
      const out: Record<string, unknown> = {};
      const properties = Object.entries(schema.properties ?? {});
      for (const [name, prop] of properties) {
        const include = required.has(name) || (!thin && rng() < 0.7);
        if (include) out[name] = generateValue(prop, rng, thin, budget);
      }
      // minProperties: top up with the optional properties left out, in declared order.
      for (const [name, prop] of properties) {
        if (Object.keys(out).length >= (schema.minProperties ?? 0)) break;
        if (!(name in out)) out[name] = generateValue(prop, rng, thin, budget);
      }
      return out;
    }
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = schema.maxItems ?? Number.POSITIVE_INFINITY;
      const wanted = thin ? Math.max(min, 1) : Math.max(min, 2 + Math.floor(rng() * 3));
      const length = Math.min(max, wanted);
      return Array.from({ length }, () => generateValue(schema.items ?? {}, rng, thin, budget));
    }
    case 'integer':
      return numberFor(schema, rng, true);
    case 'number':
      return numberFor(schema, rng, false);
    case 'boolean':
      return rng() < 0.5;
    case 'null':
      return null;
    default:
      spend(budget, schema.minLength ?? 0);
      return stringFor(schema, rng);
  }
}

type Mutation = () => void;

function mutationsOf(schema: JsonSchema, value: unknown, depth: number): Mutation[] {
  if (typeOf(schema) !== 'object' || typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const obj = value as Record<string, unknown>;
  const out: Mutation[] = [];
  for (const name of schema.required ?? []) {
    if (name in obj) out.push(() => { delete obj[name]; });
  }
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const current = obj[name];
    if (current === undefined) continue;
    if (typeOf(prop) === 'array' && (prop.minItems ?? 0) >= 1) out.push(() => { obj[name] = []; });
    if (typeOf(prop) === 'object' && (prop.minProperties ?? 0) >= 1) out.push(() => { obj[name] = {}; });
    if (Array.isArray(prop.enum)) out.push(() => { obj[name] = 'unknown'; });
    if (depth < 2 && Array.isArray(current) && prop.items !== undefined && current.length > 0) {
      out.push(...mutationsOf(prop.items, current[0], depth + 1));
    }
    if (depth < 2 && typeOf(prop) === 'object') out.push(...mutationsOf(prop, current, depth + 1));
  }
  return out;
}

/**
 * Generates a tool input of the asked quality. An invalid input is still well-formed JSON (the model produced
 * valid JSON with wrong content): a required property missing, a required list empty, an enum value unknown.
 * Returns the quality actually produced (a schema with no constraints cannot be broken).
 */
export function generateToolInput(schema: JsonSchema, rng: Random, quality: PlanQuality, budget?: OutputBudget): { input: Record<string, unknown>; quality: PlanQuality } {
  const input = generateValue(schema, rng, quality === 'incomplete', budget) as Record<string, unknown>;
  if (quality !== 'invalid') return { input, quality };
  const mutations = mutationsOf(schema, input, 0);
  if (mutations.length === 0) return { input, quality: 'valid' };
  pick(mutations, rng)();
  return { input, quality: 'invalid' };
}
