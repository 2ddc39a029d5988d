import type { RolloutConfig } from '../config/rollout-config.js';
import { toBuckets } from './arm-shares.js';
import { saltState } from './hash-bucket.js';

/** How a compiled table answers: the live split, or only default arms (soft start: `default`, bad file: `error`). */
export type ServeMode = 'split' | 'default' | 'error';

export interface CompiledArm {
  readonly name: string;
  readonly model: string;
}

/** A route prepared for deciding: the salt's hash state and the arms' upper bounds, computed once per config. */
export interface CompiledRoute {
  readonly name: string;
  readonly enabled: boolean;
  readonly saltState: number;
  /** Arms with a percent, in declared order, and the exclusive upper bucket bound of each. */
  readonly splitArms: readonly CompiledArm[];
  readonly bounds: readonly number[];
  readonly defaultArm: CompiledArm;
  readonly armsByName: ReadonlyMap<string, CompiledArm>;
}

export interface CompiledTable {
  readonly version: number;
  readonly mode: ServeMode;
  readonly routes: ReadonlyMap<string, CompiledRoute>;
}

export function compileRoutes(config: RolloutConfig, version: number, mode: ServeMode): CompiledTable {
  const routes = new Map<string, CompiledRoute>();
  for (const [name, route] of Object.entries(config.routes)) {
    const splitArms: CompiledArm[] = [];
    const bounds: number[] = [];
    let bound = 0;
    let defaultArm: CompiledArm | undefined;
    const armsByName = new Map<string, CompiledArm>();
    for (const arm of route.arms) {
      const compiled = { name: arm.name, model: arm.model };
      armsByName.set(arm.name, compiled);
      if (arm.percent === null) defaultArm = compiled;
      else {
        bound += toBuckets(arm.percent);
        splitArms.push(compiled);
        bounds.push(bound);
      }
    }
    if (defaultArm === undefined) throw new Error(`route ${name} has no default arm (validation should have caught it)`);
    routes.set(name, { name, enabled: route.enabled, saltState: saltState(route.salt), splitArms, bounds, defaultArm, armsByName });
  }
  return { version, mode, routes };
}
