import type { IncomingHttpHeaders } from 'node:http';
import { apiError, invalidRequest, type ApiErrorReply } from './api-error.js';

/** Checks credentials (`x-api-key` or `Authorization: Bearer`) and the `anthropic-version` header the real API requires. */
export function checkHeaders(headers: IncomingHttpHeaders, apiKeys: ReadonlySet<string> | undefined): ApiErrorReply | undefined {
  const auth = headers.authorization;
  const bearer = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  const apiKey = typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : undefined;
  const key = apiKey ?? bearer;
  if (key === undefined || key === '') return apiError('authentication_error', 'x-api-key header is required');
  if (apiKeys !== undefined && !apiKeys.has(key)) return apiError('authentication_error', 'invalid x-api-key');
  if (headers['anthropic-version'] === undefined) return invalidRequest('anthropic-version: header is required');
  return undefined;
}
