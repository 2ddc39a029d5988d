import { mixturePValue, oneSidedHalfWidth } from './normal-mixture.js';

/** Paired verdicts of a judge on the same requests: the candidate (canary) model's answer against the served one. */
export interface JudgementCounts {
  readonly candidateBetter: number;
  readonly servedBetter: number;
  readonly tie: number;
}

export interface WinRateTest {
  /** Judgements counted (judge errors are not in the counts). */
  readonly n: number;
  /** (candidate wins + ties / 2) / n. */
  readonly estimate: number;
  readonly variance: number;
  /** Upper bound at the harm α (harm when below 0.5 − margin) and lower bound at the pass α (pass when above it). */
  readonly harmBound: number;
  readonly passBound: number;
  readonly threshold: number;
  readonly verdict: 'fail' | 'pass' | 'inconclusive';
  readonly pValue: number;
}

/** Below this many judgements the plug-in variance says nothing: inconclusive. */
export const MIN_JUDGEMENTS = 30;

/**
 * Non-inferiority of the candidate's judged win rate, a time-uniform one-sided test on paired verdicts.
 *
 * Each judgement scores the candidate 1 (better), 0 (served better) or ½ (tie): ties count as half a win, so the
 * win rate of a model against itself is exactly ½ however often the judge ties, and a tie adds information (it
 * pulls the estimate to ½ and shrinks the variance) instead of being thrown away. The scores are i.i.d. given the
 * traffic, so p̂ = mean score has variance s²/n (s² the scores' sample variance, floored at 1/(4n) so that a
 * run of identical verdicts does not read as certainty). The one-sided normal-mixture boundary (τ = margin) on
 * (p̂, s²/n) is time-uniform like the other guardrails': harm when p̂ + w(α_harm) < ½ − margin, a pass when
 * p̂ − w(α_pass) > ½ − margin.
 *
 * Each judgement is its own control (both answers to one request), so it needs no within-step comparison: a change
 * over time hits both answers of a pair alike.
 */
export function winRateTest(counts: JudgementCounts, margin: number, alpha: { readonly harm: number; readonly pass: number }): WinRateTest {
  const { candidateBetter: w, servedBetter: l, tie: t } = counts;
  const n = w + l + t;
  const threshold = 0.5 - margin;
  if (n < MIN_JUDGEMENTS) {
    return { n, estimate: n > 0 ? (w + t / 2) / n : Number.NaN, variance: Number.NaN, harmBound: Number.POSITIVE_INFINITY, passBound: Number.NEGATIVE_INFINITY, threshold, verdict: 'inconclusive', pValue: 1 };
  }
  const p = (w + t / 2) / n;
  const s2 = (w * (1 - p) ** 2 + l * p ** 2 + t * (0.5 - p) ** 2) / (n - 1);
  const variance = Math.max(s2, 1 / (4 * n)) / n;
  const tau2 = margin * margin;
  const harmBound = p + oneSidedHalfWidth(variance, tau2, alpha.harm);
  const passBound = p - oneSidedHalfWidth(variance, tau2, alpha.pass);
  const verdict = harmBound < threshold ? 'fail' : passBound > threshold ? 'pass' : 'inconclusive';
  return { n, estimate: p, variance, harmBound, passBound, threshold, verdict, pValue: mixturePValue(p, threshold, variance, tau2) };
}
