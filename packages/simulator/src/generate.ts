import type { ModelProfile } from './profiles.js';
import type { MessagesRequest, ToolDefinition } from './request.js';
import { lognormal, type Random } from './random.js';
import { generateToolInput, type PlanQuality } from './schema-input.js';
import { CHARS_PER_TOKEN, tokensForChars } from './tokens.js';

export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
  readonly citations: null;
}

export interface ToolUseBlock {
  readonly type: 'tool_use';
  readonly id: string;
  readonly name: string;
  readonly input: Record<string, unknown>;
}

export type OutputBlock = TextBlock | ToolUseBlock;
export type StopReason = 'end_turn' | 'max_tokens' | 'tool_use';

/** What the model "says", before it is rendered as JSON or SSE. */
export interface Generated {
  readonly id: string;
  readonly content: readonly OutputBlock[];
  readonly stopReason: StopReason;
  readonly outputTokens: number;
  readonly plan: PlanQuality | undefined;
  readonly ttftMs: number;
  readonly tokensPerSecond: number;
}

// Three letters and a space: exactly CHARS_PER_TOKEN characters, so a text of n words counts as n tokens.
const WORDS = ['the', 'and', 'for', 'you', 'can', 'day', 'now', 'way', 'new', 'see', 'two', 'how', 'our', 'map', 'sea', 'inn'];
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomId(prefix: string, rng: Random): string {
  let s = prefix;
  for (let i = 0; i < 24; i += 1) s += ID_ALPHABET[Math.floor(rng() * ID_ALPHABET.length)];
  return s;
}

export function textOfTokens(tokens: number, rng: Random): string {
  const words: string[] = [];
  for (let i = 0; i < tokens; i += 1) words.push(WORDS[Math.floor(rng() * WORDS.length)] as string);
  const text = words.join(' ');
  return text.length > 0 ? `${text[0]?.toUpperCase()}${text.slice(1)}.` : text;
}

function customTools(req: MessagesRequest): ToolDefinition[] {
  return (req.tools ?? []).filter((t) => t.input_schema !== undefined);
}

function answersToolResult(req: MessagesRequest): boolean {
  const last = req.messages.at(-1);
  return last?.role === 'user' && typeof last.content !== 'string' && last.content.some((b) => b.type === 'tool_result');
}

/** The tool the model calls, or undefined for a text answer, following tool_choice like the real API. */
function chooseTool(req: MessagesRequest, profile: ModelProfile, uTool: number, rng: Random): ToolDefinition | undefined {
  const tools = customTools(req);
  const choice = req.tool_choice ?? { type: 'auto' as const };
  if (tools.length === 0 || choice.type === 'none') return undefined;
  if (choice.type === 'tool') return tools.find((t) => t.name === choice.name);
  const pickOne = (): ToolDefinition => tools[Math.floor(rng() * tools.length)] as ToolDefinition;
  if (choice.type === 'any') return pickOne();
  // After a tool_result the model normally wraps up in text: that is what ends an agent loop.
  if (answersToolResult(req) || uTool >= profile.toolUseRate) return undefined;
  return pickOne();
}

function planQualityFor(profile: ModelProfile, u: number, forced: PlanQuality | undefined, strict: boolean): PlanQuality {
  const drawn: PlanQuality = forced ??
    (u < profile.planQuality.invalidRate ? 'invalid'
      : u < profile.planQuality.invalidRate + profile.planQuality.incompleteRate ? 'incomplete' : 'valid');
  // Strict tools are schema-constrained decoding on the real API: they cannot come back invalid.
  return strict && drawn === 'invalid' ? 'valid' : drawn;
}

/**
 * Generates the answer. Draws from `rng` in a fixed order (timings, length, tool decision, plan quality,
 * then content) so that the same stream always yields the same answer and timings.
 */
export function generate(req: MessagesRequest, profile: ModelProfile, rng: Random, forcedPlan: PlanQuality | undefined): Generated {
  const ttftMs = lognormal(profile.ttftMs, rng(), rng());
  const tokensPerSecond = Math.max(1, lognormal(profile.outputTokensPerSecond, rng(), rng()));
  const wantedTokens = Math.max(1, Math.round(lognormal(profile.outputTokens, rng(), rng())));
  const uTool = rng();
  const uPlan = rng();
  const id = randomId('msg_01', rng);
  const tool = chooseTool(req, profile, uTool, rng);
  const max = req.max_tokens;

  if (tool === undefined) {
    const tokens = Math.min(wantedTokens, max);
    return {
      id, ttftMs, tokensPerSecond, plan: undefined, outputTokens: tokens,
      content: [{ type: 'text', text: textOfTokens(tokens, rng), citations: null }],
      stopReason: tokens < wantedTokens ? 'max_tokens' : 'end_turn',
    };
  }

  const strict = (tool as { strict?: unknown }).strict === true;
  const { input, quality } = generateToolInput(tool.input_schema, rng, planQualityFor(profile, uPlan, forcedPlan, strict));
  const preface = req.tool_choice?.type === 'auto' || req.tool_choice === undefined ? `I'll use the ${tool.name} tool.` : '';
  const prefaceTokens = tokensForChars(preface.length);
  const toolTokens = tokensForChars(tool.name.length + JSON.stringify(input).length);
  if (prefaceTokens + toolTokens > max) {
    const tokens = Math.min(max, Math.max(prefaceTokens, 1));
    const text = preface.length > 0 ? preface.slice(0, tokens * CHARS_PER_TOKEN) : textOfTokens(tokens, rng);
    return { id, ttftMs, tokensPerSecond, plan: undefined, outputTokens: tokens, content: [{ type: 'text', text, citations: null }], stopReason: 'max_tokens' };
  }
  const content: OutputBlock[] = preface.length > 0 ? [{ type: 'text', text: preface, citations: null }] : [];
  content.push({ type: 'tool_use', id: randomId('toolu_01', rng), name: tool.name, input });
  return { id, ttftMs, tokensPerSecond, plan: quality, outputTokens: prefaceTokens + toolTokens, content, stopReason: 'tool_use' };
}
