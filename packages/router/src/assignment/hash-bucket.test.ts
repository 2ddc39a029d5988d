import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import vectors from '../test-fixtures/growthbook-hash-v2.json' with { type: 'json' };
import { loadGrowthBookHash } from '../test-fixtures/growthbook-hash.js';
import { BUCKETS, bucketIndex, hashBucket, saltState } from './hash-bucket.js';

let growthBookHash: Awaited<ReturnType<typeof loadGrowthBookHash>>;
beforeAll(async () => {
  growthBookHash = await loadGrowthBookHash();
});

describe('hashBucket', () => {
  it.each(vectors.cases as [string, string, number][])('reproduces GrowthBook v2 vector hash(%j, %j) = %d', (seed, value, expected) => {
    expect(hashBucket(seed, value)).toBe(expected);
  });

  it.each([
    ['orchestrator', 'booking-ünïcödé'],
    ['salt-é', 'ключ-пользователя'],
    ['', '日本語のキー'],
    ['emoji', '🚀🎉 booking 👩‍👩‍👧'],
    ['surrogate', '\ud83d'],
    ['', ''],
    ['orchestrator-sonnet-4-6', 'a'.repeat(1000)],
  ])('matches GrowthBook’s own hash for non-ASCII and emoji input (%j, %j)', (salt, key) => {
    expect(hashBucket(salt, key)).toBe(growthBookHash(salt, key, 2));
  });

  it('matches GrowthBook’s own hash for arbitrary UTF-16 strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), (salt, key) => {
        expect(hashBucket(salt, key)).toBe(growthBookHash(salt, key, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('continues from a precomputed salt state exactly as hashing salt + key', () => {
    const state = saltState('orchestrator');
    for (let i = 0; i < 1000; i++) expect(bucketIndex(state, `unit-${i}`) / BUCKETS).toBe(hashBucket('orchestrator', `unit-${i}`));
  });

  it('spreads 100k keys uniformly over 100 bins (chi-square, 99 degrees of freedom)', () => {
    const bins = new Array<number>(100).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const b = hashBucket('orchestrator-sonnet-4-6', `booking-${i.toString(36)}-${(i * 7919) % 1000}`);
      bins[Math.floor(b * 100)]! += 1;
    }
    const expected = n / 100;
    const chi2 = bins.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    // p = 0.001 critical value for 99 dof is 148.2: a correct hash fails this one time in a thousand
    expect(chi2).toBeLessThan(148.2);
  });
});
