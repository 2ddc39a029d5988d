import type { Histogram } from '../stats/histogram.js';
import type { JudgementCounts } from '../stats/judged-quality.js';

/** One arm's counts on one route, over some window (the whole ramp, or one step). */
export interface ArmAggregate {
  /**
   * Bookings (units) assigned to this arm that ended with a result (success, failure, invalid plan, or expired:
   * never ended by the app, a failure), mixed-arm bookings excluded, and bookings the router abandoned at
   * shutdown (still open at its close()) left out: a booking cut off by a deploy says nothing about its model, and
   * counting it as a failure biases against the slower arm.
   */
  readonly bookings: number;
  /** Of those, bookings that ended `success`. */
  readonly successes: number;
  /** Model calls on the route. */
  readonly calls: number;
  /** Calls or bookings that failed from model behaviour: invalid plan, refusal, max_tokens. */
  readonly behaviourErrors: number;
  /** Calls that failed from provider capacity (429, 529, 5xx, timeouts, connection): shown, never a model verdict. */
  readonly capacityErrors: number;
  /** USD of the bookings above (fallback attempts included). */
  readonly costUsd: number;
  /** Σ cost² per booking (exact in process, an upper bound from a Prometheus histogram). */
  readonly costSumSquares: number;
  /** Call latency in seconds, every call whatever its outcome (intent to treat, like success and cost). */
  readonly latency: Histogram;
}

/** Both arms' ended bookings within one step of the ramp. */
export interface StepArms {
  /** The canary's percent during the step; NaN when not known (a restarted controller merges the steps before the current one). */
  readonly percent: number;
  readonly canary: ArmAggregate;
  readonly control: ArmAggregate;
}

/** What the controller knows about a route at one look. */
export interface RouteAggregates {
  /**
   * Ended bookings per step of this ramp, oldest first, the current step last: the guardrails compare the arms
   * within each step and combine the steps (a change over time that hits both arms is not a canary effect).
   */
  readonly steps: readonly StepArms[];
  /** Assignments (units counted when they got their arm) since the current step began: minimums and the SRM test. */
  readonly step: {
    readonly canaryBookings: number;
    readonly controlBookings: number;
    /** Bookings of every arm other than the canary (control and any third arm). */
    readonly otherBookings: number;
  };
  /** Bookings whose calls on this route landed on two arms: counted, shown, excluded from every comparison. */
  readonly mixedBookings: number;
  /**
   * Judge verdicts on shadow calls of the canary's model against answers served by control, since the ramp (or its
   * shadow phase) began; paired, so pooled over steps (issue 16). Absent when the route is not judged.
   */
  readonly judgements?: JudgementCounts | undefined;
}

/** A ramp with its defaults applied and its canary arm resolved. */
export interface RampPlan {
  readonly canaryArm: string;
  readonly controlArm: string;
  readonly steps: readonly { readonly percent: number; readonly minBookingsPerArm: number; readonly minDurationMinutes: number }[];
  readonly alpha: number;
  readonly guardrails: {
    readonly bookingSuccess: { readonly margin: number };
    readonly behaviourErrors: { readonly margin: number };
    readonly latencyP95Ratio: { readonly max: number };
    readonly costPerSuccessRatio: { readonly max: number };
    /** Tested only when set: non-inferiority of the canary's judged win rate (issue 16). */
    readonly judgedQuality?: { readonly margin: number } | undefined;
  };
  /** A shadow phase at 0% before the first step: judged quality proven non-inferior first (issue 16). */
  readonly shadow?: { readonly minJudgements: number; readonly margin: number } | undefined;
  readonly budgetUsd: number;
  /**
   * Non-inferiority must be proven (every tested guardrail passes) before a step at or above this percent, and
   * always before the last step; below it a step advances on "no harm" (its minimums met, no guardrail failing).
   */
  readonly proveBefore: number;
}

/** Where the route is in its ramp. */
export interface StepState {
  /** The canary arm's percent in the config right now. */
  readonly percent: number;
  /** Epoch ms when this percent took effect (or when the controller first saw it). */
  readonly stepStartedAt: number;
  /** False when the route's kill switch is off. */
  readonly enabled?: boolean;
  /** `shadow`: at 0% in the ramp's shadow phase (not started yet, never rolled back), judged before the first step. */
  readonly phase?: 'shadow' | undefined;
}

export const RAMP_DECISIONS = ['advance', 'hold', 'rollback'] as const;
export type RampDecisionKind = (typeof RAMP_DECISIONS)[number];

export const RAMP_REASONS = [
  /** advance: minimums reached and every guardrail passed with confidence (non-inferiority proven). */
  'guardrails-passed',
  /** advance: minimums reached and no guardrail shows harm, to a step below `proveBefore`. */
  'no-harm',
  /** hold: no data, Prometheus down, or no series. Never a pass, never a failure. */
  'no-data',
  /** hold: the step's minimum bookings or duration not reached yet. */
  'step-minimum',
  /** hold: not enough evidence either way; the step is extended. */
  'inconclusive',
  /** hold: the last step is reached: the comparison is over (control gets no traffic), nothing is tested any more. */
  'completed',
  /** hold: at 0% (not started, or rolled back): only a person moves it. */
  'stopped',
  /** hold: the percent is not one of the ramp's steps (a person set it); never advanced from there. */
  'off-plan',
  /** hold: the route's kill switch is off. */
  'disabled',
  /** rollback: a guardrail failed with confidence. */
  'guardrail-failed',
  /** rollback: the step's split fails the SRM test. */
  'sample-ratio-mismatch',
  /** rollback: the spend budget is exhausted. */
  'budget-exhausted',
  /** hold: in the shadow phase, fewer judgements than `ramp.shadow.minJudgements`, or not proven either way yet. */
  'shadow-judging',
  /** advance: the shadow phase proved the canary's judged quality non-inferior: the first step starts. */
  'shadow-passed',
  /** rollback: the shadow phase proved the canary's judged quality worse than the margin: the ramp never starts. */
  'shadow-failed',
] as const;
export type RampReason = (typeof RAMP_REASONS)[number];

export const GUARDRAIL_VERDICTS = ['pass', 'fail', 'inconclusive'] as const;
export type GuardrailVerdict = (typeof GUARDRAIL_VERDICTS)[number];

export const GUARDRAIL_NAMES = ['bookingSuccess', 'behaviourErrors', 'latencyP95Ratio', 'costPerSuccessRatio', 'judgedQuality', 'budget', 'srm'] as const;
export type GuardrailName = (typeof GUARDRAIL_NAMES)[number];

/** One guardrail's evidence at one look. Numbers are NaN/±Infinity when not computable yet. */
export interface GuardrailEvidence {
  readonly name: GuardrailName;
  readonly verdict: GuardrailVerdict;
  /** Canary − control (proportions), canary / control (ratios), extra USD (budget), observed share (srm). */
  readonly estimate: number;
  /** One-sided bounds: the one that decides harm (at the harm α) and the one that decides a pass (at the pass α). */
  readonly lower: number;
  readonly upper: number;
  /** The margin, cap, budget or expected share the verdict compares against. */
  readonly threshold: number;
  readonly pValue: number;
  readonly alpha: number;
  readonly detail: string;
}

export interface RampDecision {
  readonly decision: RampDecisionKind;
  readonly reason: RampReason;
  readonly fromPercent: number;
  readonly toPercent: number;
  readonly at: number;
  readonly stepIndex: number;
  readonly guardrails: readonly GuardrailEvidence[];
  readonly counts: {
    readonly canary: ArmAggregate;
    readonly control: ArmAggregate;
    readonly step: RouteAggregates['step'];
    readonly mixedBookings: number;
  } | null;
  readonly extraUsd: number;
  /** One sentence for people. */
  readonly summary: string;
}
