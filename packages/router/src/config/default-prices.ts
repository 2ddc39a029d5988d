import type { PriceTable } from './rollout-config.js';
import { deepFreeze } from './deep-freeze.js';

/**
 * Built-in prices in USD per million tokens, merged under a file's own `prices` (the file wins per model).
 * Source: Anthropic's published list prices as given in the project brief (model-canary CONTRACT.md), i.e.
 * Haiku 4.5 $1 in / $5 out, Sonnet 4.6 $3 / $15, Opus 4.7 $5 / $25; 5-minute cache writes at 1.25x input,
 * 1-hour cache writes at 2x input, cache reads at 0.1x input. Re-check them when `asOf` gets old.
 */
export const DEFAULT_PRICES: PriceTable = deepFreeze({
  asOf: '2026-08-01',
  models: {
    'claude-haiku-4-5': { input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 },
    'claude-sonnet-4-6': { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 },
    'claude-opus-4-7': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5 },
  },
});
