import { readFileSync } from 'node:fs';
import { metricsDashboardFile } from './package-assets.js';

/** One PromQL expression of the dashboard: a panel target or an annotation query. */
export interface DashboardQuery {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  /** True when the panel groups by arm (the expression has `by (arm` or the legend names the arm). */
  readonly perArm: boolean;
}

interface Panel {
  title?: string;
  panels?: Panel[];
  targets?: Array<{ refId?: string; expr?: string; legendFormat?: string }>;
}

interface Dashboard {
  panels: Panel[];
  annotations?: { list?: Array<{ name?: string; expr?: string }> };
  templating?: { list?: Array<{ name: string; query?: unknown }> };
}

function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(metricsDashboardFile(), 'utf8')) as Dashboard;
}

/** Every PromQL expression the shipped dashboard runs (rows' nested panels and annotations included). */
export function dashboardQueries(): DashboardQuery[] {
  const dashboard = readDashboard();
  const out: DashboardQuery[] = [];
  const walk = (panels: readonly Panel[]): void => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        if (target.expr === undefined || target.expr === '') continue;
        const perArm = /by \([^)]*\barm\b/.test(target.expr) || (target.legendFormat ?? '').includes('{{arm}}');
        out.push({ panel: panel.title ?? '(untitled)', refId: target.refId ?? '?', expr: target.expr, perArm });
      }
      walk(panel.panels ?? []);
    }
  };
  walk(dashboard.panels);
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (annotation.expr !== undefined) {
      out.push({ panel: `annotation: ${annotation.name ?? '?'}`, refId: 'annotation', expr: annotation.expr, perArm: false });
    }
  }
  return out;
}

/** The dashboard's own query of a panel, by title and refId. */
export function dashboardQuery(panel: string, refId = 'A'): DashboardQuery {
  const query = dashboardQueries().find((q) => q.panel === panel && q.refId === refId);
  if (query === undefined) throw new Error(`the dashboard has no panel "${panel}" with query ${refId}`);
  return query;
}

/** The query of a templating variable (e.g. the route variable's `label_values(...)`). */
export function variableQuery(name: string): string {
  const variable = readDashboard().templating?.list?.find((v) => v.name === name);
  if (typeof variable?.query !== 'string') throw new Error(`the dashboard has no query variable "${name}"`);
  return variable.query;
}

export interface GrafanaVariables {
  readonly route: string;
  /** A single-unit PromQL duration, e.g. `60s` or `4500ms`: what `$__rate_interval`, `$__interval` and `$__range` stand for. */
  readonly window: string;
}

/**
 * Substitutes what Grafana would before sending the query: the route variable and the interval
 * macros. All intervals become one window so a test can cover exactly its own traffic.
 */
export function substituteVariables(expr: string, { route, window }: GrafanaVariables): string {
  const seconds = String(parseDuration(window));
  return expr
    .replaceAll(/\$\{route(?::[a-z]+)?\}|\$route\b/g, route)
    .replaceAll(/\$__rate_interval\b|\$\{__rate_interval\}/g, window)
    .replaceAll(/\$__interval\b|\$\{__interval\}/g, window)
    .replaceAll(/\$__range_s\b|\$\{__range_s\}/g, seconds)
    .replaceAll(/\$__range\b|\$\{__range\}/g, window);
}

/** Seconds in a single-unit PromQL duration (`500ms`, `90s`, `5m`, `1h`). */
function parseDuration(window: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(window);
  if (match === null) throw new Error(`unsupported window ${window}`);
  return Number(match[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as 'ms' | 's' | 'm' | 'h'];
}
