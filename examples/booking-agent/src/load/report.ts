import { compareArms, type ArmRow } from './compare.js';
import { lostTotal, runLoad, type LoadCounts } from './driver.js';
import { diffExpositions, parseExposition, type Exposition } from './prom-text.js';
import { createProgress } from './progress.js';
import { renderArmTable, renderCascadeTable } from './table.js';
import { verdict } from './verdict.js';

export interface LoadReport {
  readonly counts: LoadCounts;
  readonly route: string;
  /** Empty when /metrics could not be read after the run (see `scrapeError`). */
  readonly arms: readonly ArmRow[];
  readonly verdict: string;
  /** Per arm, bookings counted in /metrics against the driver's answers that named the arm. */
  readonly agreement: readonly ArmAgreement[];
  /** Why the final /metrics scrape failed; the driver's own counts are kept either way. */
  readonly scrapeError?: string;
}

export interface ArmAgreement {
  readonly arm: string;
  readonly metrics: number;
  readonly driver: number;
}

/** Every arm seen by either side, with both counts: equal when every booking answered is counted once. */
export function agreementOf(arms: readonly ArmRow[], counts: LoadCounts): ArmAgreement[] {
  const names = new Set([...arms.map((a) => a.arm), ...Object.keys(counts.byArm)]);
  return [...names].sort().map((arm) => ({ arm, metrics: arms.find((a) => a.arm === arm)?.bookings ?? 0, driver: counts.byArm[arm] ?? 0 }));
}

/** True when /metrics was read and agrees with the driver on every arm. */
export function countsAgree(report: LoadReport): boolean {
  return report.scrapeError === undefined && report.agreement.every((a) => a.metrics === a.driver);
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
  let after: Exposition;
  try {
    after = await scrape(url);
  } catch (error) {
    // The run happened: keep what the driver saw rather than lose the whole report to one failed scrape.
    const scrapeError = error instanceof Error ? error.message : String(error);
    return { counts, route, arms: [], verdict: `no comparison: /metrics could not be read after the run (${scrapeError})`, agreement: agreementOf([], counts), scrapeError };
  }
  const arms = compareArms(diffExpositions(before, after), route);
  return { counts, route, arms, verdict: verdict(arms, route), agreement: agreementOf(arms, counts) };
}

/** What `pnpm load --check` finds wrong with a run: lost bookings, refusals without retry-after, counts that differ. */
export function checkProblems(report: LoadReport): string[] {
  const problems: string[] = [];
  if (lostTotal(report.counts) > 0) problems.push(`${lostTotal(report.counts)} bookings got no answer`);
  if (report.counts.refused.withoutRetryAfter > 0) problems.push(`${report.counts.refused.withoutRetryAfter} refusals without retry-after`);
  if (!countsAgree(report)) problems.push(report.scrapeError ?? "/metrics counts differ from the driver's per arm");
  return problems;
}

/** The report as the CLI prints it. */
export function formatReport(report: LoadReport): string {
  const agreement = report.agreement.map((a) => `${a.arm} ${a.metrics}${a.metrics === a.driver ? ' =' : ' ≠'} ${a.driver}`).join(', ');
  const check = report.scrapeError !== undefined
    ? 'Counts: not checked (/metrics unreadable after the run)'
    : `Counts per arm, /metrics vs driver: ${agreement || 'none'} (${countsAgree(report) ? 'equal' : 'DIFFERENT'})`;
  const table = report.arms.length === 0 ? [] : [renderArmTable(report.arms), ''];
  const cascade = report.arms.some((a) => a.agents.length > 0) ? ['Cost and success per agent type, by the arm the route gave the booking:', '', renderCascadeTable(report.arms), ''] : [];
  return [`Route ${report.route}, this run only:`, '', ...table, ...cascade, report.verdict, check].join('\n');
}
