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
