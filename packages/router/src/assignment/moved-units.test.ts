import { describe, expect, it } from 'vitest';
import type { RouteConfig } from '../config/rollout-config.js';
import { hashBucket } from './hash-bucket.js';
import { movedUnits } from './moved-units.js';

const route = (arms: [string, string, number | null][], extra: Partial<RouteConfig> = {}): RouteConfig => ({
  salt: 's',
  enabled: true,
  arms: arms.map(([name, model, percent]) => ({ name, model, percent })),
  ...extra,
});
const armOf = (r: RouteConfig, bucket: number): string => {
  let from = 0;
  for (const a of r.arms) {
    if (a.percent === null) continue;
    from += a.percent / 100;
    if (bucket < from - 1e-12) return a.name;
  }
  return r.arms.find((a) => a.percent === null)?.name ?? '';
};

describe('movedUnits', () => {
  it.each([
    ['a ramp 10 -> 25', route([['canary', 'sonnet', 10], ['control', 'haiku', null]]), route([['canary', 'sonnet', 25], ['control', 'haiku', null]]), 15, [{ from: 'control', to: 'canary', percent: 15 }]],
    ['a rollback to 0', route([['canary', 'sonnet', 33.33], ['control', 'haiku', null]]), route([['canary', 'sonnet', 0], ['control', 'haiku', null]]), 33.33, [{ from: 'canary', to: 'control', percent: 33.33 }]],
    ['a kill switch', route([['canary', 'sonnet', 10], ['control', 'haiku', null]]), route([['canary', 'sonnet', 10], ['control', 'haiku', null]], { enabled: false }), 10, [{ from: 'canary', to: 'control', percent: 10 }]],
    ['two canaries reordered', route([['a', 'sonnet', 10], ['b', 'opus', 10], ['control', 'haiku', null]]), route([['b', 'opus', 10], ['a', 'sonnet', 10], ['control', 'haiku', null]]), 20, [{ from: 'a', to: 'b', percent: 10 }, { from: 'b', to: 'a', percent: 10 }]],
    ['nothing', route([['canary', 'sonnet', 10], ['control', 'haiku', null]]), route([['canary', 'sonnet', 10], ['control', 'haiku', null]]), 0, []],
  ])('computes the exact percent of units that move arm for %s', (_case, before, after, moved, flows) => {
    const result = movedUnits(before, after);
    expect(result).toMatchObject({ movedArm: moved, exact: true, flows });
    // cross-check against real keys: the fraction of 20k keys that change arm is close to the exact figure
    let changed = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = hashBucket('s', `k${i}`);
      const x = before.enabled ? armOf(before, b) : 'control';
      const y = after.enabled ? armOf(after, b) : 'control';
      if (x !== y) changed++;
    }
    expect(Math.abs((changed / 20_000) * 100 - moved)).toBeLessThan(1.5);
  });

  it('counts units that keep their arm but change model', () => {
    const result = movedUnits(route([['canary', 'sonnet', 10], ['control', 'haiku', null]]), route([['canary', 'opus', 10], ['control', 'haiku', null]]));
    expect(result).toMatchObject({ movedArm: 0, changedModel: 10 });
  });

  it('gives only the expected fraction, flagged inexact, when the salt changes', () => {
    const result = movedUnits(route([['canary', 'sonnet', 10], ['control', 'haiku', null]]), route([['canary', 'sonnet', 10], ['control', 'haiku', null]], { salt: 't' }));
    expect(result).toMatchObject({ exact: false, movedArm: 18 });
  });
});
