import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../config/default-prices.js';
import type { TokenCounts } from '../events.js';
import { costUsd } from './cost-usd.js';

const tokens = (t: Partial<TokenCounts>): TokenCounts => ({ input: 0, output: 0, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0, ...t });

describe('costUsd', () => {
  // Expected values computed by hand from USD per million tokens: sum(tokens x price) / 1e6.
  it.each([
    { model: 'claude-haiku-4-5', t: tokens({ input: 1000, output: 500 }), want: 0.0035 },
    { model: 'claude-sonnet-4-6', t: tokens({ input: 1000, output: 500 }), want: 0.0105 },
    { model: 'claude-opus-4-7', t: tokens({ input: 1000, output: 500 }), want: 0.0175 },
    // 10 x 3 + 5 x 15 + 2000 x 0.30 + 1000 x 3.75 + 500 x 6 = 30 + 75 + 600 + 3750 + 3000 = 7455 -> 0.007455
    { model: 'claude-sonnet-4-6', t: tokens({ input: 10, output: 5, cache_read: 2000, cache_write_5m: 1000, cache_write_1h: 500 }), want: 0.007455 },
    // 3 x 0.10 = 0.3 USD per MTok: exact, where 3 * 0.1 in floats is 0.30000000000000004
    { model: 'claude-haiku-4-5', t: tokens({ cache_read: 3 }), want: 3e-7 },
    { model: 'claude-haiku-4-5', t: tokens({ input: 1_000_000, output: 1_000_000 }), want: 6 },
  ])('$model $t -> $want USD', ({ model, t, want }) => {
    expect(costUsd(model, t, DEFAULT_PRICES)).toBe(want);
  });

  it('prices six-decimal prices exactly (a discounted 0.28125 per million, not rounded to four places)', () => {
    const prices = { models: { discounted: { input: 0.28125, output: 1.40625, cacheWrite5m: 0.351563, cacheWrite1h: 0.5625, cacheRead: 0.028125 } } };
    // 1e6 x 0.28125 + 1e6 x 1.40625 + 1e6 x 0.028125 = 1.715625 USD
    expect(costUsd('discounted', tokens({ input: 1_000_000, output: 1_000_000, cache_read: 1_000_000 }), prices)).toBe(1.715625);
    expect(costUsd('discounted', tokens({ cache_write_5m: 1_000_000 }), prices)).toBe(0.351563);
  });

  it('halves every token type on the batch tier', () => {
    expect(costUsd('claude-sonnet-4-6', tokens({ input: 1000, output: 500 }), DEFAULT_PRICES, { batch: true })).toBe(0.00525);
  });

  it('prices a dated snapshot id as its base id, unless the table prices the dated id itself', () => {
    expect(costUsd('claude-haiku-4-5-20251001', tokens({ input: 1000, output: 500 }), DEFAULT_PRICES)).toBe(0.0035);
    const own = { models: { ...DEFAULT_PRICES.models, 'claude-haiku-4-5-20251001': { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 } } };
    expect(costUsd('claude-haiku-4-5-20251001', tokens({ input: 1000, output: 500 }), own)).toBe(0.007);
    expect(costUsd('claude-haiku-4-5-2025', tokens({ input: 1000 }), DEFAULT_PRICES)).toBeNull();
  });

  it('answers null, never zero, for a model without price', () => {
    expect(costUsd('claude-unknown-9', tokens({ input: 1000 }), DEFAULT_PRICES)).toBeNull();
    expect(costUsd('toString', tokens({ input: 1000 }), DEFAULT_PRICES)).toBeNull();
  });

  it('uses the table it is given (a config override)', () => {
    const prices = { models: { m: { input: 2, output: 4, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 } } };
    expect(costUsd('m', tokens({ input: 500_000, output: 250_000 }), prices)).toBe(2);
  });
});
