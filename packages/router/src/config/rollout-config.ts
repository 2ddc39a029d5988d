import type { RampConfig } from './ramp-schema.js';
import type { ShadowConfig } from './shadow-schema.js';

/** Price of one model in USD per million tokens, by token type. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite5m: number;
  readonly cacheWrite1h: number;
  readonly cacheRead: number;
}

export interface PriceTable {
  /** Date (YYYY-MM-DD) the prices were last checked. */
  readonly asOf: string;
  readonly models: Readonly<Record<string, ModelPrice>>;
}

export interface ArmConfig {
  readonly name: string;
  /** Resolved model id (an alias in the file is replaced by the model it names). */
  readonly model: string;
  /** Percent of units, 0.01 resolution; null for the route's default arm, which takes the rest. */
  readonly percent: number | null;
}

export interface RouteConfig {
  /** Hash salt; defaults to the route name. Changing it reshuffles every unit, changing percents does not. */
  readonly salt: string;
  /** Kill switch: false serves the default arm to everyone (reason `disabled`). */
  readonly enabled: boolean;
  /** Cap on the total percent of the non-default arms. */
  readonly maxPercent?: number;
  /** Serve capacity-failed canary calls from the default arm (the call path, issue 4). */
  readonly fallback?: boolean;
  readonly arms: readonly ArmConfig[];
  /** Ramp plan for the rollout controller (issue 8), defaults applied; the router itself ignores it. */
  readonly ramp?: RampConfig;
  /** Background mirror of a share of units' served calls on another model (issue 16), defaults applied. */
  readonly shadow?: ShadowConfig;
}

/** A validated rollout config with defaults applied; what `router.snapshot().config` holds (deep-frozen). */
export interface RolloutConfig {
  readonly routes: Readonly<Record<string, RouteConfig>>;
  /** Model aliases: alias -> model id. */
  readonly models: Readonly<Record<string, string>>;
  /** Built-in dated prices merged with the file's overrides. */
  readonly prices: PriceTable;
}
