import type { AgentRow } from './cascade.js';
import type { ArmRow } from './compare.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-');
const seconds = (x: number): string => (Number.isFinite(x) ? (x < 1 ? `${(x * 1000).toFixed(0)}ms` : `${x.toFixed(2)}s`) : '-');
const usd = (x: number): string => (Number.isFinite(x) ? `$${x.toFixed(4)}` : '-');
const num = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '-');

/** Renders rows as a fixed-width text table (first column left-aligned, the rest right-aligned). */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The per-arm comparison table the load driver and the demo print. */
export function renderArmTable(rows: readonly ArmRow[]): string {
  const latency = rows[0]?.latencySource === 'call' ? 'call' : 'booking';
  const header = [
    'arm',
    'model',
    'bookings',
    'split (cfg)',
    'booking ok',
    'call ok',
    `p50 ${latency}`,
    `p95 ${latency}`,
    '$/booking',
    'tokens/booking',
  ];
  const body = rows.map((r) => [
    r.arm,
    r.model,
    num(r.bookings),
    `${pct(r.split)} (${r.configuredPercent === null ? '?' : `${r.configuredPercent}%`})`,
    pct(r.bookingSuccessRate),
    pct(r.callSuccessRate),
    seconds(r.p50),
    seconds(r.p95),
    usd(r.costPerBooking),
    num(r.tokensPerBooking),
  ]);
  return renderTable(header, body);
}

/** The cascade table: per arm, one line per agent type with its cost and calls per booking and its call success. */
export function renderCascadeTable(rows: readonly { readonly arm: string; readonly agents: readonly AgentRow[] }[]): string {
  const body = rows.flatMap(({ arm, agents }) => {
    const total = agents.reduce((sum, a) => sum + (Number.isFinite(a.costPerBooking) ? a.costPerBooking : 0), 0);
    return agents.map((a) => [arm, a.agent, usd(a.costPerBooking), pct(total === 0 ? Number.NaN : a.costPerBooking / total), Number.isFinite(a.callsPerBooking) ? a.callsPerBooking.toFixed(2) : '-', pct(a.callSuccessRate)]);
  });
  return renderTable(['arm', 'agent', '$/booking', 'of cost', 'calls/booking', 'call ok'], body);
}
