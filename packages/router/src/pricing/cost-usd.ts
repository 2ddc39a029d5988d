import type { ModelPrice } from '../config/rollout-config.js';
import { pricedModelId } from '../config/dated-model-id.js';
import { PRICE_DECIMALS } from '../config/schema.js';
import type { TokenCounts } from '../events.js';

/** Prices per model id, USD per million tokens (the `prices` table of a rollout config). */
export interface PriceLookup {
  readonly models: Readonly<Record<string, ModelPrice>>;
}

export interface CostOptions {
  /** Message Batches tier: every token type at half price. */
  readonly batch?: boolean;
}

// Prices are decimals with at most six places (0.1, 3.75, 0.28125; the config schema enforces it): scaled to
// integers, every product below is an exact integer (below 2^53 up to ~9 billion tokens at $1/MTok), so the only
// rounding is the final division. Summing float products instead drifts by ulps (0.1 * 3 !== 0.3), which shows
// up when cost per call is compared across arms over millions of calls.
const PRICE_SCALE = 10 ** PRICE_DECIMALS;
const USD_PER_SCALED_TOKEN = 1_000_000 * PRICE_SCALE;

/**
 * Cost in USD of `tokens` on `model`, or null when the table has no price for the model (a dated snapshot id
 * such as `claude-haiku-4-5-20251001` is priced as its base id).
 * Null is "unknown", never a silent zero: callers report it once and keep counting tokens.
 *
 * @example costUsd('claude-haiku-4-5', tokens, snapshot.config.prices) // 0.0105
 */
export function costUsd(
  model: string,
  tokens: TokenCounts,
  prices: PriceLookup,
  { batch = false }: CostOptions = {},
): number | null {
  const id = pricedModelId(model, (m) => Object.hasOwn(prices.models, m));
  const price = id === undefined ? undefined : prices.models[id];
  if (price === undefined) return null;
  const scaled =
    tokens.input * scale(price.input) +
    tokens.output * scale(price.output) +
    tokens.cache_read * scale(price.cacheRead) +
    tokens.cache_write_5m * scale(price.cacheWrite5m) +
    tokens.cache_write_1h * scale(price.cacheWrite1h);
  const usd = scaled / USD_PER_SCALED_TOKEN;
  return batch ? usd / 2 : usd;
}

function scale(usdPerMTok: number): number {
  return Math.round(usdPerMTok * PRICE_SCALE);
}
