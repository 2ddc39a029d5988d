/**
 * The closed label sets. They mirror the router's event contract (`packages/router/src/events.ts`,
 * `decision.ts`); a test keeps them identical to the router's exported constants.
 */
export const DECISION_REASON_VALUES = ['split', 'forced', 'default', 'disabled', 'error'] as const;
export const CALL_OUTCOME_VALUES = ['success', 'error', 'fallback'] as const;
export const ERROR_CLASS_VALUES = [
  'rate_limit',
  'overloaded',
  'server',
  'timeout',
  'connection',
  'bad_request',
  'auth',
  'refusal',
  'max_tokens',
  'other',
] as const;
export const UNIT_OUTCOME_VALUES = ['success', 'failure', 'invalid', 'abandoned'] as const;
export const TOKEN_TYPE_VALUES = ['input', 'output', 'cache_read', 'cache_write_5m', 'cache_write_1h'] as const;
export const ATTEMPT_ORIGIN_VALUES = ['primary', 'fallback'] as const;
export const RELOAD_RESULT_VALUES = ['applied', 'rejected', 'unchanged', 'missing'] as const;
export const ARM_ROLE_VALUES = ['control', 'canary'] as const;

/** What any value outside its closed set is folded into. */
export const OTHER = 'other';
/** `error_class` of an attempt that succeeded. */
export const NO_ERROR = 'none';

/** Folds `value` into `other` unless it belongs to `allowed`. */
export function foldInto(allowed: readonly string[], value: string | null | undefined): string {
  return value !== null && value !== undefined && allowed.includes(value) ? value : OTHER;
}
