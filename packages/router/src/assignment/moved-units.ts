import type { RouteConfig } from '../config/rollout-config.js';
import { armRanges, armShares } from './arm-shares.js';

export interface UnitFlow {
  readonly from: string;
  readonly to: string;
  /** Percent of all units, 0.01 resolution. */
  readonly percent: number;
}

export interface MovedUnits {
  /** Percent of units whose arm changes. Exact when the salt is unchanged, an expectation otherwise. */
  readonly movedArm: number;
  /** Percent of units whose model changes (an arm may keep its name and change model). */
  readonly changedModel: number;
  readonly flows: readonly UnitFlow[];
  /** False when the salt changed: units are re-hashed and only the expected fraction can be given. */
  readonly exact: boolean;
}

/**
 * Which units move when a route's config changes. With the same salt every unit keeps its bucket and arms own
 * consecutive ranges, so the moved fraction is exact: the measure of the buckets whose arm differs, computed
 * from the range boundaries of both configs.
 */
export function movedUnits(before: RouteConfig, after: RouteConfig): MovedUnits {
  if (before.salt !== after.salt) {
    // independent hashes: a unit stays on arm a with probability share_before(a) * share_after(a)
    const a = armShares(before);
    const b = armShares(after);
    let stay = 0;
    for (const [arm, share] of a) stay += (share / 100) * ((b.get(arm) ?? 0) / 100);
    const models = (r: RouteConfig, s: Map<string, number>) => {
      const m = new Map<string, number>();
      for (const arm of r.arms) m.set(arm.model, (m.get(arm.model) ?? 0) + (s.get(arm.name) ?? 0) / 100);
      return m;
    };
    const ma = models(before, a);
    const mb = models(after, b);
    let sameModel = 0;
    for (const [model, share] of ma) sameModel += share * (mb.get(model) ?? 0);
    return { movedArm: round2((1 - stay) * 100), changedModel: round2((1 - sameModel) * 100), flows: [], exact: false };
  }
  const ra = armRanges(before);
  const rb = armRanges(after);
  const cuts = [...new Set([0, 10_000, ...ra.flatMap((r) => [r.from, r.to]), ...rb.flatMap((r) => [r.from, r.to])])].sort((x, y) => x - y);
  const flows = new Map<string, number>();
  let movedArm = 0;
  let changedModel = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const lo = cuts[i] as number;
    const width = (cuts[i + 1] as number) - lo;
    const x = ra.find((r) => r.from <= lo && lo < r.to);
    const y = rb.find((r) => r.from <= lo && lo < r.to);
    if (x === undefined || y === undefined || width === 0) continue;
    if (x.model !== y.model) changedModel += width;
    if (x.arm !== y.arm) {
      movedArm += width;
      const key = `${x.arm}\u0000${y.arm}`;
      flows.set(key, (flows.get(key) ?? 0) + width);
    }
  }
  return {
    movedArm: movedArm / 100,
    changedModel: changedModel / 100,
    flows: [...flows].map(([key, width]) => {
      const [from, to] = key.split('\u0000') as [string, string];
      return { from, to, percent: width / 100 };
    }),
    exact: true,
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
