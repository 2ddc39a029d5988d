import Anthropic from '@anthropic-ai/sdk';
import type { Simulator } from '@model-canary/simulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRouter } from '../create-router.js';
import { CANARY_MODEL, CONTROL_MODEL, PARAMS, quietSimulator, record, rollout, sdk, until } from './test-helpers/harness.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await quietSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.setFaults([]);
  sim.resetStats();
});

const withFallback = (client: Anthropic) => createRouter({ config: rollout({ fallback: true }), client });
const onCanary = { route: 'orchestrator', forceArm: 'canary' } as const;

describe('fallback to the default arm (intent to treat)', () => {
  it('serves a canary call that kept failing with 529 from control, counted as a canary fallback', async () => {
    sim.setFaults([{ kind: 'overloaded', model: CANARY_MODEL, rate: 1 }]);
    const router = withFallback(sdk(sim.url, { maxRetries: 1 }));
    const r = record(router);
    const message = await router.messages.create(PARAMS, onCanary);

    expect(message.model).toBe(CONTROL_MODEL);
    expect(r.events.decision).toHaveLength(1);
    expect(r.events.decision[0]).toMatchObject({ arm: 'canary' });
    const [call] = r.events.call;
    expect(call).toMatchObject({ arm: 'canary', model: CANARY_MODEL, servedModel: CONTROL_MODEL, outcome: 'fallback', errorClass: 'overloaded', attempts: 3, costUsd: 0, usage: null });
    expect(call?.tokens).toEqual({ input: 0, output: 0, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 });
    const u = message.usage;
    expect(call?.fallback).toMatchObject({ arm: 'control', model: CONTROL_MODEL, servedModel: CONTROL_MODEL, outcome: 'success', errorClass: null });
    expect(call?.fallback?.tokens).toMatchObject({ input: u.input_tokens, output: u.output_tokens });
    // Haiku 4.5: $1 input, $5 output per million tokens.
    expect(call?.fallback?.costUsd).toBeCloseTo((u.input_tokens * 1 + u.output_tokens * 5) / 1e6, 15);
    expect(r.events.attempt.map((a) => [a.origin, a.model, a.status, a.errorClass])).toEqual([
      ['primary', CANARY_MODEL, 529, 'overloaded'],
      ['primary', CANARY_MODEL, 529, 'overloaded'],
      ['fallback', CONTROL_MODEL, 200, null],
    ]);
    const stats = sim.stats();
    expect(stats.byModel[CANARY_MODEL]?.byStatus).toEqual({ '529': 2 });
    expect(stats.byModel[CONTROL_MODEL]?.byStatus).toEqual({ '200': 1 });
    expect(call?.requestId).toBe(message._request_id);
    await router.close();
  });

  it.each([
    { name: 'a 429', kind: 'rate_limit' as const, errorClass: 'rate_limit' },
    { name: 'a 500', kind: 'server' as const, errorClass: 'server' },
  ])('serves $name from control once the SDK has no retry left', async ({ kind, errorClass }) => {
    sim.setFaults([{ kind, model: CANARY_MODEL, rate: 1 }]);
    const router = withFallback(sdk(sim.url, { maxRetries: 0 }));
    const r = record(router);
    const message = await router.messages.create(PARAMS, onCanary);
    expect(message.model).toBe(CONTROL_MODEL);
    expect(r.events.call[0]).toMatchObject({ outcome: 'fallback', errorClass, attempts: 2 });
    await router.close();
  });

  it('serves a canary call that timed out from control, with a fresh timeout', async () => {
    sim.setFaults([{ kind: 'timeout', model: CANARY_MODEL, rate: 1 }]);
    const router = withFallback(sdk(sim.url, { maxRetries: 0, timeout: 200 }));
    const r = record(router);
    const message = await router.messages.create(PARAMS, onCanary);
    expect(message.model).toBe(CONTROL_MODEL);
    expect(r.events.call[0]).toMatchObject({ outcome: 'fallback', errorClass: 'timeout' });
    expect(r.events.attempt.map((a) => [a.status, a.errorClass])).toEqual([[null, 'timeout'], [200, null]]);
    await router.close();
  });

  it('serves a stream whose canary request failed before any output, and the caller reads control', async () => {
    sim.setFaults([{ kind: 'overloaded', model: CANARY_MODEL, rate: 1 }]);
    const router = withFallback(sdk(sim.url, { maxRetries: 0 }));
    const r = record(router);
    const final = await router.messages.stream(PARAMS, onCanary).finalMessage();
    expect(final.model).toBe(CONTROL_MODEL);
    await until(() => r.events.call.length === 1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'fallback', arm: 'canary', errorClass: 'overloaded', streaming: true });
    expect(r.events.call[0]?.fallback?.tokens.output).toBe(final.usage.output_tokens);
    await router.close();
  });

  it('never falls back once a stream has sent output: a mid-stream error reaches the caller', async () => {
    sim.setFaults([{ kind: 'stream_error', model: CANARY_MODEL, count: 1 }]);
    const router = withFallback(sdk(sim.url, { maxRetries: 0 }));
    const r = record(router);
    const error = await router.messages.stream({ ...PARAMS, max_tokens: 2000 }, onCanary).finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    await until(() => r.events.call.length === 1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'error', errorClass: 'overloaded' });
    expect(r.events.call[0]?.fallback).toBeUndefined();
    expect(sim.stats().byModel[CONTROL_MODEL]).toBeUndefined();
    await router.close();
  });

  it.each([
    { name: 'a bad request (it would fail on control too)', router: () => withFallback(sdk(sim.url)), options: onCanary, params: { ...PARAMS, max_tokens: 0 }, errorClass: 'bad_request' },
    { name: 'a route without fallback (the default)', router: () => createRouter({ config: rollout(), client: sdk(sim.url, { maxRetries: 0 }) }), options: onCanary, params: PARAMS, errorClass: 'overloaded' },
  ])('does not fall back for $name', async ({ router: make, options, params, errorClass }) => {
    sim.setFaults([{ kind: 'overloaded', model: CANARY_MODEL, rate: 1 }]);
    const router = make();
    const r = record(router);
    await expect(router.messages.create(params, options)).rejects.toBeInstanceOf(Anthropic.APIError);
    expect(r.events.call[0]).toMatchObject({ outcome: 'error', errorClass });
    expect(r.events.attempt.every((a) => a.origin === 'primary')).toBe(true);
    expect(sim.stats().byModel[CONTROL_MODEL]).toBeUndefined();
    await router.close();
  });

  it('does not fall back for a call already on the default arm', async () => {
    sim.setFaults([{ kind: 'overloaded', model: CONTROL_MODEL, rate: 1 }]);
    const router = withFallback(sdk(sim.url, { maxRetries: 0 }));
    const r = record(router);
    await expect(router.messages.create(PARAMS, { route: 'orchestrator', forceArm: 'control' })).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    expect(r.events.call[0]).toMatchObject({ arm: 'control', outcome: 'error', errorClass: 'overloaded', attempts: 1 });
    await router.close();
  });

  it('reports the fallback error when control fails too, still as a canary fallback', async () => {
    sim.setFaults([{ kind: 'overloaded', rate: 1 }]);
    const router = withFallback(sdk(sim.url, { maxRetries: 0 }));
    const r = record(router);
    await expect(router.messages.create(PARAMS, onCanary)).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    expect(r.events.call[0]).toMatchObject({ outcome: 'fallback', errorClass: 'overloaded', attempts: 2 });
    expect(r.events.call[0]?.fallback).toMatchObject({ outcome: 'error', errorClass: 'overloaded', costUsd: 0 });
    await router.close();
  });
});
