import { DEFAULT_COST_BUCKETS, DEFAULT_DURATION_BUCKETS } from './histogram-buckets.js';
import type { RolloutConfig } from '@model-canary/router';
import seedrandom from 'seedrandom';
import { toRampPlan } from '../config/ramp-plan.js';
import { decideRamp } from '../decision/decide.js';
import type { RampDecision, RampPlan, RampReason, StepArms } from '../decision/types.js';
import { ControllerError } from '../errors.js';
import type { Uniform } from '../stats/binomial.js';
import { ArmAccumulator } from './arm-accumulator.js';
import { sampleBooking, type SampledBooking } from './booking-sampler.js';
import { medianP90 } from './median-p90.js';
import { sampleJudgement } from './judge-sampler.js';
import type { JudgementCounts } from '../stats/judged-quality.js';
import type { GuardrailName } from '../decision/types.js';
import type { Calibration } from './calibrate.js';
import { scenarioArms, type ScenarioArms, type ScenarioName } from './scenarios.js';

export interface RehearsalOptions {
  readonly config: RolloutConfig;
  /** Route to rehearse; default: the first route with a ramp. */
  readonly route?: string;
  readonly scenario: ScenarioName;
  readonly runs?: number;
  readonly seed?: string;
  /** Bookings per simulated minute on the route (all arms); default: the scenario's, else 1,000. */
  readonly bookingsPerMinute?: number;
  /** Mean duration of a booking in seconds (lognormal, σ 0.3); default: the scenario's, else drawn from the simulator's latencies. */
  readonly bookingSeconds?: number;
  /** Seconds between two looks of the controller. */
  readonly intervalSeconds?: number;
  /** Seconds between two Prometheus scrapes (the controller sees the last one). */
  readonly scrapeSeconds?: number;
  /** A run with no verdict after this many simulated minutes ends as `holding`. */
  readonly maxMinutes?: number;
  /** Called after each run with the runs done so far (the CLI's progress line on a terminal). */
  readonly onRun?: (done: number, runs: number) => void;
  /** Orchestrator token counts measured through the real router + simulator (see `calibrate`). */
  readonly calibration?: Calibration;
  /** Called with every look of every run (run index from 0): what a report charts of one run. */
  readonly onLook?: (run: number, decision: RampDecision) => void;
}

/** One scenario's result, exactly the shape of `canary rehearse --json`. */
export interface ScenarioSummary {
  readonly scenario: ScenarioName;
  readonly runs: number;
  readonly outcomes: { readonly completed: number; readonly rolledBack: number; readonly holding: number };
  readonly bookingsToVerdict: { readonly median: number; readonly p90: number } | null;
  readonly minutesToVerdict: { readonly median: number; readonly p90: number } | null;
  readonly extraUsd: { readonly median: number; readonly p90: number } | null;
  /** Booking success rate of each arm over every run's ended bookings (what a fixed-horizon comparison is planned from). */
  readonly successRate: { readonly canary: number; readonly control: number };
  /** Runs rolled back, by reason (guardrail-failed, sample-ratio-mismatch, budget-exhausted, shadow-failed). */
  readonly rollbackReasons: Readonly<Partial<Record<RampReason, number>>>;
  /** Runs rolled back, by the guardrail that failed (every failing one counts). */
  readonly rollbackGuardrails: Readonly<Partial<Record<GuardrailName, number>>>;
  /** Bookings (all arms) by which 80% of the runs had rolled back; null when fewer than 80% did. */
  readonly bookingsUntil80PercentRolledBack: number | null;
  /** Minutes spent in each step, over the runs that left it (advanced or rolled back from it). */
  readonly stepMinutes: readonly { readonly percent: number; readonly median: number | null; readonly p90: number | null }[];
}

export interface RunResult {
  readonly outcome: 'completed' | 'rolledBack' | 'holding';
  readonly reason: RampReason;
  readonly bookings: number;
  readonly minutes: number;
  readonly extraUsd: number;
  readonly last: RampDecision;
  /** Minutes spent in each step left (advanced or rolled back from), by percent. */
  readonly stepMinutes: Readonly<Record<number, number>>;
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
  const { config, scenario, runs = 200, seed = 'rehearsal', intervalSeconds = 30, scrapeSeconds = 15, maxMinutes = 720 } = options;
  const { route: routeName, canaryModel, controlModel } = rehearsalRoute(config, options.route);
  const plan = toRampPlan(routeName, config.routes[routeName]!);
  const arms = scenarioArms(scenario, config, canaryModel, controlModel, options.calibration);
  const bookingsPerMinute = options.bookingsPerMinute ?? arms.bookingsPerMinute ?? 1000;
  const bookingSeconds = options.bookingSeconds ?? arms.bookingSeconds;
  // Shadow judging (issue 16): a share of control's bookings is judged when the route shadows and the ramp reads it.
  const shadow = config.routes[routeName]!.shadow;
  const judgedShare = shadow !== undefined && (plan.shadow !== undefined || plan.guardrails.judgedQuality !== undefined) ? shadow.percent / 100 : 0;
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const onLook = options.onLook === undefined ? undefined : (d: RampDecision): void => options.onLook?.(i, d);
    results.push(runOnce({ plan, arms, random: seedrandom.alea(`${seed}/${scenario}/${i}`), bookingsPerMinute, bookingSeconds, intervalSeconds, scrapeSeconds, maxMinutes, onLook, judgedShare }));
    options.onRun?.(i + 1, runs);
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
      successRate: {
        canary: successRate(results, (c) => c.canary),
        control: successRate(results, (c) => c.control),
      },
      rollbackReasons: countBy(results.filter((r) => r.outcome === 'rolledBack').map((r) => r.reason)),
      rollbackGuardrails: countBy(results.filter((r) => r.outcome === 'rolledBack').flatMap((r) => r.last.guardrails.filter((g) => g.verdict === 'fail').map((g) => g.name))),
      bookingsUntil80PercentRolledBack: quantileOfRollbacks(results, 0.8),
      stepMinutes: plan.steps.slice(0, -1).map(({ percent }) => {
        const m = medianP90(results.flatMap((r) => (r.stepMinutes[percent] === undefined ? [] : [r.stepMinutes[percent]])));
        return { percent, median: m?.median ?? null, p90: m?.p90 ?? null };
      }),
    },
  };
}

interface InFlight {
  readonly canary: boolean;
  readonly booking: SampledBooking;
  /** The judge's verdict on this booking's shadow call, when it was judged. */
  readonly judged?: keyof JudgementCounts | undefined;
}

/**
 * One rollout in simulated time, shaped like production: bookings arrive at a steady rate, get their arm when
 * they start (the assignment counter), and end after their own duration (success, cost and latency are
 * counted then); Prometheus scrapes every `scrapeSeconds` and the controller looks every `intervalSeconds` at
 * the last scrape. A step the controller writes takes effect for the next booking; its evidence starts at the
 * next look, as the controller's reader does (read-aggregates.ts).
 */
function runOnce({ plan, arms, random, bookingsPerMinute, bookingSeconds, intervalSeconds, scrapeSeconds, maxMinutes, onLook, judgedShare }: {
  plan: RampPlan; arms: ScenarioArms; random: Uniform; bookingsPerMinute: number; bookingSeconds: number | undefined; intervalSeconds: number; scrapeSeconds: number; maxMinutes: number;
  onLook: ((d: RampDecision) => void) | undefined; judgedShare: number;
}): RunResult {
  const judgements = { candidateBetter: 0, servedBetter: 0, tie: 0 };
  // With a shadow phase the run starts at 0%, judged only, and the first step starts when the phase passes.
  let phase: 'shadow' | undefined = plan.shadow !== undefined && judgedShare > 0 ? 'shadow' : undefined;
  const accumulator = (): ArmAccumulator => new ArmAccumulator(DEFAULT_DURATION_BUCKETS, DEFAULT_COST_BUCKETS);
  const lastPercent = plan.steps[plan.steps.length - 1]!.percent;
  const closed: StepArms[] = [];
  let current = { canary: accumulator(), control: accumulator() };
  let assigned = { canaryBookings: 0, controlBookings: 0, otherBookings: 0 };
  let percent = phase === 'shadow' ? 0 : plan.steps[0]!.percent;
  let stepStartedAt = 0;
  /** The percent the current evidence was gathered at (until the first look after a change). */
  let evidencePercent = percent;
  let stepChanged = false;
  let incidentFrom = Number.POSITIVE_INFINITY;
  let bookings = 0;
  let carry = 0;
  let last: RampDecision | undefined;
  const stepMinutes: Record<number, number> = {};
  const ending = new Map<number, InFlight[]>();
  const lookEvery = Math.max(1, Math.round(intervalSeconds / scrapeSeconds));
  const ticks = Math.ceil((maxMinutes * 60) / scrapeSeconds);
  const incident = arms.incident;
  for (let tick = 1; tick <= ticks; tick++) {
    const now = tick * scrapeSeconds * 1000;
    // Bookings that start during this scrape interval: assigned now, ended after their duration.
    carry += (bookingsPerMinute * scrapeSeconds) / 60;
    const arriving = Math.floor(carry);
    carry -= arriving;
    const hit = incident !== undefined && now >= incidentFrom && now < incidentFrom + incident.minutes * 60_000;
    for (let i = 0; i < arriving; i++) {
      const canary = random() < percent / 100;
      let booking = sampleBooking(canary ? arms.canary : arms.control, arms.specialist, random);
      if (hit && booking.outcome === 'success' && random() < incident.extraFailure) booking = { ...booking, outcome: 'failure' };
      const seconds = bookingSeconds === undefined ? booking.durationSeconds : bookingSeconds * Math.exp(0.3 * normal(random) - 0.045);
      // Started uniformly within this scrape interval; counted at the first scrape after it ends.
      const endTick = Math.max(tick, Math.ceil((now / 1000 - scrapeSeconds * random() + seconds) / scrapeSeconds));
      const judged = !canary && judgedShare > 0 && booking.outcome !== 'failure' && random() < judgedShare
        ? sampleJudgement({ profile: arms.control.profile, flawed: booking.behaviourError > 0 }, arms.canary.profile, random)
        : undefined;
      const list = ending.get(endTick);
      if (list === undefined) ending.set(endTick, [{ canary, booking, judged }]);
      else list.push({ canary, booking, judged });
      if (canary) assigned.canaryBookings++;
      else {
        assigned.controlBookings++;
        assigned.otherBookings++;
      }
      bookings++;
    }
    for (const { canary, booking, judged } of ending.get(tick) ?? []) {
      (canary ? current.canary : current.control).add(booking);
      if (judged !== undefined) judgements[judged]++;
    }
    ending.delete(tick);
    if (tick % lookEvery !== 0) continue;

    if (stepChanged) {
      // The first look after a step change: the new step's evidence starts here.
      closed.push({ percent: evidencePercent, canary: current.canary.snapshot(), control: current.control.snapshot() });
      evidencePercent = percent;
      current = { canary: accumulator(), control: accumulator() };
      assigned = { canaryBookings: 0, controlBookings: 0, otherBookings: 0 };
      stepChanged = false;
    }
    const steps = [...closed, { percent, canary: current.canary.snapshot(), control: current.control.snapshot() }];
    const d = decideRamp({ state: { percent, stepStartedAt, phase }, aggregates: { steps, step: assigned, mixedBookings: 0, ...(judgedShare > 0 ? { judgements: { ...judgements } } : {}) }, plan, now });
    last = d;
    onLook?.(d);
    const minutes = now / 60_000;
    if (d.decision !== 'hold') stepMinutes[percent] = (now - stepStartedAt) / 60_000;
    if (d.decision === 'rollback') return { outcome: 'rolledBack', reason: d.reason, bookings, minutes, extraUsd: d.extraUsd, last: d, stepMinutes };
    if (d.decision === 'advance') {
      phase = undefined;
      percent = d.toPercent;
      stepStartedAt = now;
      stepChanged = true;
      if (incident !== undefined && percent === incident.atPercent && incidentFrom === Number.POSITIVE_INFINITY) incidentFrom = now;
      if (percent === lastPercent) return { outcome: 'completed', reason: d.reason, bookings, minutes, extraUsd: d.extraUsd, last: d, stepMinutes };
    }
  }
  return { outcome: 'holding', reason: last!.reason, bookings, minutes: maxMinutes, extraUsd: last!.extraUsd, last: last!, stepMinutes };
}

function successRate(results: readonly RunResult[], pick: (c: NonNullable<RampDecision['counts']>) => { successes: number; bookings: number }): number {
  let successes = 0;
  let bookings = 0;
  for (const r of results) {
    if (r.last.counts === null) continue;
    successes += pick(r.last.counts).successes;
    bookings += pick(r.last.counts).bookings;
  }
  return bookings > 0 ? successes / bookings : Number.NaN;
}

function countBy<K extends string>(keys: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** Bookings by which a share q of all runs had rolled back (runs without a rollback count as never). */
function quantileOfRollbacks(results: readonly RunResult[], q: number): number | null {
  const rolled = results.filter((r) => r.outcome === 'rolledBack').map((r) => r.bookings).sort((a, b) => a - b);
  const need = Math.ceil(q * results.length);
  return rolled.length >= need && need > 0 ? rolled[need - 1]! : null;
}

function normal(random: Uniform): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
