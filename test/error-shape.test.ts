import { CONTROLLER_ERROR_CODES, ControllerError } from '@model-canary/controller';
import { CANARY_METRICS_ERROR_CODES, CanaryMetricsError } from '@model-canary/metrics';
import { ERROR_CODES, ModelCanaryError } from '@model-canary/router';
import { SIMULATOR_ERROR_CODES, SimulatorError } from '@model-canary/simulator';
import { describe, expect, it } from 'vitest';

describe('one error shape across the packages', () => {
  it.each([
    ['router', ModelCanaryError, ERROR_CODES.invalidOptions],
    ['metrics', CanaryMetricsError, CANARY_METRICS_ERROR_CODES.invalidOption],
    ['simulator', SimulatorError, SIMULATOR_ERROR_CODES.invalidOptions],
    ['controller', ControllerError, CONTROLLER_ERROR_CODES[0]],
  ] as const)('%s: new Error(code, message, { cause }) with code, message and cause', (_pkg, ErrorClass, code) => {
    const cause = new Error('underneath');
    const error = new (ErrorClass as new (code: string, message: string, options?: { cause?: unknown }) => Error & { code: string })(code, 'what went wrong', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code, message: 'what went wrong', cause, name: ErrorClass.name });
  });
});
