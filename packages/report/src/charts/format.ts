/** Numbers as a person reads them in a table: '—' when there is nothing to show. */
export const pct = (x: number, digits = 1): string => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : '—');
export const usd = (x: number): string => (!Number.isFinite(x) ? '—' : `${x < 0 ? '−' : ''}$${Math.abs(x) >= 1 ? Math.abs(x).toFixed(2) : Math.abs(x).toFixed(4)}`);
export const secs = (x: number): string => (!Number.isFinite(x) ? '—' : x >= 10 ? `${x.toFixed(1)} s` : x >= 1 ? `${x.toFixed(2)} s` : `${Math.round(x * 1000)} ms`);
export const int = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');

/** A bucket's label: its upper bound with the unit, `> last` for the +Inf bucket. */
export function bucketLabel(le: number, previous: number | undefined, unit: 's' | 'USD'): string {
  const fmt = (v: number): string => (unit === 's' ? secs(v) : usd(v));
  return Number.isFinite(le) ? `≤ ${fmt(le)}` : `> ${previous === undefined ? '0' : fmt(previous)}`;
}
