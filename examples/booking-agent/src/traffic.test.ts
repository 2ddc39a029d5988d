import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compareArms } from './load/compare.js';
import { answeredTotal, lostTotal, runLoad } from './load/driver.js';
import { diffExpositions, sumOf } from './load/prom-text.js';
import { scrape } from './load/report.js';
import { postBooking, rolloutWith, startTestService, type TestService } from './test-service.js';

for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS']) delete process.env[name];

describe('200 concurrent bookings with 5% overloaded (529) canary calls', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({
      rollout: rolloutWith(30),
      // Baseline error rates and plan mistakes on: bookings fail in every way a real run can.
      simulator: { baselineFaults: true, faults: [{ kind: 'overloaded', model: 'claude-sonnet-4-6', rate: 0.05 }] },
      env: { MODEL_MAX_RETRIES: '1' },
    });
  });
  afterAll(() => service.stop());

  it('answers every booking and the counters add up exactly', async () => {
    const before = await scrape(service.url);
    const counts = await runLoad({ url: service.url, total: 200, concurrency: 200, seed: 'traffic' });
    const metrics = diffExpositions(before, await scrape(service.url));

    expect(counts.sent).toBe(200);
    expect(lostTotal(counts)).toBe(0);
    expect(answeredTotal(counts)).toBe(200);
    for (const status of Object.keys(counts.answered)) expect(['201', '502', '503']).toContain(status);

    // bookings sent = units recorded = outcomes in /metrics, on the orchestrator route.
    const units = sumOf(metrics, 'model_canary_units_total', { route: 'orchestrator' });
    expect(units).toBe(200);
    expect(sumOf(metrics, 'model_canary_units_total', { route: 'orchestrator', outcome: 'success' })).toBe(counts.answered['201'] ?? 0);
    expect(sumOf(metrics, 'model_canary_units_total', { route: 'orchestrator', outcome: 'abandoned' })).toBe(0);
    const rows = compareArms(metrics);
    expect(rows.reduce((n, r) => n + r.bookings, 0)).toBe(200);
    for (const row of rows) expect(row.bookings).toBe(counts.byArm[row.arm] ?? 0);
    expect(rows.find((r) => r.arm === 'canary')?.bookings).toBeGreaterThan(30);
    // Every booking's orchestrator call is one call of its arm.
    expect(sumOf(metrics, 'model_canary_requests_total', { route: 'orchestrator' })).toBe(200);
    expect(sumOf(metrics, 'model_canary_unit_duration_seconds_count', { route: 'orchestrator' })).toBe(200);
    // The app's tokens per booking cover the orchestrator and every specialist call.
    expect(sumOf(metrics, 'booking_agent_booking_tokens_total')).toBe(sumOf(metrics, 'model_canary_tokens_total'));
  }, 60_000);
});

describe('editing rollout.json during traffic', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ rollout: rolloutWith(0) });
  });
  afterAll(() => service.stop());

  it('moves the split without a restart', async () => {
    const applied = new Promise<void>((resolve) => {
      const off = service.router.on('config', (event) => {
        if (event.result === 'applied') {
          off();
          resolve();
        }
      });
    });
    const load = runLoad({ url: service.url, total: 120, concurrency: 8, seed: 'reload' });
    const early = await Promise.all(Array.from({ length: 10 }, () => postBooking(service.url, { request: 'A hotel in Oslo for two nights from 2027-02-01.' })));
    expect(early.every((r) => r.body.arm === 'control' || r.body.error?.arm === 'control')).toBe(true);
    service.writeRollout(rolloutWith(100));
    await applied;
    const late = await Promise.all(Array.from({ length: 10 }, () => postBooking(service.url, { request: 'A hotel in Oslo for two nights from 2027-02-01.' })));
    expect(late.map((r) => r.body.arm ?? r.body.error?.arm)).toEqual(Array(10).fill('canary'));
    const counts = await load;
    expect(lostTotal(counts)).toBe(0);
    expect(answeredTotal(counts)).toBe(120);
    const rollout = (await (await fetch(new URL('/rollout', service.url))).json()) as { version: number; lastReload: { result: string } };
    expect(rollout.version).toBe(2);
    expect(rollout.lastReload.result).toBe('applied');
  }, 60_000);
});

describe('shutdown', () => {
  it('drains in-flight bookings before closing', async () => {
    const service = await startTestService({ env: { SIM_TIME_SCALE: '0.05' } });
    const inFlight = Array.from({ length: 10 }, () => postBooking(service.url, { request: 'Flights from Madrid to Kyoto on 2027-04-02 for one.' }));
    await vi.waitFor(() => expect(service.booking.inFlight.count()).toBeGreaterThan(0), { timeout: 2000, interval: 5 });
    const closed = service.close(10_000);
    const answers = await Promise.all(inFlight);
    expect(await closed).toEqual({ drained: true });
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 502 || s === 503)).toBe(true);
    await service.stop();
  });
});
