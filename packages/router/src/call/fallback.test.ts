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

  it('does not fall back for a stream that timed out: the SDK builds the stream on the spent attempt signal', async () => {
    sim.setFaults([{ kind: 'timeout', model: CANARY_MODEL, rate: 1 }]);
    const router = withFallback(sdk(sim.url, { maxRetries: 0, timeout: 200 }));
    const r = record(router);
    const error = await router.messages.stream(PARAMS, onCanary).finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    await until(() => r.events.call.length === 1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'error', errorClass: 'timeout', streaming: true });
    expect(r.events.call[0]?.fallback).toBeUndefined();
    expect(sim.stats().byModel[CONTROL_MODEL]).toBeUndefined();
    await router.close();
  });

  describe('after the one fallback attempt', () => {
    /** A transport answering by model and attempt number, logging "model->status" per attempt. */
    function scripted(answer: (model: string, n: number) => Response | Error) {
      const wire: string[] = [];
      const fetch = async (_input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const model = (JSON.parse(init?.body as string) as { model: string }).model;
        const result = answer(model, wire.length);
        wire.push(`${model}->${result instanceof Error ? 'error' : result.status}`);
        if (result instanceof Error) throw result;
        return result;
      };
      return { wire, client: new Anthropic({ apiKey: 'test', baseURL: 'http://127.0.0.1:9', maxRetries: 1, fetch }) };
    }
    const reply = (status: number, body: object, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'request-id': `req_${status}`, ...headers } });
    const failure = (status: number, type: string, headers: Record<string, string> = {}) => reply(status, { type: 'error', error: { type, message: type } }, headers);
    const usage = { input_tokens: 1000, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    const message = (model: string) => reply(200, { id: 'msg_1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage });
    // The canary's 429 says "do not retry", so the router falls back before the SDK's last attempt.
    const noRetry = { 'x-should-retry': 'false' };

    it('a failed fallback response is final: the SDK does not send the call back to the canary', async () => {
      const { wire, client } = scripted((model, n) =>
        n === 0 ? failure(429, 'rate_limit_error', noRetry) : model === CONTROL_MODEL ? failure(529, 'overloaded_error') : message(model),
      );
      const router = withFallback(client);
      const r = record(router);
      await expect(router.messages.create(PARAMS, onCanary)).rejects.toMatchObject({ status: 529 });
      expect(wire).toEqual([`${CANARY_MODEL}->429`, `${CONTROL_MODEL}->529`]);
      expect(r.events.call[0]).toMatchObject({ outcome: 'fallback', errorClass: 'rate_limit', attempts: 2 });
      expect(r.events.call[0]?.fallback).toMatchObject({ outcome: 'error', errorClass: 'overloaded' });
      await router.close();
    });

    it("a canary answer after the SDK retried a failed fallback is the canary's success, priced as the canary", async () => {
      const { wire, client } = scripted((model, n) =>
        n === 0 ? failure(429, 'rate_limit_error', noRetry) : model === CONTROL_MODEL ? new TypeError('fetch failed') : message(model),
      );
      const router = withFallback(client);
      const r = record(router);
      const answer = await router.messages.create(PARAMS, onCanary);
      expect(answer.model).toBe(CANARY_MODEL);
      expect(wire).toEqual([`${CANARY_MODEL}->429`, `${CONTROL_MODEL}->error`, `${CANARY_MODEL}->200`]);
      const [call] = r.events.call;
      expect(call).toMatchObject({ outcome: 'success', errorClass: null, servedModel: CANARY_MODEL, attempts: 3 });
      expect(call?.fallback).toBeUndefined();
      // Sonnet 4.6: $3 input, $15 output per million tokens.
      expect(call?.costUsd).toBeCloseTo((1000 * 3 + 100 * 15) / 1e6, 15);
      expect(r.events.attempt.map((a) => [a.origin, a.status])).toEqual([['primary', 429], ['fallback', null], ['primary', 200]]);
      await router.close();
    });
  });
});
