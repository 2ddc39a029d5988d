import type { RolloutConfig } from '../config/rollout-config.js';
import { ERROR_CODES, ModelCanaryError } from '../errors.js';
import { armRanges } from './arm-shares.js';
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
    const armsByName = new Map(route.arms.map((arm) => [arm.name, { name: arm.name, model: arm.model }]));
    // The split itself, whether or not the route is switched off (the decider answers `disabled` then).
    const ranges = armRanges({ ...route, enabled: true });
    const defaultRange = ranges.at(-1);
    const defaultArm = defaultRange === undefined ? undefined : armsByName.get(defaultRange.arm);
    if (defaultArm === undefined) throw new ModelCanaryError(ERROR_CODES.invalidConfig, `route ${name} has no default arm (validation should have caught it)`);
    const split = ranges.slice(0, -1);
    routes.set(name, {
      name,
      enabled: route.enabled,
      saltState: saltState(route.salt),
      splitArms: split.map((range) => armsByName.get(range.arm) as CompiledArm),
      bounds: split.map((range) => range.to),
      defaultArm,
      armsByName,
    });
  }
  return { version, mode, routes };
}
