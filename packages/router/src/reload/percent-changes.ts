import { armShares } from '../assignment/arm-shares.js';
import type { RolloutConfig } from '../config/rollout-config.js';
import type { PercentChange } from '../events.js';

/** What a config serves, for comparing shares: the split, or only default arms (soft start or bad file). */
export interface Served {
  readonly config: RolloutConfig;
  readonly serveDefault: boolean;
}

/**
 * Per route and arm, the effective share of units (percent, default arm's remainder included, 0 for a
 * switched-off route's other arms) before and after, for every arm whose share changed; null = no such arm.
 */
export function percentChanges(before: Served, after: Served): PercentChange[] {
  const changes: PercentChange[] = [];
  const names = new Set([...Object.keys(before.config.routes), ...Object.keys(after.config.routes)]);
  for (const route of names) {
    const a = before.config.routes[route];
    const b = after.config.routes[route];
    const from = a === undefined ? new Map<string, number>() : armShares(a, before.serveDefault);
    const to = b === undefined ? new Map<string, number>() : armShares(b, after.serveDefault);
    for (const arm of new Set([...from.keys(), ...to.keys()])) {
      const x = from.get(arm) ?? null;
      const y = to.get(arm) ?? null;
      if (x !== y) changes.push({ route, arm, from: x, to: y });
    }
  }
  return changes;
}
