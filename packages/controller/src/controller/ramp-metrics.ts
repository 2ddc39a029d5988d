import { Counter, Gauge, type Registry } from 'prom-client';
import { GUARDRAIL_VERDICTS, RAMP_DECISIONS, type RampDecision } from '../decision/types.js';

export interface RampMetrics {
  /** A look's decision, and the percent in effect after it (the decision's target only when it was written). */
  record(route: string, d: RampDecision, percent: number): void;
}

/** The controller's own series: the step, the decisions, and every guardrail's evidence. */
export function createRampMetrics(registry: Registry, prefix = 'model_canary_'): RampMetrics {
  const step = new Gauge({ name: `${prefix}ramp_step`, help: 'Canary percent the controller holds the route at.', labelNames: ['route'] as const, registers: [registry] });
  const stepIndex = new Gauge({ name: `${prefix}ramp_step_index`, help: 'Index of the current step in the ramp (-1 off plan or at 0%).', labelNames: ['route'] as const, registers: [registry] });
  const decisions = new Counter({ name: `${prefix}ramp_decisions_total`, help: 'Decisions of the rollout controller.', labelNames: ['route', 'decision'] as const, registers: [registry] });
  const evidence = new Gauge({
    name: `${prefix}ramp_guardrail`,
    help: 'Evidence per guardrail at the last look: estimate, lower, upper, threshold, p_value.',
    labelNames: ['route', 'guardrail', 'stat'] as const,
    registers: [registry],
  });
  const verdict = new Gauge({ name: `${prefix}ramp_guardrail_verdict`, help: 'Guardrail verdict at the last look: 1 pass, 0 inconclusive, -1 fail.', labelNames: ['route', 'guardrail'] as const, registers: [registry] });
  const extra = new Gauge({ name: `${prefix}ramp_extra_usd`, help: 'Extra USD the canary cost over control for the same bookings.', labelNames: ['route'] as const, registers: [registry] });
  const mixed = new Gauge({ name: `${prefix}ramp_mixed_bookings`, help: 'Bookings whose calls landed on two arms (excluded from the comparison).', labelNames: ['route'] as const, registers: [registry] });
  return {
    record(route, d, percent) {
      step.set({ route }, percent);
      stepIndex.set({ route }, d.stepIndex);
      for (const decision of RAMP_DECISIONS) decisions.inc({ route, decision }, decision === d.decision ? 1 : 0);
      for (const g of d.guardrails) {
        const stats = { estimate: g.estimate, lower: g.lower, upper: g.upper, threshold: g.threshold, p_value: g.pValue };
        for (const [stat, value] of Object.entries(stats)) if (Number.isFinite(value)) evidence.set({ route, guardrail: g.name, stat }, value);
        verdict.set({ route, guardrail: g.name }, g.verdict === GUARDRAIL_VERDICTS[0] ? 1 : g.verdict === 'fail' ? -1 : 0);
      }
      if (Number.isFinite(d.extraUsd)) extra.set({ route }, d.extraUsd);
      if (d.counts !== null) mixed.set({ route }, d.counts.mixedBookings);
    },
  };
}
