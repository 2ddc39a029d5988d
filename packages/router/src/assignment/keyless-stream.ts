import seedrandom from 'seedrandom';
import { BUCKETS } from './hash-bucket.js';

/** The seeded source of buckets for calls without a unit key: one stream per router, never one per call. */
export interface KeylessStream {
  readonly seed: string;
  /** Next bucket index in [0, 10000). */
  next(): number;
}

/**
 * One `seedrandom` Alea stream (fast, and reproducible from the seed across platforms), quantised to the
 * same 1/10000 resolution as keyed buckets.
 */
export function createKeylessStream(seed: string | number): KeylessStream {
  const text = String(seed);
  const prng = seedrandom.alea(text);
  return {
    seed: text,
    next: () => Math.floor(prng() * BUCKETS),
  };
}
