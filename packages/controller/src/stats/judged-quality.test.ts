import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { planAlpha } from './alpha.js';
import { winRateTest, type JudgementCounts } from './judged-quality.js';

const ALPHA = planAlpha({ alpha: 0.05, steps: [1, 5, 10, 25, 50, 100], judged: true });
const MARGIN = 0.05;

/** Verdicts drawn with these probabilities, a look every `every` judgements, until a verdict or `max`. */
function watch(p: { better: number; worse: number }, random: () => number, every = 50, max = 6000): { verdict: 'pass' | 'fail' | 'inconclusive'; n: number } {
  const c = { candidateBetter: 0, servedBetter: 0, tie: 0 };
  for (let n = 1; n <= max; n++) {
    const u = random();
    if (u < p.better) c.candidateBetter++;
    else if (u < p.better + p.worse) c.servedBetter++;
    else c.tie++;
    if (n % every === 0) {
      const t = winRateTest(c, MARGIN, ALPHA);
      if (t.verdict === 'fail') return { verdict: 'fail', n };
      if (t.verdict === 'pass' && p.better - p.worse <= -2 * MARGIN + 1e-9) return { verdict: 'pass', n }; // a false pass at the margin
    }
  }
  return { verdict: 'inconclusive', n: max };
}

describe('the judged win-rate test (ties as halves), watched after every 50 judgements', () => {
  it('counts ties as half a win: a model against itself is at 0.5 however often the judge ties', () => {
    const t = winRateTest({ candidateBetter: 300, servedBetter: 300, tie: 400 }, MARGIN, ALPHA);
    expect(t.estimate).toBe(0.5);
    expect(t.verdict).toBe('pass');
    expect(winRateTest({ candidateBetter: 10, servedBetter: 5, tie: 5 }, MARGIN, ALPHA).verdict).toBe('inconclusive');
  });

  it('A/A: never a false harm in 400 watched sequences (bound: the harm α)', () => {
    const random = seedrandom.alea('judged-aa');
    const fails = Array.from({ length: 400 }, () => watch({ better: 0.35, worse: 0.35 }, random)).filter((r) => r.verdict === 'fail').length;
    expect(fails / 400).toBeLessThanOrEqual(ALPHA.harm);
  });

  it('at exactly the margin (win rate 0.45): false passes stay within the pass α over all looks', () => {
    const random = seedrandom.alea('judged-margin');
    const runs = Array.from({ length: 400 }, () => watch({ better: 0.3, worse: 0.4 }, random));
    expect(runs.filter((r) => r.verdict === 'pass').length / 400).toBeLessThanOrEqual(ALPHA.pass + 0.01);
  });

  it('power: a candidate at a 0.38 win rate fails in at least 95% of 400 sequences, within 3,000 judgements', () => {
    const random = seedrandom.alea('judged-worse');
    const runs = Array.from({ length: 400 }, () => watch({ better: 0.26, worse: 0.5 }, random, 50, 3000));
    expect(runs.filter((r) => r.verdict === 'fail').length / 400).toBeGreaterThanOrEqual(0.95);
  });

  it('floors the variance: a run of identical verdicts is not certainty', () => {
    const all: JudgementCounts = { candidateBetter: 0, servedBetter: 40, tie: 0 };
    const t = winRateTest(all, MARGIN, ALPHA);
    expect(t.variance).toBeGreaterThan(0);
    expect(t.verdict).toBe('fail');
  });
});
