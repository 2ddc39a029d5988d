export const REPORT_ERROR_CODES = ['BAD_EXPOSITION', 'NOTHING_TO_REPORT'] as const;
export type ReportErrorCode = (typeof REPORT_ERROR_CODES)[number];

/** The one error type of @model-canary/report; `code` says what went wrong, `cause` why. */
export class ReportError extends Error {
  override readonly name = 'ReportError';
  readonly code: ReportErrorCode;

  constructor(code: ReportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
