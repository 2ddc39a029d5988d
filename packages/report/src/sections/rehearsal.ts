import type { TopLevelSpec } from 'vega-lite';
import { int, pct } from '../charts/format.js';
import { COLOURS } from '../charts/theme.js';
import type { Block, Section } from '../section.js';

/** One rehearsed run's end, as `rehearse()` returns it (extra fields ignored). */
export interface RehearsedRun {
  readonly outcome: string;
  readonly reason: string;
  readonly bookings: number;
  readonly minutes: number;
  readonly extraUsd: number;
}

export interface RehearsedScenario {
  readonly scenario: string;
  /** What the scenario's canary is like, in a few words. */
  readonly description?: string;
  readonly runs: readonly RehearsedRun[];
}

const OUTCOMES = { completed: 'completed', rolledBack: 'rolled back', holding: 'still holding' } as const;
const outcomeName = (o: string): string => OUTCOMES[o as keyof typeof OUTCOMES] ?? o;
const outcomeColours = { domain: Object.values(OUTCOMES), range: [COLOURS.advance, COLOURS.rollback, COLOURS.hold] };

/** Where the runs of each scenario ended, and how long they took to get there. */
export function rehearsalSection(scenarios: readonly RehearsedScenario[], route: string): Section {
  const names = scenarios.map((s) => s.scenario);
  const colour = { field: 'outcome', type: 'nominal', title: 'outcome', scale: outcomeColours } as const;
  const shares = scenarios.flatMap((s) => Object.keys(OUTCOMES).map((o) => ({
    scenario: s.scenario, outcome: outcomeName(o), share: s.runs.filter((r) => r.outcome === o).length / Math.max(1, s.runs.length), runs: s.runs.length,
  }))).filter((d) => d.share > 0);
  const runs = scenarios.flatMap((s) => s.runs.map((r) => ({ scenario: s.scenario, outcome: outcomeName(r.outcome), bookings: r.bookings, minutes: r.minutes })));
  const blocks: Block[] = [
    {
      kind: 'chart', id: 'rehearsal-outcomes', series: [...new Set(shares.map((d) => d.outcome))],
      caption: 'Share of runs per outcome. On a canary as good as control (aa) every rollback is a false alarm; on a worse one, every completion is a miss.',
      spec: {
        title: { text: 'How the rehearsed ramps ended', subtitle: `${int(runs.length)} runs on route ${route}` },
        width: 520, height: { step: 26 },
        data: { values: shares },
        layer: [
          { mark: { type: 'bar' }, encoding: { y: { field: 'scenario', type: 'nominal', title: null, sort: names }, x: { field: 'share', type: 'quantitative', title: 'share of runs', axis: { format: '.0%' }, scale: { domain: [0, 1] } }, color: colour, order: { field: 'outcome' } } },
        ],
      } as TopLevelSpec,
    },
  ];
  for (const [field, title, axis] of [['bookings', 'Bookings until the verdict', 'bookings (log scale)'], ['minutes', 'Minutes until the verdict', 'minutes (simulated, log scale)']] as const) {
    const values = runs.filter((r) => r[field] > 0);
    if (values.length === 0) continue;
    blocks.push({
      kind: 'chart', id: `rehearsal-${field}`, series: [...new Set(values.map((d) => d.outcome))],
      caption: 'One tick per run: where it completed, rolled back, or still held when the rehearsal stopped it. The black bar is the median of the runs that reached a verdict.',
      spec: {
        title: title,
        width: 520, height: { step: 26 },
        data: { values },
        layer: [
          { mark: { type: 'tick', thickness: 1.5, opacity: 0.55 }, encoding: { y: { field: 'scenario', type: 'nominal', title: null, sort: names }, x: { field, type: 'quantitative', title: axis, scale: { type: 'log' } }, color: colour } },
          // The median of the runs that reached a verdict, as the rehearsal table's "to verdict" columns.
          { transform: [{ filter: `datum.outcome !== '${OUTCOMES.holding}'` }], mark: { type: 'tick', thickness: 3, color: '#111827', size: 20 }, encoding: { y: { field: 'scenario', type: 'nominal', sort: names }, x: { field, aggregate: 'median', type: 'quantitative' } } },
        ],
      } as TopLevelSpec,
    });
  }
  blocks.push({
    kind: 'table',
    head: ['scenario', 'canary', 'runs', 'completed', 'rolled back', 'holding', 'median bookings to verdict', 'median minutes to verdict'],
    numeric: [2, 3, 4, 5, 6, 7],
    rows: scenarios.map((s) => {
      const share = (o: string): string => pct(s.runs.filter((r) => r.outcome === o).length / Math.max(1, s.runs.length));
      const verdicts = s.runs.filter((r) => r.outcome !== 'holding');
      return [s.scenario, s.description ?? '', int(s.runs.length), share('completed'), share('rolledBack'), share('holding'), int(median(verdicts.map((r) => r.bookings))), int(median(verdicts.map((r) => r.minutes)))];
    }),
  });
  return {
    id: 'rehearsal',
    title: 'Rehearsal: the outcome over many runs',
    intro: 'The controller’s own decision code run on bookings drawn from the simulator’s model profiles, many times with different seeds: how often it would roll back a good canary, miss a bad one, and how long it takes.',
    blocks,
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
