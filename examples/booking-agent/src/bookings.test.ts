import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, sumOf } from './load/prom-text.js';
import { PERFECT_PLANS, postBooking, rolloutWith, startTestService, type TestService } from './test-service.js';

for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS']) delete process.env[name];

const REQUEST = { request: 'Flights from London to Lisbon on 2027-05-01 for two, a hotel for three nights and a car.' };

async function metric(url: string, name: string, filter: Record<string, string>): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  return sumOf(parseExposition(text), name, filter);
}

/** The per-call figures the booking tests compare before and after one booking. */
async function observed(url: string): Promise<{ ttft: Record<'orchestrator' | 'specialist', number>; tokens: number; costUsd: number }> {
  const ttft = (route: string): Promise<number> => metric(url, 'model_canary_time_to_first_token_seconds_count', { route });
  return {
    ttft: { orchestrator: await ttft('orchestrator'), specialist: await ttft('specialist') },
    tokens: await metric(url, 'model_canary_tokens_total', {}),
    costUsd: await metric(url, 'model_canary_cost_usd_total', {}),
  };
}

const units = (url: string, filter: Record<string, string>): Promise<number> => metric(url, 'model_canary_units_total', { route: 'orchestrator', ...filter });

describe.each([
  ['canary', 100, 'claude-sonnet-4-6'],
  ['control', 0, 'claude-haiku-4-5'],
])('a booking on the %s arm (canary at %i%%)', (arm, percent, model) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ rollout: rolloutWith(percent), simulator: { models: PERFECT_PLANS } });
  });
  afterAll(() => service.stop());

  it('is planned, run by specialists, confirmed, and recorded as one unit of its arm', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const before = await observed(service.url);
    const { status, headers, body } = await postBooking(service.url, REQUEST, { traceparent });
    expect(status).toBe(201);
    expect(body).toMatchObject({ arm, model, status: 'confirmed', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.costUsd).toBeGreaterThan(0);
    expect(body.durationMs).toBeGreaterThanOrEqual(0);
    const subtasks = body.subtasks as Array<{ kind: string; status: string; confirmation: string }>;
    expect(subtasks.length).toBeGreaterThan(0);
    for (const subtask of subtasks) expect(subtask).toMatchObject({ status: 'confirmed', confirmation: expect.any(String) });
    expect(headers.get('traceparent')).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(await units(service.url, { arm, outcome: 'success' })).toBe(1);
    expect(await units(service.url, {})).toBe(1);

    const after = await observed(service.url);
    // Specialists stream, so time to first token is observed once per specialist call; the orchestrator does not.
    expect(after.ttft.specialist - before.ttft.specialist).toBe(subtasks.length);
    expect(after.ttft.orchestrator).toBe(before.ttft.orchestrator);
    // Streamed usage (the final message_delta) adds up: the booking's tokens and cost are what /metrics counted.
    const tokens = body.tokens as Record<string, number>;
    expect(tokens.output).toBeGreaterThan(0);
    expect(after.tokens - before.tokens).toBe(Object.values(tokens).reduce((a, b) => a + b, 0));
    expect(after.costUsd - before.costUsd).toBeCloseTo(body.costUsd as number, 6);
  });

  it('logs every step of the booking under its one trace id', async () => {
    const { body } = await postBooking(service.url, REQUEST);
    const lines = service.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.bookingId === body.id);
    const steps = lines.map((l) => l.step);
    expect(steps).toEqual(expect.arrayContaining(['plan', 'plan_accepted', 'specialist', 'model_call', 'aggregate']));
    expect(new Set(lines.map((l) => l.traceId))).toEqual(new Set([body.traceId]));
    const calls = lines.filter((l) => l.step === 'model_call');
    expect(calls.map((l) => l.route)).toEqual(expect.arrayContaining(['orchestrator', 'specialist']));
    expect(calls.find((l) => l.route === 'orchestrator')).toMatchObject({ arm, model, outcome: 'success', requestId: expect.any(String) });
  });
});

describe('failures of a booking', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({
      rollout: rolloutWith(100),
      simulator: { models: { 'claude-sonnet-4-6': { planQuality: { invalidRate: 1, incompleteRate: 0 } } } },
    });
  });
  afterAll(() => service.stop());

  it('answers an invalid plan with 502 invalid_plan and records the unit as invalid', async () => {
    const { status, body } = await postBooking(service.url, REQUEST);
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ type: 'invalid_plan', message: expect.stringContaining('invalid plan'), arm: 'canary' });
    expect(body.error?.problems).toEqual(expect.arrayContaining([expect.any(String)]));
    // The orchestrator call was paid for even though the booking failed.
    expect(body.error?.costUsd).toBeGreaterThan(0);
    expect(await units(service.url, { arm: 'canary', outcome: 'invalid' })).toBe(1);
  });

  it('answers a model that stays overloaded with 503, its error class, and a failed unit', async () => {
    service.simulator?.setFaults([{ kind: 'overloaded', model: 'claude-sonnet-4-6', count: 3 }]);
    const { status, headers, body } = await postBooking(service.url, REQUEST);
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe('1');
    expect(body.error).toMatchObject({ type: 'model_unavailable', errorClass: 'overloaded', arm: 'canary', message: expect.stringContaining('529') });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(await units(service.url, { arm: 'canary', outcome: 'failure' })).toBe(1);
  });
});

describe('a specialist stream that breaks mid-way', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ rollout: rolloutWith(100), simulator: { models: PERFECT_PLANS } });
  });
  afterAll(() => service.stop());

  it('fails the booking with a clear error, and the failed booking still reports what /metrics counted', async () => {
    const cost = (): Promise<number> => metric(service.url, 'model_canary_cost_usd_total', {});
    const before = await cost();
    // The orchestrator is on Sonnet 4.6 (canary at 100%); the first specialist stream (Haiku 4.5) breaks.
    service.simulator?.setFaults([{ kind: 'stream_error', model: 'claude-haiku-4-5', count: 1 }]);
    const { status, body } = await postBooking(service.url, REQUEST);
    expect([502, 503]).toContain(status);
    expect(body.error).toMatchObject({ type: expect.stringMatching(/^model_(error|unavailable)$/), message: expect.stringContaining('specialist'), arm: 'canary' });
    expect(await units(service.url, { arm: 'canary', outcome: 'failure' })).toBe(1);
    expect(await metric(service.url, 'model_canary_requests_total', { route: 'specialist', outcome: 'error' })).toBeGreaterThanOrEqual(1);
    expect((await cost()) - before).toBeCloseTo(body.error?.costUsd as number, 9);
  });
});

describe('a specialist answer cut off at max_tokens', () => {
  let service: TestService;
  beforeAll(async () => {
    // 64 tokens: enough for the plan on this seed, too few for a specialist's confirmation.
    service = await startTestService({ rollout: rolloutWith(0), simulator: { models: PERFECT_PLANS }, env: { MAX_TOKENS: '64' } });
  });
  afterAll(() => service.stop());

  it('fails the booking as a model error of class max_tokens, never as a confirmed booking', async () => {
    const { status, body } = await postBooking(service.url, REQUEST);
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ type: 'model_error', errorClass: 'max_tokens', message: expect.stringContaining('cut off at max_tokens (64)') });
    expect(await units(service.url, { arm: 'control', outcome: 'failure' })).toBe(1);
    expect(await metric(service.url, 'model_canary_request_errors_total', { route: 'specialist', error_class: 'max_tokens' })).toBeGreaterThanOrEqual(1);
  });
});
