import { Counter, Gauge, Histogram, type LabelValues, type MetricObjectWithValues, type MetricValueWithName } from 'prom-client';

/**
 * prom-client metrics with a faster scrape and a faster update path, for the same samples.
 *
 * Update: prom-client's `inc` and `observe` build a key string from the label values and look it up in the metric's
 * hash map on every call (most of the cost of recording a call). `series(labels)` resolves a series once and keeps
 * its key; `add` and `observe` on it are one lookup of that stored string. A series that a `reset()` or `remove()`
 * took away is created again through prom-client's own `inc`/`observe` (under the same key: prom-client's key is a
 * function of the label values), so a count is never dropped.
 *
 * Scrape (`registry.metrics()`):
 * prom-client's registry writes each sample as `name{labels} value`. It formats the labels of every sample anew on
 * every scrape (an escape of each label value), except a sample's `sharedLabels`, whose formatted string it caches
 * per object (a WeakMap in `registry.js`; its histograms put their series labels there). A counter sample has none,
 * so each gets a fresh `{}`, which misses that cache and is inserted into it. At the thousand-odd samples of a
 * canary that is most of a scrape (measured in `pnpm bench metrics`).
 *
 * These subclasses hand the registry each series' own label object as `sharedLabels` (prom-client keeps that
 * object in its hash map for the series' life), and for histogram buckets one object per series and bound, built
 * once, so each label string is formatted once. The samples themselves are built once per series too, and a scrape
 * only refreshes their values; the list of series is read again from the hash map only after a change that can add,
 * drop or replace one (see `EntryList`). Only the text path changes (`getForPromString`, which the registry
 * prefers when a metric has it); a counter's or gauge's `get()` (`getMetricsAsJSON`, the cluster aggregator) is
 * prom-client's, a histogram's gives the same values.
 *
 * The prom-client code this relies on (the registry's loop; a metric's `labelNames` and `hashMap` and its entries;
 * a histogram's `upperBounds`; which methods add, drop or replace entries) is the same in every 15.x release.
 * `exposition.test.ts` compares updates, scrapes after each kind of change, the JSON and the cluster aggregate with
 * plain prom-client metrics holding the same data.
 */
type Labels = Record<string, string | number>;

/** A sample as the registry's text path reads it. Every sample here has these fields in this order (one shape). */
interface Sample {
  value: number;
  readonly metricName: string | undefined;
  readonly labels: Labels;
  readonly sharedLabels: Labels;
  readonly exemplar: unknown;
}

interface PromStringData {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator: string;
  readonly values: Sample[];
}

interface CounterOrGaugeData extends Omit<PromStringData, 'values'> {
  readonly values: readonly CounterOrGaugeEntry[];
}

interface CounterOrGaugeEntry {
  readonly value: number;
  readonly labels: Labels;
  readonly exemplar?: unknown;
}

/** A counter's or gauge's samples, the series labels moved to `sharedLabels`. */
function withSeriesLabels<D extends Pick<CounterOrGaugeData, 'values'>>(data: D): Omit<D, 'values'> & { values: Sample[] } {
  return {
    ...data,
    values: data.values.map(({ value, labels, exemplar }) => ({ value, metricName: undefined, labels: {}, sharedLabels: labels, exemplar })),
  };
}

/** What the update path reads of prom-client 15's metric state. */
interface MetricState<Entry> {
  readonly labelNames: readonly string[];
  readonly hashMap: Readonly<Record<string, Entry>>;
}

/** The hash map key of the series with these label values (prom-client compares them as strings). */
function keyOf(state: MetricState<{ readonly labels: Labels }>, labels: Labels): string | undefined {
  for (const key in state.hashMap) {
    const own = state.hashMap[key]!.labels;
    if (state.labelNames.every((name) => String(own[name]) === String(labels[name]))) return key;
  }
  return undefined;
}

/** One counter series, found again by its stored key. */
export class CounterSeries {
  constructor(
    private readonly counter: ExposedCounter<string>,
    private readonly labels: Labels,
    private readonly key: string,
  ) {}

  /** Adds `value` (default 1); a value prom-client refuses throws as prom-client's `inc` does. */
  add(value = 1): void {
    const entry = (this.counter as unknown as MetricState<{ value: number }>).hashMap[this.key];
    if (entry !== undefined && value >= 0 && value < Infinity) {
      entry.value += value;
      return;
    }
    this.counter.inc(this.labels, value);
  }

  /** Creates the series at 0 again if a `reset()` or `remove()` took it away. */
  ensure(): void {
    this.add(0);
  }
}

/**
 * The entries of a metric's hash map, listed again only after a call that may add, drop or replace one (the
 * subclasses below mark those) or when `reset()` put in a new map. prom-client's hash map is a dictionary-mode
 * object: `Object.values` on it costs about 200 ns per entry, a tenth of a scrape.
 */
class EntryList<Entry> {
  stale = true;
  #map: object | null = null;
  #entries: Entry[] = [];

  of(map: Readonly<Record<string, Entry>>): readonly Entry[] {
    if (this.stale || map !== this.#map) {
      this.#map = map;
      this.#entries = Object.values(map);
      this.stale = false;
    }
    return this.#entries;
  }
}

type Method = (this: unknown, ...args: unknown[]) => unknown;
const counterInc = (Counter.prototype as unknown as { incWithoutExemplar: Method }).incWithoutExemplar;
const histogramObserve = (Histogram.prototype as unknown as { observeWithoutExemplar: Method }).observeWithoutExemplar;

export class ExposedCounter<T extends string> extends Counter<T> {
  readonly #entries = new EntryList<CounterOrGaugeEntry>();
  #listed: readonly CounterOrGaugeEntry[] = [];
  #samples: Sample[] = [];

  /** prom-client's constructor makes this the counter's `inc` (exemplars are never enabled here). */
  incWithoutExemplar(...args: unknown[]): unknown {
    this.#entries.stale = true;
    return counterInc.apply(this, args);
  }

  override remove(...values: string[]): void;
  override remove(labels: LabelValues<T>): void;
  override remove(...args: unknown[]): void {
    this.#entries.stale = true;
    (Counter.prototype.remove as Method).apply(this, args);
  }

  /** The series of `labels`, created at 0 when new (an existing one keeps its count). */
  series(labels: Record<T, string>): CounterSeries {
    this.inc(labels, 0);
    const key = keyOf(this as unknown as MetricState<{ labels: Labels }>, labels);
    if (key === undefined) throw new Error(`no series ${JSON.stringify(labels)} after creating it`);
    return new CounterSeries(this as unknown as ExposedCounter<string>, labels, key);
  }

  /** The samples of the listed entries, rebuilt when the list changed, otherwise only their values refreshed. */
  async getForPromString(): Promise<PromStringData> {
    const state = this as unknown as MetricState<CounterOrGaugeEntry> & { name: string; help: string; aggregator: string; collect?: () => unknown };
    if (state.collect !== undefined) await state.collect();
    const entries = this.#entries.of(state.hashMap);
    if (entries !== this.#listed) {
      this.#listed = entries;
      this.#samples = withSeriesLabels({ values: entries }).values;
    } else {
      for (let i = 0; i < entries.length; i += 1) this.#samples[i]!.value = entries[i]!.value;
    }
    return { name: state.name, help: state.help, type: 'counter', aggregator: state.aggregator, values: this.#samples };
  }
}

export class ExposedGauge<T extends string> extends Gauge<T> {
  /** `get()` runs the gauge's `collect` first, as the registry would. */
  async getForPromString(): Promise<PromStringData> {
    return withSeriesLabels((await this.get()) as unknown as CounterOrGaugeData);
  }
}

/** What prom-client 15 keeps per histogram series (the values of its `hashMap`). */
interface HistogramEntry {
  readonly labels: Labels;
  readonly bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

interface HistogramState extends MetricState<HistogramEntry> {
  readonly name: string;
  readonly help: string;
  readonly aggregator: string;
  readonly upperBounds: readonly number[];
}

/** One histogram series, found again by its stored key. */
export class HistogramSeries {
  constructor(
    private readonly histogram: ExposedHistogram<string>,
    private readonly labels: Labels,
    private readonly key: string,
  ) {}

  /** Observes `value` as prom-client's `observe` does: the first bucket it fits, the sum and the count. */
  observe(value: number): void {
    const state = this.histogram as unknown as HistogramState;
    const entry = state.hashMap[this.key];
    if (entry === undefined || !Number.isFinite(value)) {
      this.histogram.observe(this.labels, value);
      return;
    }
    const { upperBounds } = state;
    for (let i = 0; i < upperBounds.length; i += 1) {
      if (value <= upperBounds[i]!) {
        entry.bucketValues[this.histogram.boundKeys()[i]!]! += 1;
        break;
      }
    }
    entry.sum += value;
    entry.count += 1;
  }

  /** Creates the series at 0 again if a `reset()` or `remove()` took it away. */
  ensure(): void {
    if ((this.histogram as unknown as HistogramState).hashMap[this.key] === undefined) this.histogram.zero(this.labels);
  }
}

/** A histogram without exemplars nor `collect`, whose samples (buckets, `+Inf`, sum, count) are built once per series. */
export class ExposedHistogram<T extends string> extends Histogram<T> {
  /** Per series labels object: its samples, given the current values at each scrape. */
  readonly #samples = new WeakMap<Labels, Sample[]>();
  readonly #entries = new EntryList<HistogramEntry>();
  #listed: readonly HistogramEntry[] = [];
  #perEntry: Sample[][] = [];
  #values: Sample[] = [];

  /** prom-client's constructor makes this the histogram's `observe` (exemplars are never enabled here). */
  observeWithoutExemplar(...args: unknown[]): unknown {
    this.#entries.stale = true;
    return histogramObserve.apply(this, args);
  }

  /** prom-client's `labels(...).observe` calls its module's observe, not the histogram's: it is marked here. */
  override labels(...values: string[]): ReturnType<Histogram<T>['labels']>;
  override labels(labels: LabelValues<T>): ReturnType<Histogram<T>['labels']>;
  override labels(...args: unknown[]): ReturnType<Histogram<T>['labels']> {
    const child = (Histogram.prototype.labels as Method).apply(this, args) as ReturnType<Histogram<T>['labels']>;
    return {
      ...child,
      observe: (value: number) => {
        this.#entries.stale = true;
        child.observe(value);
      },
    };
  }

  override zero(labels: Parameters<Histogram<T>['zero']>[0]): void {
    this.#entries.stale = true;
    super.zero(labels);
  }

  override remove(...values: string[]): void;
  override remove(labels: LabelValues<T>): void;
  override remove(...args: unknown[]): void {
    this.#entries.stale = true;
    (Histogram.prototype.remove as Method).apply(this, args);
  }

  /** The series of `labels`, created at 0 when new (an existing one keeps its observations, unlike `zero`). */
  series(labels: Record<T, string>): HistogramSeries {
    const state = this as unknown as HistogramState;
    if (keyOf(state, labels) === undefined) this.zero(labels);
    const key = keyOf(state, labels);
    if (key === undefined) throw new Error(`no series ${JSON.stringify(labels)} after creating it`);
    return new HistogramSeries(this as unknown as ExposedHistogram<string>, labels, key);
  }

  /** The samples of the listed entries, rebuilt when the list changed, otherwise only their values refreshed. */
  async getForPromString(): Promise<PromStringData> {
    const { name, help, aggregator, hashMap, upperBounds } = this as unknown as HistogramState;
    const entries = this.#entries.of(hashMap);
    if (entries !== this.#listed) {
      this.#listed = entries;
      this.#perEntry = entries.map((entry) => this.#samplesOf(entry.labels, name, upperBounds));
      this.#values = this.#perEntry.flat();
    }
    const keys = this.boundKeys();
    for (let e = 0; e < entries.length; e += 1) {
      const entry = entries[e]!;
      const samples = this.#perEntry[e]!;
      let cumulative = 0;
      for (let i = 0; i < keys.length; i += 1) {
        cumulative += entry.bucketValues[keys[i]!] ?? 0;
        samples[i]!.value = cumulative;
      }
      samples[keys.length]!.value = entry.count;
      samples[keys.length + 1]!.value = entry.sum;
      samples[keys.length + 2]!.value = entry.count;
    }
    return { name, help, type: 'histogram', aggregator, values: this.#values };
  }

  /** The same samples, each with its labels in one fresh object, as prom-client's `get()` gives them. */
  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    const data = await this.getForPromString();
    const values = data.values.map(({ value, metricName, sharedLabels, exemplar }) => ({ value, metricName, exemplar, labels: { ...sharedLabels } }));
    return { ...data, values } as unknown as MetricObjectWithValues<MetricValueWithName<T>>;
  }

  #keys: string[] | undefined;

  /** The bounds as the property names of `bucketValues`, converted once rather than on every lookup. */
  boundKeys(): readonly string[] {
    this.#keys ??= (this as unknown as HistogramState).upperBounds.map(String);
    return this.#keys;
  }

  #samplesOf(labels: Labels, name: string, upperBounds: readonly number[]): Sample[] {
    let samples = this.#samples.get(labels);
    if (samples === undefined) {
      // prom-client gives bucket samples a `null` exemplar and sum and count none.
      const sample = (suffix: string, sharedLabels: Labels): Sample => ({
        value: 0,
        metricName: `${name}${suffix}`,
        labels: {},
        sharedLabels,
        exemplar: suffix === '_bucket' ? null : undefined,
      });
      samples = [
        ...upperBounds.map((le) => sample('_bucket', { ...labels, le })),
        sample('_bucket', { ...labels, le: '+Inf' }),
        sample('_sum', labels),
        sample('_count', labels),
      ];
      this.#samples.set(labels, samples);
    }
    return samples;
  }
}
