import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import type { Simulator } from '@model-canary/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STOP_REASON_ERROR_CLASSES, type ErrorClass } from '../events.js';
import { CONTROL_MODEL, PARAMS, quietSimulator, record, routerOn, sdk } from './test-helpers/harness.js';

let sim: Simulator;
let strictSim: Simulator;
let refusing: Server;
let refusingUrl: string;
let closedUrl: string;
beforeAll(async () => {
  sim = await quietSimulator();
  strictSim = await quietSimulator({ apiKeys: ['the-right-key'] });
  // The simulator never refuses; this answers every call with a refusal, in the real API's shape.
  refusing = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_refusal' });
      res.end(JSON.stringify({
        id: 'msg_r', type: 'message', role: 'assistant', model: CONTROL_MODEL, content: [],
        stop_reason: 'refusal', stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      }));
    });
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
  // A port that was open a moment ago and is closed now: connections are refused.
  const gone = createServer();
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => gone.close(() => resolve()));
});
afterAll(async () => {
  await Promise.all([sim.close(), strictSim.close(), new Promise<void>((resolve) => refusing.close(() => resolve()))]);
});

type Case = {
  name: string;
  want: ErrorClass;
  sdkError: string | null;
  run: () => { client: Anthropic; stream?: boolean; headers?: Record<string, string>; max_tokens?: number };
};

describe('every error class, through the real SDK', () => {
  const cases: Case[] = [
    { name: 'HTTP 429', want: 'rate_limit', sdkError: 'RateLimitError', run: () => ({ client: sdk(sim.url, { maxRetries: 0 }), headers: { 'x-sim-fault': 'rate_limit' } }) },
    { name: 'HTTP 529', want: 'overloaded', sdkError: 'OverloadedError', run: () => ({ client: sdk(sim.url, { maxRetries: 0 }), headers: { 'x-sim-fault': 'overloaded' } }) },
    { name: 'HTTP 500', want: 'server', sdkError: 'InternalServerError', run: () => ({ client: sdk(sim.url, { maxRetries: 0 }), headers: { 'x-sim-fault': 'server' } }) },
    { name: 'no headers before the client timeout', want: 'timeout', sdkError: 'APIConnectionTimeoutError', run: () => ({ client: sdk(sim.url, { maxRetries: 0, timeout: 150 }), headers: { 'x-sim-fault': 'timeout' } }) },
    { name: 'connection refused', want: 'connection', sdkError: 'APIConnectionError', run: () => ({ client: sdk(closedUrl, { maxRetries: 0 }) }) },
    { name: 'HTTP 400 (max_tokens 0)', want: 'bad_request', sdkError: 'BadRequestError', run: () => ({ client: sdk(sim.url), max_tokens: 0 }) },
    { name: 'HTTP 401 (wrong key)', want: 'auth', sdkError: 'AuthenticationError', run: () => ({ client: sdk(strictSim.url) }) },
    { name: 'an SSE error event mid-stream (overloaded_error)', want: 'overloaded', sdkError: 'APIError', run: () => ({ client: sdk(sim.url), stream: true, headers: { 'x-sim-fault': 'stream_error' }, max_tokens: 2000 }) },
    { name: 'a refusal (HTTP 200)', want: 'refusal', sdkError: null, run: () => ({ client: sdk(refusingUrl) }) },
    { name: 'a max_tokens stop (HTTP 200)', want: 'max_tokens', sdkError: null, run: () => ({ client: sdk(sim.url), max_tokens: 1 }) },
  ];

  it.each(cases)('$name -> $want, the SDK error reaching the caller unchanged', async ({ want, sdkError, run }) => {
    const { client, stream = false, headers, max_tokens = PARAMS.max_tokens } = run();
    const router = routerOn(client);
    const r = record(router);
    const options = { route: 'orchestrator', key: 'b-1', ...(headers === undefined ? {} : { headers }) };
    const params = { ...PARAMS, max_tokens };
    const call: Promise<unknown> = stream ? router.messages.stream(params, options).finalMessage() : router.messages.create(params, options);
    const outcome = await call.then(
      (message) => ({ message, error: null }),
      (error: unknown) => ({ message: null, error }),
    );
    if (sdkError === null) {
      expect((outcome.message as { type?: string } | null)?.type).toBe('message');
    } else {
      expect(outcome.error).toBeInstanceOf(Anthropic.APIError);
      expect((outcome.error as Error).constructor.name).toBe(sdkError);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(r.events.call).toHaveLength(1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'error', errorClass: want, attempts: r.events.attempt.length });
    // A stop-reason class belongs to the call only: the attempt that brought the answer succeeded.
    const attemptClasses = r.events.attempt.map((a) => a.errorClass);
    if ((STOP_REASON_ERROR_CLASSES as readonly string[]).includes(want)) expect(attemptClasses).toEqual([null]);
    else expect(attemptClasses).not.toContain(null);
    await router.close();
  });

  it('counts the SDK retries as attempts, as many as the simulator served', async () => {
    sim.resetStats();
    sim.setFaults([{ kind: 'rate_limit', count: 2 }]);
    const router = routerOn(sdk(sim.url, { maxRetries: 2 }));
    const r = record(router);
    const message = await router.messages.create(PARAMS, { route: 'specialist', key: 'retry-1' });
    expect(message.type).toBe('message');
    expect(r.events.attempt.map((a) => [a.attempt, a.status, a.errorClass])).toEqual([
      [1, 429, 'rate_limit'],
      [2, 429, 'rate_limit'],
      [3, 200, null],
    ]);
    expect(r.events.call).toMatchObject([{ outcome: 'success', errorClass: null, attempts: 3 }]);
    expect(sim.stats().requests).toBe(3);
    expect(new Set(r.events.attempt.map((a) => a.callId))).toEqual(new Set([r.events.call[0]?.callId]));
    sim.setFaults([]);
    await router.close();
  });

  it('gives up after the retries and reports every attempt of the failed call', async () => {
    sim.resetStats();
    const router = routerOn(sdk(sim.url, { maxRetries: 2 }));
    const r = record(router);
    const error = await router.messages.create(PARAMS, { route: 'specialist', headers: { 'x-sim-fault': 'rate_limit' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(r.events.attempt.map((a) => a.status)).toEqual([429, 429, 429]);
    expect(r.events.call).toMatchObject([{ outcome: 'error', errorClass: 'rate_limit', attempts: 3, requestId: (error as { requestID?: string }).requestID }]);
    expect(sim.stats().requests).toBe(3);
    await router.close();
  });

  it('records a call its caller aborts as cancelled, not an error, in one call event', async () => {
    const slow = await quietSimulator({ timeScale: 1 });
    const router = routerOn(sdk(slow.url));
    const r = record(router);
    const controller = new AbortController();
    const pending = router.messages.create(PARAMS, { route: 'orchestrator', key: 'abort-1', signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(r.events.call).toHaveLength(1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'cancelled', errorClass: null, attempts: 1 });
    expect(r.events.attempt).toMatchObject([{ status: null, errorClass: 'other' }]);
    await router.close();
    await slow.close();
  });

  it('observes a request the SDK refuses before sending it', async () => {
    const router = routerOn(sdk(sim.url));
    const r = record(router);
    expect(() => router.messages.create({ ...PARAMS, max_tokens: 100_000 }, { route: 'specialist' })).toThrow(/Streaming is required/);
    expect(r.events.call).toMatchObject([{ outcome: 'error', errorClass: 'other', attempts: 0 }]);
    await router.close();
  });

  it('refuses a long non-streaming request exactly when the bare SDK would', async () => {
    const long = { ...PARAMS, max_tokens: 60_000 };
    // An explicit timeout (even the default's value) and a clone's inherited options both lift the SDK's refusal.
    for (const client of [sdk(sim.url, { timeout: 600_000 }), sdk(sim.url).withOptions({ maxRetries: 0 })]) {
      await expect(client.messages.create({ ...long, model: CONTROL_MODEL })).resolves.toMatchObject({ type: 'message' });
      const router = routerOn(client);
      await expect(router.messages.create(long, { route: 'specialist' })).resolves.toMatchObject({ type: 'message' });
      await router.close();
    }
    const router = routerOn(sdk(sim.url));
    expect(() => router.messages.create(long, { route: 'specialist' })).toThrow(/Streaming is required/);
    await router.close();
  });
});
