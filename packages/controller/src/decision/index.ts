export { decideRamp } from './decide.js';
export type { DecideRampInput } from './decide.js';
export { evaluateGuardrails, GUARDRAILS, MIN_SAMPLES_PER_ARM } from './guardrails.js';
export type { Guardrail, GuardrailContext } from './guardrails.js';
export { RAMP_DECISIONS, RAMP_REASONS, GUARDRAIL_VERDICTS, GUARDRAIL_NAMES } from './types.js';
export type {
  ArmAggregate, RouteAggregates, StepArms, RampPlan, StepState, RampDecisionKind, RampReason, GuardrailVerdict, GuardrailName, GuardrailEvidence, RampDecision,
} from './types.js';
