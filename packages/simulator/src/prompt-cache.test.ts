import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.js';
import { createPromptCache } from './prompt-cache.js';
import { QUIET, client } from './test-helpers/sdk.js';
import { promptSegments } from './tokens.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'cache', timeScale: 0, ...QUIET });
});
afterAll(async () => {
  await sim.close();
});

const longSystem = 'You are the booking orchestrator. '.repeat(200); // ~1700 tokens: above Sonnet's 1024 minimum

describe('prompt caching through the SDK', () => {
  it('writes the cached prefix on first sight and reads it afterwards; input_tokens counts only the rest', async () => {
    const sdk = client(sim.url);
    const params = {
      model: 'claude-sonnet-4-6', max_tokens: 64,
      system: [{ type: 'text' as const, text: longSystem, cache_control: { type: 'ephemeral' as const } }],
    };
    const first = await sdk.messages.create({ ...params, messages: [{ role: 'user', content: 'first booking' }] });
    const second = await sdk.messages.create({ ...params, messages: [{ role: 'user', content: 'second booking' }] });
    const total = (await sdk.messages.countTokens({ model: params.model, system: params.system, messages: [{ role: 'user', content: 'first booking' }] })).input_tokens;

    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1024);
    expect(first.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(first.usage.input_tokens + (first.usage.cache_creation_input_tokens ?? 0)).toBe(total);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    expect(second.usage.input_tokens).toBe(first.usage.input_tokens);
  });

  it('splits writes by TTL and does not cache prefixes below the model minimum', async () => {
    const sdk = client(sim.url);
    const oneHour = await sdk.messages.create({
      model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'x' }],
      system: [{ type: 'text', text: `${longSystem} 1h`, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    });
    expect(oneHour.usage.cache_creation).toMatchObject({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: oneHour.usage.cache_creation_input_tokens });
    const tooShortForHaiku = await sdk.messages.create({
      model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'x' }],
      system: [{ type: 'text', text: longSystem, cache_control: { type: 'ephemeral' } }],
    });
    expect(tooShortForHaiku.usage.cache_creation_input_tokens).toBe(0);
  });

  it('keys the cache by model: another model writes its own entry', async () => {
    const sdk = client(sim.url);
    const system = [{ type: 'text' as const, text: `${longSystem} opus`.repeat(3), cache_control: { type: 'ephemeral' as const } }];
    const a = await sdk.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16, system, messages: [{ role: 'user', content: 'x' }] });
    const b = await sdk.messages.create({ model: 'claude-opus-4-7', max_tokens: 16, system, messages: [{ role: 'user', content: 'x' }] });
    expect(a.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(b.usage.cache_creation_input_tokens).toBe(a.usage.cache_creation_input_tokens);
    expect(b.usage.cache_read_input_tokens).toBe(0);
  });
});

describe('createPromptCache', () => {
  const request = (text: string) => ({
    model: 'm', messages: [{ role: 'user' as const, content: [{ type: 'text', text, cache_control: { type: 'ephemeral' as const } }] }],
  });

  it('expires entries after their TTL on the injected clock, and a read refreshes the TTL', () => {
    let now = 0;
    const cache = createPromptCache({ now: () => now });
    const segments = promptSegments(request('a'.repeat(400)));
    expect(cache.apply('m', segments, 10).cacheWrite5mTokens).toBe(103);
    now = 4 * 60_000;
    expect(cache.apply('m', segments, 10).cacheReadTokens).toBe(103);
    now = 8 * 60_000;
    expect(cache.apply('m', segments, 10).cacheReadTokens).toBe(103);
    now = 14 * 60_000;
    expect(cache.apply('m', segments, 10)).toMatchObject({ cacheReadTokens: 0, cacheWrite5mTokens: 103 });
  });

  it('reads the longest cached prefix when a conversation grows (lookback)', () => {
    const cache = createPromptCache();
    const turn1 = [{ role: 'user' as const, content: [{ type: 'text', text: 'b'.repeat(400), cache_control: { type: 'ephemeral' as const } }] }];
    cache.apply('m', promptSegments({ model: 'm', messages: turn1 }), 10);
    const grown = promptSegments({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'b'.repeat(400) }] }, { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'next', cache_control: { type: 'ephemeral' } }] }],
    });
    expect(cache.apply('m', grown, 10)).toEqual({ inputTokens: 0, cacheReadTokens: 103, cacheWrite5mTokens: 4 + 4, cacheWrite1hTokens: 0 });
  });

  it('stays within maxEntries', () => {
    const cache = createPromptCache({ maxEntries: 2 });
    for (const t of ['x', 'y', 'z']) cache.apply('m', promptSegments(request(t.repeat(100))), 1);
    expect(cache.apply('m', promptSegments(request('x'.repeat(100))), 1).cacheReadTokens).toBe(0);
    expect(cache.apply('m', promptSegments(request('z'.repeat(100))), 1).cacheReadTokens).toBeGreaterThan(0);
  });
});
