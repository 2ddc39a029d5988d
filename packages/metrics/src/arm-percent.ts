import { armRanges, BUCKET_COUNT } from '@model-canary/router';
import type { SourceRoute } from './source.js';

export interface ArmShare {
  readonly arm: string;
  readonly model: string;
  /** Percent of the route's traffic this arm is configured to receive now. */
  readonly percent: number;
  readonly role: 'control' | 'canary';
}

/**
 * The configured share of every arm of a route, by the router's own rule (`armRanges`, one rule for the decider,
 * the CLI and these gauges): the default arm (percent null) takes the rest, and a disabled route (or a router
 * serving default arms only, as on a soft start) sends everything to the default arm.
 * `maxPercent` needs no handling here: a config above its cap is rejected by the router.
 */
export function armShares(route: SourceRoute, serveDefaultOnly = false): ArmShare[] {
  const buckets = new Map<string, number>();
  for (const range of armRanges(route, serveDefaultOnly)) buckets.set(range.arm, (buckets.get(range.arm) ?? 0) + range.to - range.from);
  return route.arms.map((arm) => ({
    arm: arm.name,
    model: arm.model,
    percent: ((buckets.get(arm.name) ?? 0) * 100) / BUCKET_COUNT,
    role: arm.percent === null ? 'control' : 'canary',
  }));
}
