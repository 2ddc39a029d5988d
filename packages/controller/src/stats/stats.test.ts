import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { sampleBinomial } from './binomial.js';
import { costPerSuccessRatio } from './cost-ratio.js';
import { chiSquare1Sf, erfc } from './erfc.js';
import { histogramQuantile, histogramSumSquaresUpper } from './histogram.js';
import type { Histogram } from './histogram.js';
import { mixtureHalfWidth, mixturePValue, oneSidedHalfWidth } from './normal-mixture.js';
import { proportionDifference, proportionStratum } from './proportions.js';
import { standardizedHistograms } from './standardize.js';
import { combineStrata } from './strata.js';
import { quantileBounds, quantileRatio } from './quantile-ratio.js';
import { extraSpendUsd } from './spend.js';
import { planAlpha } from './alpha.js';

describe('erfc and the chi-square tail', () => {
  it.each([
    [0, 1],
    [0.5, 0.4795001222],
    [1, 0.1572992071],
    [2, 0.0046777350],
    [-1, 1.8427007929],
  ])('erfc(%d) = %d to 1e-7', (x, expected) => {
    expect(Math.abs(erfc(x) - expected)).toBeLessThan(1.2e-7 * Math.max(1, expected));
  });

  it.each([
    [3.841458821, 0.05],
    [6.634896601, 0.01],
    [10.82756617, 0.001],
  ])('P(chi2_1 >= %d) = %d', (x, p) => {
    expect(chiSquare1Sf(x)).toBeCloseTo(p, 6);
  });
});

describe('normal-mixture boundary', () => {
  it('matches the closed form by hand at V = 1e-4, tau = 0.02, alpha = 0.05', () => {
    const v = 1e-4;
    const t2 = 4e-4;
    const expected = Math.sqrt(((v * (v + t2)) / t2) * (2 * Math.log(20) + Math.log((v + t2) / v)));
    expect(mixtureHalfWidth(v, t2, 0.05)).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.03082, 4);
  });

  it('shrinks as the variance shrinks and is wider than the fixed-horizon interval', () => {
    const widths = [1e-3, 1e-4, 1e-5, 1e-6].map((v) => mixtureHalfWidth(v, 4e-4, 0.05));
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeLessThan(widths[i - 1]!);
    expect(mixtureHalfWidth(1e-4, 4e-4, 0.05)).toBeGreaterThan(1.96 * Math.sqrt(1e-4));
  });

  it('its p-value is exactly alpha on the boundary', () => {
    const w = mixtureHalfWidth(1e-4, 4e-4, 0.01);
    expect(mixturePValue(w, 0, 1e-4, 4e-4)).toBeCloseTo(0.01, 10);
  });
});

describe('sampleBinomial', () => {
  it.each([
    [10, 0.3],
    [200, 0.9],
    [1000, 0.01],
  ])('Binomial(%d, %d) has the right mean and variance', (n, p) => {
    const random = seedrandom.alea('binomial');
    const draws = Array.from({ length: 20_000 }, () => sampleBinomial(n, p, random));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / draws.length));
    expect(variance / (n * p * (1 - p))).toBeGreaterThan(0.95);
    expect(variance / (n * p * (1 - p))).toBeLessThan(1.05);
  });
});

/** Steps of a typical ramp and looks per step; the allocation changes under the sequence. */
const STEPS = [1, 5, 10, 25, 50];
const LOOKS_PER_STEP = 20;
const BOOKINGS_PER_LOOK = 200;

describe('proportionDifference is time-uniform across looks and step changes', () => {
  it.each([
    [0.9, 0.88, 0.05],
    [0.5, 0.48, 0.05],
    [0.03, 0.02, 0.02],
  ])('control %d, canary %d: the true difference leaves the sequence in at most alpha of 2,000 rollouts', (p0, p1, alpha) => {
    const random = seedrandom.alea(`coverage-${p0}-${p1}`);
    const truth = p1 - p0;
    let misses = 0;
    for (let run = 0; run < 2000; run++) {
      const c = { successes: 0, trials: 0 };
      const t = { successes: 0, trials: 0 };
      let missed = false;
      for (const percent of STEPS) {
        for (let look = 0; look < LOOKS_PER_STEP && !missed; look++) {
          const n1 = sampleBinomial(BOOKINGS_PER_LOOK, percent / 100, random);
          const n0 = BOOKINGS_PER_LOOK - n1;
          c.trials += n1;
          c.successes += sampleBinomial(n1, p1, random);
          t.trials += n0;
          t.successes += sampleBinomial(n0, p0, random);
          if (c.trials < 30) continue;
          const d = proportionDifference(c, t, { alpha, tau: 0.02 });
          if (truth < d.lower || truth > d.upper) missed = true;
        }
      }
      if (missed) misses++;
    }
    expect(misses / 2000).toBeLessThanOrEqual(alpha);
  });
});

function bucketed(values: readonly number[], edges: readonly number[]): Histogram {
  const counts = edges.map((le) => values.filter((v) => v <= le).length);
  return {
    buckets: [...edges.map((le, i) => ({ le, count: counts[i]! })), { le: Number.POSITIVE_INFINITY, count: values.length }],
    count: values.length,
    sum: values.reduce((a, b) => a + b, 0),
  };
}

const LATENCY_EDGES = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30, 60];

describe('quantile bounds from histograms', () => {
  it('interpolates like histogram_quantile', () => {
    const h: Histogram = { buckets: [{ le: 1, count: 50 }, { le: 2, count: 100 }, { le: Number.POSITIVE_INFINITY, count: 100 }], count: 100, sum: 120 };
    expect(histogramQuantile(h, 0.5)).toBe(1);
    expect(histogramQuantile(h, 0.75)).toBe(1.5);
  });

  it('the true p95 of a lognormal stays inside the bounds at every look in at least 1-alpha of 500 runs', () => {
    const random = seedrandom.alea('quantile');
    const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const mu = Math.log(2);
    const sigma = 0.5;
    const trueP95 = Math.exp(mu + sigma * 1.6448536);
    let misses = 0;
    for (let run = 0; run < 500; run++) {
      const values: number[] = [];
      let missed = false;
      for (let look = 0; look < 30 && !missed; look++) {
        for (let i = 0; i < 40; i++) values.push(Math.exp(mu + sigma * normal()));
        const b = quantileBounds(bucketed(values, LATENCY_EDGES), 0.95, 0.05);
        if (trueP95 < b.lower || trueP95 > b.upper) missed = true;
      }
      if (missed) misses++;
    }
    expect(misses / 500).toBeLessThanOrEqual(0.05);
  });

  it('separates a canary twice as slow from control with enough data', () => {
    const edges = LATENCY_EDGES;
    const slow = Array.from({ length: 4000 }, (_, i) => 2 * (0.5 + (i % 100) / 50));
    const fast = Array.from({ length: 4000 }, (_, i) => 0.5 + (i % 100) / 50);
    const r = quantileRatio(bucketed(slow, edges), bucketed(fast, edges), 0.95, 0.01);
    expect(r.lower).toBeGreaterThan(1.3);
    expect(r.upper).toBeLessThan(3.5);
  });
});

describe('cost per successful booking ratio', () => {
  it.each([
    [3, 0.9, 0.9],
    [4, 0.85, 0.9],
    [1, 0.9, 0.9],
  ])('a true ratio of %d (success %d vs %d) stays inside the sequence in at least 1-alpha of 1,000 runs', (costRatio, s1, s0) => {
    const random = seedrandom.alea(`cost-${costRatio}`);
    const truth = (costRatio / s1) / (1 / s0);
    let misses = 0;
    for (let run = 0; run < 1000; run++) {
      const arms = [
        { bookings: 0, successes: 0, costUsd: 0, costSumSquares: 0, scale: costRatio * 0.002, p: s1 },
        { bookings: 0, successes: 0, costUsd: 0, costSumSquares: 0, scale: 0.002, p: s0 },
      ];
      let missed = false;
      for (let look = 0; look < 40 && !missed; look++) {
        for (const arm of arms) {
          for (let i = 0; i < 20; i++) {
            // Exponential-ish cost per booking with mean `scale`, success independent of cost.
            const cost = -arm.scale * Math.log(1 - random());
            arm.bookings++;
            arm.costUsd += cost;
            arm.costSumSquares += cost * cost;
            if (random() < arm.p) arm.successes++;
          }
        }
        if (arms[0]!.bookings < 30) continue;
        const r = costPerSuccessRatio(arms[0]!, arms[1]!, { alpha: 0.05, cap: 3.5 });
        if (truth < r.lower || truth > r.upper) missed = true;
      }
      if (missed) misses++;
    }
    expect(misses / 1000).toBeLessThanOrEqual(0.05);
  });
});

describe('spend and alpha', () => {
  it('extra spend is canary cost minus control cost per booking times canary bookings', () => {
    expect(extraSpendUsd({ canaryBookings: 100, canaryCostUsd: 3, controlBookings: 900, controlCostUsd: 9 })).toBeCloseTo(2, 12);
    expect(extraSpendUsd({ canaryBookings: 0, canaryCostUsd: 0, controlBookings: 0, controlCostUsd: 0 })).toBe(0);
    expect(extraSpendUsd({ canaryBookings: 5, canaryCostUsd: 1, controlBookings: 0, controlCostUsd: 0 })).toBeNaN();
  });

  it('spends 0.001 per SRM step and splits the rest over four guardrails', () => {
    const plan = planAlpha({ alpha: 0.05, steps: [1, 5, 10, 25, 50, 100] });
    expect(plan.srmSteps).toBe(5);
    expect(plan.harm).toBeCloseTo(0.01125, 12);
    expect(plan.pass).toBeCloseTo(0.0125, 12);
    expect(() => planAlpha({ alpha: 0.004, steps: [1, 5, 10, 25, 50] })).toThrow(RangeError);
  });
});

describe('one-sided boundaries, strata and the honest cost bound', () => {
  it('the one-sided boundary is narrower than the two-sided one at the same alpha, and crossed in at most alpha of null random walks', () => {
    const v = 1e-4;
    const tau2 = 0.02 ** 2;
    expect(oneSidedHalfWidth(v, tau2, 0.0125)).toBeLessThan(mixtureHalfWidth(v, tau2, 0.0125));
    // Λ⁺ = 2·(two-sided Λ)·Φ(·) with Φ < 1: a hair wider than the two-sided boundary at 2α, never narrower.
    for (const variance of [1e-6, 1e-5, 1e-4, 1e-3]) {
      expect(oneSidedHalfWidth(variance, tau2, 0.0125)).toBeGreaterThanOrEqual(mixtureHalfWidth(variance, tau2, 0.025));
      expect(oneSidedHalfWidth(variance, tau2, 0.0125)).toBeLessThan(mixtureHalfWidth(variance, tau2, 0.025) * 1.01);
    }
    // 2,000 Gaussian random walks of 400 looks under the null: how many ever show "harm" one-sidedly?
    const random = seedrandom.alea('one-sided');
    const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    let crossed = 0;
    for (let run = 0; run < 2000; run++) {
      let s = 0;
      for (let n = 1; n <= 400; n++) {
        s += normal();
        const variance = 1 / n;
        if (s / n > oneSidedHalfWidth(variance, 0.1 ** 2, 0.05)) {
          crossed++;
          break;
        }
      }
    }
    expect(crossed / 2000).toBeLessThanOrEqual(0.05);
    expect(crossed / 2000).toBeGreaterThan(0.005);
  });

  it('combines steps by information: a shift shared by both arms in one step leaves the difference at 0', () => {
    const early = proportionStratum({ successes: 900, trials: 1000 }, { successes: 17_100, trials: 19_000 })!;
    const late = proportionStratum({ successes: 3200, trials: 4000 }, { successes: 9600, trials: 12_000 })!;
    const combined = combineStrata([early, late])!;
    expect(combined.estimate).toBeCloseTo(0, 12);
    expect(combined.variance).toBeCloseTo(1 / (1 / early.variance + 1 / late.variance), 15);
    expect(combineStrata([])).toBeNull();
  });

  it('standardises both arms to one mix of steps', () => {
    const h = (fast: number, n: number) => ({ buckets: [{ le: 1, count: fast }, { le: Number.POSITIVE_INFINITY, count: n }], count: n, sum: n });
    // Step 1 fast for both (90% under 1 s), step 2 slow for both (10%): the canary has most calls in step 2.
    const s = standardizedHistograms([{ canary: h(90, 100), control: h(900, 1000) }, { canary: h(100, 1000), control: h(10, 100) }])!;
    expect(s.canary.buckets[0]!.count / s.canary.count).toBeCloseTo(s.control.buckets[0]!.count / s.control.count, 12);
  });

  it('bounds the cost variance from a histogram even with a heavy tail above the last bucket', () => {
    // 99 bookings at 0.001 USD and one at 50 USD, far above the last edge (2 USD).
    const buckets = [{ le: 0.001, count: 99 }, { le: 2, count: 99 }, { le: Number.POSITIVE_INFINITY, count: 100 }];
    const sum = 99 * 0.001 + 50;
    const exact = 99 * 0.001 ** 2 + 50 ** 2;
    expect(histogramSumSquaresUpper({ buckets, count: 100, sum })).toBeGreaterThanOrEqual(exact);
  });
});
