import type { PrometheusApi } from '../harness/index.js';

/** `{ arm: value }` of a query that returns one series per arm (evaluated now, or at `time` in epoch seconds). */
export async function valuesByArm(prometheus: PrometheusApi, expr: string, time?: number): Promise<Record<string, number>> {
  const samples = await prometheus.query(expr, time);
  return Object.fromEntries(samples.map((s) => [s.metric['arm'] ?? '', s.value]));
}

/** How many results fall on each arm. */
export function countByArm<T extends { arm: string | undefined }>(items: readonly T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[item.arm ?? 'unknown'] = (out[item.arm ?? 'unknown'] ?? 0) + 1;
  return out;
}
