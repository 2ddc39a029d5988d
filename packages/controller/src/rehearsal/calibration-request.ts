import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { ControllerError } from '../errors.js';

/**
 * The orchestrator call that calibration measures: a system prompt, one forced tool whose input is the plan,
 * and the requests it sends in turn. The size of the tool decides how many output tokens a plan costs on the
 * simulator, so an application passes its own orchestrator's tool; the default is a generic planning tool.
 */
export interface CalibrationRequest {
  readonly system: string;
  readonly tool: Anthropic.Tool;
  readonly requests: readonly string[];
}

export const DEFAULT_CALIBRATION_REQUEST: CalibrationRequest = {
  system: 'You are the orchestrator of an agent service. Call plan with one subtask per specialist the request needs, each with complete details.',
  tool: {
    name: 'plan',
    description: 'Break a request into subtasks for specialist agents.',
    input_schema: {
      type: 'object',
      additionalProperties: false,
      required: ['subtasks'],
      properties: {
        summary: { type: 'string', maxLength: 500, description: 'One sentence describing the request.' },
        subtasks: {
          type: 'array',
          minItems: 1,
          maxItems: 4,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['agent', 'task', 'details'],
            properties: {
              agent: { type: 'string', enum: ['search', 'booking', 'payment', 'notification'] },
              task: { type: 'string', minLength: 1, maxLength: 200 },
              details: { type: 'string', minLength: 1, maxLength: 200 },
              date: { type: 'string', format: 'date' },
            },
          },
        },
      },
    },
  },
  requests: [
    'Flights from Lisbon to Paris on 2026-05-02 for two, back on 2026-05-06, and a hotel near the Louvre.',
    'A table for four in Rome on 2026-06-12 at 20:00, Italian, and a rental car from 2026-06-11 to 2026-06-15.',
    'Hotel in Berlin from 2026-03-03 to 2026-03-05 for one guest.',
  ],
};

const requestSchema = z.strictObject({
  system: z.string().min(1),
  tool: z.looseObject({ name: z.string().min(1), description: z.string().optional(), input_schema: z.looseObject({ type: z.literal('object') }) }),
  requests: z.array(z.string().min(1)).min(1),
});

/**
 * Reads a calibration request from JSON text (`{ system, tool, requests }`, the shape above): what
 * `model-canary rehearse --calibration-request <file>` measures instead of the generic planning tool, so that a
 * rehearsal prices your orchestrator's real plans. Throws a `ControllerError` (`INVALID_CONFIG`) naming the file
 * and every problem with its path.
 */
export function parseCalibrationRequest(text: string, file: string): CalibrationRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ControllerError('INVALID_CONFIG', `${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = requestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.length === 0 ? '(root)' : i.path.join('.')}: ${i.message}`);
    throw new ControllerError('INVALID_CONFIG', `${file}: not a calibration request ({ system, tool, requests }):\n${problems.join('\n')}`);
  }
  return parsed.data as CalibrationRequest;
}
