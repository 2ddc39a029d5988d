import type { TokenCounts } from '../events.js';

/** The fields of the SDK's `Usage` (or a stream's accumulated usage) that carry token counts. */
export interface UsageLike {
  readonly input_tokens?: number | null;
  readonly output_tokens?: number | null;
  readonly cache_read_input_tokens?: number | null;
  readonly cache_creation_input_tokens?: number | null;
  readonly cache_creation?: {
    readonly ephemeral_5m_input_tokens?: number | null;
    readonly ephemeral_1h_input_tokens?: number | null;
  } | null;
}

export const ZERO_TOKENS: TokenCounts = Object.freeze({
  input: 0,
  output: 0,
  cache_read: 0,
  cache_write_5m: 0,
  cache_write_1h: 0,
});

/**
 * Normalises the API's usage into token counts by price type.
 *
 * `input_tokens` already excludes cached tokens, so nothing is subtracted. Cache writes take the
 * 5m/1h split when the API sends one; a total without a split (older responses) is priced as 5-minute
 * writes, the API's default TTL, and any part of the total the split does not cover is 5m as well.
 */
export function tokensFromUsage(usage: UsageLike | null | undefined): TokenCounts {
  if (usage == null) return ZERO_TOKENS;
  const split = usage.cache_creation;
  const total = count(usage.cache_creation_input_tokens);
  let write1h = 0;
  let write5m = total;
  if (split != null) {
    write1h = count(split.ephemeral_1h_input_tokens);
    const split5m = count(split.ephemeral_5m_input_tokens);
    write5m = Math.max(split5m, total - write1h);
  }
  return {
    input: count(usage.input_tokens),
    output: count(usage.output_tokens),
    cache_read: count(usage.cache_read_input_tokens),
    cache_write_5m: write5m,
    cache_write_1h: write1h,
  };
}

/** Sums two token counts (a unit's calls, a call's fallback). */
export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cache_read: a.cache_read + b.cache_read,
    cache_write_5m: a.cache_write_5m + b.cache_write_5m,
    cache_write_1h: a.cache_write_1h + b.cache_write_1h,
  };
}

function count(n: number | null | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}
