import { CAPACITY_ERROR_CLASSES, type ErrorClass } from '@model-canary/router';
import type { ArmAggregate, RouteAggregates } from '../decision/types.js';
import { histogramSumSquaresUpper, type Histogram } from '../stats/histogram.js';
import type { PrometheusClient, VectorSample } from './prometheus-client.js';

/** Error classes that are the model's doing (counted); the provider's capacity (the router's CAPACITY_ERROR_CLASSES) is shown only. */
export const BEHAVIOUR_ERROR_CLASSES = ['refusal', 'max_tokens'] as const;

export interface ReadWindow {
  readonly route: string;
  readonly canaryArm: string;
  readonly controlArm: string;
  /** Epoch ms of the ramp's first step (guardrail counts) and of this step (SRM, minimums). */
  readonly rampStartedAt: number;
  readonly stepStartedAt: number;
  readonly now: number;
  readonly prefix?: string;
}

const quote = (s: string): string => JSON.stringify(s);

/**
 * Per-arm counts of one route since the ramp and the step began, summed across replicas:
 * `sum by (arm, …) (increase(<metric>{route=…}[<seconds since start>s]))`, which handles counter
 * resets of restarted replicas. (The metrics package's recording rules use fixed 5m/1h windows;
 * a sequential test needs counts since its start, so the raw counters are queried with the window
 * the controller knows.) Returns null when there is nothing to decide on: no unit series at all.
 */
export async function readRouteAggregates(prom: PrometheusClient, w: ReadWindow): Promise<RouteAggregates | null> {
  const p = w.prefix ?? 'model_canary_';
  const sel = `route=${quote(w.route)}`;
  // Rounded down, never up: a window reaching back before the step began would count bookings split at the
  // previous percent against this step's percent (a false SRM right after every step change).
  const win = (from: number): string => `${Math.max(1, Math.floor((w.now - from) / 1000))}s`;
  const ramp = win(w.rampStartedAt);
  const step = win(w.stepStartedAt);
  const q = (expr: string): Promise<VectorSample[]> => prom.query(expr, w.now);
  const [units, errors, attempts, costSum, costBuckets, latency, stepUnits, mixed] = await Promise.all([
    q(`sum by (arm, outcome) (increase(${p}units_total{${sel}}[${ramp}]))`),
    q(`sum by (arm, error_class) (increase(${p}request_errors_total{${sel}}[${ramp}]))`),
    q(`sum by (arm, error_class) (increase(${p}attempts_total{${sel},origin="primary"}[${ramp}]))`),
    q(`sum by (arm) (increase(${p}unit_cost_usd_sum{${sel}}[${ramp}]))`),
    q(`sum by (arm, le) (increase(${p}unit_cost_usd_bucket{${sel}}[${ramp}]))`),
    q(`sum by (arm, le) (increase(${p}request_duration_seconds_bucket{${sel},outcome="success"}[${ramp}]))`),
    q(`sum by (arm) (increase(${p}units_total{${sel}}[${step}]))`),
    q(`sum (increase(${p}unit_mixed_arms_total{${sel}}[${ramp}]))`),
  ]);
  if (units.length === 0) return null;
  const calls = await q(`sum by (arm) (increase(${p}requests_total{${sel}}[${ramp}]))`);
  const arm = (name: string): ArmAggregate => {
    const mine = (s: VectorSample): boolean => s.metric['arm'] === name;
    const sum = (xs: VectorSample[], f: (s: VectorSample) => boolean = () => true): number => Math.round(xs.filter((s) => mine(s) && f(s)).reduce((a, s) => a + s.value, 0));
    const costHist = histogram(costBuckets.filter(mine), sum(units), costSum.filter(mine).reduce((a, s) => a + s.value, 0));
    const latencyHist = histogram(latency.filter(mine), Number.NaN, 0);
    return {
      bookings: sum(units),
      successes: sum(units, (s) => s.metric['outcome'] === 'success'),
      calls: sum(calls),
      behaviourErrors:
        sum(errors, (s) => (BEHAVIOUR_ERROR_CLASSES as readonly string[]).includes(s.metric['error_class'] ?? '')) + sum(units, (s) => s.metric['outcome'] === 'invalid'),
      capacityErrors: sum(attempts, (s) => CAPACITY_ERROR_CLASSES.has((s.metric['error_class'] ?? '') as ErrorClass)),
      costUsd: costHist.sum,
      costSumSquares: histogramSumSquaresUpper(costHist),
      latency: latencyHist,
    };
  };
  const stepCount = (f: (a: string) => boolean): number => Math.round(stepUnits.filter((s) => f(s.metric['arm'] ?? '')).reduce((a, s) => a + s.value, 0));
  return {
    cumulative: { canary: arm(w.canaryArm), control: arm(w.controlArm) },
    step: { canaryBookings: stepCount((a) => a === w.canaryArm), controlBookings: stepCount((a) => a === w.controlArm), otherBookings: stepCount((a) => a !== w.canaryArm) },
    mixedBookings: Math.round(mixed.reduce((a, s) => a + s.value, 0)),
  };
}

/** Buckets from `increase(..._bucket)` samples (rounded, made monotone); count from +Inf unless given. */
function histogram(samples: readonly VectorSample[], count: number, sum: number): Histogram {
  const buckets = samples
    .map((s) => ({ le: s.metric['le'] === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.metric['le']), count: Math.round(s.value) }))
    .filter((b) => !Number.isNaN(b.le))
    .sort((a, b) => a.le - b.le);
  let max = 0;
  const monotone = buckets.map((b) => ({ le: b.le, count: (max = Math.max(max, b.count)) }));
  const total = monotone.length > 0 ? monotone[monotone.length - 1]!.count : 0;
  return { buckets: monotone, count: Number.isNaN(count) ? total : count, sum };
}
