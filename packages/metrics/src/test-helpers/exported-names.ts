import { readFile } from 'node:fs/promises';
import { Registry } from 'prom-client';
import { createCanaryMetrics } from '../canary-metrics.js';

/** Every sample name this package exports (histograms as _bucket, _sum and _count). */
export async function exportedSampleNames(): Promise<Set<string>> {
  const registry = new Registry();
  createCanaryMetrics({ registry });
  const names = new Set<string>();
  for (const metric of await registry.getMetricsAsJSON()) {
    if (String(metric.type) === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
    } else {
      names.add(metric.name);
    }
  }
  return names;
}

/** The `record:` names of a rules file. */
export async function recordedNames(file: URL): Promise<Set<string>> {
  const text = await readFile(file, 'utf8');
  return new Set([...text.matchAll(/^\s*- record:\s*(\S+)\s*$/gm)].map((m) => m[1] ?? ''));
}
