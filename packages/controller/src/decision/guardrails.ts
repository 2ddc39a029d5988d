import type { AlphaPlan } from '../stats/alpha.js';
import { costLogRatioStratum, LOG_RATIO_TAU } from '../stats/cost-ratio.js';
import { mixturePValue, oneSidedHalfWidth } from '../stats/normal-mixture.js';
import { proportionStratum, type Proportion } from '../stats/proportions.js';
import { quantileRatio } from '../stats/quantile-ratio.js';
import { extraSpendUsd } from '../stats/spend.js';
import { winRateTest } from '../stats/judged-quality.js';
import { srmTest } from '../stats/srm.js';
import { standardizedHistograms } from '../stats/standardize.js';
import { combineStrata, type StratumEstimate } from '../stats/strata.js';
import type { ArmAggregate, GuardrailEvidence, GuardrailName, GuardrailVerdict, RampPlan, RouteAggregates, StepArms } from './types.js';

/**
 * Below this many observations per arm a step is left out of a guardrail's comparison, and a guardrail with
 * fewer in all its steps is not evaluated (inconclusive): the plug-in variances are asymptotic, and a handful
 * of bookings says nothing either way.
 */
export const MIN_SAMPLES_PER_ARM = 30;

/** What every guardrail reads at one look. */
export interface GuardrailContext {
  readonly aggregates: RouteAggregates;
  readonly plan: RampPlan;
  readonly alpha: AlphaPlan;
  /** The canary's percent now. */
  readonly percent: number;
}

/** One guardrail: a name and its evidence at one look. Pure: same input, same output. */
export interface Guardrail {
  readonly name: GuardrailName;
  evaluate(context: GuardrailContext): GuardrailEvidence;
}

const fmt = (x: number, digits = 4): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** Steps where both arms have enough observations of `count` to be compared. */
function comparable(steps: readonly StepArms[], count: (a: ArmAggregate) => number): StepArms[] {
  return steps.filter((s) => count(s.canary) >= MIN_SAMPLES_PER_ARM && count(s.control) >= MIN_SAMPLES_PER_ARM);
}

const sum = (steps: readonly StepArms[], f: (s: StepArms) => number): number => steps.reduce((a, s) => a + f(s), 0);

/**
 * A difference of proportions canary − control, compared within steps and combined by information. `worse` says
 * which direction is harm. Harm (rollback): the one-sided bound at the harm α is beyond the margin. Pass
 * (non-inferiority): the one-sided bound at the pass α is inside the margin.
 */
function proportionGuardrail(name: GuardrailName, { pick, trials, worse, margin, label }: {
  pick: (a: ArmAggregate) => Proportion; trials: (a: ArmAggregate) => number; worse: 'lower' | 'higher'; margin: (plan: RampPlan) => number; label: string;
}): Guardrail {
  return {
    name,
    evaluate({ aggregates, plan, alpha }) {
      const m = margin(plan);
      const used = comparable(aggregates.steps, trials);
      const combined = combineStrata(used.map((s) => proportionStratum(pick(s.canary), pick(s.control))).filter((x): x is StratumEstimate => x !== null));
      const threshold = worse === 'lower' ? -m : m;
      const counts = `${label} ${sum(used, (s) => pick(s.canary).successes)}/${sum(used, (s) => pick(s.canary).trials)} vs ${sum(used, (s) => pick(s.control).successes)}/${sum(used, (s) => pick(s.control).trials)} in ${used.length} step(s)`;
      if (combined === null) {
        return { name, verdict: 'inconclusive', estimate: Number.NaN, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY, threshold, pValue: 1, alpha: alpha.harm, detail: `${counts}: not enough yet` };
      }
      const tau2 = m * m;
      const wHarm = oneSidedHalfWidth(combined.variance, tau2, alpha.harm);
      const wPass = oneSidedHalfWidth(combined.variance, tau2, alpha.pass);
      const d = combined.estimate;
      // lower/upper: the bound that decides harm on the worse side, the one that decides a pass on the other.
      const [lower, upper] = worse === 'lower' ? [d - wPass, d + wHarm] : [d - wHarm, d + wPass];
      const verdict: GuardrailVerdict = worse === 'lower'
        ? (upper < -m ? 'fail' : lower > -m ? 'pass' : 'inconclusive')
        : (lower > m ? 'fail' : upper < m ? 'pass' : 'inconclusive');
      return { name, verdict, estimate: d, lower, upper, threshold, pValue: mixturePValue(d, threshold, combined.variance, tau2), alpha: alpha.harm,
        detail: `${counts}; within-step difference ${fmt(d)}, harm bound ${fmt(worse === 'lower' ? upper : lower)} (α ${alpha.harm.toPrecision(3)}), pass bound ${fmt(worse === 'lower' ? lower : upper)} (α ${alpha.pass.toPrecision(3)}), margin ${threshold}` };
    },
  };
}

const bookingSuccess = proportionGuardrail('bookingSuccess', {
  pick: (a) => ({ successes: a.successes, trials: a.bookings }), trials: (a) => a.bookings, worse: 'lower', margin: (p) => p.guardrails.bookingSuccess.margin, label: 'success',
});

const behaviourErrorsBase = proportionGuardrail('behaviourErrors', {
  pick: (a) => ({ successes: a.behaviourErrors, trials: a.calls }), trials: (a) => a.calls, worse: 'higher', margin: (p) => p.guardrails.behaviourErrors.margin, label: 'behaviour errors',
});
const behaviourErrors: Guardrail = {
  name: 'behaviourErrors',
  evaluate(context) {
    const e = behaviourErrorsBase.evaluate(context);
    const capacity = (pick: (s: StepArms) => ArmAggregate): number => sum(context.aggregates.steps, (s) => pick(s).capacityErrors);
    return { ...e, detail: `${e.detail}; capacity errors (not counted) ${capacity((s) => s.canary)} vs ${capacity((s) => s.control)}` };
  },
};

/**
 * p95 latency ratio on both arms' distributions standardised to one mix of steps. Harm: the edge-only lower
 * bound (never anti-conservative) above the cap. Pass: the upper bound interpolated inside buckets below the cap
 * (approximate: exact only if latencies spread evenly within a bucket; see STATISTICS.md).
 */
const latencyP95Ratio: Guardrail = {
  name: 'latencyP95Ratio',
  evaluate({ aggregates, plan, alpha }) {
    const cap = plan.guardrails.latencyP95Ratio.max;
    const used = comparable(aggregates.steps, (a) => a.latency.count);
    const h = standardizedHistograms(used.map((s) => ({ canary: s.canary.latency, control: s.control.latency })));
    if (h === null) {
      return { name: 'latencyP95Ratio', verdict: 'inconclusive', estimate: Number.NaN, lower: 0, upper: Number.POSITIVE_INFINITY, threshold: cap, pValue: Number.NaN, alpha: alpha.harm, detail: 'not enough calls yet' };
    }
    const harm = quantileRatio(h.canary, h.control, 0.95, alpha.harm);
    const pass = quantileRatio(h.canary, h.control, 0.95, alpha.pass);
    const verdict: GuardrailVerdict = harm.strictLower > cap ? 'fail' : pass.upper <= cap ? 'pass' : 'inconclusive';
    return { name: 'latencyP95Ratio', verdict, estimate: harm.estimate, lower: harm.strictLower, upper: pass.upper, threshold: cap, pValue: Number.NaN, alpha: alpha.harm,
      detail: `p95 ${fmt(harm.canary.estimate, 3)}s vs ${fmt(harm.control.estimate, 3)}s (standardised over ${used.length} step(s)); harm bound ${fmt(harm.strictLower, 3)} (bucket edges), pass bound ${fmt(pass.upper, 3)} (interpolated), cap ${cap}` };
  },
};

/** Cost per successful booking, canary / control, log ratios compared within steps and combined. */
const costPerSuccessRatio: Guardrail = {
  name: 'costPerSuccessRatio',
  evaluate({ aggregates, plan, alpha }) {
    const cap = plan.guardrails.costPerSuccessRatio.max;
    const used = comparable(aggregates.steps, (a) => a.bookings);
    const combined = combineStrata(used.map((s) => costLogRatioStratum(s.canary, s.control)).filter((x): x is StratumEstimate => x !== null));
    if (combined === null) {
      return { name: 'costPerSuccessRatio', verdict: 'inconclusive', estimate: Number.NaN, lower: 0, upper: Number.POSITIVE_INFINITY, threshold: cap, pValue: 1, alpha: alpha.harm, detail: 'not enough bookings yet' };
    }
    const tau2 = LOG_RATIO_TAU * LOG_RATIO_TAU;
    const lower = Math.exp(combined.estimate - oneSidedHalfWidth(combined.variance, tau2, alpha.harm));
    const upper = Math.exp(combined.estimate + oneSidedHalfWidth(combined.variance, tau2, alpha.pass));
    const verdict: GuardrailVerdict = lower > cap ? 'fail' : upper <= cap ? 'pass' : 'inconclusive';
    const perSuccess = (pick: (s: StepArms) => ArmAggregate): number => sum(used, (s) => pick(s).costUsd) / sum(used, (s) => pick(s).successes);
    return { name: 'costPerSuccessRatio', verdict, estimate: Math.exp(combined.estimate), lower, upper, threshold: cap,
      pValue: mixturePValue(combined.estimate, Math.log(cap), combined.variance, tau2), alpha: alpha.harm,
      detail: `USD per successful booking ${fmt(perSuccess((s) => s.canary), 5)} vs ${fmt(perSuccess((s) => s.control), 5)}; within-step ratio ${fmt(Math.exp(combined.estimate), 3)}, harm bound ${fmt(lower, 3)}, pass bound ${fmt(upper, 3)}, cap ${cap}` };
  },
};

/**
 * Judged quality (issue 16): non-inferiority of the canary's win rate in a blind pairwise judge's verdicts on its
 * shadow answers against control's served ones (ties as halves; see `winRateTest`). Evaluated only when the ramp
 * sets `guardrails.judgedQuality` (see `evaluateGuardrails`).
 */
const judgedQuality: Guardrail = {
  name: 'judgedQuality',
  evaluate({ aggregates, plan, alpha }) {
    const margin = plan.guardrails.judgedQuality?.margin;
    const counts = aggregates.judgements ?? { candidateBetter: 0, servedBetter: 0, tie: 0 };
    if (margin === undefined) {
      return { name: 'judgedQuality', verdict: 'inconclusive', estimate: Number.NaN, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY, threshold: Number.NaN, pValue: 1, alpha: 0, detail: 'not tested (no guardrails.judgedQuality)' };
    }
    const t = winRateTest(counts, margin, alpha);
    return { name: 'judgedQuality', verdict: t.verdict, estimate: t.estimate, lower: t.passBound, upper: t.harmBound, threshold: t.threshold, pValue: t.pValue, alpha: alpha.harm,
      detail: `judged ${counts.candidateBetter} better / ${counts.servedBetter} worse / ${counts.tie} ties; win rate ${fmt(t.estimate)}, harm bound ${fmt(t.harmBound)} (α ${alpha.harm.toPrecision(3)}), pass bound ${fmt(t.passBound)} (α ${alpha.pass.toPrecision(3)}), margin ${fmt(t.threshold, 3)}` };
  },
};

/** Spend budget: arithmetic, no test. Each step's canary bookings priced at that step's control cost per booking. */
const budget: Guardrail = {
  name: 'budget',
  evaluate({ aggregates, plan }) {
    const extra = sum(aggregates.steps, (s) => {
      const e = extraSpendUsd({ canaryBookings: s.canary.bookings, canaryCostUsd: s.canary.costUsd, controlBookings: s.control.bookings, controlCostUsd: s.control.costUsd });
      return Number.isNaN(e) ? 0 : e;
    });
    return { name: 'budget', verdict: extra >= plan.budgetUsd ? 'fail' : 'pass', estimate: extra, lower: extra, upper: extra, threshold: plan.budgetUsd, pValue: Number.NaN, alpha: 0,
      detail: `extra USD ${fmt(extra, 4)} of budget ${plan.budgetUsd}` };
  },
};

/** SRM on this step's assignments against this step's percent. */
const srm: Guardrail = {
  name: 'srm',
  evaluate({ aggregates, alpha, percent }) {
    const { canaryBookings, otherBookings } = aggregates.step;
    const s = srmTest({ canary: canaryBookings, others: otherBookings, percent }, alpha.srmPerStep);
    const verdict: GuardrailVerdict = s.mismatch ? 'fail' : s.applicable && canaryBookings + otherBookings > 0 ? 'pass' : 'inconclusive';
    return { name: 'srm', verdict, estimate: s.observedShare, lower: Number.NaN, upper: Number.NaN, threshold: s.expectedShare, pValue: s.pValue, alpha: alpha.srmPerStep,
      detail: `step assignments ${canaryBookings}/${canaryBookings + otherBookings} on canary vs ${percent}% configured; chi-square ${fmt(s.chiSquare, 2)}, p ${s.pValue.toExponential(2)}, always-valid p ${s.sequentialPValue.toExponential(2)}` };
  },
};

/** Every guardrail, in the order they are reported. A new guardrail is one more entry of this shape. */
export const GUARDRAILS: readonly Guardrail[] = [bookingSuccess, behaviourErrors, latencyP95Ratio, costPerSuccessRatio, judgedQuality, budget, srm];

/** Every guardrail's evidence at one look (judged quality only when the ramp sets it). Pure: same input, same output. */
export function evaluateGuardrails(aggregates: RouteAggregates, plan: RampPlan, alpha: AlphaPlan, percent: number): GuardrailEvidence[] {
  const judged = plan.guardrails.judgedQuality !== undefined;
  return GUARDRAILS.filter((g) => judged || g.name !== 'judgedQuality').map((g) => g.evaluate({ aggregates, plan, alpha, percent }));
}
