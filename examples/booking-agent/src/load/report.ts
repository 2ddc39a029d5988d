import { compareArms, type ArmRow } from './compare.js';
import { runLoad, type LoadCounts } from './driver.js';
import { diffExpositions, parseExposition, type Exposition } from './prom-text.js';
import { createProgress } from './progress.js';
import { renderArmTable } from './table.js';
import { verdict } from './verdict.js';

export interface LoadReport {
  readonly counts: LoadCounts;
  readonly route: string;
  readonly arms: readonly ArmRow[];
  readonly verdict: string;
}

export interface LoadAndReportOptions {
  url: string;
  total: number;
  concurrency: number;
  seed?: string | number;
  route?: string;
  /** Progress output; defaults to process.stderr (a bar only when it is a TTY). */
  progressStream?: NodeJS.WriteStream;
}

export async function scrape(url: string): Promise<Exposition> {
  const response = await fetch(new URL('/metrics', url), { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return parseExposition(await response.text());
}

/**
 * Sends the load, then compares the arms on what changed in `/metrics` during this run only
 * (counters before are subtracted), so running it twice against one instance reads twice right.
 */
export async function runLoadAndReport({ url, total, concurrency, seed = 1, route = 'orchestrator', progressStream }: LoadAndReportOptions): Promise<LoadReport> {
  const before = await scrape(url);
  const progress = createProgress(total, progressStream);
  const counts = await runLoad({ url, total, concurrency, seed, onDone: (c) => progress.update(c) });
  progress.stop(counts);
  const after = await scrape(url);
  const arms = compareArms(diffExpositions(before, after), route);
  return { counts, route, arms, verdict: verdict(arms) };
}

/** The report as the CLI prints it. */
export function formatReport(report: LoadReport): string {
  return [`Route ${report.route}, this run only:`, '', renderArmTable(report.arms), '', report.verdict].join('\n');
}
