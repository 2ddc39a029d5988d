import type Anthropic from '@anthropic-ai/sdk';
import type { Subtask } from './plan.js';

export const REVIEW_TOOL_NAME = 'review_itinerary';

const VERIFIER_SYSTEM =
  'You are the final verification agent of a travel booking service. Review the itinerary the specialists ' +
  'assembled before it is confirmed: dates that contradict each other, party sizes that differ between services, ' +
  'a service that does not match its details. Call review_itinerary with your verdict.';

/**
 * The tool the verifier must call. The verdicts are an `anyOf` of constants rather than an `enum` so that
 * each carries its own meaning for the model; a rejection must say why.
 */
export const reviewItineraryTool = {
  name: REVIEW_TOOL_NAME,
  description: 'Approve the itinerary for confirmation, or reject it with the reason.',
  input_schema: {
    type: 'object',
    additionalProperties: false,
    required: ['verdict'],
    properties: {
      verdict: {
        anyOf: [
          { const: 'approve', description: 'Every service is consistent with the others and with its details.' },
          { const: 'reject', description: 'Something must not be confirmed; say what in reason.' },
        ],
      },
      reason: { type: 'string', minLength: 1, maxLength: 300, description: 'Why, in one sentence (required to reject).' },
    },
  },
} as const satisfies Anthropic.Tool;

/**
 * The documented high-stakes rule: an itinerary of `minServices` or more services (3 by default: flights,
 * a hotel and a car, say) is reviewed before confirmation; a smaller one is confirmed as the specialists
 * answered. A `minServices` above the four kinds turns verification off.
 */
export const needsReview = (subtasks: readonly Subtask[], minServices: number): boolean => subtasks.length >= minServices;

/** What the verifier said: approval, a rejection with its reason, or an answer off the tool's schema. */
export type Review =
  | { readonly verdict: 'approve' }
  | { readonly verdict: 'reject'; readonly reason: string }
  | { readonly verdict: 'invalid'; readonly problem: string };

/** Reads the forced `review_itinerary` call; anything else is `invalid`, never an approval. */
export function readReview(message: Pick<Anthropic.Message, 'content' | 'stop_reason'>): Review {
  const call = message.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === REVIEW_TOOL_NAME);
  if (call === undefined) return { verdict: 'invalid', problem: `no ${REVIEW_TOOL_NAME} call (stop_reason ${message.stop_reason})` };
  const input = call.input as { verdict?: unknown; reason?: unknown };
  const reason = typeof input.reason === 'string' && input.reason.trim() !== '' ? input.reason.trim().slice(0, 300) : undefined;
  if (input.verdict === 'approve') return { verdict: 'approve' };
  if (input.verdict === 'reject') return { verdict: 'reject', reason: reason ?? 'no reason given' };
  return { verdict: 'invalid', problem: 'verdict is neither approve nor reject' };
}

/** The verifier's request: the aggregated itinerary (the plan's details and each specialist's confirmation). */
export function reviewRequest(itinerary: readonly (Subtask & { readonly confirmation: string })[], maxTokens: number): Omit<Anthropic.MessageCreateParamsNonStreaming, 'model'> {
  return {
    max_tokens: maxTokens,
    system: VERIFIER_SYSTEM,
    messages: [{ role: 'user', content: JSON.stringify({ itinerary: itinerary.map(({ kind, details, confirmation }) => ({ kind, details, confirmation })) }) }],
    tools: [reviewItineraryTool],
    tool_choice: { type: 'tool', name: REVIEW_TOOL_NAME },
  };
}
