import type { JsonSchema } from './request.js';

/** Deepest nesting of a tool's input_schema the simulator accepts (the real API limits schema complexity too). */
export const MAX_SCHEMA_DEPTH = 32;
/** Most schema nodes (objects) in one tool's input_schema. */
export const MAX_SCHEMA_NODES = 10_000;
/** Where the smallest-instance estimate stops counting: anything this big is refused anyway. */
const SATURATED = Number.MAX_SAFE_INTEGER;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const add = (a: number, b: number): number => Math.min(SATURATED, a + b);
const times = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : a > SATURATED / b ? SATURATED : a * b);

export type SchemaCheck = { ok: true; minChars: number } | { ok: false; problem: string };

/**
 * Checks the keywords the generator reads (a malformed one is the client's 400, not the simulator's crash) and
 * estimates the length, in JSON characters, of the smallest input the schema allows, so that a schema whose
 * smallest input cannot fit the output is refused before anything is generated.
 */
export function checkToolSchema(schema: unknown): SchemaCheck {
  let nodes = 0;
  const visit = (node: unknown, at: string, depth: number): SchemaCheck => {
    if (typeof node === 'boolean') return { ok: true, minChars: 4 };
    if (!isRecord(node)) return { ok: false, problem: `${at}: a schema must be an object or a boolean` };
    nodes += 1;
    if (nodes > MAX_SCHEMA_NODES) return { ok: false, problem: `more than ${MAX_SCHEMA_NODES} schemas nested in one input_schema` };
    if (depth > MAX_SCHEMA_DEPTH) return { ok: false, problem: `${at}: nested deeper than ${MAX_SCHEMA_DEPTH} levels` };
    const s = node as JsonSchema;
    for (const key of ['minItems', 'maxItems', 'minProperties', 'minLength'] as const) {
      if (s[key] !== undefined && !isCount(s[key])) return { ok: false, problem: `${at}.${key}: must be a non-negative integer` };
    }
    for (const key of ['minimum', 'maximum'] as const) {
      if (s[key] !== undefined && (typeof s[key] !== 'number' || !Number.isFinite(s[key]))) return { ok: false, problem: `${at}.${key}: must be a number` };
    }
    if (s.type !== undefined && typeof s.type !== 'string' && !(Array.isArray(s.type) && s.type.every((t) => typeof t === 'string'))) {
      return { ok: false, problem: `${at}.type: must be a string or a list of strings` };
    }
    if (s.required !== undefined && !(Array.isArray(s.required) && s.required.every((r) => typeof r === 'string'))) {
      return { ok: false, problem: `${at}.required: must be a list of strings` };
    }
    if (s.enum !== undefined && !Array.isArray(s.enum)) return { ok: false, problem: `${at}.enum: must be a list` };
    if (s.properties !== undefined && !isRecord(s.properties)) return { ok: false, problem: `${at}.properties: must be an object` };
    for (const key of ['anyOf', 'oneOf'] as const) {
      if (s[key] !== undefined && !Array.isArray(s[key])) return { ok: false, problem: `${at}.${key}: must be a list of schemas` };
    }

    if (s.const !== undefined || (Array.isArray(s.enum) && s.enum.length > 0)) return { ok: true, minChars: 1 };
    const variants = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
    if (Array.isArray(variants) && variants.length > 0) return visit(variants[0], `${at}.anyOf[0]`, depth + 1);
    // Every property and the items are checked, required or not: the generator may produce any of them.
    let objectMin = 2;
    const required = new Set(s.required ?? []);
    const optional: number[] = [];
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const inner = visit(prop, `${at}.properties.${name}`, depth + 1);
      if (!inner.ok) return inner;
      const size = add(inner.minChars, name.length + 4);
      if (required.has(name)) objectMin = add(objectMin, size);
      else optional.push(size);
    }
    let itemMin = 0;
    if (s.items !== undefined) {
      const inner = visit(s.items, `${at}.items`, depth + 1);
      if (!inner.ok) return inner;
      itemMin = inner.minChars;
    }
    const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'null') : s.type;
    const kind = typeof type === 'string' ? type : s.properties !== undefined ? 'object' : s.items !== undefined ? 'array' : 'string';
    switch (kind) {
      case 'object': {
        optional.sort((a, b) => a - b);
        const extra = Math.max(0, (s.minProperties ?? 0) - required.size);
        for (const size of optional.slice(0, extra)) objectMin = add(objectMin, size);
        return { ok: true, minChars: objectMin };
      }
      case 'array':
        return { ok: true, minChars: add(2, times(s.minItems ?? 0, add(itemMin, 1))) };
      case 'string':
        return { ok: true, minChars: add(2, s.minLength ?? 0) };
      default:
        return { ok: true, minChars: 1 };
    }
  };
  return visit(schema, 'input_schema', 0);
}
