import { DEFAULT_PROFILES } from '@model-canary/simulator';
import { describe, expect, it } from 'vitest';
import { calibrate } from './calibrate.js';

for (const key of Object.keys(process.env)) if (key.startsWith('ANTHROPIC_')) delete process.env[key];

describe('calibrate through the real router and an in-process simulator', () => {
  it('measures plan tokens, capacity errors and plan qualities that match the simulator profiles', async () => {
    const calls = 400;
    const c = await calibrate({ models: ['claude-haiku-4-5', 'claude-sonnet-4-6'], calls, seed: 'cal-test' });
    for (const model of ['claude-haiku-4-5', 'claude-sonnet-4-6']) {
      const m = c[model]!;
      const profile = DEFAULT_PROFILES[model]!;
      expect(m.inputTokens).toBeGreaterThan(100);
      expect(m.outputTokens.length).toBeGreaterThan(calls * 0.9);
      const served = Object.values(m.plans).reduce((a, b) => a + b, 0);
      const bad = ((m.plans['invalid'] ?? 0) + (m.plans['incomplete'] ?? 0)) / served;
      const expected = profile.planQuality.invalidRate + profile.planQuality.incompleteRate;
      // Within 4 binomial standard deviations of the profile's rate.
      expect(Math.abs(bad - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / served));
    }
  }, 60_000);
});
