import { armShares as routerShares } from '@model-canary/router';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { armShares } from './arm-percent.js';

const arm = (name: string, percent: number | null) => ({ name, model: `model-${name}`, percent });

describe('armShares', () => {
  it.each([
    ['the default arm takes the rest', true, [arm('canary', 10), arm('control', null)], [10, 90]],
    ['three arms', true, [arm('a', 25), arm('b', 5), arm('control', null)], [25, 5, 70]],
    ['a canary at 0%', true, [arm('canary', 0), arm('control', null)], [0, 100]],
    ['a full promotion', true, [arm('canary', 100), arm('control', null)], [100, 0]],
    ['the kill switch', false, [arm('canary', 40), arm('control', null)], [0, 100]],
    ['0.01 resolution without float noise', true, [arm('canary', 10.1), arm('control', null)], [10.1, 89.9]],
    ['the default arm declared first', true, [arm('control', null), arm('canary', 20)], [80, 20]],
  ])('%s', (_name, enabled, arms, expected) => {
    expect(armShares({ enabled, arms }).map((share) => share.percent)).toEqual(expected);
  });

  it('marks the default arm as control and every other arm as canary', () => {
    expect(armShares({ enabled: true, arms: [arm('a', 1), arm('b', null)] }).map((s) => s.role)).toEqual(['canary', 'control']);
  });
});

describe('armShares while the router serves default arms only', () => {
  it('gives the default arm 100% whatever the percents say', () => {
    const shares = armShares({ enabled: true, arms: [arm('canary', 10), arm('control', null)] }, true);
    expect(shares.map((s) => s.percent)).toEqual([0, 100]);
  });
});

describe('one rule for arm ranges', () => {
  it("reports every arm's share as the router's decider splits the buckets, at any percents the schema takes", () => {
    const percents = fc.array(fc.integer({ min: 0, max: 3333 }).map((hundredths) => hundredths / 100), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(percents, (canaries) => {
        const arms = [...canaries.map((p, i) => arm(`c${i}`, p)), arm('control', null)];
        const route = { enabled: true, arms };
        const ours = armShares(route).map((share) => share.percent);
        expect(ours).toEqual(arms.map((a) => routerShares(route).get(a.name)));
        expect(ours.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
      }),
      { numRuns: 50 },
    );
  });
});
