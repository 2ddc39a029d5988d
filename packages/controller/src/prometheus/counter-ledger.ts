import type { VectorSample } from './prometheus-client.js';

/** Totals of every series at one moment: the baseline a step's counts are measured from. */
export type CounterMark = ReadonlyMap<string, number>;

/** A counter's exact increase between two marks, with the series' own labels. */
export interface CounterDelta {
  readonly family: string;
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Series {
  readonly family: string;
  readonly metric: Readonly<Record<string, string>>;
  last: number;
  total: number;
}

/**
 * Exact counter increases from raw counter values read at each look, per series (each replica its own):
 * a value below the last one is a reset (a restarted replica) and counts from 0; a series seen for the first
 * time counts from 0 (a replica that came up); a series that disappears keeps what it had counted (a replica
 * that went away). Unlike PromQL's `increase()`, nothing is extrapolated to a window's edges: a step's count is
 * the difference of two marks. Counts between a replica's last scrape and its restart are lost, as they are
 * for Prometheus itself.
 */
export class CounterLedger {
  private readonly series = new Map<string, Series>();

  /** Records the values of one look (one family's samples). `fromZero` false: first sight is a baseline, not an increase. */
  update(family: string, samples: readonly VectorSample[], fromZero = true): void {
    for (const s of samples) {
      if (!Number.isFinite(s.value)) continue;
      const key = `${family}${JSON.stringify(Object.entries(s.metric).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
      const known = this.series.get(key);
      if (known === undefined) {
        this.series.set(key, { family, metric: s.metric, last: s.value, total: fromZero ? s.value : 0 });
      } else {
        known.total += s.value >= known.last ? s.value - known.last : s.value;
        known.last = s.value;
      }
    }
  }

  mark(): CounterMark {
    return new Map([...this.series].map(([k, s]) => [k, s.total]));
  }

  /** Increase of every series from `from` to `to` (default: now). */
  deltas(from: CounterMark, to: CounterMark = this.mark()): CounterDelta[] {
    const out: CounterDelta[] = [];
    for (const [key, total] of to) {
      const s = this.series.get(key)!;
      out.push({ family: s.family, metric: s.metric, value: total - (from.get(key) ?? 0) });
    }
    return out;
  }
}
