/** Error types a client of this service can branch on (the `error.type` of a JSON error body). */
export const ERROR_TYPES = {
  invalidJson: 'invalid_json',
  invalidBody: 'invalid_body',
  bodyTooLarge: 'body_too_large',
  validation: 'validation_error',
  idempotencyMismatch: 'idempotency_key_mismatch',
  idempotencyFull: 'idempotency_store_full',
  invalidPlan: 'invalid_plan',
  verificationRejected: 'verification_rejected',
  modelUnavailable: 'model_unavailable',
  modelError: 'model_error',
  draining: 'shutting_down',
  overloaded: 'overloaded',
  notFound: 'not_found',
  unsupportedMediaType: 'unsupported_media_type',
  internal: 'internal_error',
} as const;
export type ErrorType = (typeof ERROR_TYPES)[keyof typeof ERROR_TYPES];

/** The base error of this service: an HTTP status, a public type and message, and the cause kept for logs. */
export class BookingAgentError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BookingAgentError';
    this.details = options?.details ?? {};
  }
  readonly details: Record<string, unknown>;

  get code(): ErrorType {
    return this.type;
  }

  toBody(): { error: { type: ErrorType; message: string } & Record<string, unknown> } {
    return { error: { type: this.type, message: this.message, ...this.details } };
  }
}
