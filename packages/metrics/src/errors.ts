export const CANARY_METRICS_ERROR_CODES = {
  /** A metric of this name already exists on the registry (two createCanaryMetrics on one registry?). */
  alreadyRegistered: 'ALREADY_REGISTERED',
  /** An option is out of range (bad prefix, unsorted buckets, …). */
  invalidOption: 'INVALID_OPTION',
} as const;
export type CanaryMetricsErrorCode = (typeof CANARY_METRICS_ERROR_CODES)[keyof typeof CANARY_METRICS_ERROR_CODES];

/** The one error type of this package; `code` tells callers what went wrong without parsing the message. */
export class CanaryMetricsError extends Error {
  override readonly name = 'CanaryMetricsError';
  readonly code: CanaryMetricsErrorCode;

  constructor(code: CanaryMetricsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
