import { readFileSync } from 'node:fs';
import { parseRolloutText, type RolloutConfig } from '@model-canary/router';
import { describe, expect, it } from 'vitest';
import { calibrate } from './calibrate.js';
import { rehearse } from './rehearse.js';

for (const key of Object.keys(process.env)) if (key.startsWith('ANTHROPIC_')) delete process.env[key];

function exampleConfig(): RolloutConfig {
  const parsed = parseRolloutText(readFileSync(new URL('../../rollout.example.json', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
}

describe('rehearse on the simulator profiles (10 runs each, seeded)', () => {
  const config = exampleConfig();

  it.each([
    ['aa', 'completed'],
    ['aa-long-bookings', 'completed'],
    ['shared-incident', 'completed'],
    ['canary-worse', 'rolledBack'],
    ['canary-flaky-provider', 'completed'],
    ['canary-better', 'completed'],
    ['canary-expensive', 'rolledBack'],
  ] as const)('%s ends mostly %s', (scenario, expected) => {
    const { summary } = rehearse({ config, scenario, runs: 10 });
    expect(summary.runs).toBe(10);
    expect(summary.outcomes[expected]).toBeGreaterThanOrEqual(0.8);
    expect(summary.outcomes.completed + summary.outcomes.rolledBack + summary.outcomes.holding).toBeCloseTo(1, 12);
  }, 60_000);

  it('with plan tokens calibrated through the real router + simulator, canary-better completes and canary-worse rolls back', async () => {
    const calibration = await calibrate({ models: ['claude-haiku-4-5', 'claude-sonnet-4-6'], calls: 200, seed: 'rehearse-test' });
    expect(rehearse({ config, scenario: 'canary-better', runs: 5, calibration }).summary.outcomes.completed).toBeGreaterThanOrEqual(0.8);
    expect(rehearse({ config, scenario: 'canary-worse', runs: 5, calibration }).summary.outcomes.rolledBack).toBeGreaterThanOrEqual(0.8);
  }, 60_000);

  it('aa-long-bookings runs at 800 bookings a minute unless told otherwise, and --booking-seconds slows every booking', () => {
    const long = rehearse({ config, scenario: 'aa-long-bookings', runs: 2 }).runs[0]!;
    expect(long.bookings / long.minutes).toBeCloseTo(800, -1);
    const fast = rehearse({ config, scenario: 'aa', runs: 2, bookingsPerMinute: 2000 }).runs[0]!;
    expect(fast.bookings / fast.minutes).toBeCloseTo(2000, -1);
  });

  it('counts bookings for SRM when they get their arm: 60 s bookings in flight across every step change raise no SRM', () => {
    const { summary } = rehearse({ config, scenario: 'aa-long-bookings', runs: 20 });
    expect(summary.rollbackReasons['sample-ratio-mismatch'] ?? 0).toBe(0);
    expect(summary.outcomes.completed).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it('is reproducible from its seed', () => {
    const a = rehearse({ config, scenario: 'canary-expensive', runs: 3, seed: 's' }).summary;
    const b = rehearse({ config, scenario: 'canary-expensive', runs: 3, seed: 's' }).summary;
    expect(b).toEqual(a);
  });

  it('rolls canary-worse back for booking success and canary-expensive for cost, never for provider capacity errors', () => {
    const failedGuardrails = (scenario: 'canary-worse' | 'canary-expensive' | 'canary-flaky-provider'): Set<string> =>
      new Set(rehearse({ config, scenario, runs: 5 }).runs.flatMap((r) => r.last.guardrails.filter((g) => g.verdict === 'fail').map((g) => g.name)));
    expect(failedGuardrails('canary-worse').has('bookingSuccess')).toBe(true);
    expect(failedGuardrails('canary-expensive')).toEqual(new Set(['costPerSuccessRatio']));
    expect(failedGuardrails('canary-flaky-provider').size).toBe(0);
  }, 60_000);
});
