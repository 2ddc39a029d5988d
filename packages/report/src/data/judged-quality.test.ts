import { describe, expect, it } from 'vitest';
import { parseExposition } from '../prometheus/prom-text.js';
import { shadowRoutes, shadowSummary } from './judged-quality.js';

const EXPOSITION = parseExposition(`
# TYPE model_canary_judgements_total counter
model_canary_judgements_total{route="orchestrator",arm="control",shadow_model="claude-sonnet-4-6",verdict="candidate_better"} 6
model_canary_judgements_total{route="orchestrator",arm="control",shadow_model="claude-sonnet-4-6",verdict="served_better"} 2
model_canary_judgements_total{route="orchestrator",arm="control",shadow_model="claude-sonnet-4-6",verdict="tie"} 2
model_canary_judgements_total{route="orchestrator",arm="control",shadow_model="claude-sonnet-4-6",verdict="judge_error"} 5
# TYPE model_canary_shadow_calls_total counter
model_canary_shadow_calls_total{route="orchestrator",arm="control",shadow_model="claude-sonnet-4-6",outcome="success"} 15
# TYPE model_canary_shadow_skips_total counter
model_canary_shadow_skips_total{route="orchestrator",shadow_model="claude-sonnet-4-6",reason="budget"} 3
model_canary_shadow_skips_total{route="orchestrator",shadow_model="claude-sonnet-4-6",reason="streamed"} 0
# TYPE model_canary_shadow_cost_usd_total counter
model_canary_shadow_cost_usd_total{route="orchestrator",shadow_model="claude-sonnet-4-6"} 0.3
# TYPE model_canary_shadow_budget_usd gauge
model_canary_shadow_budget_usd{route="orchestrator",shadow_model="claude-sonnet-4-6"} 2
model_canary_shadow_budget_usd{route="planner",shadow_model="claude-sonnet-4-6"} 1
# TYPE model_canary_judge_cost_usd_total counter
model_canary_judge_cost_usd_total{route="orchestrator",shadow_model="claude-sonnet-4-6",judge_model="claude-opus-4-7"} 0.2
`);

describe('shadowSummary', () => {
  it('counts wins and half the ties over the verdicts that are not judge errors, with a 95% interval', () => {
    const s = shadowSummary(EXPOSITION, 'orchestrator');
    expect(s).toMatchObject({ candidateBetter: 6, servedBetter: 2, tie: 2, judgeErrors: 5, shadowCalls: 15, skips: { budget: 3, streamed: 0 }, budgetUsd: 2 });
    expect(s.winRate).toBe(0.7); // (6 + 2/2) / 10
    // Scores 1 ×6, 0 ×2, ½ ×2 around 0.7: sample variance (6·0.09 + 2·0.49 + 2·0.04) / 9 = 1.6 / 9.
    const half = 1.96 * Math.sqrt(1.6 / 9 / 10);
    expect(s.low).toBeCloseTo(0.7 - half, 12);
    expect(s.high).toBeCloseTo(0.7 + half, 12);
    expect(s.shadowUsd).toBeCloseTo(0.3, 12);
    expect(s.judgeUsd).toBeCloseTo(0.2, 12);
  });

  it('has no win rate before a verdict, and an interval that stays inside [0, 1]', () => {
    expect(shadowSummary(EXPOSITION, 'planner').winRate).toBeNaN();
    const allWins = shadowSummary(parseExposition('model_canary_judgements_total{route="r",verdict="candidate_better"} 3\nmodel_canary_judgements_total{route="r",verdict="served_better"} 1'), 'r');
    expect(allWins.high).toBeLessThanOrEqual(1);
    expect(allWins.low).toBeGreaterThanOrEqual(0);
  });

  it('lists every route with a shadow, whether or not it has verdicts yet', () => {
    expect(shadowRoutes(EXPOSITION)).toEqual(['orchestrator', 'planner']);
    expect(shadowRoutes(parseExposition('model_canary_units_total{route="r",arm="a",outcome="success"} 1'))).toEqual([]);
  });
});
