import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseExposition, sumOf } from './load/prom-text.js';
import { postBooking, rolloutWith, startTestService, type TestService } from './test-service.js';

for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS']) delete process.env[name];

const BOOKING = { request: 'A hotel in Oslo for two nights from 2027-02-01.' };
/** Holds the next `count` Haiku calls until the SDK gives up (MODEL_TIMEOUT_MS), so bookings stay in flight ~1 s. */
const holdHaiku = (count: number) => ({ faults: [{ kind: 'timeout' as const, model: 'claude-haiku-4-5', count }] });
const SLOW = { MODEL_TIMEOUT_MS: '1000', MODEL_MAX_RETRIES: '0' };

const lines = (service: TestService): Record<string, unknown>[] => service.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);

/** A POST /bookings over a keep-alive agent, with the raw response headers (fetch hides `connection`). */
function rawPost(url: string, agent: Agent): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(new URL('/bookings', url), { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(BOOKING));
  });
}

let service: TestService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

describe('backend', () => {
  it('names the backend in /healthz and in the startup log line', async () => {
    service = await startTestService();
    expect(await (await fetch(new URL('/healthz', service.url))).json()).toMatchObject({ status: 'ok', backend: 'simulator' });
    expect(lines(service)).toContainEqual(expect.objectContaining({ msg: 'booking service listening (backend simulator)', backend: 'simulator', simulator: service.simulatorUrl }));
  });
});

describe('config events and router errors in the logs and the audit file', () => {
  it('logs every applied and rejected config, keeps the audit file, and logs router error events', async () => {
    service = await startTestService({ rollout: rolloutWith(10) });
    const running = service;
    const results: string[] = [];
    running.router.on('config', (e) => results.push(e.result));
    const edits: unknown[] = [rolloutWith(20), { routes: {} }, rolloutWith(30), { routes: { orchestrator: { arms: [] } } }];
    for (const [i, edit] of edits.entries()) {
      running.writeRollout(edit);
      await vi.waitFor(() => expect(results).toHaveLength(i + 1), { timeout: 10_000, interval: 20 });
    }
    expect(results).toEqual(['applied', 'rejected', 'applied', 'rejected']);
    const logged = lines(running).filter((l) => l['step'] === 'config');
    expect(logged.map((l) => [l['level'], l['result'], l['version']])).toEqual([
      [30, 'applied', 2],
      [40, 'rejected', 2],
      [30, 'applied', 3],
      [40, 'rejected', 3],
    ]);
    expect(logged[1]?.['problems']).toContainEqual({ path: 'routes', message: expect.stringContaining('route "orchestrator" is used by the app') as string });

    // An observer that throws is reported by the router as an `error` event: the service logs it.
    running.router.on('unit', () => {
      throw new Error('observer failed');
    });
    await postBooking(running.url, BOOKING);
    expect(lines(running)).toContainEqual(expect.objectContaining({ level: 50, step: 'router_error', err: expect.objectContaining({ message: 'observer failed' }) }));

    await running.router.close();
    const audit = readFileSync(running.auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { result: string });
    expect(audit.map((a) => a.result)).toEqual(['applied', 'applied', 'rejected', 'applied', 'rejected']);
  });
});

describe('drain', () => {
  it('refuses bookings while draining with 503, retry-after and Connection: close, logged at warn without a stack', async () => {
    service = await startTestService({ rollout: rolloutWith(0), simulator: holdHaiku(1), env: SLOW });
    const running = service;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const held = rawPost(running.url, agent);
    await vi.waitFor(() => expect(running.booking.inFlight.count()).toBe(1), { timeout: 5000, interval: 5 });
    const closing = running.close(5000);
    const refused = await rawPost(running.url, new Agent({ keepAlive: true }));
    expect(refused.status).toBe(503);
    expect(refused.headers['connection']).toBe('close');
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.body)).toMatchObject({ error: { type: 'shutting_down' } });
    expect((await held).status).toBe(503); // the held call timed out: model_unavailable, answered, not cut
    await closing;
    agent.destroy();
    const refusalLogs = lines(running).filter((l) => l['errorType'] === 'shutting_down');
    expect(refusalLogs).toEqual([expect.objectContaining({ level: 40 })]);
    expect(refusalLogs[0]).not.toHaveProperty('err');
  });
});

describe('admission control', () => {
  it('answers bookings above MAX_BOOKINGS_IN_FLIGHT at once with 503 overloaded and retry-after, and counts them', async () => {
    service = await startTestService({ rollout: rolloutWith(0), simulator: holdHaiku(2), env: { ...SLOW, MAX_BOOKINGS_IN_FLIGHT: '2' } });
    const running = service;
    const held = [postBooking(running.url, BOOKING), postBooking(running.url, BOOKING)];
    await vi.waitFor(() => expect(running.booking.inFlight.count()).toBe(2), { timeout: 5000, interval: 5 });
    const agent = new Agent({ keepAlive: true });
    const excess = [];
    for (let i = 0; i < 5; i++) excess.push(await rawPost(running.url, agent));
    agent.destroy();
    for (const answer of excess) {
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(JSON.parse(answer.body)).toMatchObject({ error: { type: 'overloaded' } });
      expect(answer.ms).toBeLessThan(100);
    }
    await Promise.all(held);
    const metrics = parseExposition(await (await fetch(new URL('/metrics', running.url))).text());
    expect(sumOf(metrics, 'booking_agent_bookings_rejected_total', { reason: 'overloaded' })).toBe(5);
    expect(sumOf(metrics, 'booking_agent_bookings_rejected_total', { reason: 'shutting_down' })).toBe(0);
    // Slots are given back: the next booking is admitted.
    expect((await postBooking(running.url, BOOKING)).status).not.toBe(503);
  });

  it('gives no slot to a client that sends its headers and then trickles its body (slow-body flood)', async () => {
    service = await startTestService({ rollout: rolloutWith(0), env: { MAX_BOOKINGS_IN_FLIGHT: '2' } });
    const running = service;
    // Two clients announce a booking body and send only its first bytes, as a slowloris attacker does.
    const stalled = [0, 1].map(() => {
      const req = request(new URL('/bookings', running.url), { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
      req.on('error', () => {});
      req.write('{"request": "A hot');
      return req;
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(running.booking.inFlight.count()).toBe(0);
      const { status } = await postBooking(running.url, BOOKING);
      expect(status).not.toBe(503);
    } finally {
      for (const req of stalled) req.destroy();
    }
  });

  it('keeps the slot of a booking whose client went away until the booking ends (and a drain waits for it)', async () => {
    service = await startTestService({ rollout: rolloutWith(0), simulator: holdHaiku(1), env: { ...SLOW, MAX_BOOKINGS_IN_FLIGHT: '1' } });
    const running = service;
    const abort = new AbortController();
    const gone = fetch(new URL('/bookings', running.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BOOKING), signal: abort.signal }).catch(() => 'aborted');
    await vi.waitFor(() => expect(running.booking.inFlight.count()).toBe(1), { timeout: 5000, interval: 5 });
    abort.abort();
    expect(await gone).toBe('aborted');
    // The model call is still held by the simulator: the booking runs on, and keeps its slot.
    const refused = await postBooking(running.url, BOOKING);
    expect(refused).toMatchObject({ status: 503, body: { error: { type: 'overloaded' } } });
    expect(await running.close(5000)).toEqual({ drained: true });
    expect(lines(running)).toContainEqual(expect.objectContaining({ step: 'booking_failed' }));
  });
});

describe('fallback', () => {
  it("names the model that served a fallback booking, under the canary arm it was assigned", async () => {
    const rollout = rolloutWith(100) as { routes: { orchestrator: Record<string, unknown> } };
    rollout.routes.orchestrator['fallback'] = true;
    service = await startTestService({
      rollout,
      simulator: { faults: [{ kind: 'overloaded', model: 'claude-sonnet-4-6', count: 100 }], models: { 'claude-haiku-4-5': { planQuality: { invalidRate: 0, incompleteRate: 0 } } } },
      env: { MODEL_MAX_RETRIES: '0' },
    });
    const { status, body } = await postBooking(service.url, BOOKING);
    expect(status).toBe(201);
    expect(body).toMatchObject({ arm: 'canary', model: 'claude-haiku-4-5' });
  });
});
