import type { DecideInput, Decision, DecisionReason } from '../decision.js';
import type { CompiledArm, CompiledRoute, CompiledTable } from './compile-routes.js';
import { BUCKETS, bucketIndex } from './hash-bucket.js';
import type { KeylessStream } from './keyless-stream.js';

export interface Decider {
  decide(input: DecideInput): Decision;
  /** Swaps the table every later decision uses (one assignment: a decision never sees half a config). */
  use(table: CompiledTable): void;
}

/**
 * The hot path: one map lookup, one hash continued from the route's precomputed salt state, a scan of the
 * (few) arm bounds, one plain object. No I/O, nothing cached per key, no throw for config reasons.
 * `onMissingRoute` decides what a route absent from the table means (it must throw: there is no arm to answer).
 */
export function createDecider(options: {
  table: CompiledTable;
  stream: KeylessStream;
  onMissingRoute: (route: string, table: CompiledTable) => never;
}): Decider {
  let table = options.table;
  const { stream, onMissingRoute } = options;

  return {
    use(next) {
      table = next;
    },
    decide(input) {
      const current = table;
      const route: CompiledRoute = current.routes.get(input.route) ?? onMissingRoute(input.route, current);
      const key = input.key;
      const keyed = key !== undefined;
      const n = keyed ? bucketIndex(route.saltState, key) : stream.next();
      let arm: CompiledArm = route.defaultArm;
      let reason: DecisionReason;
      if (current.mode !== 'split') reason = current.mode;
      else if (!route.enabled) reason = 'disabled';
      else {
        const forced = input.forceArm === undefined ? undefined : route.armsByName.get(input.forceArm);
        if (forced !== undefined) {
          arm = forced;
          reason = 'forced';
        } else {
          reason = 'split';
          const bounds = route.bounds;
          for (let i = 0; i < bounds.length; i++) {
            if (n < (bounds[i] as number)) {
              arm = route.splitArms[i] as CompiledArm;
              break;
            }
          }
        }
      }
      return { route: route.name, arm: arm.name, model: arm.model, bucket: n / BUCKETS, reason, keyed, configVersion: current.version };
    },
  };
}
