import type Anthropic from '@anthropic-ai/sdk';
import { createJudge, type Judge, type JudgedAnswer, type JudgedRequest } from '@model-canary/router';
import { PLAN_TOOL_NAME } from './plan-tool.js';

/** What makes one booking plan better than another, for the blind judge of shadow calls (issue 16). */
export const PLAN_RUBRIC = [
  'A better plan:',
  '1. covers every service the customer asked for (flights, hotel, restaurant, car) and no service they did not ask for;',
  '2. has the right dates (departure and return, check-in and check-out, pick-up and drop-off in order and matching the request) and the right parties (number of passengers, guests, party size);',
  '3. has sensible subtasks: places and times that fit together (the hotel in the destination city, the car picked up where the flight lands), every detail a specialist needs.',
  'A plan that is missing, malformed or off-topic loses to any valid plan. Equal plans are a tie.',
].join('\n');

/** The customer's request as the judge sees it: the user turns' text (the system prompt is the same for both answers). */
function renderRequest(request: JudgedRequest): string {
  const messages = Array.isArray(request['messages']) ? (request['messages'] as { role?: unknown; content?: unknown }[]) : [];
  return messages
    .filter((m) => m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map((b: { text?: unknown }) => (typeof b.text === 'string' ? b.text : '')).join('\n') : ''))
    .join('\n');
}

/** A plan as the judge sees it: the plan tool's input as JSON (never the model's name), or the answer's text. */
function renderPlan(answer: JudgedAnswer): string {
  const blocks = (answer.content ?? []) as { type?: unknown; name?: unknown; input?: unknown; text?: unknown }[];
  const plan = blocks.find((b) => b.type === 'tool_use' && b.name === PLAN_TOOL_NAME);
  if (plan !== undefined) return `[plan] ${JSON.stringify(plan.input)}`;
  const text = blocks.filter((b) => b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string).join('\n');
  return text === '' ? '(no plan)' : `(no plan; text) ${text}`;
}

/** The booking agent's judge: Claude Opus 4.7 compares the orchestrator's plans blind, in both orders. */
export function createPlanJudge(client: Anthropic): Judge {
  return createJudge({ client, rubric: PLAN_RUBRIC, render: { request: renderRequest, answer: renderPlan } });
}
