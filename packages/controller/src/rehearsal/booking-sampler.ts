import type { ModelPrice } from '@model-canary/router';
import type { ModelProfile } from '@model-canary/simulator';
import type { Uniform } from '../stats/binomial.js';
import type { ModelCalibration } from './calibrate.js';
import { sampleLognormal } from './lognormal.js';

/**
 * The booking workload of a rehearsal, shaped like examples/booking-agent: one orchestrator call
 * (forced `plan_booking` tool) on the ramped route, then 1–3 specialist calls on the control model.
 * Token counts of the prompts are fixed estimates of that example's prompts.
 */
export const WORKLOAD = {
  orchestratorInputTokens: 1200,
  specialistInputTokens: 400,
  minSpecialists: 1,
  maxSpecialists: 3,
  /** The SDK's default: 2 retries of 429/529/5xx/timeouts, so 3 attempts. */
  attempts: 3,
} as const;

export interface SampledBooking {
  readonly outcome: 'success' | 'failure' | 'invalid';
  /** Orchestrator calls on the ramped route (1). */
  readonly calls: number;
  /** 1 when the plan was invalid or incomplete (model behaviour), else 0. */
  readonly behaviourError: number;
  /** Failed orchestrator attempts from provider capacity (429/529/500/timeouts). */
  readonly capacityErrors: number;
  /** Whole booking cost in USD (orchestrator + specialists), as the unit cost metric records it. */
  readonly costUsd: number;
  /** Orchestrator call latency in seconds, failed calls included (intent to treat: a failure's time counts too). */
  readonly latencySeconds: number;
  /** How long the whole booking took: orchestrator then its specialists one after the other. */
  readonly durationSeconds: number;
}

const CAPACITY_KINDS = ['rate_limit', 'overloaded', 'server', 'timeout'] as const;

function capacityFailure(profile: ModelProfile): number {
  let p = 0;
  for (const k of CAPACITY_KINDS) p += profile.errorRates[k] ?? 0;
  return Math.min(1, p);
}

function callCost(price: ModelPrice, input: number, output: number): number {
  return (input * price.input + output * price.output) / 1_000_000;
}

/**
 * One booking drawn from the simulator's model profiles: each orchestrator attempt fails with the
 * profile's capacity error rates (and is retried like the SDK does), the plan is invalid or
 * incomplete with the profile's `planQuality` rates (the booking agent rejects both: outcome
 * `invalid`), latency is time to first token plus output tokens over output speed. With a
 * calibration (calibrate.ts), the plan's input and output tokens are resampled from real calls
 * through the router and the simulator; without one they are WORKLOAD's estimate and the profile's
 * text length.
 */
export function sampleBooking(
  arm: { profile: ModelProfile; price: ModelPrice; calibration?: ModelCalibration | undefined },
  specialist: { profile: ModelProfile; price: ModelPrice },
  random: Uniform,
): SampledBooking {
  const pFail = capacityFailure(arm.profile);
  let capacityErrors = 0;
  while (capacityErrors < WORKLOAD.attempts && random() < pFail) capacityErrors++;
  if (capacityErrors === WORKLOAD.attempts) {
    // Every attempt answered with an error quickly (about a time to first token each).
    const failedAfter = WORKLOAD.attempts * sampleLognormal(arm.profile.ttftMs, random) / 1000;
    return { outcome: 'failure', calls: 1, behaviourError: 0, capacityErrors, costUsd: 0, latencySeconds: failedAfter, durationSeconds: failedAfter };
  }
  const pool = arm.calibration?.outputTokens;
  const output = pool !== undefined && pool.length > 0 ? pool[Math.floor(random() * pool.length)]! : Math.max(1, Math.round(sampleLognormal(arm.profile.outputTokens, random)));
  const input = arm.calibration !== undefined && arm.calibration.inputTokens > 0 ? arm.calibration.inputTokens : WORKLOAD.orchestratorInputTokens;
  const latencySeconds = sampleLognormal(arm.profile.ttftMs, random) / 1000 + output / sampleLognormal(arm.profile.outputTokensPerSecond, random);
  let costUsd = callCost(arm.price, input, output);
  const u = random();
  const { invalidRate, incompleteRate } = arm.profile.planQuality;
  if (u < invalidRate + incompleteRate) {
    return { outcome: 'invalid', calls: 1, behaviourError: 1, capacityErrors, costUsd, latencySeconds, durationSeconds: latencySeconds };
  }
  const specialists = WORKLOAD.minSpecialists + Math.floor(random() * (WORKLOAD.maxSpecialists - WORKLOAD.minSpecialists + 1));
  const pSpecFail = capacityFailure(specialist.profile) ** WORKLOAD.attempts;
  let failed = false;
  let durationSeconds = latencySeconds;
  for (let i = 0; i < specialists; i++) {
    if (random() < pSpecFail) {
      failed = true;
      break;
    }
    const tokens = Math.max(1, Math.round(sampleLognormal(specialist.profile.outputTokens, random)));
    costUsd += callCost(specialist.price, WORKLOAD.specialistInputTokens, tokens);
    durationSeconds += sampleLognormal(specialist.profile.ttftMs, random) / 1000 + tokens / sampleLognormal(specialist.profile.outputTokensPerSecond, random);
  }
  return { outcome: failed ? 'failure' : 'success', calls: 1, behaviourError: 0, capacityErrors, costUsd, latencySeconds, durationSeconds };
}
