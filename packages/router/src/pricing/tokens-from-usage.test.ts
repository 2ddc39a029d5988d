import { describe, expect, it } from 'vitest';
import { addTokens, tokensFromUsage } from './tokens-from-usage.js';

describe('tokensFromUsage', () => {
  it.each([
    {
      name: 'plain input and output, no cache',
      usage: { input_tokens: 120, output_tokens: 40, cache_creation_input_tokens: null, cache_read_input_tokens: null },
      want: { input: 120, output: 40, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 },
    },
    {
      name: 'cache writes split into 5m and 1h, cache reads apart from input',
      usage: {
        input_tokens: 10,
        output_tokens: 5,
        cache_read_input_tokens: 2000,
        cache_creation_input_tokens: 1500,
        cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 500 },
      },
      want: { input: 10, output: 5, cache_read: 2000, cache_write_5m: 1000, cache_write_1h: 500 },
    },
    {
      name: 'a cache-write total without split counts as 5-minute writes',
      usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 800 },
      want: { input: 10, output: 5, cache_read: 0, cache_write_5m: 800, cache_write_1h: 0 },
    },
    {
      name: 'a split that covers only part of the total puts the rest in 5m',
      usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 900, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 300 } },
      want: { input: 1, output: 1, cache_read: 0, cache_write_5m: 600, cache_write_1h: 300 },
    },
    {
      name: 'a split without total is taken as is',
      usage: { input_tokens: 1, output_tokens: 1, cache_creation: { ephemeral_5m_input_tokens: 70, ephemeral_1h_input_tokens: 30 } },
      want: { input: 1, output: 1, cache_read: 0, cache_write_5m: 70, cache_write_1h: 30 },
    },
  ])('$name', ({ usage, want }) => {
    expect(tokensFromUsage(usage)).toEqual(want);
  });

  it('answers zero tokens for a missing usage', () => {
    expect(tokensFromUsage(null)).toEqual({ input: 0, output: 0, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 });
  });

  it('adds token counts type by type', () => {
    const a = { input: 1, output: 2, cache_read: 3, cache_write_5m: 4, cache_write_1h: 5 };
    expect(addTokens(a, a)).toEqual({ input: 2, output: 4, cache_read: 6, cache_write_5m: 8, cache_write_1h: 10 });
  });
});
