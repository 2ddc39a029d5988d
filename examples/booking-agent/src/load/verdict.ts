import { cascadeSplit } from './cascade.js';
import type { ArmRow } from './compare.js';

/** Below this many bookings on an arm, the verdict says the sample is small whatever the test says. */
export const SMALL_SAMPLE = 100;

/** Standard normal CDF (Abramowitz & Stegun 26.2.17, |error| < 7.5e-8). */
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = 0.3989422804014327 * Math.exp((-z * z) / 2);
  const tail = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z >= 0 ? 1 - tail : tail;
}

/** Two-sided p-value of a pooled two-proportion z-test; 1 when either arm has no data or rates are degenerate. */
export function twoProportionPValue(s1: number, n1: number, s2: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  const pooled = (s1 + s2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return 1;
  const z = (s1 / n1 - s2 / n2) / se;
  return 2 * (1 - normalCdf(Math.abs(z)));
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const usd = (x: number): string => `$${x.toFixed(4)}`;
const label = (row: ArmRow): string => `${row.arm} (${row.model})`;

/** One line: which arm is cheaper per booking, which succeeds more, and how far to trust it. */
export function verdict(rows: readonly ArmRow[], route = 'orchestrator'): string {
  const measured = rows.filter((r) => r.bookings > 0);
  if (measured.length < 2) {
    return `Verdict: only ${measured.length} arm received bookings; nothing to compare yet.`;
  }
  const byCost = [...measured].filter((r) => Number.isFinite(r.costPerBooking)).sort((a, b) => a.costPerBooking - b.costPerBooking);
  const bySuccess = [...measured].sort((a, b) => b.bookingSuccessRate - a.bookingSuccessRate);
  const parts: string[] = [];
  const cheap = byCost[0];
  const dear = byCost.at(-1);
  if (cheap !== undefined && dear !== undefined && cheap !== dear) {
    const factor = cheap.costPerBooking > 0 ? ` (${(dear.costPerBooking / cheap.costPerBooking).toFixed(1)}x less)` : '';
    parts.push(`${label(cheap)} is cheaper: ${usd(cheap.costPerBooking)} vs ${usd(dear.costPerBooking)} per booking${factor}`);
    const split = cascadeSplit(route, dear, cheap);
    if (split !== null) parts.push(split);
  }
  const best = bySuccess[0];
  const worst = bySuccess.at(-1);
  if (best === undefined || worst === undefined) return `Verdict: ${parts.join('; ')}.`;
  const p = twoProportionPValue(best.bookingSuccesses, best.bookings, worst.bookingSuccesses, worst.bookings);
  if (best.bookingSuccessRate === worst.bookingSuccessRate) {
    parts.push(`both succeed equally (${pct(best.bookingSuccessRate)})`);
  } else {
    parts.push(`${label(best)} succeeds more: ${pct(best.bookingSuccessRate)} vs ${pct(worst.bookingSuccessRate)} (p=${p.toFixed(2)})`);
  }
  const smallest = Math.min(...measured.map((r) => r.bookings));
  const caveats: string[] = [];
  if (smallest < SMALL_SAMPLE) caveats.push(`small sample (${smallest} bookings on the smallest arm, want >= ${SMALL_SAMPLE})`);
  if (p >= 0.05 && best.bookingSuccessRate !== worst.bookingSuccessRate) caveats.push('the success difference is not significant yet');
  return `Verdict: ${parts.join('; ')}.${caveats.length > 0 ? ` Caveat: ${caveats.join('; ')}.` : ''}`;
}
