import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from './request.js';
import { generateToolInput, generateValue } from './schema-input.js';
import { BOOKING_TOOL } from './test-helpers/sdk.js';

/** A tiny checker for the keywords the generator supports, to tell valid from invalid output. */
function violations(schema: JsonSchema, value: unknown, at = '$'): string[] {
  if (Array.isArray(schema.enum)) return schema.enum.includes(value) ? [] : [`${at}: not in enum`];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      if (typeof value !== 'object' || value === null) return [`${at}: not an object`];
      const obj = value as Record<string, unknown>;
      const missing = (schema.required ?? []).filter((k) => !(k in obj)).map((k) => `${at}.${k}: missing`);
      const few = Object.keys(obj).length < (schema.minProperties ?? 0) ? [`${at}: too few properties`] : [];
      const nested = Object.entries(schema.properties ?? {}).flatMap(([k, s]) => (k in obj ? violations(s, obj[k], `${at}.${k}`) : []));
      return [...missing, ...few, ...nested];
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${at}: not an array`];
      const short = value.length < (schema.minItems ?? 0) ? [`${at}: too few items`] : [];
      return [...short, ...value.flatMap((v, i) => violations(schema.items ?? {}, v, `${at}[${i}]`))];
    }
    case 'integer':
      return Number.isInteger(value) && (value as number) >= (schema.minimum ?? -Infinity) && (value as number) <= (schema.maximum ?? Infinity) ? [] : [`${at}: bad integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: not a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: not a boolean`];
    default:
      return typeof value === 'string' ? [] : [`${at}: not a string`];
  }
}

const schemas: Array<[string, JsonSchema]> = [
  ['the booking plan', BOOKING_TOOL.input_schema as JsonSchema],
  ['scalars', { type: 'object', properties: { n: { type: 'number' }, i: { type: 'integer', minimum: 3, maximum: 4 }, b: { type: 'boolean' }, s: { type: 'string', minLength: 30 } }, required: ['n', 'i', 'b', 's'] }],
  ['an object keyed by service (minProperties)', { type: 'object', properties: { services: { type: 'object', minProperties: 1, properties: { hotel: { type: 'string' }, car: { type: 'string' } } } }, required: ['services'] }],
  ['nested objects', { type: 'object', properties: { who: { type: 'object', properties: { name: { type: 'string' }, kind: { enum: ['a', 'b'] } }, required: ['name', 'kind'] } }, required: ['who'] }],
];

describe('generateToolInput', () => {
  it.each(schemas)('produces schema-valid input for %s', (_name, schema) => {
    const rng = seedrandom.alea('valid');
    for (let i = 0; i < 50; i += 1) expect(violations(schema, generateToolInput(schema, rng, 'valid').input)).toEqual([]);
  });

  it.each(schemas)('produces invalid but JSON-serialisable input for %s', (_name, schema) => {
    const rng = seedrandom.alea('invalid');
    for (let i = 0; i < 50; i += 1) {
      const { input, quality } = generateToolInput(schema, rng, 'invalid');
      expect(quality).toBe('invalid');
      expect(violations(schema, input).length).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(input))).toEqual(input);
    }
  });

  it('makes incomplete plans valid but thin: one subtask, no optional fields', () => {
    const rng = seedrandom.alea('thin');
    const schema = BOOKING_TOOL.input_schema as JsonSchema;
    const { input } = generateToolInput(schema, rng, 'incomplete');
    expect(violations(schema, input)).toEqual([]);
    expect(input.subtasks).toHaveLength(1);
    expect('notes' in input).toBe(false);
  });

  it('reports valid when a schema has nothing to break', () => {
    expect(generateToolInput({ type: 'object', properties: { note: { type: 'string' } } }, seedrandom.alea('x'), 'invalid').quality).toBe('valid');
  });

  it('tops up objects to minProperties, also when thin', () => {
    const schema: JsonSchema = { type: 'object', minProperties: 2, properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } };
    for (const seed of ['p1', 'p2', 'p3']) {
      expect(Object.keys(generateValue(schema, seedrandom.alea(seed), true) as object)).toEqual(['a', 'b']);
      expect(Object.keys(generateValue(schema, seedrandom.alea(seed)) as object).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('respects maxItems and array minimums', () => {
    const value = generateValue({ type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 3 }, seedrandom.alea('a'));
    expect(value).toHaveLength(3);
  });
});
