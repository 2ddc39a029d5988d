import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { planSchema } from './plan.js';
import { planBookingTool, SUBTASK_KINDS } from './plan-tool.js';

/** JSON Schema without what only one side writes: descriptions (for the model) and zod's date regex. */
function constraints(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(constraints);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => key !== 'description' && key !== 'pattern' && key !== '$schema')
      .map(([key, value]) => [key, constraints(value)]),
  );
}

describe('the plan_booking tool schema', () => {
  it('states exactly the constraints the zod plan validation checks', () => {
    expect(constraints(planBookingTool.input_schema)).toEqual(constraints(z.toJSONSchema(planSchema, { io: 'input' })));
  });

  it('offers one property per service kind and requires at least one of them', () => {
    const subtasks = planBookingTool.input_schema.properties.subtasks;
    expect(Object.keys(subtasks.properties)).toEqual([...SUBTASK_KINDS]);
    expect(subtasks.minProperties).toBe(1);
    expect(planSchema.safeParse({ subtasks: {} }).success).toBe(false);
  });
});
