import type { Histogram, Registry } from 'prom-client';
import { armShares, type ArmShare } from './arm-percent.js';
import {
  DEFAULT_COST_BUCKETS,
  DEFAULT_DURATION_BUCKETS,
  DEFAULT_TTFT_BUCKETS,
  DEFAULT_UNIT_DURATION_BUCKETS,
} from './buckets.js';
import { CANARY_METRICS_ERROR_CODES, CanaryMetricsError } from './errors.js';
import { createLabelSpace } from './label-space.js';
import {
  ATTEMPT_ERROR_CLASS_VALUES,
  ATTEMPT_ORIGIN_VALUES,
  CALL_OUTCOME_VALUES,
  DECISION_REASON_VALUES,
  ERROR_CLASS_VALUES,
  NO_ERROR,
  RELOAD_RESULT_VALUES,
  TOKEN_TYPE_VALUES,
  UNIT_OUTCOME_VALUES,
  foldInto,
} from './label-values.js';
import { createMetricSet, type MetricSet } from './metric-set.js';
import { counterSeries, histogramSeries, restoreMissing, type CounterSeries, type HistogramSeries } from './series.js';
import { seriesIndex } from './series-index.js';
import { createUnitAssignments, type UnitAssignments } from './unit-assignments.js';
import { createUnitCascade, type UnitCascade } from './unit-cascade.js';
import { createShadowMetrics, type ShadowMetrics } from './shadow-metrics.js';
import type { CanaryMetricsSource, SourceConfigEvent, SourceSnapshot, SourceTokenCounts } from './source.js';

export interface CanaryMetricsOptions {
  /** The prom-client registry to register on (never the global one). */
  readonly registry: Registry;
  /** Prefix of every metric name. The shipped dashboard and rules assume the default. */
  readonly prefix?: string;
  /** Buckets of request_duration_seconds, in seconds. */
  readonly buckets?: readonly number[];
  /** Buckets of time_to_first_token_seconds, in seconds. */
  readonly ttftBuckets?: readonly number[];
  /** Buckets of unit_cost_usd, in USD. */
  readonly costBuckets?: readonly number[];
  /** Buckets of unit_duration_seconds, in seconds. */
  readonly unitDurationBuckets?: readonly number[];
}

export interface CanaryMetrics {
  readonly registry: Registry;
  /**
   * Zeroes every series of every configured arm, then follows the router's events. Returns a detach
   * function; the series stay on the registry after detaching.
   */
  attach(source: CanaryMetricsSource): () => void;
}

interface InFlightSeries {
  readonly labels: { route: string; arm: string };
  count: number;
}

/** Handles of the series one (route, arm, model) updates per call, filled on first use. */
interface ModelSeries {
  readonly route: string;
  readonly arm: string;
  readonly model: string;
  readonly outcomes: Partial<Record<string, { readonly requests: CounterSeries; readonly duration: HistogramSeries }>>;
  readonly tokens: Partial<Record<string, CounterSeries>>;
  ttft?: HistogramSeries;
  cost?: CounterSeries;
  costUnknown?: CounterSeries;
}

const RELOAD_OK = new Set(['applied', 'unchanged']);
const ATTEMPT_CLASSES_AND_NONE = [...ATTEMPT_ERROR_CLASS_VALUES, NO_ERROR];
const CANARY_DECISION_REASONS = ['split', 'forced'] as const satisfies ReadonlyArray<(typeof DECISION_REASON_VALUES)[number]>;
const OUTCOMES_WITHOUT_FALLBACK = CALL_OUTCOME_VALUES.filter((outcome) => outcome !== 'fallback');

/**
 * Prometheus metrics per canary arm for a router.
 *
 * @example
 * const registry = new Registry();
 * const metrics = createCanaryMetrics({ registry });
 * const detach = metrics.attach(router);
 * // serve `await registry.metrics()` on GET /metrics
 */
export function createCanaryMetrics({
  registry,
  prefix = 'model_canary_',
  buckets = DEFAULT_DURATION_BUCKETS,
  ttftBuckets = DEFAULT_TTFT_BUCKETS,
  costBuckets = DEFAULT_COST_BUCKETS,
  unitDurationBuckets = DEFAULT_UNIT_DURATION_BUCKETS,
}: CanaryMetricsOptions): CanaryMetrics {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw new CanaryMetricsError(CANARY_METRICS_ERROR_CODES.invalidOption, `prefix ${JSON.stringify(prefix)} is not a valid Prometheus metric name prefix`);
  }
  checkBuckets('buckets', buckets);
  checkBuckets('ttftBuckets', ttftBuckets);
  checkBuckets('costBuckets', costBuckets);
  checkBuckets('unitDurationBuckets', unitDurationBuckets);
  /** Calls in progress per series (route -> arm -> count), of every router attached. */
  const inFlightSeries = new Map<string, Map<string, InFlightSeries>>();
  function inFlightFor(route: string, arm: string): InFlightSeries {
    let arms = inFlightSeries.get(route);
    if (arms === undefined) {
      arms = new Map();
      inFlightSeries.set(route, arms);
    }
    let series = arms.get(arm);
    if (series === undefined) {
      series = { labels: { route, arm }, count: 0 };
      arms.set(arm, series);
    }
    return series;
  }
  function* allInFlight(): Iterable<InFlightSeries> {
    for (const arms of inFlightSeries.values()) yield* arms.values();
  }

  let m: MetricSet;
  let assignments: UnitAssignments;
  let cascade: UnitCascade;
  let shadows: ShadowMetrics;
  try {
    m = createMetricSet({ registry, prefix, buckets, ttftBuckets, costBuckets, unitDurationBuckets, inFlight: allInFlight });
    assignments = createUnitAssignments(registry, prefix);
    cascade = createUnitCascade(registry, prefix);
    shadows = createShadowMetrics(registry, prefix);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const code = /already been registered/.test(message) ? CANARY_METRICS_ERROR_CODES.alreadyRegistered : CANARY_METRICS_ERROR_CODES.invalidOption;
    throw new CanaryMetricsError(code, `cannot register the canary metrics on this registry: ${message}`, { cause });
  }
  for (const result of RELOAD_RESULT_VALUES) m.reloads.labels({ result }).inc(0);
  m.routerErrors.inc(0);

  // Handles of the series calls update (prom-client's `labels()` children), opened on first use.
  const histogramHandles = new Map<object, Array<{ labels: Record<string, string>; series: HistogramSeries }>>();
  function histogramOpener<T extends string>(histogram: Histogram<T>) {
    const handles: Array<{ labels: Record<string, string>; series: HistogramSeries }> = [];
    histogramHandles.set(histogram, handles);
    return (labels: Record<T, string>): HistogramSeries => {
      const series = histogramSeries(histogram, labels);
      handles.push({ labels, series });
      return series;
    };
  }
  const series = {
    decisions: seriesIndex(['route', 'arm', 'reason'], (l) => counterSeries(m.decisions, l)),
    requests: seriesIndex(['route', 'arm', 'model', 'outcome'], (l) => counterSeries(m.requests, l)),
    requestDuration: seriesIndex(['route', 'arm', 'model', 'outcome'], histogramOpener(m.requestDuration)),
    timeToFirstToken: seriesIndex(['route', 'arm', 'model'], histogramOpener(m.timeToFirstToken)),
    attempts: seriesIndex(['route', 'arm', 'model', 'origin', 'error_class'], (l) => counterSeries(m.attempts, l)),
    requestErrors: seriesIndex(['route', 'arm', 'model', 'error_class'], (l) => counterSeries(m.requestErrors, l)),
    tokens: seriesIndex(['route', 'arm', 'model', 'type'], (l) => counterSeries(m.tokens, l)),
    cost: seriesIndex(['route', 'arm', 'model'], (l) => counterSeries(m.cost, l)),
    costUnknown: seriesIndex(['route', 'arm', 'model'], (l) => counterSeries(m.costUnknown, l)),
    units: seriesIndex(['route', 'arm', 'outcome'], (l) => counterSeries(m.units, l)),
    unitCost: seriesIndex(['route', 'arm'], histogramOpener(m.unitCost)),
    unitDuration: seriesIndex(['route', 'arm'], histogramOpener(m.unitDuration)),
    unitMixedArms: seriesIndex(['route', 'outcome'], (l) => counterSeries(m.unitMixedArms, l)),
  };
  /** Brings back at 0 the histogram series a `registry.resetMetrics()` took away (see `restoreMissing`). */
  function restoreHistograms(): void {
    for (const histogram of [m.requestDuration, m.timeToFirstToken, m.unitCost, m.unitDuration] as const) {
      const handles = histogramHandles.get(histogram) ?? [];
      restoreMissing(histogram as Histogram<string>, handles).catch(() => undefined);
    }
  }

  /**
   * The series a call updates for one (route, arm, model), each handle kept here on first use: a call costs one
   * index lookup and field reads instead of one lookup per metric.
   */
  const modelSeries = seriesIndex(['route', 'arm', 'model'], ({ route, arm, model }): ModelSeries => ({ route, arm, model, outcomes: {}, tokens: {} }));

  const labels = createLabelSpace();
  /** arm_percent series ever set, so a reload can set removed arms to 0. */
  const percentSeries = new Map<string, { route: string; arm: string; model: string }>();
  /** arm_info series now set, so a reload can remove stale ones. */
  const infoSeries = new Map<string, { route: string; arm: string; model: string; role: string }>();
  /**
   * Creates the arm's series at 0, except those the router can never emit, which would only cost scrape time:
   * `default`, `disabled` and `error` decisions land on the default arm only, a `fallback` outcome exists only
   * on a canary arm of a route with fallback, and no attempt has a stop-reason error class (`refusal`,
   * `max_tokens`). Any such series that does show up is still created on first use. Run on every applied config,
   * it also brings back at 0 what a `registry.resetMetrics()` took away.
   */
  function zeroArm(route: string, arm: string, model: string, role: ArmShare['role'], fallbackModel: string | null): void {
    for (const reason of role === 'control' ? DECISION_REASON_VALUES : CANARY_DECISION_REASONS) series.decisions(route, arm, reason).ensure();
    for (const outcome of fallbackModel === null ? OUTCOMES_WITHOUT_FALLBACK : CALL_OUTCOME_VALUES) {
      series.requests(route, arm, model, outcome).ensure();
      series.requestDuration(route, arm, model, outcome).ensure();
    }
    series.timeToFirstToken(route, arm, model).ensure();
    for (const errorClass of ERROR_CLASS_VALUES) series.requestErrors(route, arm, model, errorClass).ensure();
    const attemptModels: Array<[string, string]> = [['primary', model]];
    if (fallbackModel !== null) attemptModels.push(['fallback', fallbackModel]);
    for (const [origin, attemptModel] of attemptModels) {
      for (const errorClass of ATTEMPT_CLASSES_AND_NONE) series.attempts(route, arm, attemptModel, origin, errorClass).ensure();
      for (const type of TOKEN_TYPE_VALUES) series.tokens(route, arm, attemptModel, type).ensure();
      series.cost(route, arm, attemptModel).ensure();
      series.costUnknown(route, arm, attemptModel).ensure();
    }
    for (const outcome of UNIT_OUTCOME_VALUES) series.units(route, arm, outcome).ensure();
    series.unitCost(route, arm).ensure();
    series.unitDuration(route, arm).ensure();
    assignments.zero(route, arm);
    inFlightFor(route, arm);
  }

  function applyConfig({ config, serving }: SourceSnapshot): void {
    const serveDefaultOnly = serving !== undefined && serving !== 'split';
    labels.learn(config);
    for (const labelSet of percentSeries.values()) m.armPercent.set(labelSet, 0);
    const seenInfo = new Set<string>();
    for (const [route, routeConfig] of Object.entries(config?.routes ?? {})) {
      const shares = armShares(routeConfig, serveDefaultOnly);
      const control = shares.find((share) => share.role === 'control');
      for (const outcome of UNIT_OUTCOME_VALUES) series.unitMixedArms(route, outcome).ensure();
      for (const share of shares) {
        const fallbackModel = routeConfig.fallback === true && share.role === 'canary' && control !== undefined ? control.model : null;
        zeroArm(route, share.arm, share.model, share.role, fallbackModel);
        cascade.zero(route, share.arm, Object.keys(config?.routes ?? {}));
        const series = { route, arm: share.arm, model: share.model };
        const key = JSON.stringify(series);
        percentSeries.set(key, series);
        m.armPercent.set(series, share.percent);
        const info = { ...series, role: share.role };
        const infoKey = JSON.stringify(info);
        seenInfo.add(infoKey);
        infoSeries.set(infoKey, info);
        m.armInfo.set(info, 1);
      }
    }
    for (const [key, info] of infoSeries) {
      if (!seenInfo.has(key)) {
        m.armInfo.remove(info);
        infoSeries.delete(key);
      }
    }
    shadows.applyConfig(config);
    restoreHistograms();
  }

  function applyReloadState(event: SourceConfigEvent | null, snapshot: SourceSnapshot): void {
    m.configVersion.set(snapshot.version);
    if (event === null) {
      // An inline config (or a router that does not report its first load) is a successful load.
      m.lastReloadSuccessful.set(snapshot.config === null ? 0 : 1);
      return;
    }
    const ok = RELOAD_OK.has(event.result);
    m.lastReloadSuccessful.set(ok ? 1 : 0);
    if (ok) m.lastReloadSuccessTimestamp.set(event.at / 1000);
  }

  function addTokens(at: ModelSeries, tokens: SourceTokenCounts, costUsd: number | null): void {
    const { route, arm, model } = at;
    for (const type of TOKEN_TYPE_VALUES) {
      const count = tokens[type];
      if (count > 0) (at.tokens[type] ??= series.tokens(route, arm, model, type)).add(count);
    }
    if (costUsd === null) (at.costUnknown ??= series.costUnknown(route, arm, model)).add();
    else if (costUsd > 0) (at.cost ??= series.cost(route, arm, model)).add(costUsd);
  }

  function attach(source: CanaryMetricsSource): () => void {
    const snapshot = source.snapshot();
    // Call ids are per router: each attached router has its own map, so two routers' calls never mix.
    const inFlightCalls = new Map<string, InFlightSeries>();
    applyConfig(snapshot);
    applyReloadState(snapshot.lastReload, snapshot);

    const unsubscribers = [
      source.on('decision', (e) => {
        const route = labels.route(e.route);
        series.decisions(route, labels.arm(e.route, e.arm), foldInto(DECISION_REASON_VALUES, e.reason)).add();
      }),
      source.on('callStart', (e) => {
        const inFlight = inFlightFor(labels.route(e.route), labels.arm(e.route, e.arm));
        inFlight.count += 1;
        inFlightCalls.set(e.callId, inFlight);
      }),
      source.on('attempt', (e) => {
        series
          .attempts(
            labels.route(e.route),
            labels.arm(e.route, e.arm),
            labels.model(e.model),
            foldInto(ATTEMPT_ORIGIN_VALUES, e.origin),
            e.errorClass === null ? NO_ERROR : foldInto(ERROR_CLASS_VALUES, e.errorClass),
          )
          .add();
      }),
      source.on('call', (e) => {
        const started = inFlightCalls.get(e.callId);
        if (started !== undefined) {
          inFlightCalls.delete(e.callId);
          started.count -= 1;
        }
        const route = labels.route(e.route);
        const arm = labels.arm(e.route, e.arm);
        const model = labels.model(e.model);
        const at = modelSeries(route, arm, model);
        const outcome = foldInto(CALL_OUTCOME_VALUES, e.outcome);
        const byOutcome = (at.outcomes[outcome] ??= {
          requests: series.requests(route, arm, model, outcome),
          duration: series.requestDuration(route, arm, model, outcome),
        });
        byOutcome.requests.add();
        byOutcome.duration.observe(e.durationMs / 1000);
        if (e.ttftMs !== undefined) (at.ttft ??= series.timeToFirstToken(route, arm, model)).observe(e.ttftMs / 1000);
        if (e.errorClass !== null) series.requestErrors(route, arm, model, foldInto(ERROR_CLASS_VALUES, e.errorClass)).add();
        addTokens(at, e.tokens, e.costUsd);
        if (e.fallback !== undefined) addTokens(modelSeries(route, arm, labels.model(e.fallback.model)), e.fallback.tokens, e.fallback.costUsd);
      }),
      source.on('unit', (e) => {
        const outcome = foldInto(UNIT_OUTCOME_VALUES, e.outcome);
        for (const summary of e.routes) {
          const route = labels.route(summary.route);
          // A unit whose calls on this route landed on two arms belongs to neither: counting it under one
          // would bias that arm's success rate and cost. It is counted apart, so the route's units still add up.
          if (summary.mixedArms) {
            series.unitMixedArms(route, outcome).add();
            continue;
          }
          const arm = labels.arm(summary.route, summary.arm);
          series.units(route, arm, outcome).add();
          series.unitCost(route, arm).observe(e.costUsd);
          series.unitDuration(route, arm).observe(e.durationMs / 1000);
        }
        cascade.observe(e, labels);
      }),
      source.on('unitAssignment', (e) => {
        assignments.inc(labels.route(e.route), labels.arm(e.route, e.arm));
      }),
      source.on('config', (e) => {
        m.reloads.inc({ result: foldInto(RELOAD_RESULT_VALUES, e.result) });
        const current = source.snapshot();
        if (e.result === 'applied') applyConfig(current);
        applyReloadState(e, current);
      }),
      source.on('shadow', (e) => shadows.shadow(e)),
      source.on('judgement', (e) => shadows.judgement(e)),
      source.on('error', () => {
        m.routerErrors.inc();
      }),
    ];
    return () => {
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      // Calls still in flight will never be seen ending: they leave the gauge with the router.
      for (const started of inFlightCalls.values()) started.count -= 1;
      inFlightCalls.clear();
    };
  }

  return { registry, attach };
}

/**
 * Histogram bounds must be finite and strictly increasing: prom-client takes them as given, so unsorted bounds
 * count observations in the wrong bucket and a repeated one exposes two `le` series Prometheus rejects.
 */
function checkBuckets(option: string, bounds: readonly number[]): void {
  const problem =
    bounds.length === 0
      ? 'is empty'
      : bounds.findIndex((b, i) => typeof b !== 'number' || !Number.isFinite(b) || (i > 0 && b <= (bounds[i - 1] as number)));
  if (problem === -1) return;
  const what = typeof problem === 'string' ? problem : `is not a strictly increasing list of finite numbers (at index ${problem}: ${String(bounds[problem])})`;
  throw new CanaryMetricsError(CANARY_METRICS_ERROR_CODES.invalidOption, `${option} ${what}: got [${bounds.join(', ')}]`);
}
