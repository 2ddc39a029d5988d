import type { RolloutConfig } from '../config/rollout-config.js';
import type { ShadowConfig } from '../config/shadow-schema.js';

/** A route whose shadow was added, removed or changed by a reload (for the `config` event and the audit trail). */
export interface ShadowChange {
  readonly route: string;
  readonly from: ShadowConfig | null;
  readonly to: ShadowConfig | null;
}

export function shadowChanges(before: RolloutConfig, after: RolloutConfig): ShadowChange[] {
  const changes: ShadowChange[] = [];
  for (const route of new Set([...Object.keys(before.routes), ...Object.keys(after.routes)])) {
    const from = before.routes[route]?.shadow ?? null;
    const to = after.routes[route]?.shadow ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ route, from, to });
  }
  return changes;
}
