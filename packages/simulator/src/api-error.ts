/** The Messages API's error types, by the HTTP status the real API sends them with. */
export const API_ERROR_TYPES = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
} as const;

export type ApiErrorType = keyof typeof API_ERROR_TYPES;

/** An error answer of the simulated API: rendered as the real body `{type:'error', error:{type,message}, request_id}`. */
export interface ApiErrorReply {
  readonly status: number;
  readonly type: ApiErrorType;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function apiError(type: ApiErrorType, message: string, headers?: Record<string, string>): ApiErrorReply {
  return headers === undefined
    ? { status: API_ERROR_TYPES[type], type, message }
    : { status: API_ERROR_TYPES[type], type, message, headers };
}

export function invalidRequest(message: string): ApiErrorReply {
  return apiError('invalid_request_error', message);
}

export function errorBody(type: ApiErrorType, message: string, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
}
