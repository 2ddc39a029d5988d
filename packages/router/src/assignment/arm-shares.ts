import type { ArmConfig } from '../config/rollout-config.js';

/**
 * THE rule for arm ranges, used by the decider, the CLI, reload reports and the metrics' `arm_percent`:
 *
 *   bucket n = hashV2(salt, key) * 10000, an integer in [0, 10000)
 *   the arms with a percent, in declared order, own consecutive integer ranges [from, to) from 0, each
 *   round(percent * 100) buckets wide; the default arm (percent null) owns [sum, 10000), wherever it is declared.
 *
 * Integers throughout, so SQL or Python recompute it exactly (see the README, "Recomputing an assignment").
 */
export const BUCKET_COUNT = 10_000;

/** Percent as an integer count of buckets out of 10000 (exact at the 0.01 resolution). */
export const toBuckets = (percent: number): number => Math.round(percent * 100);

/** What the rule reads of a route (the router's `RouteConfig`, or any config shaped like it). */
export interface RangeRoute {
  readonly enabled: boolean;
  readonly arms: readonly Pick<ArmConfig, 'name' | 'model' | 'percent'>[];
}

/** One arm's consecutive bucket range [from, to) out of 10000. The default arm owns the top of the interval. */
export interface ArmRange {
  readonly arm: string;
  readonly model: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The ranges a route assigns: the arms with a percent own consecutive ranges in declared order from 0, the
 * default arm owns the rest (where ever it is declared), so raising a percent only moves units off the default
 * arm. A switched-off route (or `serveDefault`) gives everything to the default arm.
 */
export function armRanges(route: RangeRoute, serveDefault = false): ArmRange[] {
  const defaultArm = route.arms.find((a) => a.percent === null) ?? route.arms[route.arms.length - 1];
  const ranges: ArmRange[] = [];
  let from = 0;
  if (route.enabled && !serveDefault) {
    for (const arm of route.arms) {
      if (arm.percent === null) continue;
      const to = from + toBuckets(arm.percent);
      ranges.push({ arm: arm.name, model: arm.model, from, to });
      from = to;
    }
  }
  if (defaultArm !== undefined) ranges.push({ arm: defaultArm.name, model: defaultArm.model, from, to: BUCKET_COUNT });
  return ranges;
}

/** Effective share of units per arm, in percent (the default arm's remainder included). */
export function armShares(route: RangeRoute, serveDefault = false): Map<string, number> {
  const shares = new Map<string, number>(route.arms.map((a) => [a.name, 0]));
  for (const r of armRanges(route, serveDefault)) shares.set(r.arm, (shares.get(r.arm) ?? 0) + (r.to - r.from) / 100);
  return shares;
}
