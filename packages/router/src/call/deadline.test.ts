import Anthropic from '@anthropic-ai/sdk';
import { startSimulator, type Simulator } from '@model-canary/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlineExceededError, ModelCanaryError } from '../errors.js';
import { CONTROL_MODEL, PARAMS, quietSimulator, record, routerOn, sdk, until } from './test-helpers/harness.js';

let sim: Simulator;
let patient: Simulator;
beforeAll(async () => {
  sim = await quietSimulator({ timeScale: 1 });
  // Its 429s ask for `retry-after: 1000000` (about 11.5 days): the SDK honours waits up to 2^31 - 1 ms.
  patient = await startSimulator({ seed: 'deadline', timeScale: 0.001, baselineFaults: false, models: { [CONTROL_MODEL]: { retryAfterMs: 1e12 } } });
});
afterAll(async () => {
  await Promise.all([sim.close(), patient.close()]);
});

const onControl = { route: 'orchestrator', forceArm: 'control' } as const;

describe('deadlineMs: a bound on the whole call', () => {
  it('ends a call whose 429 asks for retry-after: 1000000 at its deadline, with a DeadlineExceededError and its events', async () => {
    const router = routerOn(sdk(patient.url, { maxRetries: 2 }));
    const r = record(router);
    const started = performance.now();
    const error = await router.messages
      .create(PARAMS, { ...onControl, deadlineMs: 300, headers: { 'x-sim-fault': 'rate_limit' } })
      .catch((e: unknown) => e);
    const took = performance.now() - started;
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', deadlineMs: 300 });
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2000);
    expect(r.events.call).toHaveLength(1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'error', errorClass: 'timeout', deadlineExceeded: true, attempts: 1 });
    expect(r.events.attempt).toMatchObject([{ status: 429, errorClass: 'rate_limit' }]);
    await router.close();
  });

  it('records a call cancelled while the SDK waits out a retry-after as cancelled, when the caller aborts', async () => {
    const router = routerOn(sdk(patient.url, { maxRetries: 2 }));
    const r = record(router);
    const controller = new AbortController();
    const call = router.messages.create(PARAMS, { ...onControl, signal: controller.signal, headers: { 'x-sim-fault': 'rate_limit' } });
    await until(() => r.events.attempt.length === 1);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(r.events.call).toMatchObject([{ outcome: 'cancelled', errorClass: null, attempts: 1 }]);
    await router.close();
  });

  it('takes the router-wide deadlineMs when the call sets none, and aborts an attempt waiting for headers', async () => {
    const router = routerOn(sdk(sim.url, { maxRetries: 0, timeout: 60_000 }), { deadlineMs: 200 });
    const r = record(router);
    const error = await router.messages.create(PARAMS, { ...onControl, headers: { 'x-sim-fault': 'timeout' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(r.events.call[0]).toMatchObject({ outcome: 'error', errorClass: 'timeout', deadlineExceeded: true });
    expect(r.events.attempt).toMatchObject([{ status: null, errorClass: 'timeout' }]);
    await router.close();
  });

  it('ends a stream still sending at its deadline with an error naming the deadline', async () => {
    const router = routerOn(sdk(sim.url));
    const r = record(router);
    const stream = router.messages.stream({ ...PARAMS, max_tokens: 4000 }, { ...onControl, deadlineMs: 400 });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain('passed its deadline of 400 ms');
    await until(() => r.events.call.length === 1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'error', errorClass: 'timeout', deadlineExceeded: true, streaming: true });
    await router.close();
  });

  it('leaves a call that ends in time alone', async () => {
    const router = routerOn(sdk(sim.url));
    const r = record(router);
    const message = await router.messages.create(PARAMS, { ...onControl, deadlineMs: 30_000 });
    expect(message.type).toBe('message');
    await until(() => r.events.call.length === 1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'success' });
    expect(r.events.call[0]?.deadlineExceeded).toBeUndefined();
    await router.close();
  });

  it.each([0, -5, Number.NaN, 2 ** 31])('refuses deadlineMs %s', async (deadlineMs) => {
    const router = routerOn(sdk(sim.url));
    expect(() => router.messages.create(PARAMS, { ...onControl, deadlineMs })).toThrow(/deadlineMs must be/);
    await router.close();
  });
});

describe('a routed call without options', () => {
  it('says that the route is missing', async () => {
    const router = routerOn(sdk(sim.url));
    const call = () => (router.messages.create as (p: unknown, o?: unknown) => unknown)(PARAMS);
    expect(call).toThrow(ModelCanaryError);
    expect(call).toThrow(/needs \{ route \}/);
    await router.close();
  });
});
