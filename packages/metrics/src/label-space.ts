import { OTHER } from './label-values.js';
import type { SourceConfig } from './source.js';

/**
 * The route, arm and model label values this process may emit: everything any applied config named
 * since attach. It only grows, so a call decided just before a reload still keeps its labels, and it
 * is bounded by the configs an operator wrote, never by traffic.
 */
export interface LabelSpace {
  learn(config: SourceConfig | null): void;
  route(route: string): string;
  /** The arm label, `other` when the route or the arm is unknown. */
  arm(route: string, arm: string): string;
  model(model: string): string;
}

export function createLabelSpace(): LabelSpace {
  const arms = new Map<string, Set<string>>();
  const models = new Set<string>();
  return {
    learn(config) {
      for (const [route, routeConfig] of Object.entries(config?.routes ?? {})) {
        let known = arms.get(route);
        if (known === undefined) {
          known = new Set();
          arms.set(route, known);
        }
        for (const arm of routeConfig.arms) {
          known.add(arm.name);
          models.add(arm.model);
        }
      }
    },
    route: (route) => (arms.has(route) ? route : OTHER),
    arm: (route, arm) => (arms.get(route)?.has(arm) === true ? arm : OTHER),
    model: (model) => (models.has(model) ? model : OTHER),
  };
}
