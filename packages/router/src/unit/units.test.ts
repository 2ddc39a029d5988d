import type { Simulator } from '@model-canary/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitAssignmentEvent } from '../events.js';
import { PARAMS, quietSimulator, record, routerOn, sdk, until } from '../call/test-helpers/harness.js';

let sim: Simulator;
let paced: Simulator;
beforeAll(async () => {
  sim = await quietSimulator();
  paced = await quietSimulator({ timeScale: 0.3 });
});
afterAll(async () => {
  await Promise.all([sim.close(), paced.close()]);
});

describe('router.unit(key)', () => {
  it.each([
    { outcome: 'success' as const, reason: undefined },
    { outcome: 'failure' as const, reason: 'no hotel left' },
    { outcome: 'invalid' as const, reason: 'plan failed validation' },
  ])('records a unit ended as $outcome with its calls, cost and routes', async ({ outcome, reason }) => {
    const router = routerOn(sdk(sim.url));
    const r = record(router);
    const booking = router.unit('booking-42');
    await booking.messages.create(PARAMS, { route: 'orchestrator' });
    await booking.messages.create(PARAMS, { route: 'specialist' });
    await booking.messages.stream(PARAMS, { route: 'specialist' }).finalMessage();
    await until(() => r.events.call.length === 3);
    const event = booking.end({ outcome, ...(reason === undefined ? {} : { reason }) });

    expect(booking.ended).toBe(true);
    expect(r.events.unit).toEqual([event]);
    expect(r.events.call.every((c) => c.key === 'booking-42')).toBe(true);
    const orchestratorArm = r.events.call[0]?.arm;
    expect(event).toMatchObject({ key: 'booking-42', outcome, calls: 3, routes: [
      { route: 'orchestrator', arm: orchestratorArm, calls: 1, mixedArms: false, outcomes: { success: 1, error: 0, fallback: 0, cancelled: 0 } },
      { route: 'specialist', arm: 'control', calls: 2, mixedArms: false, outcomes: { success: 2, error: 0, fallback: 0, cancelled: 0 } },
    ] });
    expect(event.reason).toBe(reason);
    expect(event.costUsd).toBeCloseTo(r.events.call.reduce((sum, c) => sum + (c.costUsd ?? 0), 0), 15);
    expect(event.durationMs).toBeGreaterThanOrEqual(0);
    await router.close();
  });

  it('announces each route\'s arm once, when the unit\'s first call on it starts (before it ends)', async () => {
    const router = routerOn(sdk(sim.url));
    const r = record(router);
    const assignments: UnitAssignmentEvent[] = [];
    router.on('unitAssignment', (e) => assignments.push(e));
    const booking = router.unit('assigned-early');
    const pending = booking.messages.create(PARAMS, { route: 'orchestrator' });
    expect(assignments).toMatchObject([{ type: 'unitAssignment', key: 'assigned-early', route: 'orchestrator' }]);
    await pending;
    await booking.messages.create(PARAMS, { route: 'orchestrator' });
    await booking.messages.create(PARAMS, { route: 'specialist' });
    await until(() => r.events.call.length === 3);
    expect(assignments.map((a) => [a.route, a.arm])).toEqual([['orchestrator', r.events.call[0]?.arm], ['specialist', 'control']]);
    expect(r.events.decision).toHaveLength(3);
    booking.end({ outcome: 'success' });
    const late = router.unit('assigned-late');
    late.end({ outcome: 'success' });
    await late.messages.create(PARAMS, { route: 'orchestrator' });
    expect(assignments).toHaveLength(2);
    await router.close();
  });

  it('keeps the first result when ended twice, and reports the second end', async () => {
    const router = routerOn(sdk(sim.url));
    const r = record(router);
    const booking = router.unit('twice');
    const first = booking.end({ outcome: 'success' });
    const second = booking.end({ outcome: 'failure' });
    expect(second).toBe(first);
    expect(r.events.unit).toHaveLength(1);
    expect(r.events.error).toMatchObject([{ source: 'unit', error: { code: 'UNIT_ENDED' } }]);
    await router.close();
  });

  it('still makes calls on an ended unit, without counting them in it (reported once)', async () => {
    const router = routerOn(sdk(sim.url));
    const r = record(router);
    const booking = router.unit('late');
    booking.end({ outcome: 'success' });
    await booking.messages.create(PARAMS, { route: 'specialist' });
    await booking.messages.create(PARAMS, { route: 'specialist' });
    expect(r.events.call).toHaveLength(2);
    expect(r.events.unit[0]?.calls).toBe(0);
    expect(r.events.error).toHaveLength(1);
    await router.close();
  });

  it('expires a unit never ended, after the timeout since its last call', async () => {
    const router = routerOn(sdk(sim.url), { unitTimeoutMs: 40 });
    const r = record(router);
    const booking = router.unit('forgotten');
    await booking.messages.create(PARAMS, { route: 'orchestrator' });
    await until(() => r.events.unit.length === 1, 2000);
    expect(r.events.unit[0]).toMatchObject({ key: 'forgotten', outcome: 'expired', calls: 1 });
    expect(booking.ended).toBe(true);
    await router.close();
  });

  it('does not expire a unit while one of its calls is in flight', async () => {
    const router = routerOn(sdk(paced.url), { unitTimeoutMs: 30 });
    const r = record(router);
    const booking = router.unit('slow');
    const started = Date.now();
    await booking.messages.create({ ...PARAMS, max_tokens: 200 }, { route: 'specialist' });
    const callMs = Date.now() - started;
    expect(callMs).toBeGreaterThan(60);
    expect(r.events.unit).toHaveLength(0);
    await until(() => r.events.unit.length === 1, 2000);
    expect(r.events.unit[0]).toMatchObject({ outcome: 'expired', calls: 1 });
    await router.close();
  });

  it('reports the calls still in flight when a unit ends, which its totals do not count', async () => {
    const router = routerOn(sdk(paced.url));
    const r = record(router);
    const booking = router.unit('hurried');
    const pending = booking.messages.create({ ...PARAMS, max_tokens: 200 }, { route: 'specialist' });
    expect(booking.end({ outcome: 'success' })).toMatchObject({ calls: 0 });
    expect(r.events.error).toHaveLength(1);
    expect(String(r.events.error[0]?.error)).toContain('unit "hurried" ended with 1 call in flight');
    await pending;
    expect(r.events.call).toHaveLength(1);
    await router.close();
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 30 * 24 * 3600 * 1000])('refuses unitTimeoutMs %s: it must be above 0 and fit a Node timer', (unitTimeoutMs) => {
    expect(() => routerOn(sdk(sim.url), { unitTimeoutMs })).toThrow(/unitTimeoutMs must be a number of ms above 0 and at most 2147483647/);
  });

  it('closes units still open at router.close() as abandoned, once, and stops their timers', async () => {
    const router = routerOn(sdk(sim.url), { unitTimeoutMs: 20 });
    const r = record(router);
    const booking = router.unit('open-at-close');
    await booking.messages.create(PARAMS, { route: 'orchestrator' });
    router.unit('ended-before-close').end({ outcome: 'success' });
    await router.close();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(r.events.unit.map((u) => [u.key, u.outcome])).toEqual([
      ['ended-before-close', 'success'],
      ['open-at-close', 'abandoned'],
    ]);
    expect(r.events.unit[1]).toMatchObject({ calls: 1, reason: 'the router was closed before the unit ended' });
  });
});
