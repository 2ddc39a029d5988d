import { APIError } from '@anthropic-ai/sdk';
import { classifyError } from '@model-canary/router';
import { describe, expect, it } from 'vitest';
import { toModelFailure } from './model-error.js';

const apiError = (status: number, type: string): APIError =>
  APIError.generate(status, { type: 'error', error: { type, message: type } }, undefined, new Headers());
/** What the SDK throws for an SSE `error` event: an APIError with no HTTP status. */
const streamError = (type: string): APIError => new APIError(undefined, { type: 'error', error: { type, message: type } }, type, new Headers());

describe('toModelFailure', () => {
  it.each([
    { name: 'a 408', error: apiError(408, 'timeout_error'), status: 503, errorClass: 'timeout' },
    { name: 'a mid-stream api_error (no HTTP status)', error: streamError('api_error'), status: 502, errorClass: 'server' },
    { name: 'a 529', error: apiError(529, 'overloaded_error'), status: 503, errorClass: 'overloaded' },
    { name: 'a 400', error: apiError(400, 'invalid_request_error'), status: 502, errorClass: 'bad_request' },
  ])('answers $name with the error class the router records ($errorClass), $status', ({ error, status, errorClass }) => {
    const failure = toModelFailure(error, 'orchestrator', {});
    expect(classifyError(error)).toBe(errorClass);
    expect(failure.status).toBe(status);
    expect(failure.details).toMatchObject({ errorClass });
  });
});
