import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { DeadlineExceededError } from '../errors.js';
import { classifyError, classifyErrorType, classifyStatus, isCallerAbort, stopReasonErrorClass } from './classify-error.js';

const headers = new Headers({ 'request-id': 'req_1' });
const body = (type: string) => ({ type: 'error', error: { type, message: 'x' } });

describe('classifyError', () => {
  it.each([
    { name: 'RateLimitError (429)', err: Anthropic.APIError.generate(429, body('rate_limit_error'), undefined, headers), want: 'rate_limit' },
    { name: 'OverloadedError (529)', err: Anthropic.APIError.generate(529, body('overloaded_error'), undefined, headers), want: 'overloaded' },
    { name: 'InternalServerError (500)', err: Anthropic.APIError.generate(500, body('api_error'), undefined, headers), want: 'server' },
    { name: 'ServiceUnavailableError (503)', err: Anthropic.APIError.generate(503, body('api_error'), undefined, headers), want: 'server' },
    { name: 'GatewayTimeoutError (504)', err: Anthropic.APIError.generate(504, body('timeout_error'), undefined, headers), want: 'timeout' },
    { name: 'BadRequestError (400)', err: Anthropic.APIError.generate(400, body('invalid_request_error'), undefined, headers), want: 'bad_request' },
    { name: 'NotFoundError (404)', err: Anthropic.APIError.generate(404, body('not_found_error'), undefined, headers), want: 'bad_request' },
    { name: 'AuthenticationError (401)', err: Anthropic.APIError.generate(401, body('authentication_error'), undefined, headers), want: 'auth' },
    { name: 'PermissionDeniedError (403)', err: Anthropic.APIError.generate(403, body('permission_error'), undefined, headers), want: 'auth' },
    { name: 'ConflictError (409)', err: Anthropic.APIError.generate(409, body('conflict_error'), undefined, headers), want: 'other' },
    { name: 'APIConnectionTimeoutError', err: new Anthropic.APIConnectionTimeoutError(), want: 'timeout' },
    { name: 'APIConnectionError', err: new Anthropic.APIConnectionError({ cause: new TypeError('fetch failed') }), want: 'connection' },
    { name: 'SSE error event overloaded_error (no status)', err: new Anthropic.APIError(undefined, body('overloaded_error'), undefined, headers, 'overloaded_error'), want: 'overloaded' },
    { name: 'SSE error event api_error (no status)', err: new Anthropic.APIError(undefined, body('api_error'), undefined, headers), want: 'server' },
    { name: 'a body cut mid-stream', err: Object.assign(new Anthropic.AnthropicError('terminated'), { cause: Object.assign(new TypeError('terminated'), { cause: { code: 'UND_ERR_SOCKET' } }) }), want: 'connection' },
    { name: 'the router deadline', err: new DeadlineExceededError('orchestrator', 500), want: 'timeout' },
    { name: 'the router deadline inside a stream error', err: Object.assign(new Anthropic.AnthropicError('passed'), { cause: new DeadlineExceededError('specialist', 500) }), want: 'timeout' },
    { name: 'the caller aborting', err: new Anthropic.APIUserAbortError(), want: 'other' },
    { name: 'a local SDK refusal', err: new Anthropic.AnthropicError('Streaming is required'), want: 'other' },
    { name: 'a non-error value', err: 'boom', want: 'other' },
  ])('$name -> $want', ({ err, want }) => {
    expect(classifyError(err)).toBe(want);
  });
});

describe('classifyStatus and classifyErrorType', () => {
  it.each([
    [429, 'rate_limit'],
    [529, 'overloaded'],
    [408, 'timeout'],
    [502, 'server'],
    [413, 'bad_request'],
    [422, 'bad_request'],
    [402, 'other'],
  ] as const)('status %i -> %s', (status, want) => {
    expect(classifyStatus(status)).toBe(want);
  });

  it.each([
    ['rate_limit_error', 'rate_limit'],
    ['timeout_error', 'timeout'],
    ['authentication_error', 'auth'],
    ['billing_error', 'other'],
    [undefined, 'other'],
  ] as const)('type %s -> %s', (type, want) => {
    expect(classifyErrorType(type)).toBe(want);
  });
});

describe('stopReasonErrorClass', () => {
  it.each([
    ['end_turn', null],
    ['tool_use', null],
    ['stop_sequence', null],
    ['pause_turn', null],
    ['refusal', 'refusal'],
    ['max_tokens', 'max_tokens'],
    ['model_context_window_exceeded', 'max_tokens'],
    [null, null],
  ] as const)('%s -> %s', (stop, want) => {
    expect(stopReasonErrorClass(stop)).toBe(want);
  });
});

describe('isCallerAbort', () => {
  it('recognises the SDK abort and a DOM AbortError, not a timeout', () => {
    expect(isCallerAbort(new Anthropic.APIUserAbortError())).toBe(true);
    expect(isCallerAbort(new DOMException('aborted', 'AbortError'))).toBe(true);
    expect(isCallerAbort(new Anthropic.APIConnectionTimeoutError())).toBe(false);
  });
});
