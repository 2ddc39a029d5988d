import Anthropic from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';

// The SDK must never find real credentials or endpoints from the environment in tests.
for (const name of Object.keys(process.env)) {
  if (name.startsWith('ANTHROPIC_')) delete process.env[name];
}

export function client(baseURL: string, options: Partial<ClientOptions> = {}): Anthropic {
  return new Anthropic({ apiKey: 'sk-test', baseURL, maxRetries: 0, ...options });
}

/** Profiles with no random errors, so a test only sees the faults it asks for. */
export const QUIET = { baselineFaults: false } as const;

export const BOOKING_TOOL = {
  name: 'plan_booking',
  description: 'Break a booking request into subtasks.',
  input_schema: {
    type: 'object' as const,
    properties: {
      subtasks: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: {
            agent: { type: 'string', enum: ['flight', 'hotel', 'restaurant'] },
            instructions: { type: 'string' },
            priority: { type: 'integer', minimum: 1, maximum: 5 },
          },
          required: ['agent', 'instructions'],
        },
      },
      traveller: { type: 'string' },
      notes: { type: 'string' },
    },
    required: ['subtasks', 'traveller'],
  },
};

export async function rawPost(url: string, path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; headers: Headers }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'sk-test', 'anthropic-version': '2023-06-01', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : JSON.parse(text), headers: res.headers };
}
