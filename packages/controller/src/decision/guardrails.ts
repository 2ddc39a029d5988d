import type { AlphaPlan } from '../stats/alpha.js';
import { costPerSuccessRatio } from '../stats/cost-ratio.js';
import { proportionDifference } from '../stats/proportions.js';
import { quantileRatio } from '../stats/quantile-ratio.js';
import { extraSpendUsd } from '../stats/spend.js';
import { srmTest } from '../stats/srm.js';
import type { GuardrailEvidence, RampPlan, RouteAggregates } from './types.js';

/**
 * Below this many observations per arm a guardrail is not evaluated (inconclusive): the plug-in
 * variances are asymptotic, and a handful of bookings says nothing either way.
 */
export const MIN_SAMPLES_PER_ARM = 30;

const fmt = (x: number, digits = 4): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** Every guardrail's evidence at one look. Pure: same input, same output. */
export function evaluateGuardrails(agg: RouteAggregates, plan: RampPlan, alpha: AlphaPlan, percent: number): GuardrailEvidence[] {
  const { canary, control } = agg.cumulative;
  const g = plan.guardrails;
  const a = alpha.perGuardrail;
  const enough = (n1: number, n0: number): boolean => n1 >= MIN_SAMPLES_PER_ARM && n0 >= MIN_SAMPLES_PER_ARM;
  const out: GuardrailEvidence[] = [];

  // Booking success, non-inferiority: fail when canary − control < −margin with confidence.
  {
    const m = g.bookingSuccess.margin;
    const d = proportionDifference({ successes: canary.successes, trials: canary.bookings }, { successes: control.successes, trials: control.bookings }, { alpha: a, tau: m, theta0: -m });
    const ok = enough(canary.bookings, control.bookings);
    const verdict = !ok ? 'inconclusive' : d.upper < -m ? 'fail' : d.lower > -m ? 'pass' : 'inconclusive';
    out.push({ name: 'bookingSuccess', verdict, estimate: d.estimate, lower: d.lower, upper: d.upper, threshold: -m, pValue: d.pValue, alpha: a,
      detail: `success ${canary.successes}/${canary.bookings} vs ${control.successes}/${control.bookings}; difference ${fmt(d.estimate)} in [${fmt(d.lower)}, ${fmt(d.upper)}], margin −${m}` });
  }

  // Model-behaviour errors per call: fail when canary − control > +margin with confidence.
  {
    const m = g.behaviourErrors.margin;
    const d = proportionDifference({ successes: canary.behaviourErrors, trials: canary.calls }, { successes: control.behaviourErrors, trials: control.calls }, { alpha: a, tau: m, theta0: m });
    const ok = enough(canary.calls, control.calls);
    const verdict = !ok ? 'inconclusive' : d.lower > m ? 'fail' : d.upper < m ? 'pass' : 'inconclusive';
    out.push({ name: 'behaviourErrors', verdict, estimate: d.estimate, lower: d.lower, upper: d.upper, threshold: m, pValue: d.pValue, alpha: a,
      detail: `behaviour errors ${canary.behaviourErrors}/${canary.calls} vs ${control.behaviourErrors}/${control.calls} calls; capacity errors (not counted) ${canary.capacityErrors} vs ${control.capacityErrors}` });
  }

  // p95 latency ratio: a rollback needs the edge-only lower bound above the cap; a pass may interpolate.
  {
    const cap = g.latencyP95Ratio.max;
    const r = quantileRatio(canary.latency, control.latency, 0.95, a);
    const ok = enough(canary.latency.count, control.latency.count);
    const verdict = !ok ? 'inconclusive' : r.strictLower > cap ? 'fail' : r.upper <= cap ? 'pass' : 'inconclusive';
    out.push({ name: 'latencyP95Ratio', verdict, estimate: r.estimate, lower: r.lower, upper: r.upper, threshold: cap, pValue: Number.NaN, alpha: a,
      detail: `p95 ${fmt(r.canary.estimate, 3)}s vs ${fmt(r.control.estimate, 3)}s; ratio in [${fmt(r.lower, 3)}, ${fmt(r.upper, 3)}] (edges [${fmt(r.strictLower, 3)}, ${fmt(r.strictUpper, 3)}]), cap ${cap}` });
  }

  // Cost per successful booking ratio.
  {
    const cap = g.costPerSuccessRatio.max;
    const r = costPerSuccessRatio(canary, control, { alpha: a, cap });
    const ok = enough(canary.bookings, control.bookings);
    const verdict = !ok ? 'inconclusive' : r.lower > cap ? 'fail' : r.upper <= cap ? 'pass' : 'inconclusive';
    out.push({ name: 'costPerSuccessRatio', verdict, estimate: r.estimate, lower: r.lower, upper: r.upper, threshold: cap, pValue: r.pValue, alpha: a,
      detail: `USD per successful booking ${fmt(r.canaryCostPerSuccess, 5)} vs ${fmt(r.controlCostPerSuccess, 5)}; ratio in [${fmt(r.lower, 3)}, ${fmt(r.upper, 3)}], cap ${cap}` });
  }

  // Spend budget: arithmetic on what was spent, no test.
  {
    const extra = extraSpendUsd({ canaryBookings: canary.bookings, canaryCostUsd: canary.costUsd, controlBookings: control.bookings, controlCostUsd: control.costUsd });
    const verdict = extra >= plan.budgetUsd ? 'fail' : 'pass';
    out.push({ name: 'budget', verdict, estimate: extra, lower: extra, upper: extra, threshold: plan.budgetUsd, pValue: Number.NaN, alpha: 0,
      detail: `extra USD ${fmt(extra, 4)} of budget ${plan.budgetUsd}` });
  }

  // SRM on this step's own counts against this step's own percent.
  {
    const s = srmTest({ canary: agg.step.canaryBookings, others: agg.step.otherBookings, percent }, alpha.srmPerStep);
    const verdict = s.mismatch ? 'fail' : s.applicable && agg.step.canaryBookings + agg.step.otherBookings > 0 ? 'pass' : 'inconclusive';
    out.push({ name: 'srm', verdict, estimate: s.observedShare, lower: Number.NaN, upper: Number.NaN, threshold: s.expectedShare, pValue: s.pValue, alpha: alpha.srmPerStep,
      detail: `step split ${agg.step.canaryBookings}/${agg.step.canaryBookings + agg.step.otherBookings} on canary vs ${percent}% configured; chi-square ${fmt(s.chiSquare, 2)}, p ${s.pValue.toExponential(2)}, always-valid p ${s.sequentialPValue.toExponential(2)}` });
  }
  return out;
}
