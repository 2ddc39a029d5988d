import { describe, expect, it } from 'vitest';
import { compareArms } from './compare.js';
import { parseExposition } from './prom-text.js';
import { renderArmTable } from './table.js';
import { twoProportionPValue, verdict } from './verdict.js';

const scrape = (canary: { ok: number; failed: number }, control: { ok: number; failed: number }): string => `
# TYPE model_canary_arm_percent gauge
model_canary_arm_percent{route="orchestrator",arm="canary",model="claude-sonnet-4-6"} 10
model_canary_arm_percent{route="orchestrator",arm="control",model="claude-haiku-4-5"} 90
model_canary_arm_percent{route="specialist",arm="control",model="claude-haiku-4-5"} 100
# TYPE model_canary_units_total counter
model_canary_units_total{route="orchestrator",arm="canary",outcome="success"} ${canary.ok}
model_canary_units_total{route="orchestrator",arm="canary",outcome="failure"} ${canary.failed}
model_canary_units_total{route="orchestrator",arm="control",outcome="success"} ${control.ok}
model_canary_units_total{route="orchestrator",arm="control",outcome="invalid"} ${control.failed}
model_canary_units_total{route="specialist",arm="control",outcome="success"} 999
# TYPE model_canary_requests_total counter
model_canary_requests_total{route="orchestrator",arm="canary",model="claude-sonnet-4-6",outcome="success"} 19
model_canary_requests_total{route="orchestrator",arm="canary",model="claude-sonnet-4-6",outcome="error"} 1
model_canary_requests_total{route="orchestrator",arm="control",model="claude-haiku-4-5",outcome="success"} 180
# TYPE model_canary_unit_cost_usd histogram
model_canary_unit_cost_usd_sum{route="orchestrator",arm="canary"} 0.2
model_canary_unit_cost_usd_count{route="orchestrator",arm="canary"} 20
model_canary_unit_cost_usd_sum{route="orchestrator",arm="control"} 0.9
model_canary_unit_cost_usd_count{route="orchestrator",arm="control"} 180
# TYPE model_canary_unit_duration_seconds histogram
model_canary_unit_duration_seconds_bucket{route="orchestrator",arm="canary",le="1"} 10
model_canary_unit_duration_seconds_bucket{route="orchestrator",arm="canary",le="+Inf"} 20
model_canary_unit_duration_seconds_bucket{route="orchestrator",arm="control",le="1"} 180
model_canary_unit_duration_seconds_bucket{route="orchestrator",arm="control",le="+Inf"} 180
model_canary_unit_duration_seconds_count{route="orchestrator",arm="canary"} 20
# TYPE booking_agent_booking_tokens_total counter
booking_agent_booking_tokens_total{route="orchestrator",arm="canary",type="input"} 3000
booking_agent_booking_tokens_total{route="orchestrator",arm="canary",type="output"} 1000
booking_agent_booking_tokens_total{route="orchestrator",arm="control",type="input"} 18000
`;

describe('compareArms', () => {
  it('builds one row per arm of the route from the scrape', () => {
    const rows = compareArms(parseExposition(scrape({ ok: 19, failed: 1 }, { ok: 171, failed: 9 })));
    expect(rows.map((r) => r.arm)).toEqual(['canary', 'control']);
    const [canary, control] = rows;
    expect(canary).toMatchObject({
      model: 'claude-sonnet-4-6',
      configuredPercent: 10,
      bookings: 20,
      split: 0.1,
      bookingSuccessRate: 0.95,
      calls: 20,
      callSuccessRate: 0.95,
      p50: 1,
      latencySource: 'booking',
      tokenSource: 'booking',
      tokensPerBooking: 200,
    });
    expect(canary?.costPerBooking).toBeCloseTo(0.01, 12);
    expect(control).toMatchObject({ bookings: 180, split: 0.9, bookingSuccessRate: 0.95, callSuccessRate: 1, tokensPerBooking: 100 });
    expect(control?.costPerBooking).toBeCloseTo(0.005, 12);
    expect(control?.p50).toBeCloseTo(0.5, 12);
  });

  it('renders the table with every arm and the configured percent', () => {
    const table = renderArmTable(compareArms(parseExposition(scrape({ ok: 19, failed: 1 }, { ok: 171, failed: 9 }))));
    expect(table.split('\n')).toHaveLength(4);
    expect(table).toMatch(/canary\s+claude-sonnet-4-6\s+20\s+10\.0% \(10%\)\s+95\.0%\s+95\.0%/);
    expect(table).toMatch(/control\s+claude-haiku-4-5\s+180\s+90\.0% \(90%\)/);
    expect(table).toContain('$0.0100');
  });
});

describe('verdict', () => {
  it('names the cheaper arm and the one that succeeds more, with the small-sample caveat', () => {
    const line = verdict(compareArms(parseExposition(scrape({ ok: 20, failed: 0 }, { ok: 150, failed: 30 }))));
    expect(line).toContain('control (claude-haiku-4-5) is cheaper: $0.0050 vs $0.0100 per booking (2.0x less)');
    expect(line).toContain('canary (claude-sonnet-4-6) succeeds more: 100.0% vs 83.3%');
    expect(line).toContain('small sample (20 bookings on the smallest arm');
  });

  it('drops the caveat when both arms are large and the difference is significant', () => {
    const line = verdict(compareArms(parseExposition(scrape({ ok: 500, failed: 0 }, { ok: 400, failed: 100 }))));
    expect(line).not.toContain('Caveat');
  });

  it('says when there is nothing to compare', () => {
    expect(verdict(compareArms(parseExposition(scrape({ ok: 0, failed: 0 }, { ok: 5, failed: 0 }))))).toMatch(/only 1 arm/);
  });

  it.each([
    [50, 100, 50, 100, 1],
    [90, 100, 70, 100, 0.0004],
    [0, 0, 5, 10, 1],
  ])('two-proportion p-value of %i/%i vs %i/%i is about %s', (s1, n1, s2, n2, p) => {
    expect(twoProportionPValue(s1, n1, s2, n2)).toBeCloseTo(p, 3);
  });
});
