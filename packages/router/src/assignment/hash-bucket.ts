// GrowthBook "hash version 2": fnv1a32(String(fnv1a32(salt + key))) % 10000 / 10000, over UTF-16 code units.
// FNV-1a is a streaming hash, so the state after the salt is computed once per route (at config load) and each
// call only continues it over the key; the second pass hashes the decimal digits of the first without building
// the string. Together that keeps one decision close to the cost of reading the key once.

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Buckets per unit interval: the published v2 resolution (1/10000). */
export const BUCKETS = 10_000;

/** FNV-1a 32 state after feeding `text` (UTF-16 code units) into `state`. Pass the result of `saltState` to continue. */
export function fnv1aContinue(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  }
  return h >>> 0;
}

/** The FNV-1a state after the salt: compute once per route, then `bucketIndex(state, key)` per call. */
export function saltState(salt: string): number {
  return fnv1aContinue(FNV_OFFSET_BASIS, salt);
}

/** FNV-1a of `String(n)` for an unsigned 32-bit n, digit by digit, most significant first, with no string. */
function fnv1aOfDecimal(n: number): number {
  // n < 2^32 has at most 10 digits. Split it into two halves below 10^5 so that the digit arithmetic stays in
  // small integers (V8 turns `/ 10 | 0` on int32 into a multiply), then feed the digits high to low.
  let h = FNV_OFFSET_BASIS;
  const high = Math.floor(n / 100_000);
  const low = n - high * 100_000;
  if (high > 0) {
    h = feedDigits(h, high);
    // the low half is then always five digits, leading zeros included
    h = Math.imul(h ^ (48 + ((low / 10_000) | 0)), FNV_PRIME);
    h = Math.imul(h ^ (48 + (((low / 1000) | 0) % 10)), FNV_PRIME);
    h = Math.imul(h ^ (48 + (((low / 100) | 0) % 10)), FNV_PRIME);
    h = Math.imul(h ^ (48 + (((low / 10) | 0) % 10)), FNV_PRIME);
    h = Math.imul(h ^ (48 + (low % 10)), FNV_PRIME);
  } else {
    h = feedDigits(h, low);
  }
  return h >>> 0;
}

/** Feeds the decimal digits of 0 <= n < 100000 (no leading zeros) into the FNV state. */
function feedDigits(state: number, n: number): number {
  let h = state;
  if (n >= 10_000) h = Math.imul(h ^ (48 + ((n / 10_000) | 0)), FNV_PRIME);
  if (n >= 1000) h = Math.imul(h ^ (48 + (((n / 1000) | 0) % 10)), FNV_PRIME);
  if (n >= 100) h = Math.imul(h ^ (48 + (((n / 100) | 0) % 10)), FNV_PRIME);
  if (n >= 10) h = Math.imul(h ^ (48 + (((n / 10) | 0) % 10)), FNV_PRIME);
  return Math.imul(h ^ (48 + (n % 10)), FNV_PRIME);
}

/** The v2 bucket of `key` as an integer in [0, 10000), continuing from `saltState(salt)`. */
export function bucketIndex(state: number, key: string): number {
  return fnv1aOfDecimal(fnv1aContinue(state, key)) % BUCKETS;
}

/**
 * GrowthBook's hash version 2 of `salt + key`, in [0, 1) with 1/10000 resolution: the same number every
 * GrowthBook SDK returns, so an analyst can recompute an assignment in SQL or Python.
 *
 * @example hashBucket('seed', 'a') === 0.0505
 */
export function hashBucket(salt: string, key: string): number {
  return bucketIndex(saltState(salt), key) / BUCKETS;
}
