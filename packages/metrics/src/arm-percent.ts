import type { SourceRoute } from './source.js';

export interface ArmShare {
  readonly arm: string;
  readonly model: string;
  /** Percent of the route's traffic this arm is configured to receive now. */
  readonly percent: number;
  readonly role: 'control' | 'canary';
}

/**
 * The configured share of every arm of a route, as the router applies it: the default arm
 * (percent null) takes the rest, and a disabled route (or a router serving default arms only, as on a
 * soft start) sends everything to the default arm.
 * `maxPercent` needs no handling here: a config above its cap is rejected by the router.
 */
export function armShares(route: SourceRoute, serveDefaultOnly = false): ArmShare[] {
  const enabled = route.enabled && !serveDefaultOnly;
  const explicit = route.arms.reduce((sum, arm) => sum + (arm.percent ?? 0), 0);
  return route.arms.map((arm) => {
    const isDefault = arm.percent === null;
    const percent = !enabled ? (isDefault ? 100 : 0) : isDefault ? Math.max(0, 100 - explicit) : arm.percent;
    return {
      arm: arm.name,
      model: arm.model,
      // Rounded to the config's 0.01 resolution so 100 - 10.1 does not become 89.9000001.
      percent: Math.round((percent ?? 0) * 100) / 100,
      role: isDefault ? 'control' : 'canary',
    };
  });
}
