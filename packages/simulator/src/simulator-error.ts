/** Codes of the simulator's own (host-side) errors, as opposed to the API errors it serves. */
export const SIMULATOR_ERROR_CODES = {
  invalidOptions: 'invalid_options',
  listenFailed: 'listen_failed',
} as const;

export type SimulatorErrorCode = (typeof SIMULATOR_ERROR_CODES)[keyof typeof SIMULATOR_ERROR_CODES];

/** The one base error of this package: thrown to the host process, never sent over HTTP. */
export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
  readonly code: SimulatorErrorCode;

  constructor(code: SimulatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
