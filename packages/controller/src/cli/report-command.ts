import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { looksFromAudit, parseExposition, renderReport, toLook, type Look } from '@model-canary/report';
import type { RampDecision } from '../decision/types.js';
import type { RehearsalResult } from '../rehearsal/rehearse.js';
import { SCENARIO_DESCRIPTIONS, type ScenarioName } from '../rehearsal/scenarios.js';

/**
 * `report --audit <ramp.audit.jsonl> [--metrics <url|file>] --out <report.html>`: the controller's evidence
 * after a real ramp, with the arms side by side when a `/metrics` scrape (a URL or a saved file) is given.
 */
export async function reportCommand(args: string[], usage: (message: string) => number): Promise<number> {
  const { values } = parseArgs({ args, options: { audit: { type: 'string' }, metrics: { type: 'string' }, out: { type: 'string' }, title: { type: 'string' } } });
  if (values.audit === undefined || values.out === undefined) return usage('report needs --audit <file> and --out <file>');
  const looks = looksFromAudit(await readFile(values.audit, 'utf8'));
  const metrics = values.metrics === undefined ? undefined : { exposition: parseExposition(await readMetrics(values.metrics)), source: values.metrics };
  const routes = [...new Set(looks.map((l) => l.route))];
  const html = await renderReport({
    title: values.title ?? `Rollout report: ${routes.join(', ') || 'no look yet'}`,
    subtitle: `${looks.length} looks of the rollout controller from ${values.audit}${metrics === undefined ? '' : `; arms from ${values.metrics}`}`,
    audit: { looks, source: values.audit },
    ...(metrics === undefined ? {} : { metrics }),
  });
  await writeFile(values.out, html);
  process.stdout.write(`report: ${values.out} (${looks.length} look${looks.length === 1 ? '' : 's'}${metrics === undefined ? '' : ', arms from the metrics'})\n`);
  return 0;
}

/** A `/metrics` text from a URL (fetched with a deadline) or from a file saved earlier. */
async function readMetrics(source: string): Promise<string> {
  if (!/^https?:\/\//.test(source)) return readFile(source, 'utf8');
  const response = await fetch(source, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${source} answered ${response.status}`);
  return response.text();
}

/** `rehearse --report <file>`: every run's outcome per scenario, and the looks of one run. */
export async function writeRehearsalReport({ file, results, example }: {
  file: string;
  results: readonly { scenario: ScenarioName; result: RehearsalResult }[];
  example: { scenario: ScenarioName; run: number; decisions: readonly RampDecision[] };
}): Promise<void> {
  const route = results[0]?.result.route ?? '';
  const looks = example.decisions.map((d) => toLook(d, route)).filter((l): l is Look => l !== null);
  const html = await renderReport({
    title: `Rehearsal of the rollout controller on route ${route}`,
    subtitle: `${results.map((r) => `${r.scenario} × ${r.result.summary.runs}`).join(', ')} runs on the simulator’s model profiles`,
    rehearsal: {
      route,
      scenarios: results.map(({ scenario, result }) => ({ scenario, description: SCENARIO_DESCRIPTIONS[scenario], runs: result.runs })),
      example: { scenario: example.scenario, run: example.run, looks },
    },
  });
  await writeFile(file, html);
}
