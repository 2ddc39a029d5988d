import { armShares } from '../assignment/arm-shares.js';
import type { RouteConfig } from '../config/rollout-config.js';

/** `orchestrator: canary claude-sonnet-4-6 10%, control claude-haiku-4-5 90% (default); salt orchestrator` */
export function describeRoute(name: string, route: RouteConfig): string {
  const shares = armShares({ ...route, enabled: true });
  const arms = route.arms
    .map((a) => `${a.name} ${a.model} ${String(shares.get(a.name) ?? 0)}%${a.percent === null ? ' (default)' : ''}`)
    .join(', ');
  const extras = [
    `salt ${route.salt}`,
    ...(route.enabled ? [] : ['DISABLED: everyone on the default arm']),
    ...(route.maxPercent === undefined ? [] : [`maxPercent ${route.maxPercent}`]),
    ...(route.fallback === true ? ['fallback on'] : []),
  ];
  return `${name}: ${arms}; ${extras.join('; ')}`;
}
