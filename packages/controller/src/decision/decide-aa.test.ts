import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { countRollout } from './test-helpers/count-rollout.js';
import { HAIKU, PLAN } from './test-helpers/profiles.js';

describe('A/A over 2,000 simulated rollouts with a look at every interval', () => {
  it('rolls back falsely in at most alpha + 1 pp, raises no SRM across correct step changes beyond its bound, and completes', () => {
    // Both arms the same model; counts from seeded binomials; decideRamp at every 30 s look
    // (2,000 bookings a minute, at most 200 simulated minutes), across every step change of the ramp.
    const random = seedrandom.alea('aa');
    const results = Array.from({ length: 2000 }, () =>
      countRollout({ plan: PLAN, canary: HAIKU, control: HAIKU, random, bookingsPerLook: 1000, lookMinutes: 0.5, maxLooks: 400 }),
    );
    const share = (f: (r: (typeof results)[number]) => boolean): number => results.filter(f).length / results.length;
    expect(share((r) => r.outcome === 'rolledBack')).toBeLessThanOrEqual(PLAN.alpha + 0.01);
    // 4 SRM-tested steps (5, 10, 25, 50) at 0.001 each, plus 0.5 pp of simulation noise.
    expect(share((r) => r.last.reason === 'sample-ratio-mismatch')).toBeLessThanOrEqual(4 * 0.001 + 0.005);
    expect(share((r) => r.outcome === 'completed')).toBeGreaterThan(0.9);
  }, 180_000);
});
