export { createRampController } from './controller/ramp-controller.js';
export type { RampController, RampControllerOptions } from './controller/ramp-controller.js';
export { acquireLock } from './controller/lock-file.js';
export type { Lock } from './controller/lock-file.js';
export { writeFileAtomic } from './controller/atomic-write.js';
export { createPrometheusClient } from './prometheus/prometheus-client.js';
export type { PrometheusClient, VectorSample } from './prometheus/prometheus-client.js';
export { createRouteReader, BEHAVIOUR_ERROR_CLASSES, CAPACITY_ERROR_CLASSES } from './prometheus/read-aggregates.js';
export type { ReadWindow, RouteReader } from './prometheus/read-aggregates.js';
export { decideRamp, evaluateGuardrails, MIN_SAMPLES_PER_ARM, RAMP_DECISIONS, RAMP_REASONS, GUARDRAIL_VERDICTS, GUARDRAIL_NAMES } from './decision/index.js';
export type {
  DecideRampInput, ArmAggregate, RouteAggregates, StepArms, RampPlan, StepState, RampDecisionKind, RampReason, GuardrailVerdict, GuardrailName, GuardrailEvidence, RampDecision,
} from './decision/index.js';
export { toRampPlan, rampedRoutes } from './config/ramp-plan.js';
export { rehearse } from './rehearsal/rehearse.js';
export type { RehearsalOptions, RehearsalResult, ScenarioSummary, RunResult } from './rehearsal/rehearse.js';
export { SCENARIOS, SCENARIO_DESCRIPTIONS } from './rehearsal/scenarios.js';
export type { ScenarioName } from './rehearsal/scenarios.js';
export { WORKLOAD } from './rehearsal/booking-sampler.js';
export { ControllerError, CONTROLLER_ERROR_CODES } from './errors.js';
export type { ControllerErrorCode } from './errors.js';
export { proportionDifference, srmTest, quantileRatio, costPerSuccessRatio, extraSpendUsd, planAlpha, mixtureHalfWidth, mixturePValue, sampleBinomial } from './stats/index.js';
export type { Proportion, ProportionDifference, SrmInput, SrmResult, QuantileRatio, ArmCost, CostRatio, AlphaPlan, Histogram, HistogramBucket } from './stats/index.js';
