import { CAPACITY_ERROR_CLASSES, type ErrorClass } from '@model-canary/router';
import type { ArmAggregate, RouteAggregates, StepArms } from '../decision/types.js';
import { histogramSumSquaresUpper, type Histogram } from '../stats/histogram.js';
import { CounterLedger, type CounterDelta, type CounterMark } from './counter-ledger.js';
import type { PrometheusClient, VectorSample } from './prometheus-client.js';

/** Error classes that are the model's doing (counted); the provider's capacity (the router's CAPACITY_ERROR_CLASSES) is shown only. */
export const BEHAVIOUR_ERROR_CLASSES = ['refusal', 'max_tokens'] as const;
const BEHAVIOUR_CLASSES: ReadonlySet<ErrorClass> = new Set(BEHAVIOUR_ERROR_CLASSES);

/**
 * Unit outcomes that are a result of the booking: `expired` (the app never ended it within the router's unit
 * timeout) is a failed one, so an arm cannot hide failures by leaving bookings open; `abandoned` (still open at
 * the router's close(), a shutdown) is not a result.
 */
const ENDED_OUTCOMES = new Set(['success', 'failure', 'invalid', 'expired']);

export interface ReadWindow {
  /** Epoch ms of the ramp's first step and of this step (used to rebuild baselines after a restart). */
  readonly rampStartedAt: number;
  readonly stepStartedAt: number;
  /** The canary's percent in this step. */
  readonly percent: number;
  readonly now: number;
}

export interface RouteReader {
  /** Per-step counts of the route at this look; null when there is nothing to decide on (no unit series at all). */
  read(w: ReadWindow): Promise<RouteAggregates | null>;
}

interface Step {
  readonly percent: number;
  readonly startedAt: number;
  readonly from: CounterMark;
  to: CounterMark | null;
}

const quote = (s: string): string => JSON.stringify(s);

/**
 * Reads one route's counters from Prometheus at every look and keeps exact per-step counts (counter-ledger.ts):
 * each step's counts are the counters now minus their values when the step's evidence began, which is the first
 * look after the step changed (by then the routers have reloaded and Prometheus has scraped them, so no booking
 * assigned at the old percent is counted at the new one). A reader that starts mid-ramp (a restarted controller)
 * takes its baselines from Prometheus at the ramp's and the step's start times; the steps before the current one
 * then count as one.
 */
export function createRouteReader(prom: PrometheusClient, { route, canaryArm, controlArm, prefix = 'model_canary_' }: {
  route: string; canaryArm: string; controlArm: string; prefix?: string;
}): RouteReader {
  const sel = `route=${quote(route)}`;
  const p = prefix;
  // Raw counters per replica (model and outcome summed away where they are not needed, replica labels kept).
  const families: Record<string, string> = {
    units: `${p}units_total{${sel}}`,
    assignments: `${p}unit_assignments_total{${sel}}`,
    errors: `sum without (model) (${p}request_errors_total{${sel}})`,
    attempts: `sum without (model) (${p}attempts_total{${sel},origin="primary"})`,
    costSum: `${p}unit_cost_usd_sum{${sel}}`,
    costBuckets: `${p}unit_cost_usd_bucket{${sel}}`,
    // A call the application cancelled is no call of the model's to judge (issue 14): out of latency and of the
    // error rate's base; every other outcome counts (intent to treat).
    latency: `sum without (model, outcome) (${p}request_duration_seconds_bucket{${sel},outcome!="cancelled"})`,
    calls: `sum without (model, outcome) (${p}requests_total{${sel},outcome!="cancelled"})`,
    mixed: `${p}unit_mixed_arms_total{${sel}}`,
    // Judge verdicts on shadow calls of answers control served (issue 16): paired, pooled over the whole ramp.
    judgements: `sum without (shadow_model) (${p}judgements_total{${sel},arm=${quote(controlArm)}})`,
  };
  let ledger = new CounterLedger();
  let steps: Step[] = [];
  let rampStartedAt: number | null = null;

  async function fetchAll(at: number): Promise<Record<string, VectorSample[]>> {
    const entries = await Promise.all(Object.entries(families).map(async ([name, q]) => [name, await prom.query(q, at)] as const));
    return Object.fromEntries(entries);
  }
  async function record(at: number, fromZero = true): Promise<boolean> {
    const all = await fetchAll(at);
    for (const [name, samples] of Object.entries(all)) ledger.update(name, samples, fromZero);
    return (all['units']?.length ?? 0) > 0 || (all['assignments']?.length ?? 0) > 0;
  }

  return {
    async read(w) {
      if (rampStartedAt !== w.rampStartedAt || steps.length === 0) {
        // A new ramp, or a reader starting mid-ramp: baselines from what Prometheus held at the start times.
        ledger = new CounterLedger();
        steps = [];
        rampStartedAt = w.rampStartedAt;
        await record(Math.min(w.rampStartedAt, w.now), false);
        const atRamp = ledger.mark();
        if (w.stepStartedAt > w.rampStartedAt) {
          // A step that starts at this very look (a person's edit the restarted controller just read) starts empty.
          await record(Math.min(w.stepStartedAt, w.now));
          const atStep = ledger.mark();
          steps.push({ percent: Number.NaN, startedAt: w.rampStartedAt, from: atRamp, to: atStep });
          steps.push({ percent: w.percent, startedAt: w.stepStartedAt, from: atStep, to: null });
        } else {
          steps.push({ percent: w.percent, startedAt: w.stepStartedAt, from: atRamp, to: null });
        }
      }
      const any = await record(w.now);
      const current = steps[steps.length - 1]!;
      if (current.startedAt !== w.stepStartedAt) {
        // The step changed since the last look: its evidence starts now.
        const now = ledger.mark();
        current.to = now;
        steps.push({ percent: w.percent, startedAt: w.stepStartedAt, from: now, to: null });
      }
      if (!any) return null;
      return aggregate(steps.map((s) => ({ percent: s.percent, deltas: ledger.deltas(s.from, s.to ?? undefined) })), canaryArm, controlArm);
    },
  };
}

function aggregate(steps: readonly { percent: number; deltas: CounterDelta[] }[], canaryArm: string, controlArm: string): RouteAggregates {
  const current = steps[steps.length - 1]!.deltas;
  const assigned = current.filter((d) => d.family === 'assignments');
  // A router without the assignment counter: fall back to ended units (counted when they end, see STATISTICS.md).
  const split = assigned.length > 0 ? assigned : current.filter((d) => d.family === 'units');
  const count = (f: (arm: string) => boolean): number => Math.round(split.filter((d) => f(d.metric['arm'] ?? '')).reduce((a, d) => a + d.value, 0));
  const stepArms: StepArms[] = steps.map((s) => ({ percent: s.percent, canary: arm(s.deltas, canaryArm), control: arm(s.deltas, controlArm) }));
  const mixed = steps.flatMap((s) => s.deltas.filter((d) => d.family === 'mixed' && ENDED_OUTCOMES.has(d.metric['outcome'] ?? '')));
  const verdicts = steps.flatMap((s) => s.deltas.filter((d) => d.family === 'judgements'));
  const verdict = (v: string): number => Math.round(verdicts.filter((d) => d.metric['verdict'] === v).reduce((a, d) => a + d.value, 0));
  return {
    ...(verdicts.length === 0 ? {} : { judgements: { candidateBetter: verdict('candidate_better'), servedBetter: verdict('served_better'), tie: verdict('tie') } }),
    steps: stepArms,
    step: { canaryBookings: count((a) => a === canaryArm), controlBookings: count((a) => a === controlArm), otherBookings: count((a) => a !== canaryArm) },
    mixedBookings: Math.round(mixed.reduce((a, d) => a + d.value, 0)),
  };
}

function arm(deltas: readonly CounterDelta[], name: string): ArmAggregate {
  const of = (family: string, f: (d: CounterDelta) => boolean = () => true): CounterDelta[] => deltas.filter((d) => d.family === family && d.metric['arm'] === name && f(d));
  const total = (xs: readonly CounterDelta[]): number => xs.reduce((a, d) => a + d.value, 0);
  const ended = of('units', (d) => ENDED_OUTCOMES.has(d.metric['outcome'] ?? ''));
  const bookings = Math.round(total(ended));
  const isIn = (classes: { has(c: ErrorClass): boolean }) => (d: CounterDelta): boolean => classes.has((d.metric['error_class'] ?? '') as ErrorClass);
  // Abandoned bookings are in the cost histogram too: their share of it is removed in proportion (they are few).
  const allUnits = total(of('units'));
  const costHist = histogram(of('costBuckets'), Number.NaN, total(of('costSum')));
  const endedShare = allUnits > 0 ? bookings / allUnits : 1;
  const cost = scaleHistogram(costHist, endedShare);
  return {
    bookings,
    successes: Math.round(total(ended.filter((d) => d.metric['outcome'] === 'success'))),
    calls: Math.round(total(of('calls'))),
    behaviourErrors: Math.round(total(of('errors', isIn(BEHAVIOUR_CLASSES))) + total(ended.filter((d) => d.metric['outcome'] === 'invalid'))),
    capacityErrors: Math.round(total(of('attempts', isIn(CAPACITY_ERROR_CLASSES)))),
    costUsd: cost.sum,
    costSumSquares: histogramSumSquaresUpper(cost),
    latency: histogram(of('latency'), Number.NaN, 0),
  };
}

function scaleHistogram(h: Histogram, share: number): Histogram {
  if (share === 1) return h;
  return { buckets: h.buckets.map((b) => ({ le: b.le, count: b.count * share })), count: h.count * share, sum: h.sum * share };
}

/** Buckets from per-replica bucket deltas (summed per `le`, made monotone); count from +Inf unless given. */
function histogram(deltas: readonly CounterDelta[], count: number, sum: number): Histogram {
  const byLe = new Map<number, number>();
  for (const d of deltas) {
    const le = d.metric['le'] === '+Inf' ? Number.POSITIVE_INFINITY : Number(d.metric['le']);
    if (!Number.isNaN(le)) byLe.set(le, (byLe.get(le) ?? 0) + d.value);
  }
  let max = 0;
  const buckets = [...byLe].sort(([a], [b]) => a - b).map(([le, c]) => ({ le, count: (max = Math.max(max, Math.round(c))) }));
  const total = buckets.length > 0 ? buckets[buckets.length - 1]!.count : 0;
  return { buckets, count: Number.isNaN(count) ? total : count, sum };
}
