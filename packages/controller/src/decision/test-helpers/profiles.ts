import { lognormalBuckets, type CountProfile } from './count-rollout.js';
import type { RampPlan } from '../types.js';

export const PLAN: RampPlan = {
  canaryArm: 'canary',
  controlArm: 'control',
  steps: [5, 10, 25, 50, 100].map((percent) => ({ percent, minBookingsPerArm: 100, minDurationMinutes: 5 })),
  alpha: 0.05,
  guardrails: { bookingSuccess: { margin: 0.02 }, behaviourErrors: { margin: 0.01 }, latencyP95Ratio: { max: 3 }, costPerSuccessRatio: { max: 3.5 } },
  budgetUsd: 1_000,
  proveBefore: 50,
};

export const HAIKU: CountProfile = { success: 0.9, behaviourError: 0.02, capacityError: 0.01, costMean: 0.004, costSd: 0.002, latencyBuckets: lognormalBuckets(1.5, 0.5) };
export const SONNET: CountProfile = { ...HAIKU, success: 0.93, behaviourError: 0.01, costMean: 0.012, costSd: 0.006, latencyBuckets: lognormalBuckets(3, 0.5) };
