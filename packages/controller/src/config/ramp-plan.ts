import type { RampConfig, RampStep, RouteConfig } from '@model-canary/router';
import type { RampPlan } from '../decision/types.js';
import { ControllerError } from '../errors.js';

/** The route's validated `ramp` with its defaults spread over every step and its arms resolved. */
export function toRampPlan(routeName: string, route: RouteConfig): RampPlan {
  const ramp = route.ramp;
  if (ramp === undefined) throw new ControllerError('NO_RAMP', `route "${routeName}" has no ramp section`);
  const canaryArm = rampCanaryArm(ramp, route.arms);
  const controlArm = route.arms.find((a) => a.percent === null)?.name;
  if (canaryArm === undefined || controlArm === undefined) throw new ControllerError('NO_RAMP', `route "${routeName}" has no canary or no default arm to ramp between`);
  return {
    canaryArm,
    controlArm,
    steps: ramp.steps.map((s) => ({
      percent: stepPercent(s),
      minBookingsPerArm: typeof s === 'number' ? ramp.minBookingsPerArm : (s.minBookingsPerArm ?? ramp.minBookingsPerArm),
      minDurationMinutes: typeof s === 'number' ? ramp.minDurationMinutes : (s.minDurationMinutes ?? ramp.minDurationMinutes),
    })),
    alpha: ramp.alpha,
    guardrails: ramp.guardrails,
    budgetUsd: ramp.budgetUsd,
    proveBefore: ramp.proveBefore,
    ...(ramp.shadow === undefined ? {} : { shadow: ramp.shadow }),
  };
}

/** The arm a ramp moves: `canaryArm`, else the route's first arm with a percent. */
export function rampCanaryArm(ramp: RampConfig, arms: readonly { readonly name: string; readonly percent: number | null }[]): string | undefined {
  return ramp.canaryArm ?? arms.find((a) => a.percent !== null)?.name;
}

export function stepPercent(step: RampStep): number {
  return typeof step === 'number' ? step : step.percent;
}

/** Routes of a config that have a ramp. */
export function rampedRoutes(routes: Readonly<Record<string, RouteConfig>>): string[] {
  return Object.entries(routes).filter(([, r]) => r.ramp !== undefined).map(([name]) => name);
}
