import type Anthropic from '@anthropic-ai/sdk';
import type { ErrorClass, TokenCounts } from '../events.js';
import { classifyError } from '../call/classify-error.js';
import { addTokens, tokensFromUsage, ZERO_TOKENS } from '../pricing/tokens-from-usage.js';
import type { JudgeVerdict } from './shadow-events.js';

/**
 * The judge's contract (one place: the simulator recognises the same names). The judge sees the rubric, the
 * request and two answers labelled A and B, never a model name, and must answer through this forced tool call.
 */
export const JUDGE_TOOL_NAME = 'record_verdict';
export const JUDGE_LABELS = { a: 'answer_A', b: 'answer_B' } as const;
/** The verification tier judges by default. */
export const DEFAULT_JUDGE_MODEL = 'claude-opus-4-7';

const JUDGE_SYSTEM =
  'You are an impartial judge. You compare two answers to the same request against a rubric. ' +
  'The answers are labelled A and B; their order is arbitrary and carries no information. ' +
  `Judge only by the rubric and record your verdict with the ${JUDGE_TOOL_NAME} tool: winner "A", "B", or "tie" when neither is better.`;

const JUDGE_TOOL = {
  name: JUDGE_TOOL_NAME,
  description: 'Records which answer is better under the rubric.',
  input_schema: {
    type: 'object' as const,
    properties: {
      reasoning: { type: 'string', description: 'A short justification, citing the rubric.' },
      winner: { type: 'string', enum: ['A', 'B', 'tie'] },
    },
    required: ['winner'],
  },
};

/** A request as the judge is shown it: the served call's params. */
export type JudgedRequest = Readonly<Record<string, unknown>>;
/** An answer as the judge is shown it: a `Message` (only its content is rendered). */
export interface JudgedAnswer {
  readonly content?: readonly unknown[];
}

export interface JudgeOptions {
  /** The SDK client the judge calls with (its own key, base URL, retries). */
  readonly client: Anthropic;
  /** Default `claude-opus-4-7`. */
  readonly model?: string;
  /** What "better" means for this route's answers, in plain words. */
  readonly rubric: string;
  /** How a request and an answer are shown to the judge. Defaults: the messages' text; text and tool calls. */
  readonly render?: {
    readonly request?: (request: JudgedRequest) => string;
    readonly answer?: (answer: JudgedAnswer) => string;
  };
  /** Judge both orders (served as A, then as B) and count disagreeing orders as a tie. Default true. */
  readonly bothOrders?: boolean;
  /** `max_tokens` of a judge call. Default 1024. */
  readonly maxTokens?: number;
}

export interface JudgeInput {
  readonly request: JudgedRequest;
  readonly served: JudgedAnswer;
  readonly candidate: JudgedAnswer;
}

export interface JudgeResult {
  readonly verdict: JudgeVerdict;
  readonly orders: readonly (JudgeVerdict | null)[];
  readonly tokens: TokenCounts;
  readonly errorClass: ErrorClass | null;
}

export interface Judge {
  readonly model: string;
  compare(input: JudgeInput, signal?: AbortSignal): Promise<JudgeResult>;
}

/**
 * A blind pairwise judge: labels A/B, both orders by default (position bias cancels; orders that disagree are a
 * tie), the verdict through a forced tool call. It never throws: a failed call is a `judge_error` verdict.
 *
 * @example
 * const judge = createJudge({ client, rubric: 'Covers every requested service, with correct dates and parties.' });
 * createRouter({ configFile: 'rollout.json', client, judge });
 */
export function createJudge(options: JudgeOptions): Judge {
  const { client, model = DEFAULT_JUDGE_MODEL, rubric, bothOrders = true, maxTokens = 1024 } = options;
  const renderRequest = options.render?.request ?? defaultRenderRequest;
  const renderAnswer = options.render?.answer ?? defaultRenderAnswer;

  async function ask(request: string, a: string, b: string, signal: AbortSignal | undefined): Promise<{ winner: 'A' | 'B' | 'tie' | null; tokens: TokenCounts }> {
    const content =
      `<rubric>\n${rubric}\n</rubric>\n<request>\n${request}\n</request>\n` +
      `<${JUDGE_LABELS.a}>\n${a}\n</${JUDGE_LABELS.a}>\n<${JUDGE_LABELS.b}>\n${b}\n</${JUDGE_LABELS.b}>`;
    const message = await client.messages.create(
      {
        model,
        max_tokens: maxTokens,
        system: JUDGE_SYSTEM,
        messages: [{ role: 'user', content }],
        tools: [JUDGE_TOOL],
        tool_choice: { type: 'tool', name: JUDGE_TOOL_NAME },
      },
      signal === undefined ? {} : { signal },
    );
    const call = message.content.find((block) => block.type === 'tool_use' && block.name === JUDGE_TOOL_NAME);
    const winner = call?.type === 'tool_use' ? (call.input as { winner?: unknown }).winner : undefined;
    return { winner: winner === 'A' || winner === 'B' || winner === 'tie' ? winner : null, tokens: tokensFromUsage(message.usage) };
  }

  return {
    model,
    async compare({ request, served, candidate }, signal) {
      const shownRequest = renderRequest(request);
      const s = renderAnswer(served);
      const c = renderAnswer(candidate);
      const orders = await Promise.allSettled([
        ask(shownRequest, s, c, signal).then((r) => ({ ...r, verdict: verdictOf(r.winner, 'A') })),
        ...(bothOrders ? [ask(shownRequest, c, s, signal).then((r) => ({ ...r, verdict: verdictOf(r.winner, 'B') }))] : []),
      ]);
      let tokens = ZERO_TOKENS;
      let errorClass: ErrorClass | null = null;
      const verdicts = orders.map((order) => {
        if (order.status === 'rejected') {
          errorClass ??= classifyError(order.reason);
          return null;
        }
        tokens = addTokens(tokens, order.value.tokens);
        if (order.value.verdict === null) errorClass ??= 'other';
        return order.value.verdict;
      });
      return { verdict: combine(verdicts), orders: verdicts, tokens, errorClass };
    },
  };
}

/** The verdict of one order, where `servedLabel` is the label the served answer had. */
function verdictOf(winner: 'A' | 'B' | 'tie' | null, servedLabel: 'A' | 'B'): JudgeVerdict | null {
  if (winner === null) return null;
  if (winner === 'tie') return 'tie';
  return winner === servedLabel ? 'served_better' : 'candidate_better';
}

/** Every order must answer; orders that disagree are a tie (position bias, or no real difference). */
function combine(orders: readonly (JudgeVerdict | null)[]): JudgeVerdict {
  if (orders.some((v) => v === null)) return 'judge_error';
  const first = orders[0] as JudgeVerdict;
  return orders.every((v) => v === first) ? first : 'tie';
}

function defaultRenderRequest(request: JudgedRequest): string {
  const parts: string[] = [];
  const system = request['system'];
  if (typeof system === 'string') parts.push(`[system]\n${system}`);
  else if (Array.isArray(system)) parts.push(`[system]\n${system.map(textOf).join('\n')}`);
  const messages = request['messages'];
  if (Array.isArray(messages)) {
    for (const m of messages as { role?: unknown; content?: unknown }[]) {
      const content = typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map(textOf).join('\n') : '';
      parts.push(`[${String(m.role)}]\n${content}`);
    }
  }
  return parts.join('\n\n');
}

/** Text blocks as they are, tool calls as their name and canonical JSON input; never the model's name. */
function defaultRenderAnswer(answer: JudgedAnswer): string {
  return (answer.content ?? []).map(textOf).filter((s) => s !== '').join('\n');
}

function textOf(block: unknown): string {
  if (typeof block !== 'object' || block === null) return '';
  const b = block as { type?: unknown; text?: unknown; name?: unknown; input?: unknown };
  if (b.type === 'text' && typeof b.text === 'string') return b.text;
  if (b.type === 'tool_use') return `[tool ${String(b.name)}] ${JSON.stringify(b.input)}`;
  return '';
}
