import type { TopLevelSpec } from 'vega-lite';
import type { Block } from '../section.js';

/** A chart block of a faceted Vega-Lite spec (one panel per route), titled. */
export function facetChart(id: string, title: string, caption: string, series: readonly string[], spec: Omit<Extract<TopLevelSpec, { facet: unknown }>, 'title'>): Block {
  return { kind: 'chart', id, caption, series, spec: { title, ...spec } as TopLevelSpec };
}
