import { renderChart } from './charts/render-chart.js';
import { armFigures } from './data/arm-figures.js';
import { cascadeOf } from './data/cascade.js';
import { shadowRoutes, shadowSummary } from './data/judged-quality.js';
import type { Look } from './data/looks.js';
import { ReportError } from './errors.js';
import { htmlPage } from './html-page.js';
import type { Exposition } from './prometheus/prom-text.js';
import type { Section } from './section.js';
import { armsSection } from './sections/arms.js';
import { cascadeSection } from './sections/cascade.js';
import { EVIDENCE_HOW_TO_READ, evidenceSection } from './sections/evidence.js';
import { judgedQualitySection } from './sections/judged-quality.js';
import { rehearsalSection, type RehearsedScenario } from './sections/rehearsal.js';

export interface ReportInput {
  readonly title?: string;
  /** One line under the title: where the numbers come from. */
  readonly subtitle?: string;
  /** A `/metrics` scrape (or the difference of two scrapes): the arms side by side. */
  readonly metrics?: { readonly exposition: Exposition; readonly source: string; readonly prefix?: string };
  /** The controller's looks at a real ramp (`looksFromAudit` of its audit file): one section per route. */
  readonly audit?: { readonly looks: readonly Look[]; readonly source: string };
  /** A rehearsal: the outcome of every run per scenario, and optionally one run's looks. */
  readonly rehearsal?: {
    readonly route: string;
    readonly scenarios: readonly RehearsedScenario[];
    readonly example?: { readonly scenario: string; readonly run: number; readonly looks: readonly Look[] };
  };
  /** Printed in the footer (default: now). */
  readonly generatedAt?: Date;
}

/**
 * The report as one HTML page: charts rendered to inline SVG with Vega-Lite, no script, nothing fetched, so
 * the file opens offline and can be mailed or attached to a ticket.
 *
 * @example
 * const html = await renderReport({ metrics: { exposition: parseExposition(text), source: 'http://127.0.0.1:3000/metrics' } });
 */
export async function renderReport(input: ReportInput): Promise<string> {
  const sections = reportSections(input);
  if (sections.length === 0) throw new ReportError('NOTHING_TO_REPORT', 'nothing to report: no arms in the metrics, no look in the audit and no rehearsal');
  const svgs = new Map<string, string>();
  for (const section of sections) {
    for (const block of section.blocks) if (block.kind === 'chart') svgs.set(block.id, await renderChart(block.spec));
  }
  return htmlPage({
    title: input.title ?? 'Model canary report',
    subtitle: input.subtitle ?? '',
    sections,
    svgs,
    footer: `Generated ${(input.generatedAt ?? new Date()).toISOString()} by @model-canary/report. Charts: Vega-Lite, rendered to SVG when the report was written.`,
  });
}

/** The sections the input has data for, in reading order: the arms (their cascade, judged quality), the controller's evidence, the rehearsal. */
function reportSections({ metrics, audit, rehearsal }: ReportInput): Section[] {
  const sections: Section[] = [];
  if (metrics !== undefined) {
    const arms = armFigures(metrics.exposition, metrics.prefix === undefined ? {} : { prefix: metrics.prefix });
    if (arms.length > 0) sections.push(armsSection(arms, metrics.source));
    const options = metrics.prefix === undefined ? {} : { prefix: metrics.prefix };
    const cascades = arms.map((a) => ({ route: a.route, arm: a.arm, agents: cascadeOf(metrics.exposition, a.route, a.arm, options) })).filter((c) => c.agents.length > 0);
    if (cascades.length > 0) sections.push(cascadeSection(cascades, metrics.source));
    const shadowed = shadowRoutes(metrics.exposition, options).map((route) => ({ route, summary: shadowSummary(metrics.exposition, route, options) }));
    if (shadowed.length > 0) sections.push(judgedQualitySection(shadowed, metrics.source));
  }
  if (audit !== undefined) {
    const routes = [...new Set(audit.looks.map((l) => l.route))];
    for (const route of routes) {
      const looks = audit.looks.filter((l) => l.route === route);
      sections.push(evidenceSection(looks, {
        time: 'clock', id: `evidence-${slug(route)}`, title: `The controller’s evidence on route ${route}`,
        intro: `Every look of the rollout controller at ${route}, read from ${audit.source}: the canary’s share, each guardrail’s estimate and always-valid interval against its margin or cap, the sample-ratio check and the extra spend. Advances and rollbacks are marked on every chart. ${EVIDENCE_HOW_TO_READ}`,
      }));
    }
  }
  if (rehearsal !== undefined) {
    if (rehearsal.scenarios.length > 0) sections.push(rehearsalSection(rehearsal.scenarios, rehearsal.route));
    const example = rehearsal.example;
    if (example !== undefined && example.looks.length > 0) {
      sections.push(evidenceSection(example.looks, {
        time: 'minutes', id: 'rehearsal-run', title: `One rehearsed run: ${example.scenario}, run ${example.run}`,
        intro: `The looks of one run of scenario ${example.scenario} on route ${rehearsal.route}, as the controller saw them: its share, each guardrail’s interval closing in on its margin or cap, SRM and spend. ${EVIDENCE_HOW_TO_READ}`,
      }));
    }
  }
  return sections;
}

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
