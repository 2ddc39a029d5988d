import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface MetricSetOptions {
  readonly registry: Registry;
  readonly prefix: string;
  readonly buckets: readonly number[];
  readonly ttftBuckets: readonly number[];
  readonly costBuckets: readonly number[];
  readonly unitDurationBuckets: readonly number[];
  /** Calls in progress per series, read at scrape time (cheaper than a gauge update on every call). */
  readonly inFlight: () => Iterable<{ readonly labels: { route: string; arm: string }; readonly count: number }>;
}

const ROUTE_ARM = ['route', 'arm'] as const;
const ROUTE_ARM_MODEL = ['route', 'arm', 'model'] as const;

/**
 * Every metric of the package, registered on the caller's registry. Gauges carry a cluster
 * `aggregator` so that prom-client's AggregatorRegistry does not add up percents across workers.
 */
export function createMetricSet({ registry, prefix, buckets, ttftBuckets, costBuckets, unitDurationBuckets, inFlight }: MetricSetOptions) {
  const registers = [registry];
  const n = (name: string) => `${prefix}${name}`;
  return {
    decisions: new Counter({
      name: n('decisions_total'),
      help: 'Arm assignments by the router, by why the arm was chosen.',
      labelNames: ['route', 'arm', 'reason'] as const,
      registers,
    }),
    requests: new Counter({
      name: n('requests_total'),
      help: 'Model calls by assigned arm (intent to treat) and final outcome.',
      labelNames: [...ROUTE_ARM_MODEL, 'outcome'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: n('request_duration_seconds'),
      help: 'Duration of a model call, retries and fallback included.',
      labelNames: [...ROUTE_ARM_MODEL, 'outcome'] as const,
      buckets: [...buckets],
      registers,
    }),
    timeToFirstToken: new Histogram({
      name: n('time_to_first_token_seconds'),
      help: 'Time from the start of a streamed call to its first content token.',
      labelNames: ROUTE_ARM_MODEL,
      buckets: [...ttftBuckets],
      registers,
    }),
    attempts: new Counter({
      name: n('attempts_total'),
      help: 'HTTP attempts (SDK retries and fallback attempts included) by error class, "none" when it succeeded.',
      labelNames: [...ROUTE_ARM_MODEL, 'origin', 'error_class'] as const,
      registers,
    }),
    requestErrors: new Counter({
      name: n('request_errors_total'),
      help: 'Model calls that ended with an error class (after retries), by class.',
      labelNames: [...ROUTE_ARM_MODEL, 'error_class'] as const,
      registers,
    }),
    tokens: new Counter({
      name: n('tokens_total'),
      help: 'Tokens billed, by type; a fallback attempt counts under its own model.',
      labelNames: [...ROUTE_ARM_MODEL, 'type'] as const,
      registers,
    }),
    cost: new Counter({
      name: n('cost_usd_total'),
      help: 'Cost of model calls in USD from the config price table; a fallback attempt counts under its own model.',
      labelNames: ROUTE_ARM_MODEL,
      registers,
    }),
    costUnknown: new Counter({
      name: n('cost_unknown_total'),
      help: 'Calls whose cost could not be computed (model without a price); their cost is not in cost_usd_total.',
      labelNames: ROUTE_ARM_MODEL,
      registers,
    }),
    units: new Counter({
      name: n('units_total'),
      help: 'Units (bookings) ended, by the arm this route assigned them and their task outcome; units with calls on two arms of the route are in unit_mixed_arms_total instead.',
      labelNames: [...ROUTE_ARM, 'outcome'] as const,
      registers,
    }),
    unitCost: new Histogram({
      name: n('unit_cost_usd'),
      help: 'Total cost of one unit (every call of it, on every route) in USD, by the arm this route assigned it (mixed-arm units left out).',
      labelNames: ROUTE_ARM,
      buckets: [...costBuckets],
      registers,
    }),
    unitDuration: new Histogram({
      name: n('unit_duration_seconds'),
      help: 'Duration of one unit from open to end, by the arm this route assigned it (mixed-arm units left out).',
      labelNames: ROUTE_ARM,
      buckets: [...unitDurationBuckets],
      registers,
    }),
    unitMixedArms: new Counter({
      name: n('unit_mixed_arms_total'),
      help: 'Units whose calls on this route landed on more than one arm (a reload mid-unit), by task outcome; not in units_total, unit_cost_usd nor unit_duration_seconds of the route.',
      labelNames: ['route', 'outcome'] as const,
      registers,
    }),
    inFlight: new Gauge({
      name: n('in_flight'),
      help: 'Model calls in progress.',
      labelNames: ROUTE_ARM,
      registers,
      aggregator: 'sum',
      collect() {
        for (const series of inFlight()) this.set(series.labels, series.count);
      },
    }),
    armPercent: new Gauge({
      name: n('arm_percent'),
      help: 'Percent of the route traffic the config gives this arm now (0 for an arm removed by a reload).',
      labelNames: ROUTE_ARM_MODEL,
      registers,
      aggregator: 'max',
    }),
    armInfo: new Gauge({
      name: n('arm_info'),
      help: 'Always 1: the arms of the serving config and their role (control = default arm, canary = the others).',
      labelNames: [...ROUTE_ARM_MODEL, 'role'] as const,
      registers,
      aggregator: 'max',
    }),
    configVersion: new Gauge({
      name: n('config_version'),
      help: 'Version of the serving config snapshot (increments on every applied reload).',
      registers,
      aggregator: 'min',
    }),
    lastReloadSuccessful: new Gauge({
      name: n('config_last_reload_successful'),
      help: 'Whether the last config load or reload succeeded (1) or was rejected or missing (0).',
      registers,
      aggregator: 'min',
    }),
    lastReloadSuccessTimestamp: new Gauge({
      name: n('config_last_reload_success_timestamp_seconds'),
      help: 'Time of the last successful config load or reload, in seconds since the epoch.',
      registers,
      aggregator: 'min',
    }),
    reloads: new Counter({
      name: n('config_reloads_total'),
      help: 'Config reload attempts by result.',
      labelNames: ['result'] as const,
      registers,
    }),
    routerErrors: new Counter({
      name: n('router_errors_total'),
      help: 'Errors the router reported on its error event (a throwing observer, the file watcher, pricing).',
      registers,
    }),
  };
}

export type MetricSet = ReturnType<typeof createMetricSet>;
