import { describe, expect, it } from 'vitest';
import { toLook, type Look } from './data/looks.js';
import { parseExposition } from './prometheus/prom-text.js';
import { renderReport } from './render-report.js';

const METRICS = `# TYPE model_canary_arm_percent gauge
model_canary_arm_percent{route="orchestrator",arm="canary",model="claude-sonnet-4-6"} 10
model_canary_arm_percent{route="orchestrator",arm="control",model="claude-haiku-4-5"} 90
# TYPE model_canary_units_total counter
model_canary_units_total{route="orchestrator",arm="canary",outcome="success"} 9
model_canary_units_total{route="orchestrator",arm="canary",outcome="failure"} 1
model_canary_units_total{route="orchestrator",arm="control",outcome="success"} 80
model_canary_units_total{route="orchestrator",arm="control",outcome="failure"} 10
# TYPE model_canary_requests_total counter
model_canary_requests_total{route="orchestrator",arm="canary",model="claude-sonnet-4-6",outcome="success"} 10
model_canary_requests_total{route="orchestrator",arm="control",model="claude-haiku-4-5",outcome="success"} 88
model_canary_requests_total{route="orchestrator",arm="control",model="claude-haiku-4-5",outcome="error"} 2
# TYPE model_canary_request_errors_total counter
model_canary_request_errors_total{route="orchestrator",arm="control",model="claude-haiku-4-5",error_class="overloaded"} 2
# TYPE model_canary_request_duration_seconds histogram
model_canary_request_duration_seconds_bucket{route="orchestrator",arm="canary",model="claude-sonnet-4-6",outcome="success",le="1"} 4
model_canary_request_duration_seconds_bucket{route="orchestrator",arm="canary",model="claude-sonnet-4-6",outcome="success",le="+Inf"} 10
model_canary_request_duration_seconds_bucket{route="orchestrator",arm="control",model="claude-haiku-4-5",outcome="success",le="1"} 80
model_canary_request_duration_seconds_bucket{route="orchestrator",arm="control",model="claude-haiku-4-5",outcome="success",le="+Inf"} 90
# TYPE model_canary_tokens_total counter
model_canary_tokens_total{route="orchestrator",arm="canary",model="claude-sonnet-4-6",type="input"} 7000
model_canary_tokens_total{route="orchestrator",arm="control",model="claude-haiku-4-5",type="output"} 9000
# TYPE model_canary_unit_cost_usd histogram
model_canary_unit_cost_usd_sum{route="orchestrator",arm="canary"} 0.06
model_canary_unit_cost_usd_count{route="orchestrator",arm="canary"} 10
model_canary_unit_cost_usd_sum{route="orchestrator",arm="control"} 0.36
model_canary_unit_cost_usd_count{route="orchestrator",arm="control"} 90
`;

const look = (i: number, decision: string, from: number, to: number): Look => toLook({
  at: i * 60_000, decision, reason: 'x', fromPercent: from, toPercent: to, extraUsd: i / 10, summary: '',
  guardrails: [
    { name: 'bookingSuccess', verdict: 'inconclusive', estimate: -0.01, lower: -0.05 + i / 100, upper: 0.03, threshold: -0.02, pValue: 0.5, alpha: 0.01 },
    { name: 'judgedWinRate', verdict: 'inconclusive', estimate: 0.55, lower: 0.4, upper: 0.7, threshold: 0.45, pValue: 0.5, alpha: 0.01 },
    { name: 'judgedQuality', verdict: 'inconclusive', estimate: 0.55, lower: 0.4, upper: 0.7, threshold: 0.45, pValue: 0.5, alpha: 0.01 },
    { name: 'budget', verdict: 'pass', estimate: i / 10, lower: i / 10, upper: i / 10, threshold: 100, pValue: 'NaN', alpha: 0 },
    { name: 'srm', verdict: 'pass', estimate: 0.1, lower: 'NaN', upper: 'NaN', threshold: 0.1, pValue: 0.9, alpha: 0.001 },
  ],
}, 'orchestrator')!;

/** The chart ids of a page and the series each says it shows. */
const charts = (html: string): Record<string, string> =>
  Object.fromEntries([...html.matchAll(/<figure data-chart="([^"]+)" data-series="([^"]*)"><svg/g)].map((m) => [m[1]!, m[2]!]));

describe('renderReport', () => {
  it('draws the arms of every route from a scrape, every chart an inline SVG with the arms in it', async () => {
    const html = await renderReport({ metrics: { exposition: parseExposition(METRICS), source: 'a scrape' }, generatedAt: new Date(0) });
    expect(charts(html)).toEqual({
      'booking-success': 'canary|control', 'cost-per-booking': 'canary|control', 'latency-quantiles': 'canary|control',
      'latency-distribution': 'canary|control', 'token-mix': 'canary|control', 'error-classes': 'canary|control',
    });
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('90.0%'); // control's booking success, in the table
    expect(html).toContain('Generated 1970-01-01T00:00:00.000Z');
  });

  it('adds the cascade and judged quality only when the scrape has their series', async () => {
    const extra = `# TYPE model_canary_unit_agent_cost_usd_total counter
model_canary_unit_agent_cost_usd_total{route="orchestrator",arm="canary",agent_route="orchestrator"} 0.04
model_canary_unit_agent_cost_usd_total{route="orchestrator",arm="canary",agent_route="verifier"} 0.02
model_canary_unit_agent_cost_usd_total{route="orchestrator",arm="control",agent_route="orchestrator"} 0.1
model_canary_unit_agent_cost_usd_total{route="orchestrator",arm="control",agent_route="verifier"} 0.05
model_canary_unit_agent_cost_usd_total{route="planner",arm="control",agent_route="verifier"} 0.05
# TYPE model_canary_unit_agent_calls_total counter
model_canary_unit_agent_calls_total{route="orchestrator",arm="canary",agent_route="verifier",outcome="success"} 10
model_canary_unit_agent_calls_total{route="orchestrator",arm="control",agent_route="verifier",outcome="success"} 90
# TYPE model_canary_judgements_total counter
model_canary_judgements_total{route="orchestrator",arm="control",shadow_model="claude-sonnet-4-6",verdict="candidate_better"} 5
model_canary_judgements_total{route="orchestrator",arm="control",shadow_model="claude-sonnet-4-6",verdict="tie"} 2
model_canary_judgements_total{route="orchestrator",arm="control",shadow_model="claude-sonnet-4-6",verdict="judge_error"} 0
# TYPE model_canary_shadow_budget_usd gauge
model_canary_shadow_budget_usd{route="orchestrator",shadow_model="claude-sonnet-4-6"} 5
`;
    const html = await renderReport({ metrics: { exposition: parseExposition(METRICS + extra), source: 'a scrape' } });
    expect(charts(html)).toMatchObject({
      'cascade-cost': 'orchestrator|verifier', 'cascade-success': 'canary|control',
      'judged-win-rate': 'win rate', 'judged-verdicts': 'candidate better|tie', 'judged-spend': 'shadow|judge|budget',
    });
    expect(html).toMatch(/canary<\/td><td>verifier<\/td><td[^>]*>\$0\.0020</); // $0.02 over canary's 10 bookings
    expect(html).toContain('85.7%'); // (5 + 2/2) / 7
    expect(html).not.toContain('<td>planner</td>'); // a route with one arm compares nothing
  });

  it('draws the controller’s looks: the percent, a chart per guardrail (one it does not know too), SRM and spend', async () => {
    const looks = [look(0, 'hold', 5, 5), look(1, 'advance', 5, 10), look(2, 'hold', 10, 10), look(3, 'rollback', 10, 0)];
    const html = await renderReport({ rehearsal: { route: 'orchestrator', scenarios: [], example: { scenario: 'aa', run: 0, looks } } });
    expect(Object.keys(charts(html))).toEqual(['rehearsal-run-percent', 'rehearsal-run-bookingSuccess', 'rehearsal-run-judgedWinRate', 'rehearsal-run-judgedQuality', 'rehearsal-run-srm', 'rehearsal-run-spend']);
    expect(html).toContain('margin −2.0 pp');
    expect(html).toContain('Judged win rate of the canary'); // the controller's judgedQuality, in win-rate percent
    expect(html).toContain('margin: win rate ≥ 45.0%');
    expect(html).toContain('4 looks; 1 advance, 1 rollback');
  });

  it('refuses to write an empty report', async () => {
    await expect(renderReport({ audit: { looks: [], source: 'empty.jsonl' } })).rejects.toMatchObject({ name: 'ReportError', code: 'NOTHING_TO_REPORT' });
  });
});
