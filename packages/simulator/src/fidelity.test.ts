import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.js';
import { QUIET, client, rawPost } from './test-helpers/sdk.js';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'fidelity', timeScale: 0, ...QUIET });
});
afterAll(async () => {
  await sim.close();
});

const ok = { model: 'claude-haiku-4-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'hi' }] };

/** Arrays of arrays of arrays, each with at least `n` items: a tiny request asking for n^3 values. */
const nestedMinItems = (n: number) => ({
  type: 'object',
  properties: { a: { type: 'array', minItems: n, items: { type: 'array', minItems: n, items: { type: 'array', minItems: n, items: { type: 'string' } } } } },
  required: ['a'],
});

describe('bounded generation', () => {
  it.each([
    ['nested minItems 400, three deep', nestedMinItems(400)],
    ['minItems 1,000,000', { type: 'object', properties: { a: { type: 'array', minItems: 1_000_000, items: { type: 'integer' } } }, required: ['a'] }],
  ])('refuses at once, with a 400, a tool whose smallest input no max_tokens could hold (%s)', async (_name, schema) => {
    const started = performance.now();
    const res = await rawPost(sim.url, '/v1/messages', JSON.stringify({ ...ok, max_tokens: 1024, tools: [{ name: 'boom', input_schema: schema }], tool_choice: { type: 'any' } }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/tools\.0\.custom\.input_schema: the smallest input this schema allows is about \d+ tokens/) } });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('cuts a tool input that exceeds max_tokens off before generating it (minItems 10,000 with max_tokens 512)', async () => {
    const schema = { type: 'object', properties: { a: { type: 'array', minItems: 10_000, items: { type: 'integer' } } }, required: ['a'] };
    const started = performance.now();
    const msg = await client(sim.url).messages.create({ ...ok, max_tokens: 512, tools: [{ name: 'big', input_schema: schema as never }], tool_choice: { type: 'any' } });
    expect(msg.stop_reason).toBe('max_tokens');
    expect(msg.usage.output_tokens).toBeLessThanOrEqual(512);
    expect(msg.content.every((b) => b.type !== 'tool_use')).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('generates a large input when max_tokens allows it, and cuts it off when not', async () => {
    // 10 items of 5,000 characters each: the smallest input fits 20,000 tokens, not 2,000.
    const schema = { type: 'object', properties: { a: { type: 'array', minItems: 10, items: { type: 'string', minLength: 5000 } } }, required: ['a'] };
    const big = await rawPost(sim.url, '/v1/messages', JSON.stringify({ ...ok, max_tokens: 20_000, tools: [{ name: 'wide', input_schema: schema }], tool_choice: { type: 'any' } }));
    expect(big.json).toMatchObject({ stop_reason: 'tool_use', content: [{ type: 'tool_use', input: { a: expect.any(Array) } }] });
    const small = await client(sim.url).messages.create({ ...ok, max_tokens: 2000, tools: [{ name: 'wide', input_schema: schema as never }], tool_choice: { type: 'any' } });
    expect(small.stop_reason).toBe('max_tokens');
    expect(small.usage.output_tokens).toBeLessThanOrEqual(2000);
  });
});

describe('answers other clients get from the real API', () => {
  it('omits citations from text blocks (JSON and stream)', async () => {
    const res = await rawPost(sim.url, '/v1/messages', JSON.stringify(ok));
    const content = (res.json as { content: Record<string, unknown>[] }).content;
    expect(content[0]).toMatchObject({ type: 'text' });
    expect(content[0]).not.toHaveProperty('citations');
    const streamed = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ ...ok, stream: true }),
    });
    expect(await streamed.text()).not.toContain('citations');
  });

  it('accepts temperature, top_p and top_k as clients on anthropic-version 2023-06-01 send them', async () => {
    const res = await rawPost(sim.url, '/v1/messages', JSON.stringify({ ...ok, temperature: 0.2, top_p: 0.9, top_k: 40 }));
    expect(res.status).toBe(200);
  });

  it('honours stop_sequences: the text ends before the sequence, stop_reason stop_sequence names it', async () => {
    // A sequence every answer contains: a space between two words.
    const msg = await client(sim.url).messages.create({ ...ok, max_tokens: 64, stop_sequences: [' '] });
    expect(msg).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: ' ' });
    expect(msg.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/^\S+$/) });
    expect(msg.usage.output_tokens).toBe(1);
  });

  it('streams the stop sequence in message_delta', async () => {
    const final = await client(sim.url).messages.stream({ ...ok, max_tokens: 64, stop_sequences: [' '] }).finalMessage();
    expect(final).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: ' ' });
  });

  it('returns a thinking block first when thinking is enabled, counted in output_tokens (JSON and stream)', async () => {
    const params = { ...ok, max_tokens: 4096, thinking: { type: 'enabled' as const, budget_tokens: 1024 } };
    const msg = await client(sim.url).messages.create(params);
    expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    const thinking = msg.content[0];
    if (thinking?.type !== 'thinking') throw new Error('no thinking block');
    expect(thinking.thinking.length).toBeGreaterThan(0);
    expect(thinking.signature.length).toBeGreaterThan(0);
    expect(thinking.thinking.length / 4).toBeLessThanOrEqual(1024);
    const text = msg.content[1]?.type === 'text' ? msg.content[1].text : '';
    expect(msg.usage.output_tokens).toBe(Math.ceil(thinking.thinking.length / 4) + Math.ceil(text.length / 4));

    const streamed = await client(sim.url).messages.stream({ ...params, messages: [{ role: 'user', content: 'think aloud' }] }).finalMessage();
    expect(streamed.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(streamed.content[0]).toMatchObject({ type: 'thinking', thinking: expect.any(String), signature: expect.stringMatching(/.+/) });
  });

  it('refuses thinking with a forced tool choice, as the API does', async () => {
    const res = await rawPost(sim.url, '/v1/messages', JSON.stringify({
      ...ok, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [{ name: 't', input_schema: { type: 'object' } }], tool_choice: { type: 'any' },
    }));
    expect(res.status).toBe(400);
  });

  it('serves a dated model id (claude-haiku-4-5-20251001) with the base profile and echoes the id', async () => {
    sim.resetStats();
    const msg = await client(sim.url).messages.create({ ...ok, model: 'claude-haiku-4-5-20251001' });
    expect(msg.model).toBe('claude-haiku-4-5-20251001');
    expect(sim.stats().byModel['claude-haiku-4-5']).toMatchObject({ requests: 1 });
    const unknown = await rawPost(sim.url, '/v1/messages', JSON.stringify({ ...ok, model: 'claude-nope-4-5-20251001' }));
    expect(unknown.status).toBe(404);
  });
});
