import { DEFAULT_COST_BUCKETS, DEFAULT_DURATION_BUCKETS } from './histogram-buckets.js';
import type { RolloutConfig } from '@model-canary/router';
import seedrandom from 'seedrandom';
import { toRampPlan } from '../config/ramp-plan.js';
import { decideRamp } from '../decision/decide.js';
import type { RampDecision, RampReason } from '../decision/types.js';
import { ControllerError } from '../errors.js';
import type { Uniform } from '../stats/binomial.js';
import { ArmAccumulator } from './arm-accumulator.js';
import { sampleBooking } from './booking-sampler.js';
import { medianP90 } from './median-p90.js';
import type { Calibration } from './calibrate.js';
import { scenarioArms, type ScenarioArms, type ScenarioName } from './scenarios.js';

export interface RehearsalOptions {
  readonly config: RolloutConfig;
  /** Route to rehearse; default: the first route with a ramp. */
  readonly route?: string;
  readonly scenario: ScenarioName;
  readonly runs?: number;
  readonly seed?: string;
  /** Bookings per simulated minute on the route (all arms). */
  readonly bookingsPerMinute?: number;
  /** Seconds between two looks of the controller. */
  readonly intervalSeconds?: number;
  /** A run with no verdict after this many simulated minutes ends as `holding`. */
  readonly maxMinutes?: number;
  /** Orchestrator token counts measured through the real router + simulator (see `calibrate`). */
  readonly calibration?: Calibration;
}

/** One scenario's result, exactly the shape of `canary rehearse --json`. */
export interface ScenarioSummary {
  readonly scenario: ScenarioName;
  readonly runs: number;
  readonly outcomes: { readonly completed: number; readonly rolledBack: number; readonly holding: number };
  readonly bookingsToVerdict: { readonly median: number; readonly p90: number } | null;
  readonly minutesToVerdict: { readonly median: number; readonly p90: number } | null;
  readonly extraUsd: { readonly median: number; readonly p90: number } | null;
}

export interface RunResult {
  readonly outcome: 'completed' | 'rolledBack' | 'holding';
  readonly reason: RampReason;
  readonly bookings: number;
  readonly minutes: number;
  readonly extraUsd: number;
  readonly last: RampDecision;
}

export interface RehearsalResult {
  readonly summary: ScenarioSummary;
  readonly runs: readonly RunResult[];
  readonly route: string;
}

/** The route a rehearsal runs on and its canary and control models (what `calibrate` should measure). */
export function rehearsalRoute(config: RolloutConfig, route?: string): { route: string; canaryModel: string; controlModel: string } {
  const routeName = route ?? Object.keys(config.routes).find((r) => config.routes[r]?.ramp !== undefined);
  const routeConfig = routeName === undefined ? undefined : config.routes[routeName];
  if (route !== undefined && routeConfig === undefined) {
    throw new ControllerError('NO_RAMP', `no route "${route}" in the config (routes: ${Object.keys(config.routes).join(', ')})`);
  }
  if (routeName === undefined || routeConfig === undefined) throw new ControllerError('NO_RAMP', 'no route with a ramp in the config');
  const plan = toRampPlan(routeName, routeConfig);
  return {
    route: routeName,
    canaryModel: routeConfig.arms.find((a) => a.name === plan.canaryArm)!.model,
    controlModel: routeConfig.arms.find((a) => a.name === plan.controlArm)!.model,
  };
}

/**
 * Runs `decideRamp` (the controller's own decision code) on bookings sampled from the simulator's
 * model profiles, many times, seeded. Time is simulated: a look every `intervalSeconds`, with the
 * bookings of that interval assigned by a uniform bucket against the current percent, as the
 * router's hash does.
 */
export function rehearse(options: RehearsalOptions): RehearsalResult {
  const { config, scenario, runs = 200, seed = 'rehearsal', bookingsPerMinute = 1000, intervalSeconds = 30, maxMinutes = 720 } = options;
  const { route: routeName, canaryModel, controlModel } = rehearsalRoute(config, options.route);
  const plan = toRampPlan(routeName, config.routes[routeName]!);
  const arms = scenarioArms(scenario, config, canaryModel, controlModel, options.calibration);
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    results.push(runOnce({ plan, arms, random: seedrandom.alea(`${seed}/${scenario}/${i}`), bookingsPerMinute, intervalSeconds, maxMinutes }));
  }
  const verdicts = results.filter((r) => r.outcome !== 'holding');
  const rate = (o: RunResult['outcome']): number => results.filter((r) => r.outcome === o).length / results.length;
  return {
    route: routeName,
    runs: results,
    summary: {
      scenario,
      runs,
      outcomes: { completed: rate('completed'), rolledBack: rate('rolledBack'), holding: rate('holding') },
      bookingsToVerdict: medianP90(verdicts.map((r) => r.bookings)),
      minutesToVerdict: medianP90(verdicts.map((r) => r.minutes)),
      extraUsd: medianP90(results.map((r) => r.extraUsd)),
    },
  };
}

function runOnce({ plan, arms, random, bookingsPerMinute, intervalSeconds, maxMinutes }: {
  plan: ReturnType<typeof toRampPlan>; arms: ScenarioArms; random: Uniform; bookingsPerMinute: number; intervalSeconds: number; maxMinutes: number;
}): RunResult {
  const canary = new ArmAccumulator(DEFAULT_DURATION_BUCKETS, DEFAULT_COST_BUCKETS);
  const control = new ArmAccumulator(DEFAULT_DURATION_BUCKETS, DEFAULT_COST_BUCKETS);
  const perLook = Math.round((bookingsPerMinute * intervalSeconds) / 60);
  const lastPercent = plan.steps[plan.steps.length - 1]!.percent;
  let percent = plan.steps[0]!.percent;
  let stepStartedAt = 0;
  let step = { canaryBookings: 0, controlBookings: 0, otherBookings: 0 };
  let last: RampDecision | undefined;
  const maxLooks = Math.ceil((maxMinutes * 60) / intervalSeconds);
  for (let look = 1; look <= maxLooks; look++) {
    const now = look * intervalSeconds * 1000;
    let n1 = 0;
    for (let i = 0; i < perLook; i++) {
      if (random() < percent / 100) {
        canary.add(sampleBooking(arms.canary, arms.specialist, random));
        n1++;
      } else {
        control.add(sampleBooking(arms.control, arms.specialist, random));
      }
    }
    step = { canaryBookings: step.canaryBookings + n1, controlBookings: step.controlBookings + perLook - n1, otherBookings: step.otherBookings + perLook - n1 };
    const d = decideRamp({ state: { percent, stepStartedAt }, aggregates: { cumulative: { canary: canary.snapshot(), control: control.snapshot() }, step, mixedBookings: 0 }, plan, now });
    last = d;
    const minutes = (look * intervalSeconds) / 60;
    const bookings = canary.bookings + control.bookings;
    if (d.decision === 'rollback') return { outcome: 'rolledBack', reason: d.reason, bookings, minutes, extraUsd: d.extraUsd, last: d };
    if (d.decision === 'advance') {
      percent = d.toPercent;
      stepStartedAt = now;
      step = { canaryBookings: 0, controlBookings: 0, otherBookings: 0 };
      if (percent === lastPercent) return { outcome: 'completed', reason: d.reason, bookings, minutes, extraUsd: d.extraUsd, last: d };
    }
  }
  return { outcome: 'holding', reason: last!.reason, bookings: canary.bookings + control.bookings, minutes: maxMinutes, extraUsd: last!.extraUsd, last: last! };
}
