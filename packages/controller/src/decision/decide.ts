import { planAlpha, testedGuardrails } from '../stats/alpha.js';
import { winRateTest } from '../stats/judged-quality.js';
import { evaluateGuardrails } from './guardrails.js';
import { sumArms } from './sum-arms.js';
import type { GuardrailEvidence, RampDecision, RampPlan, RampReason, RouteAggregates, StepState } from './types.js';

export interface DecideRampInput {
  readonly state: StepState;
  /** null when there is nothing to read: Prometheus down, a failed query, no series. */
  readonly aggregates: RouteAggregates | null;
  readonly plan: RampPlan;
  /** Epoch ms. */
  readonly now: number;
}

/**
 * advance | hold | rollback for one route at one look. Pure and synchronous: the controller, the
 * rehearsal and the tests all call exactly this.
 *
 * Order: stopped/disabled/no data hold first (no data is never evidence); the last step holds as completed
 * (the comparison is over: control gets no traffic); then any failure rolls back (SRM, budget, a guardrail
 * showing harm with confidence); an off-plan percent holds, unmet step minimums hold; then the next step: below
 * `proveBefore` (and not the last) it advances on no harm, at or above it every tested guardrail must pass
 * (non-inferiority proven), otherwise the step is extended (inconclusive).
 */
export function decideRamp({ state, aggregates, plan, now }: DecideRampInput): RampDecision {
  const stepIndex = plan.steps.findIndex((s) => s.percent === state.percent);
  const base = { fromPercent: state.percent, at: now, stepIndex };
  const hold = (reason: RampReason, summary: string, guardrails: readonly GuardrailEvidence[] = [], extraUsd = Number.NaN): RampDecision => ({
    ...base, decision: 'hold', reason, toPercent: state.percent, guardrails, counts: countsOf(aggregates), extraUsd, summary,
  });

  if (state.enabled === false) return hold('disabled', 'route switched off; nothing to ramp');
  if (state.phase === 'shadow' && state.percent === 0 && plan.shadow !== undefined) return decideShadowPhase({ state, aggregates, plan, now }, hold);
  if (state.percent === 0) return hold('stopped', 'canary at 0% (not started or rolled back): only a person moves it');
  if (stepIndex === plan.steps.length - 1) return hold('completed', `last step (${state.percent}%) reached: the comparison is over`);
  if (aggregates === null) return hold('no-data', 'no data (Prometheus unreachable, failed query or no series): holding, neither pass nor fail');
  const ended = aggregates.steps.reduce((a, s) => a + s.canary.bookings + s.control.bookings, 0);
  if (ended === 0 && aggregates.step.canaryBookings + aggregates.step.otherBookings === 0) return hold('no-data', 'no bookings yet: holding');

  const alpha = planAlpha({ alpha: plan.alpha, steps: plan.steps.map((s) => s.percent), judged: plan.guardrails.judgedQuality !== undefined });
  const guardrails = evaluateGuardrails(aggregates, plan, alpha, state.percent);
  const extraUsd = guardrails.find((g) => g.name === 'budget')?.estimate ?? Number.NaN;
  const failed = guardrails.filter((g) => g.verdict === 'fail');
  if (failed.length > 0) {
    const first = failed.find((g) => g.name === 'srm') ?? failed.find((g) => g.name === 'budget') ?? failed[0]!;
    const reason: RampReason = first.name === 'srm' ? 'sample-ratio-mismatch' : first.name === 'budget' ? 'budget-exhausted' : 'guardrail-failed';
    return {
      ...base, decision: 'rollback', reason, toPercent: 0, guardrails, counts: countsOf(aggregates), extraUsd,
      summary: `rollback to 0%: ${failed.map((g) => `${g.name} (${g.detail})`).join('; ')}`,
    };
  }

  if (stepIndex < 0) return hold('off-plan', `${state.percent}% is not a step of the ramp (set by a person?): not advancing from it`, guardrails, extraUsd);

  const step = plan.steps[stepIndex]!;
  const elapsedMinutes = (now - state.stepStartedAt) / 60_000;
  const { canaryBookings, controlBookings } = aggregates.step;
  if (canaryBookings < step.minBookingsPerArm || controlBookings < step.minBookingsPerArm || elapsedMinutes < step.minDurationMinutes) {
    return hold('step-minimum',
      `step ${state.percent}%: ${canaryBookings}/${controlBookings} bookings assigned (min ${step.minBookingsPerArm} per arm), ${elapsedMinutes.toFixed(1)} of ${step.minDurationMinutes} min`,
      guardrails, extraUsd);
  }
  const next = plan.steps[stepIndex + 1]!.percent;
  const mustProve = next >= plan.proveBefore || stepIndex + 1 === plan.steps.length - 1;
  if (!mustProve) {
    return { ...base, decision: 'advance', reason: 'no-harm', toPercent: next, guardrails, counts: countsOf(aggregates), extraUsd,
      summary: `advance ${state.percent}% → ${next}%: step minimums met, no guardrail shows harm` };
  }
  const tested: readonly string[] = testedGuardrails(plan.guardrails.judgedQuality !== undefined);
  const open = guardrails.filter((g) => tested.includes(g.name) && g.verdict !== 'pass');
  if (open.length > 0) return hold('inconclusive', `non-inferiority not proven yet (needed before ${next}%): ${open.map((g) => g.name).join(', ')}`, guardrails, extraUsd);
  return { ...base, decision: 'advance', reason: 'guardrails-passed', toPercent: next, guardrails, counts: countsOf(aggregates), extraUsd,
    summary: `advance ${state.percent}% → ${next}%: every guardrail passed` };
}

/**
 * The shadow phase (issue 16): at 0%, before the first step, only judged quality is read. Proven worse than
 * `ramp.shadow.margin` → rollback (`shadow-failed`: the ramp never starts); proven non-inferior with at least
 * `minJudgements` → advance to the first step (`shadow-passed`); otherwise hold. Its α is judged quality's share of
 * the rollout's α, and the same judgements keep counting during the ramp (the test is time-uniform).
 */
function decideShadowPhase({ state, aggregates, plan, now }: DecideRampInput, hold: (reason: RampReason, summary: string, guardrails?: readonly GuardrailEvidence[]) => RampDecision): RampDecision {
  const shadow = plan.shadow!;
  if (aggregates === null) return hold('no-data', 'shadow phase: no data (Prometheus unreachable, failed query or no series): holding');
  const alpha = planAlpha({ alpha: plan.alpha, steps: plan.steps.map((s) => s.percent), judged: true });
  const counts = aggregates.judgements ?? { candidateBetter: 0, servedBetter: 0, tie: 0 };
  const t = winRateTest(counts, shadow.margin, alpha);
  const evidence: GuardrailEvidence = {
    name: 'judgedQuality', verdict: t.verdict, estimate: t.estimate, lower: t.passBound, upper: t.harmBound, threshold: t.threshold, pValue: t.pValue, alpha: alpha.harm,
    detail: `shadow phase: ${counts.candidateBetter} better / ${counts.servedBetter} worse / ${counts.tie} ties (min ${shadow.minJudgements}); win rate ${t.estimate.toFixed(4)}, harm bound ${t.harmBound.toFixed(4)}, pass bound ${t.passBound.toFixed(4)}, margin ${t.threshold.toFixed(3)}`,
  };
  const base = { fromPercent: state.percent, at: now, stepIndex: -1, guardrails: [evidence], counts: countsOf(aggregates), extraUsd: 0 };
  if (t.verdict === 'fail') return { ...base, decision: 'rollback', reason: 'shadow-failed', toPercent: 0, summary: `shadow phase failed, the ramp does not start: ${evidence.detail}` };
  if (t.verdict === 'pass' && t.n >= shadow.minJudgements) {
    const first = plan.steps[0]!.percent;
    return { ...base, decision: 'advance', reason: 'shadow-passed', toPercent: first, summary: `shadow phase passed: advance 0% → ${first}% (${evidence.detail})` };
  }
  return hold('shadow-judging', evidence.detail, [evidence]);
}

function countsOf(a: RouteAggregates | null): RampDecision['counts'] {
  if (a === null) return null;
  return { canary: sumArms(a.steps.map((s) => s.canary)), control: sumArms(a.steps.map((s) => s.control)), step: a.step, mixedBookings: a.mixedBookings };
}
