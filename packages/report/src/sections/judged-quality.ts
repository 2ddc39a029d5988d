import { int, pct, usd } from '../charts/format.js';
import { COLOURS } from '../charts/theme.js';
import type { ShadowSummary } from '../data/judged-quality.js';
import type { Block, Section } from '../section.js';
import { facetChart } from './facet-chart.js';

/** The judge's verdicts as the report names them, in colours no arm uses. */
const VERDICTS = [
  { key: 'candidateBetter', label: 'candidate better', colour: '#009E73' },
  { key: 'tie', label: 'tie', colour: '#9CA3AF' },
  { key: 'servedBetter', label: 'served better', colour: '#C0392B' },
  { key: 'judgeErrors', label: 'judge error', colour: '#4B5563' },
] as const;

const SPEND = { shadow: '#21918C', judge: '#7A5195' } as const;

/** Per route with a shadow: the candidate's win rate with its interval, the verdicts, and the spend against the budget. */
export function judgedQualitySection(routes: readonly { readonly route: string; readonly summary: ShadowSummary }[], source: string): Section {
  const column = { field: 'route', type: 'nominal', title: null, sort: routes.map((r) => r.route), header: { labelFontWeight: 600 } } as const;
  const blocks: Block[] = [{
    kind: 'table',
    head: ['route', 'win rate', '95% interval', 'candidate better', 'served better', 'tie', 'judge error', 'shadow calls', 'shadow spend', 'judge spend', 'budget'],
    numeric: [1, 3, 4, 5, 6, 7, 8, 9, 10],
    rows: routes.map(({ route, summary: s }) => [route, pct(s.winRate), Number.isFinite(s.winRate) ? `${pct(s.low)} – ${pct(s.high)}` : '—',
      int(s.candidateBetter), int(s.servedBetter), int(s.tie), int(s.judgeErrors), int(s.shadowCalls), usd(s.shadowUsd), usd(s.judgeUsd), usd(s.budgetUsd)]),
    caption: 'Win rate: the candidate’s wins plus half its ties, over the verdicts that are not judge errors.',
  }];

  const rates = routes.filter((r) => Number.isFinite(r.summary.winRate)).map(({ route, summary: s }) => ({ route, series: 'win rate', rate: s.winRate, low: s.low, high: s.high }));
  if (rates.length > 0) {
    blocks.push(facetChart('judged-win-rate', 'Judged win rate of the candidate', 'The shadow (candidate) model’s win rate against the served answer, ties as halves, with a 95% normal interval (a snapshot, for reading; the controller’s judgedQuality guardrail decides on its own sequential interval). Above the dashed 50% line the judge prefers the candidate.', ['win rate'], {
      data: { values: rates },
      facet: { column },
      spec: {
        width: 160, height: 220,
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 3], color: COLOURS.threshold }, encoding: { y: { datum: 0.5, type: 'quantitative' } } },
          { mark: { type: 'rule', strokeWidth: 2, color: COLOURS.interval }, encoding: { x: { field: 'series', type: 'nominal', title: null, axis: { labelAngle: 0 } }, y: { field: 'low', type: 'quantitative', title: 'win rate', scale: { domain: [0, 1] }, axis: { format: '.0%' } }, y2: { field: 'high' } } },
          { mark: { type: 'point', filled: true, size: 80, color: COLOURS.evidence }, encoding: { x: { field: 'series', type: 'nominal' }, y: { field: 'rate', type: 'quantitative' } } },
          { mark: { type: 'text', dx: 10, align: 'left', fontSize: 10 }, encoding: { x: { field: 'series', type: 'nominal' }, y: { field: 'rate', type: 'quantitative' }, text: { field: 'rate', type: 'quantitative', format: '.1%' } } },
        ],
      },
    }));
  }

  const verdicts = routes.flatMap(({ route, summary }) => VERDICTS.map((v, order) => ({ route, verdict: v.label, order, n: summary[v.key] })).filter((v) => v.n > 0));
  if (verdicts.length > 0) {
    const shown = VERDICTS.filter((v) => verdicts.some((d) => d.verdict === v.label));
    blocks.push(facetChart('judged-verdicts', 'The judge’s verdicts', 'Every verdict of the blind pairwise judge on a shadowed call: the candidate’s answer better, the served one better, a tie, or no verdict (a judge error, left out of the win rate).', shown.map((v) => v.label), {
      data: { values: verdicts },
      facet: { column },
      spec: {
        width: 200, height: { step: 26 },
        mark: { type: 'bar', opacity: 0.9 },
        encoding: {
          y: { field: 'verdict', type: 'nominal', title: null, sort: shown.map((v) => v.label) },
          x: { field: 'n', type: 'quantitative', title: 'verdicts' },
          color: { field: 'verdict', type: 'nominal', title: 'verdict', scale: { domain: shown.map((v) => v.label), range: shown.map((v) => v.colour) }, legend: null },
        },
      },
    }));
  }

  const spend = routes.flatMap(({ route, summary: s }) => {
    const label = `shadow ${usd(s.shadowUsd)} of ${usd(s.budgetUsd)}${s.budgetUsd > 0 ? ` (${pct(s.shadowUsd / s.budgetUsd)})` : ''}; judge ${usd(s.judgeUsd)}`;
    return [{ route, kind: 'shadow', usd: s.shadowUsd, budget: s.budgetUsd, label }, { route, kind: 'judge', usd: s.judgeUsd, budget: s.budgetUsd, label }];
  });
  if (spend.some((s) => s.usd > 0 || s.budget > 0)) {
    blocks.push(facetChart('judged-spend', 'Shadow spend against its budget, and judge spend (USD)', 'USD spent on shadow calls, against the shadow budget of one process (dashed: once it is spent, shadow calls are skipped), and on the judge, stacked after them (the judge is not part of the budget).', ['shadow', 'judge', 'budget'], {
      data: { values: spend },
      facet: { column },
      spec: {
        width: 380, height: 70,
        layer: [
          { mark: { type: 'bar', opacity: 0.9 }, encoding: { x: { field: 'usd', type: 'quantitative', title: 'USD', stack: 'zero', axis: { format: '$.2f' } }, color: { field: 'kind', type: 'nominal', title: 'spend', scale: { domain: ['shadow', 'judge', 'budget'], range: [SPEND.shadow, SPEND.judge, COLOURS.budget] } } } },
          { mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 2 }, encoding: { x: { aggregate: 'max', field: 'budget', type: 'quantitative' }, color: { datum: 'budget' } } },
          { mark: { type: 'text', align: 'left', dx: 4, dy: -26, fontSize: 10 }, transform: [{ filter: "datum.kind === 'shadow'" }], encoding: { x: { value: 0 }, text: { field: 'label', type: 'nominal' } } },
        ],
      },
    }));
  }

  return {
    id: 'judged-quality',
    title: 'Judged quality (shadow evaluation)',
    intro: `On each route with a shadow, a sample of the served calls is replayed on the candidate model and a blind judge compares the two answers; read from ${source}.`,
    blocks,
  };
}
