import { createHash } from 'node:crypto';
import seedrandom from 'seedrandom';
import type { Lognormal } from './profiles.js';

export type Random = () => number;

/** Inverse of the standard normal CDF at 0.95: turns a p95/median ratio into a lognormal sigma. */
const Z95 = 1.6448536269514722;

/** Draws from a lognormal by median and p95 with one uniform (Box-Muller needs two; we take u and u2). */
export function lognormal(dist: Lognormal, u1: number, u2: number): number {
  const sigma = dist.p95 > dist.median && dist.median > 0 ? Math.log(dist.p95 / dist.median) / Z95 : 0;
  const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  return dist.median * Math.exp(sigma * z);
}

/**
 * Per-request random streams. Determinism scheme: each request's stream is seeded with
 * `seed | model | sha1(raw body) | n`, where n counts earlier requests with the same model and body.
 * So a request's answer and timings do not depend on how concurrent requests interleave (only identical
 * requests share a counter, and those are interchangeable), while a retry of the same body (n + 1) draws anew.
 * The counter map is bounded (oldest bodies forgotten first).
 */
export interface RequestStreams {
  forRequest(model: string, body: string): Random;
  reset(): void;
}

export function createRequestStreams(seed: string, maxBodies = 100_000): RequestStreams {
  const seen = new Map<string, number>();
  return {
    forRequest(model, body) {
      const key = `${model}|${createHash('sha1').update(body).digest('base64')}`;
      const n = seen.get(key) ?? 0;
      seen.delete(key);
      seen.set(key, n + 1);
      if (seen.size > maxBodies) {
        const oldest = seen.keys().next().value;
        if (oldest !== undefined) seen.delete(oldest);
      }
      // alea: fast to seed, which matters since every request seeds its own stream.
      return seedrandom.alea(`${seed}|${key}|${n}`);
    },
    reset() {
      seen.clear();
    },
  };
}
