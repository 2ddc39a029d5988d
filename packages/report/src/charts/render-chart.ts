import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { THEME } from './theme.js';

/**
 * A Vega-Lite spec compiled and rendered to SVG here, in Node: the page needs no script and no network to
 * show it. Data must be inline (`data.values`); the spec's own `config` is laid over the report's theme.
 */
export async function renderChart(spec: TopLevelSpec): Promise<string> {
  const { spec: vega } = compile({ ...spec, config: { ...THEME, ...spec.config } } as TopLevelSpec);
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
