import type { ModelProfile } from './profiles.js';
import type { MessagesRequest, ToolDefinition } from './request.js';
import { lognormal, type Random } from './random.js';
import { checkToolSchema } from './check-schema.js';
import { generateToolInput, OutputBudgetExceeded, type PlanQuality } from './schema-input.js';
import { CHARS_PER_TOKEN, tokensForChars } from './tokens.js';

/** A text block as the real API returns it: no `citations` key unless there are citations. */
export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
}

export interface ThinkingBlock {
  readonly type: 'thinking';
  readonly thinking: string;
  readonly signature: string;
}

export interface ToolUseBlock {
  readonly type: 'tool_use';
  readonly id: string;
  readonly name: string;
  readonly input: Record<string, unknown>;
}

export type OutputBlock = ThinkingBlock | TextBlock | ToolUseBlock;
export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';

/** What the model "says", before it is rendered as JSON or SSE. */
export interface Generated {
  readonly id: string;
  readonly content: readonly OutputBlock[];
  readonly stopReason: StopReason;
  /** The stop sequence that ended the answer (stopReason `stop_sequence`), else null. */
  readonly stopSequence: string | null;
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

/** Tokens of thinking when `thinking` is on: the drawn length, within the budget and leaving room to answer. */
function thinkingTokens(req: MessagesRequest, wanted: number): number {
  const thinking = req.thinking;
  if (thinking === undefined || thinking.type === 'disabled') return 0;
  const budget = thinking.type === 'enabled' ? thinking.budget_tokens : req.max_tokens;
  return Math.max(1, Math.min(wanted, budget, req.max_tokens - 1));
}

/** Cuts the answer at the first stop sequence found in its text, as the API stops generating there. */
function applyStopSequences(req: MessagesRequest, answer: Answer): Answer {
  const sequences = (req.stop_sequences ?? []).filter((s) => s !== '');
  if (sequences.length === 0) return answer;
  const content: OutputBlock[] = [];
  for (const block of answer.content) {
    if (block.type === 'text') {
      let cut: { at: number; sequence: string } | undefined;
      for (const sequence of sequences) {
        const at = block.text.indexOf(sequence);
        if (at >= 0 && (cut === undefined || at < cut.at)) cut = { at, sequence };
      }
      if (cut !== undefined) {
        const text = block.text.slice(0, cut.at);
        if (text !== '') content.push({ type: 'text', text });
        const outputTokens = content.reduce((n, b) => n + blockTokens(b), 0);
        return { content, stopReason: 'stop_sequence', stopSequence: cut.sequence, outputTokens, plan: undefined };
      }
    }
    content.push(block);
  }
  return answer;
}

function blockTokens(block: OutputBlock): number {
  if (block.type === 'text') return tokensForChars(block.text.length);
  if (block.type === 'thinking') return tokensForChars(block.thinking.length);
  return tokensForChars(block.name.length + JSON.stringify(block.input).length);
}

type Answer = Pick<Generated, 'content' | 'stopReason' | 'stopSequence' | 'outputTokens' | 'plan'>;

const truncated = (content: OutputBlock[]): Answer => ({
  content,
  stopReason: 'max_tokens',
  stopSequence: null,
  outputTokens: content.reduce((n, b) => n + blockTokens(b), 0),
  plan: undefined,
});

/**
 * Generates the answer. Draws from `rng` in a fixed order (timings, length, tool decision, plan quality,
 * then content) so that the same stream always yields the same answer and timings. Never produces more than
 * `max_tokens`: a tool input that would not fit is cut off (stop_reason max_tokens), checked before and while
 * generating, so a schema asking for a huge input costs no more than max_tokens.
 */
export function generate(req: MessagesRequest, profile: ModelProfile, rng: Random, forcedPlan: PlanQuality | undefined): Generated {
  const ttftMs = lognormal(profile.ttftMs, rng(), rng());
  const tokensPerSecond = Math.max(1, lognormal(profile.outputTokensPerSecond, rng(), rng()));
  const wantedTokens = Math.max(1, Math.round(lognormal(profile.outputTokens, rng(), rng())));
  const uTool = rng();
  const uPlan = rng();
  const id = randomId('msg_01', rng);
  const tool = chooseTool(req, profile, uTool, rng);
  const thought = thinkingTokens(req, wantedTokens);
  const prefix: OutputBlock[] = thought === 0 ? [] : [{ type: 'thinking', thinking: textOfTokens(thought, rng), signature: randomId('sig_', rng) }];
  const max = req.max_tokens - thought;
  const timing = { id, ttftMs, tokensPerSecond };

  if (tool === undefined) {
    const tokens = Math.min(wantedTokens, max);
    const answer: Answer = {
      content: [...prefix, { type: 'text', text: textOfTokens(tokens, rng) }],
      stopReason: tokens < wantedTokens ? 'max_tokens' : 'end_turn',
      stopSequence: null,
      outputTokens: thought + tokens,
      plan: undefined,
    };
    return { ...timing, ...applyStopSequences(req, answer) };
  }

  const strict = (tool as { strict?: unknown }).strict === true;
  const preface = req.tool_choice?.type === 'auto' || req.tool_choice === undefined ? `I'll use the ${tool.name} tool.` : '';
  const prefaceTokens = tokensForChars(preface.length);
  const cutOff = (): Generated => {
    const tokens = Math.min(max, Math.max(prefaceTokens, 1));
    const text = preface.length > 0 ? preface.slice(0, tokens * CHARS_PER_TOKEN) : textOfTokens(tokens, rng);
    return { ...timing, ...truncated([...prefix, { type: 'text', text }]) };
  };
  const room = (max - prefaceTokens) * CHARS_PER_TOKEN - tool.name.length;
  // Checked before generating: the smallest input the schema allows must fit, or the answer is cut off at once.
  if (smallestInputChars(tool) > room) return cutOff();
  let generated: ReturnType<typeof generateToolInput>;
  try {
    generated = generateToolInput(tool.input_schema, rng, planQualityFor(profile, uPlan, forcedPlan, strict), { chars: room });
  } catch (error) {
    if (error instanceof OutputBudgetExceeded) return cutOff();
    throw error;
  }
  const { input, quality } = generated;
  const toolTokens = tokensForChars(tool.name.length + JSON.stringify(input).length);
  if (prefaceTokens + toolTokens > max) return cutOff();
  const content: OutputBlock[] = [...prefix, ...(preface.length > 0 ? [{ type: 'text' as const, text: preface }] : [])];
  content.push({ type: 'tool_use', id: randomId('toolu_01', rng), name: tool.name, input });
  const answer: Answer = { content, stopReason: 'tool_use', stopSequence: null, outputTokens: thought + prefaceTokens + toolTokens, plan: quality };
  return { ...timing, ...applyStopSequences(req, answer) };
}

/** JSON characters of the smallest input `tool`'s schema allows (the schema was checked when the request was). */
export function smallestInputChars(tool: ToolDefinition): number {
  const check = checkToolSchema(tool.input_schema);
  return check.ok ? check.minChars : 0;
}
