import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { rolloutJsonSchema } from './json-schema.js';

it('ships a rollout.schema.json identical to the one generated from the zod schema (regenerate: pnpm -s canary schema > packages/router/rollout.schema.json)', () => {
  const committed = readFileSync(new URL('../../rollout.schema.json', import.meta.url), 'utf8');
  expect(committed).toBe(`${JSON.stringify(rolloutJsonSchema(), null, 2)}\n`);
});

it('describes strict objects, so editors flag unknown keys as they are typed', () => {
  const schema = rolloutJsonSchema() as { additionalProperties: unknown; properties: Record<string, unknown> };
  expect(schema.additionalProperties).toBe(false);
  expect(Object.keys(schema.properties)).toEqual(['$schema', 'routes', 'models', 'prices']);
});
