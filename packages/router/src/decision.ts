/** Why a decision answered the arm it did. */
export const DECISION_REASONS = ['split', 'forced', 'default', 'disabled', 'error'] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

/** Which arm of a route one call goes to, and why. Plain data: log it, count it, recompute it. */
export interface Decision {
  readonly route: string;
  readonly arm: string;
  readonly model: string;
  /** The unit's bucket in [0, 1) at 1/10000 resolution (hashBucket or the seeded stream). */
  readonly bucket: number;
  readonly reason: DecisionReason;
  /** False when the call had no unit key and its bucket came from the seeded stream. */
  readonly keyed: boolean;
  /** Version of the config snapshot that decided (increments on every applied reload). */
  readonly configVersion: number;
}

export interface DecideInput {
  readonly route: string;
  readonly key?: string | undefined;
  /** Pins the call to a named arm of the route (reason `forced`); an unknown arm falls back to the split. */
  readonly forceArm?: string | undefined;
}
