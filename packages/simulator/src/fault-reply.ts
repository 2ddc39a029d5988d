import { apiError, type ApiErrorReply } from './api-error.js';
import type { FaultKind, ModelProfile } from './profiles.js';
import { FAULT_KINDS } from './profiles.js';

/** The profile's own random fault for this call: one uniform against the cumulative rates (fixed draw count). */
export function profileFault(profile: ModelProfile, streaming: boolean, u: number): FaultKind | undefined {
  let acc = 0;
  for (const kind of FAULT_KINDS) {
    if (kind === 'stream_error' && !streaming) continue;
    acc += profile.errorRates[kind] ?? 0;
    if (u < acc) return kind;
  }
  return undefined;
}

/**
 * The HTTP error a fault turns into. 429 carries `retry-after` (seconds, as the real API) and `retry-after-ms`
 * (which the SDK prefers), scaled by timeScale but at least 1 ms: a zero would make the SDK fall back to its own
 * 0.5 s+ backoff. All three retryable kinds say `x-should-retry: true` like the real API.
 */
export function faultReply(kind: Exclude<FaultKind, 'timeout' | 'stream_error'>, profile: ModelProfile, timeScale: number): ApiErrorReply {
  switch (kind) {
    case 'rate_limit': {
      const ms = Math.max(1, Math.round(profile.retryAfterMs * timeScale));
      return apiError('rate_limit_error', 'This request would exceed the rate limit for your organization (simulated).', {
        'retry-after': String(ms / 1000),
        'retry-after-ms': String(ms),
        'x-should-retry': 'true',
      });
    }
    case 'overloaded':
      return apiError('overloaded_error', 'Overloaded', { 'x-should-retry': 'true' });
    case 'server':
      return apiError('api_error', 'Internal server error', { 'x-should-retry': 'true' });
  }
}
