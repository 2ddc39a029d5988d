import type { Counter, Histogram } from 'prom-client';

/** One counter series: prom-client's own `labels()` child, opened once. */
export interface CounterSeries {
  add(value?: number): void;
  /** Creates the series at 0 if it does not exist (an existing one keeps its count). */
  ensure(): void;
}

/** One histogram series: prom-client's own `labels()` child, opened once. */
export interface HistogramSeries {
  observe(value: number): void;
  /** Creates the series at 0 unless this process already observed into it. */
  ensure(): void;
  /** Observations made through this handle (a reset does not clear it). */
  readonly observed: number;
}

export function counterSeries<T extends string>(counter: Counter<T>, labels: Record<T, string>): CounterSeries {
  const child = counter.labels(labels);
  return {
    add: (value = 1) => child.inc(value),
    ensure: () => child.inc(0),
  };
}

/**
 * `zero()` is prom-client's only public way to create a histogram series, and it also wipes one that has
 * observations; `ensure` zeroes a series only while nothing was observed into it. After a
 * `registry.resetMetrics()`, `restoreMissing` brings back the series the reset took away.
 */
export function histogramSeries<T extends string>(histogram: Histogram<T>, labels: Record<T, string>): HistogramSeries {
  const child = histogram.labels(labels);
  let observed = 0;
  return {
    observe(value) {
      observed += 1;
      child.observe(value);
    },
    ensure() {
      if (observed === 0) histogram.zero(labels);
    },
    get observed() {
      return observed;
    },
  };
}

/**
 * Zeroes the series of `wanted` that a histogram no longer has (a `registry.resetMetrics()` took them away),
 * read through its public `get()`. A series observed into while `get()` ran is left alone.
 */
export async function restoreMissing<T extends string>(
  histogram: Histogram<T>,
  wanted: ReadonlyArray<{ readonly labels: Record<T, string>; readonly series: HistogramSeries }>,
): Promise<void> {
  const before = wanted.map(({ series }) => series.observed);
  const { values } = await histogram.get();
  const present = new Set(values.filter((v) => v.metricName?.endsWith('_count') === true).map((v) => labelKey(v.labels)));
  wanted.forEach(({ labels, series }, i) => {
    if (series.observed === before[i] && !present.has(labelKey(labels))) histogram.zero(labels);
  });
}

function labelKey(labels: Readonly<Record<string, string | number | undefined>>): string {
  return JSON.stringify(Object.keys(labels).sort().map((name) => [name, String(labels[name])]));
}
