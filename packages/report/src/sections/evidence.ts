import type { TopLevelSpec } from 'vega-lite';
import { int, usd } from '../charts/format.js';
import { COLOURS } from '../charts/theme.js';
import type { Look } from '../data/looks.js';
import type { Block, Section } from '../section.js';
import { guardrailDisplay } from './guardrail-display.js';

/** Guardrails with a chart of their own; budget and SRM are drawn differently, below. */
const SPECIAL = new Set(['budget', 'srm']);
const WIDTH = 480;
const HEIGHT = 170;

export interface EvidenceOptions {
  /** `clock`: audit lines of a real ramp (wall time). `minutes`: a rehearsal (minutes since its start, simulated). */
  readonly time: 'clock' | 'minutes';
  /** Prefix of the chart ids (several evidence sections in one report). */
  readonly id: string;
  readonly title: string;
  readonly intro: string;
}

/** How to read a guardrail's chart, said once per section. */
export const EVIDENCE_HOW_TO_READ = 'Each guardrail chart shows the estimate and the controller’s always-valid interval, valid at every look however often it peeks; the dashed line is the margin or cap the verdict compares against.';

/** The controller's evidence on one route over time: percent, every guardrail against its margin or cap, SRM, spend. */
export function evidenceSection(looks: readonly Look[], { time, id, title, intro }: EvidenceOptions): Section {
  const start = looks[0]?.at ?? 0;
  const t = (l: Look): number => (time === 'clock' ? l.at : (l.at - start) / 60_000);
  // Every chart of the section spans the same looks, so their time axes line up.
  const domain = looks.length === 0 ? undefined : [t(looks[0]!), t(looks.at(-1)!)];
  const x = time === 'clock'
    ? { field: 't', type: 'temporal', title: 'time', axis: { format: '%H:%M:%S', labelAngle: 0 }, scale: { domain } } as const
    : { field: 't', type: 'quantitative', title: 'minutes since the run started (simulated)', scale: { domain, nice: false } } as const;
  const moves = looks.filter((l) => l.decision !== 'hold').map((l) => ({ t: t(l), decision: l.decision, label: `${l.decision === 'advance' ? '→' : '↓'} ${l.percentAfter}%` }));
  const kinds = (['advance', 'rollback'] as const).filter((k) => moves.some((m) => m.decision === k));
  /** One colour scale per chart: its own series, then the decisions marked on it. */
  const scale = (series: Record<string, string>): { domain: string[]; range: string[] } => ({
    domain: [...Object.keys(series), ...kinds], range: [...Object.values(series), ...kinds.map((k) => COLOURS[k])],
  });
  const markers = (colours: { domain: string[]; range: string[] }): object[] => (moves.length === 0 ? [] : [
    { data: { values: moves }, mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.2, opacity: 0.8 }, encoding: { x, color: { field: 'decision', type: 'nominal', scale: colours, title: null, legend: LEGEND } } },
  ]);
  const blocks: Block[] = [];
  // Room above the highest percent reached: a ramp that never left 1% still shows its line.
  const topPercent = Math.min(100, Math.max(5, ...looks.map((l) => Math.max(l.fromPercent, l.percentAfter))) * 1.15);

  blocks.push({
    kind: 'chart', id: `${id}-percent`, series: [...new Set(looks.map((l) => l.decision))],
    caption: 'Share of the route’s traffic on the canary after each look; every look is a dot: held (grey), advanced (green), rolled back (red).',
    spec: {
      title: { text: 'Canary share of traffic', subtitle: `${plural(looks.length, 'look')}; ${plural(moves.filter((m) => m.decision === 'advance').length, 'advance')}, ${plural(moves.filter((m) => m.decision === 'rollback').length, 'rollback')}` },
      width: WIDTH, height: HEIGHT,
      data: { values: looks.map((l) => ({ t: t(l), percent: l.percentAfter, decision: l.decision })) },
      layer: [
        { mark: { type: 'line', interpolate: 'step-after', color: '#374151', strokeWidth: 1.5 }, encoding: { x, y: { field: 'percent', type: 'quantitative', title: 'canary share (%)', scale: { domain: [0, topPercent] } } } },
        { mark: { type: 'point', filled: true, size: 28 }, encoding: { x, y: { field: 'percent', type: 'quantitative' }, color: decisionColour, shape: { field: 'decision', type: 'nominal', title: 'decision', scale: { domain: ['hold', 'advance', 'rollback'], range: ['circle', 'triangle-up', 'cross'] } } } },
      ],
    } as TopLevelSpec,
  });

  const names = [...new Set(looks.flatMap((l) => l.guardrails.map((g) => g.name)))].filter((n) => !SPECIAL.has(n));
  for (const name of names) {
    const d = guardrailDisplay(name);
    const points = looks.flatMap((l) => {
      const g = l.guardrails.find((e) => e.name === name);
      return g === undefined || !Number.isFinite(g.estimate) ? [] : [{ t: t(l), estimate: g.estimate * d.scale, lower: g.lower * d.scale, upper: g.upper * d.scale, threshold: g.threshold * d.scale, verdict: g.verdict }];
    });
    if (points.length === 0) {
      blocks.push({ kind: 'note', text: `${d.title}: never computable in these looks (too few bookings on an arm).` });
      continue;
    }
    const threshold = points.at(-1)!.threshold;
    const domain = yDomain(points.map((p) => p.estimate), threshold, d.neutral, d.scale === 100 ? [-100, 100] : [0, Number.POSITIVE_INFINITY]);
    const band = points.filter((p) => Number.isFinite(p.lower) && Number.isFinite(p.upper)).map((p) => ({ ...p, lower: clamp(p.lower, domain), upper: clamp(p.upper, domain) }));
    const last = points.at(-1)!;
    const colours = scale({ estimate: COLOURS.evidence, 'always-valid interval': COLOURS.interval, 'margin or cap': COLOURS.threshold });
    const c = (datum: string): object => ({ datum, type: 'nominal', scale: colours, title: null, legend: LEGEND });
    blocks.push({
      kind: 'chart', id: `${id}-${name}`, series: ['estimate', 'always-valid interval', 'margin or cap'],
      caption: `Rolled back when the whole interval is ${d.harm} the dashed line; passes once the whole interval is on the other side.`,
      spec: {
        title: { text: d.title, subtitle: `last look: ${last.verdict}; estimate ${fmt(last.estimate)} in [${fmt(last.lower)}, ${fmt(last.upper)}]; ${d.threshold(threshold / d.scale)}` },
        width: WIDTH, height: HEIGHT,
        layer: [
          { data: { values: band }, mark: { type: 'area', opacity: 0.22, clip: true }, encoding: { x, y: { field: 'lower', type: 'quantitative', title: d.axis, scale: { domain } }, y2: { field: 'upper' }, color: c('always-valid interval') } },
          { data: { values: points }, mark: { type: 'line', strokeWidth: 1.8, clip: true }, encoding: { x, y: { field: 'estimate', type: 'quantitative' }, color: c('estimate') } },
          { data: { values: [{ threshold, label: d.threshold(threshold / d.scale) }] }, mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { y: { field: 'threshold', type: 'quantitative' }, color: c('margin or cap') } },
          { data: { values: [{ threshold, label: d.threshold(threshold / d.scale) }] }, mark: { type: 'text', align: 'right', dy: d.harm === 'below' ? 10 : -6, x: WIDTH - 2, fontSize: 10, color: COLOURS.threshold }, encoding: { y: { field: 'threshold', type: 'quantitative' }, text: { field: 'label' } } },
          { data: { values: [{ neutral: d.neutral }] }, mark: { type: 'rule', color: '#6B7280', strokeWidth: 0.8 }, encoding: { y: { field: 'neutral', type: 'quantitative' } } },
          ...markers(colours),
        ],
      } as unknown as TopLevelSpec,
    });
  }

  const srm = looks.flatMap((l) => {
    const g = l.guardrails.find((e) => e.name === 'srm');
    return g === undefined || !Number.isFinite(g.estimate) ? [] : [{ t: t(l), observed: g.estimate * 100, expected: g.threshold * 100, pValue: g.pValue, verdict: g.verdict }];
  });
  if (srm.length > 0) {
    const colours = scale({ 'observed canary share': COLOURS.evidence, 'configured share': COLOURS.threshold });
    const c = (datum: string): object => ({ datum, type: 'nominal', scale: colours, title: null, legend: LEGEND });
    blocks.push({
      kind: 'chart', id: `${id}-srm`, series: ['observed canary share', 'configured share'],
      caption: 'Sample-ratio check of each step: the canary’s share of the step’s bookings against the configured percent. A gap the chi-square test (always-valid, per step) cannot explain means the split is broken, and the ramp rolls back.',
      spec: {
        title: { text: 'Sample ratio (SRM): observed vs configured canary share', subtitle: `last look: ${srm.at(-1)!.verdict}` },
        width: WIDTH, height: HEIGHT,
        data: { values: srm },
        layer: [
          { mark: { type: 'line', interpolate: 'step-after', strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { x, y: { field: 'expected', type: 'quantitative', title: 'canary share of step (%)' }, color: c('configured share') } },
          { mark: { type: 'line', strokeWidth: 1.8 }, encoding: { x, y: { field: 'observed', type: 'quantitative' }, color: c('observed canary share') } },
          ...markers(colours),
        ],
      } as unknown as TopLevelSpec,
    });
  }

  const spend = looks.filter((l) => Number.isFinite(l.extraUsd)).map((l) => ({ t: t(l), extra: l.extraUsd, budget: l.guardrails.find((g) => g.name === 'budget')?.threshold ?? Number.NaN }));
  const budget = spend.map((s) => s.budget).filter(Number.isFinite).at(-1);
  if (spend.length > 0) {
    const colours = scale({ 'extra spend': COLOURS.evidence, budget: COLOURS.budget });
    const c = (datum: string): object => ({ datum, type: 'nominal', scale: colours, title: null, legend: LEGEND });
    blocks.push({
      kind: 'chart', id: `${id}-spend`, series: budget === undefined ? ['extra spend'] : ['extra spend', 'budget'],
      caption: 'What the canary cost beyond what control would have cost for the same bookings (USD), against the ramp’s budget: at the budget the ramp rolls back.',
      spec: {
        title: { text: 'Extra spend against budget (USD)', subtitle: `last look: ${usd(spend.at(-1)!.extra)} of ${budget === undefined ? 'no budget' : usd(budget)}` },
        width: WIDTH, height: HEIGHT,
        layer: [
          { data: { values: spend }, mark: { type: 'area', opacity: 0.25, line: true }, encoding: { x, y: { field: 'extra', type: 'quantitative', title: 'extra USD', axis: { format: '$,.2f' } }, color: c('extra spend') } },
          ...(budget === undefined ? [] : [{ data: { values: [{ budget }] }, mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { y: { field: 'budget', type: 'quantitative' }, color: c('budget') } }]),
          ...markers(colours),
        ],
      } as unknown as TopLevelSpec,
    });
  }

  const shown = looks.filter((l, i) => l.decision !== 'hold' || i === 0 || i === looks.length - 1);
  blocks.push({
    kind: 'table',
    head: ['at', 'decision', 'percent', 'reason', 'written', 'summary'],
    rows: shown.map((l) => [time === 'clock' ? new Date(l.at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : `${int((l.at - start) / 60_000)} min`,
      l.decision, l.fromPercent === l.toPercent ? `${l.fromPercent}%` : `${l.fromPercent}% → ${l.toPercent}%`, l.reason, l.applied ? 'yes' : 'no', l.summary]),
    caption: 'The first look, every advance and rollback, and the last look.',
  });
  return { id, title, intro, blocks };
}

/** Lines in the legends of line charts, not dots. */
const LEGEND = { symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 100, columns: 3 } as const;

const decisionColour = { field: 'decision', type: 'nominal', title: 'decision', scale: { domain: ['hold', 'advance', 'rollback'], range: [COLOURS.hold, COLOURS.advance, COLOURS.rollback] } } as const;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(Math.abs(x) >= 10 ? 1 : 2) : String(x));
const clamp = (v: number, [lo, hi]: [number, number]): number => Math.min(hi, Math.max(lo, v));

/** A y range that shows the estimates, the threshold and "no difference", with room around them; bounds beyond it are clipped. */
function yDomain(estimates: readonly number[], threshold: number, neutral: number, [min, max]: [number, number]): [number, number] {
  const core = [...estimates, threshold, neutral].filter(Number.isFinite);
  const lo = Math.min(...core);
  const hi = Math.max(...core);
  const pad = Math.max(hi - lo, Math.abs(threshold - neutral), 1e-9) * 0.6;
  return [Math.max(min, lo - pad), Math.min(max, hi + pad)];
}
