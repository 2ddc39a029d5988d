import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, sumOf } from './load/prom-text.js';
import { PERFECT_PLANS, postBooking, rolloutWith, startTestService, type TestService } from './test-service.js';

for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS']) delete process.env[name];

const REQUEST = { request: 'Flights from London to Lisbon on 2027-05-01 for two, a hotel for three nights and a car.' };

async function units(url: string, filter: Record<string, string>): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  return sumOf(parseExposition(text), 'model_canary_units_total', { route: 'orchestrator', ...filter });
}

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
