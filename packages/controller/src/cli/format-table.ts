import type { ScenarioSummary } from '../rehearsal/rehearse.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const pair = (v: { median: number; p90: number } | null, digits = 0): string => (v === null ? '—' : `${v.median.toFixed(digits)} / ${v.p90.toFixed(digits)}`);

/** The rehearsal table: one row per scenario. */
export function formatRehearsalTable(rows: readonly ScenarioSummary[]): string {
  const header = ['scenario', 'runs', 'completed', 'rolled back', 'holding', 'bookings to verdict (median / p90)', 'minutes to verdict (median / p90)', 'extra USD (median / p90)'];
  const body = rows.map((r) => [r.scenario, String(r.runs), pct(r.outcomes.completed), pct(r.outcomes.rolledBack), pct(r.outcomes.holding), pair(r.bookingsToVerdict), pair(r.minutesToVerdict, 1), pair(r.extraUsd, 2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** What the table's columns mean, printed under it. */
export const REHEARSAL_LEGEND = [
  'completed: reached the last step; rolled back: sent to 0% (a guardrail showed harm, SRM, or the budget ran out);',
  'holding: no verdict when the run ended (--max-minutes). bookings and minutes to verdict: over runs that reached one,',
  'all arms counted. extra USD: what the canary cost over control for the same bookings, at the end of each run.',
  'In an A/A scenario every rollback is a false one; in a worse-canary scenario every completion is a miss.',
].join('\n');

const duration = (minutes: number): string => (minutes >= 2 * 1440 ? `${(minutes / 1440).toFixed(1)} d` : minutes >= 120 ? `${(minutes / 60).toFixed(1)} h` : `${minutes.toFixed(0)} min`);

/** Planning at a given traffic: time spent in each step and the whole ramp, median and p90 over the runs. */
export function formatPlan(rows: readonly ScenarioSummary[], bookingsPerDay: number): string {
  const out = [`Plan at ${bookingsPerDay} bookings a day (time in each step, median / p90 over runs that left it):`];
  for (const r of rows) {
    const steps = r.stepMinutes.map((s) => `${s.percent}%: ${s.median === null ? '—' : `${duration(s.median)} / ${duration(s.p90!)}`}`).join(', ');
    const total = r.minutesToVerdict === null ? 'no verdict within the run' : `${duration(r.minutesToVerdict.median)} / ${duration(r.minutesToVerdict.p90)}`;
    out.push(`  ${r.scenario}: ${steps}; whole ramp ${total}; ${(100 * r.outcomes.holding).toFixed(1)}% still holding at the end`);
  }
  return out.join('\n');
}
