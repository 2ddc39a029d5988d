import { z } from 'zod';
import { rolloutSchema } from './schema.js';

/** The JSON Schema of a rollout file (what editors check while it is typed), generated from the zod schema. */
export function rolloutJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(rolloutSchema, { io: 'input', unrepresentable: 'any' });
}
