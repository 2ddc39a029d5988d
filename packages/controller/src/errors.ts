export const CONTROLLER_ERROR_CODES = ['NO_RAMP', 'INVALID_CONFIG', 'LOCKED', 'CONFLICT', 'PROMETHEUS', 'USAGE', 'READ_ONLY'] as const;
export type ControllerErrorCode = (typeof CONTROLLER_ERROR_CODES)[number];

/** The one error type of @model-canary/controller; `code` says what went wrong, `cause` why. */
export class ControllerError extends Error {
  override readonly name = 'ControllerError';
  readonly code: ControllerErrorCode;

  constructor(code: ControllerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
