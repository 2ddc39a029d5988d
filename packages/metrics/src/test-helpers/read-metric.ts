import type { Registry } from 'prom-client';

type Labels = Record<string, string | number>;

/** Every sample of a metric as `{ name, labels, value }`; histograms give `_bucket`, `_sum`, `_count` samples. */
export async function samples(registry: Registry, metric: string): Promise<Array<{ name: string; labels: Labels; value: number }>> {
  const found = registry.getSingleMetric(metric);
  if (found === undefined) throw new Error(`no metric ${metric} on the registry`);
  const { values } = await found.get();
  return values.map((v) => ({ name: (v as { metricName?: string }).metricName ?? metric, labels: v.labels as Labels, value: v.value }));
}

/** The value of the sample with exactly these labels, or undefined when the series does not exist. */
export async function sampleValue(registry: Registry, sampleName: string, labels: Labels = {}): Promise<number | undefined> {
  const metric = sampleName.replace(/_(bucket|sum|count)$/, '');
  const metricName = registry.getSingleMetric(sampleName) === undefined ? metric : sampleName;
  const all = await samples(registry, metricName);
  const wanted = Object.entries(labels).map(([k, v]) => [k, String(v)] as const);
  const match = all.find(
    (s) =>
      s.name === sampleName &&
      Object.keys(s.labels).length === wanted.length &&
      wanted.every(([k, v]) => String(s.labels[k]) === v),
  );
  return match?.value;
}
