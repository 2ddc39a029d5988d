import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postBooking, startTestService, type TestService } from './test-service.js';

for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS']) delete process.env[name];

describe('a booking is bounded by BOOKING_TIMEOUT_MS', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({
      // Every call is a 429 asking for retry-after: 1000000 (about 11.5 days at the test's time scale).
      simulator: {
        faults: [{ kind: 'rate_limit', rate: 1 }],
        models: { 'claude-haiku-4-5': { retryAfterMs: 1e11 }, 'claude-sonnet-4-6': { retryAfterMs: 1e11 } },
      },
      env: { BOOKING_TIMEOUT_MS: '1500' },
    });
  });
  afterAll(() => service.stop());

  it('answers 503 at its deadline instead of waiting out the retry-after, and records the call as a timeout', async () => {
    const started = Date.now();
    const answer = await postBooking(service.url, { request: 'A table for two in Lyon on 2026-12-24.' });
    const took = Date.now() - started;
    expect(answer.status).toBe(503);
    expect(answer.body.error).toMatchObject({ type: 'model_unavailable' });
    expect(answer.body.error?.message).toContain('DeadlineExceededError');
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(5000);
    expect(service.simulator?.stats().requests).toBe(1);
    const metrics = await (await fetch(new URL('/metrics', service.url))).text();
    expect(metrics).toMatch(/model_canary_request_errors_total\{route="orchestrator",arm="\w+",model="[\w-]+",error_class="timeout"\} 1/);
  });
});
