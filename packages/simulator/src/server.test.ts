import type Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.js';
import { BOOKING_TOOL, QUIET, client } from './test-helpers/sdk.js';

let sim: Simulator;
let sdk: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'server-test', timeScale: 0.001, ...QUIET });
  sdk = client(sim.url);
});
afterAll(async () => {
  await sim.close();
});

const hello = [{ role: 'user' as const, content: 'Book me a table for two in Lisbon tomorrow night.' }];

describe('messages.create', () => {
  it.each(['claude-haiku-4-5', 'claude-sonnet-4-6', 'claude-opus-4-7'])('answers %s with a full Message echoing the model', async (model) => {
    const msg = await sdk.messages.create({ model, max_tokens: 1024, messages: hello });
    expect(msg).toMatchObject({ type: 'message', role: 'assistant', model, stop_reason: 'end_turn', stop_sequence: null });
    expect(msg.id).toMatch(/^msg_/);
    expect(msg.content[0]?.type).toBe('text');
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    expect(msg.usage).toMatchObject({
      cache_creation_input_tokens: 0, cache_read_input_tokens: 0, service_tier: 'standard',
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    });
    expect(msg._request_id).toMatch(/^req_/);
  });

  it('honours max_tokens with stop_reason max_tokens', async () => {
    const msg = await sdk.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 3, messages: hello });
    expect(msg.stop_reason).toBe('max_tokens');
    expect(msg.usage.output_tokens).toBe(3);
  });

  it('counts input tokens the way count_tokens does', async () => {
    const params = { model: 'claude-haiku-4-5', system: 'You plan bookings.', messages: hello, tools: [BOOKING_TOOL], tool_choice: { type: 'none' as const } };
    const counted = await sdk.messages.countTokens(params);
    const msg = await sdk.messages.create({ ...params, max_tokens: 100 });
    expect(counted.input_tokens).toBe(msg.usage.input_tokens);
    expect(counted.input_tokens).toBeGreaterThan(50);
  });
});

describe('messages.stream', () => {
  it('delivers the real event sequence and finalMessage usage equals the message_delta totals', async () => {
    const stream = sdk.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 512, messages: hello });
    const types: string[] = [];
    let deltaUsage: unknown;
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'message_delta') deltaUsage = event.usage;
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    const final = await stream.finalMessage();
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types).toContain('content_block_start');
    expect(types).toContain('content_block_stop');
    expect(final.usage).toMatchObject(deltaUsage as object);
    expect(final.content[0]).toMatchObject({ type: 'text', text });
    expect(final.usage.output_tokens).toBeGreaterThan(1);
  });

  it('streams tool_use input as input_json_delta that parses to the final input', async () => {
    const stream = sdk.messages.stream({
      model: 'claude-sonnet-4-6', max_tokens: 2048, messages: hello, tools: [BOOKING_TOOL],
      tool_choice: { type: 'tool', name: 'plan_booking' },
    }, { headers: { 'x-sim-fault': 'valid_plan' } });
    let json = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') json += event.delta.partial_json;
    }
    const final = await stream.finalMessage();
    const block = final.content.find((b) => b.type === 'tool_use');
    expect(final.stop_reason).toBe('tool_use');
    expect(block?.input).toEqual(JSON.parse(json));
  });
});

describe('tool use', () => {
  it('round-trips a tool_use and its tool_result to a final text answer', async () => {
    const first = await sdk.messages.create({
      model: 'claude-haiku-4-5', max_tokens: 2048, messages: hello, tools: [BOOKING_TOOL], tool_choice: { type: 'any' },
    }, { headers: { 'x-sim-fault': 'valid_plan' } });
    const use = first.content.find((b) => b.type === 'tool_use');
    expect(first.stop_reason).toBe('tool_use');
    expect(use).toBeDefined();
    if (use?.type !== 'tool_use') return;
    const input = use.input as { subtasks: Array<{ agent: string; instructions: string }>; traveller: string };
    expect(input.subtasks.length).toBeGreaterThanOrEqual(1);
    expect(['flight', 'hotel', 'restaurant']).toContain(input.subtasks[0]?.agent);
    expect(typeof input.traveller).toBe('string');

    const second = await sdk.messages.create({
      model: 'claude-haiku-4-5', max_tokens: 2048, tools: [BOOKING_TOOL],
      messages: [...hello, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'booked' }] }],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content.every((b) => b.type === 'text')).toBe(true);
  });

  it.each([
    ['invalid_plan', 'invalid'],
    ['incomplete_plan', 'incomplete'],
    ['valid_plan', 'valid'],
  ])('x-sim-fault %s yields a %s plan that is still well-formed JSON', async (header, quality) => {
    const res = await sdk.messages.create({
      model: 'claude-sonnet-4-6', max_tokens: 2048, messages: hello, tools: [BOOKING_TOOL], tool_choice: { type: 'tool', name: 'plan_booking' },
    }, { headers: { 'x-sim-fault': header } }).withResponse();
    expect(res.response.headers.get('x-sim-plan')).toBe(quality);
    const use = res.data.content.find((b) => b.type === 'tool_use');
    expect(typeof use?.input).toBe('object');
  });

  it('answers in text without a tool when tool_choice is none', async () => {
    const msg = await sdk.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 8192, messages: hello, tools: [BOOKING_TOOL], tool_choice: { type: 'none' } });
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.content.some((b) => b.type === 'tool_use')).toBe(false);
  });

  it('makes Haiku produce more bad plans than Sonnet over many calls', async () => {
    const fast = await startSimulator({ seed: 'plans', timeScale: 0, ...QUIET });
    const fastSdk = client(fast.url);
    const bad = async (model: string): Promise<number> => {
      let n = 0;
      for (let i = 0; i < 300; i += 1) {
        const res = await fastSdk.messages.create({
          model, max_tokens: 2048, tools: [BOOKING_TOOL], tool_choice: { type: 'any' },
          messages: [{ role: 'user', content: `booking ${i}` }],
        }).withResponse();
        if (res.response.headers.get('x-sim-plan') !== 'valid') n += 1;
      }
      return n;
    };
    const [haiku, sonnet] = [await bad('claude-haiku-4-5'), await bad('claude-sonnet-4-6')];
    await fast.close();
    expect(haiku).toBeGreaterThan(sonnet);
    expect(fast.stats().byModel['claude-haiku-4-5']?.plans.valid).toBe(300 - haiku);
  });
});

describe('the simulator endpoints', () => {
  it('lists the profiled models', async () => {
    const ids: string[] = [];
    for await (const m of sdk.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(['claude-haiku-4-5', 'claude-sonnet-4-6', 'claude-opus-4-7']));
  });

  it('serves stats() as JSON at GET /_sim/stats, counting per model, status and streaming', async () => {
    sim.resetStats();
    await sdk.messages.create({ model: 'claude-opus-4-7', max_tokens: 64, messages: hello });
    const stream = sdk.messages.stream({ model: 'claude-opus-4-7', max_tokens: 64, messages: hello });
    await stream.finalMessage();
    const fromHttp = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as ReturnType<Simulator['stats']>;
    const local = sim.stats();
    expect(fromHttp).toEqual(local);
    expect(local.byModel['claude-opus-4-7']).toMatchObject({ requests: 2, streamed: 1, nonStreamed: 1, byStatus: { 200: 2 } });
    expect(local.byModel['claude-opus-4-7']?.outputTokens).toBeGreaterThan(0);
    expect(local.byStatus).toEqual({ 200: 2 });
    sim.resetStats();
    expect(sim.stats().requests).toBe(0);
  });
});
