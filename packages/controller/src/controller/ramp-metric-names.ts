/**
 * The rollout controller's own series (`createRampMetrics`, with the default prefix), listed for readers such as
 * the dashboard of `@model-canary/metrics`, whose "Rollout controller" row reads them; a test keeps this list and
 * the registrations identical.
 */
export const CONTROLLER_METRICS = [
  { name: 'model_canary_ramp_step', type: 'gauge', labels: ['route'] },
  { name: 'model_canary_ramp_step_index', type: 'gauge', labels: ['route'] },
  { name: 'model_canary_ramp_decisions_total', type: 'counter', labels: ['route', 'decision'] },
  { name: 'model_canary_ramp_guardrail', type: 'gauge', labels: ['route', 'guardrail', 'stat'] },
  { name: 'model_canary_ramp_guardrail_verdict', type: 'gauge', labels: ['route', 'guardrail'] },
  { name: 'model_canary_ramp_extra_usd', type: 'gauge', labels: ['route'] },
  { name: 'model_canary_ramp_mixed_bookings', type: 'gauge', labels: ['route'] },
] as const;

export type ControllerMetric = (typeof CONTROLLER_METRICS)[number];

/** The names alone, for checks such as "this PromQL reads only known series". */
export const CONTROLLER_METRIC_NAMES: readonly string[] = CONTROLLER_METRICS.map((m) => m.name);
