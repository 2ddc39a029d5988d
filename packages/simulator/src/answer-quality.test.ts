import type Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, createQualityBook } from './answer-quality.js';
import { JUDGE_TOOL_NAME, startSimulator, type Simulator } from './index.js';
import { BOOKING_TOOL, client } from './test-helpers/sdk.js';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

const VERDICT_TOOL = {
  name: JUDGE_TOOL_NAME,
  input_schema: { type: 'object' as const, properties: { winner: { type: 'string', enum: ['A', 'B', 'tie'] } }, required: ['winner'] },
};

async function plan(sdk: Anthropic, model: string, i: number): Promise<string> {
  const msg = await sdk.messages.create({ model, max_tokens: 1024, tools: [BOOKING_TOOL], tool_choice: { type: 'any' }, messages: [{ role: 'user', content: `booking ${i}` }] });
  const call = msg.content.find((b) => b.type === 'tool_use');
  return call?.type === 'tool_use' ? `[tool ${call.name}] ${JSON.stringify(call.input)}` : '';
}

async function verdict(sdk: Anthropic, a: string, b: string): Promise<string> {
  const msg = await sdk.messages.create({
    model: 'claude-opus-4-7',
    max_tokens: 256,
    tools: [VERDICT_TOOL],
    tool_choice: { type: 'tool', name: JUDGE_TOOL_NAME },
    messages: [{ role: 'user', content: `<request>\nbook\n</request>\n<answer_A>\n${a}\n</answer_A>\n<answer_B>\n${b}\n</answer_B>` }],
  });
  const call = msg.content.find((x) => x.type === 'tool_use');
  return String((call?.type === 'tool_use' ? (call.input as { winner?: unknown }).winner : undefined) ?? 'none');
}

async function tally(judge: { noise?: number; positionBias?: number; tieMargin?: number }, modelA: string, modelB: string, n: number) {
  sim = await startSimulator({ seed: 'quality', timeScale: 0, baselineFaults: false, judge });
  const sdk = client(sim.url);
  const counts: Record<string, number> = { A: 0, B: 0, tie: 0 };
  for (let i = 0; i < n; i++) {
    const [a, b] = await Promise.all([plan(sdk, modelA, i), plan(sdk, modelB, i)]);
    const w = await verdict(sdk, a, b);
    counts[w] = (counts[w] ?? 0) + 1;
  }
  return counts;
}

describe('latent answer quality and the simulated judge', () => {
  it('prefers the better model\'s answers (Opus over Haiku), from their remembered qualities', async () => {
    const c = await tally({ positionBias: 0 }, 'claude-opus-4-7', 'claude-haiku-4-5', 200);
    expect(c['A']).toBeGreaterThan(1.5 * (c['B'] ?? 0));
    expect(c['tie']).toBeGreaterThan(0);
  });

  it('is even between answers of one model, and favours the first position by its bias', async () => {
    const even = await tally({ positionBias: 0 }, 'claude-sonnet-4-6', 'claude-sonnet-4-6', 200);
    expect(Math.abs((even['A'] ?? 0) - (even['B'] ?? 0))).toBeLessThan(40);
    await sim?.close();
    const biased = await tally({ positionBias: 2 }, 'claude-sonnet-4-6', 'claude-sonnet-4-6', 100);
    expect(biased['A']).toBeGreaterThan(3 * (biased['B'] ?? 0));
  });

  it('calls a tie between answers it never generated', async () => {
    sim = await startSimulator({ seed: 'quality', timeScale: 0, baselineFaults: false });
    expect(await verdict(client(sim.url), 'a plan from elsewhere', '{"subtasks":[]}')).toBe('tie');
  });

  it('remembers answers by canonical content, within its bound', () => {
    const book = createQualityBook(2);
    book.remember([{ type: 'tool_use', id: 't', name: 'plan', input: { b: 1, a: [2] } }], 1.5);
    expect(book.find(`[tool plan] ${JSON.stringify({ a: [2], b: 1 })}`)).toBe(1.5);
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
    book.remember([{ type: 'text', text: 'one' }], 0);
    book.remember([{ type: 'text', text: 'two' }], 0);
    expect(book.size).toBe(2);
    expect(book.find('[tool plan] {"a":[2],"b":1}')).toBeUndefined();
  });
});
