import {
  ATTEMPT_ORIGINS,
  CALL_OUTCOMES,
  DECISION_REASONS,
  ERROR_CLASSES,
  RELOAD_RESULTS,
  STOP_REASON_ERROR_CLASSES,
  TOKEN_TYPES,
  UNIT_OUTCOMES,
} from '@model-canary/router';

// The closed label sets are the router's own event vocabulary: one list, so they cannot drift apart.
export const DECISION_REASON_VALUES = DECISION_REASONS;
export const CALL_OUTCOME_VALUES = CALL_OUTCOMES;
export const ERROR_CLASS_VALUES = ERROR_CLASSES;
/** The error classes an attempt can end in: a stop-reason class marks a call whose attempt answered. */
export const ATTEMPT_ERROR_CLASS_VALUES = ERROR_CLASSES.filter((c) => !(STOP_REASON_ERROR_CLASSES as readonly string[]).includes(c));
export const UNIT_OUTCOME_VALUES = UNIT_OUTCOMES;
export const TOKEN_TYPE_VALUES = TOKEN_TYPES;
export const ATTEMPT_ORIGIN_VALUES = ATTEMPT_ORIGINS;
export const RELOAD_RESULT_VALUES = RELOAD_RESULTS;
export const ARM_ROLE_VALUES = ['control', 'canary'] as const;

/** What any value outside its closed set is folded into. */
export const OTHER = 'other';
/** `error_class` of an attempt that succeeded. */
export const NO_ERROR = 'none';

/** Folds `value` into `other` unless it belongs to `allowed`. */
export function foldInto(allowed: readonly string[], value: string | null | undefined): string {
  return value !== null && value !== undefined && allowed.includes(value) ? value : OTHER;
}
