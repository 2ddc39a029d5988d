import Anthropic from '@anthropic-ai/sdk';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { Simulator } from '@model-canary/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_MODEL, PARAMS, quietSimulator, record, routerOn, sdk, until } from './test-helpers/harness.js';

let fast: Simulator;
let paced: Simulator;
beforeAll(async () => {
  fast = await quietSimulator();
  // Real pacing (scaled down) so that first token, body and abort happen at distinct times.
  paced = await quietSimulator({ timeScale: 0.05 });
});
afterAll(async () => {
  await Promise.all([fast.close(), paced.close()]);
});

describe('router.messages.stream', () => {
  it('returns the SDK stream and records time to first token and the final message_delta usage', async () => {
    const router = routerOn(sdk(paced.url));
    const r = record(router);
    const stream = router.messages.stream({ ...PARAMS, max_tokens: 8000 }, { route: 'orchestrator', forceArm: 'canary' });
    expect(stream).toBeInstanceOf(MessageStream);
    let text = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    const final = await stream.finalMessage();
    await until(() => r.events.call.length === 1);
    const call = r.events.call[0];
    expect(text.length).toBeGreaterThan(0);
    expect(call).toMatchObject({ streaming: true, outcome: 'success', model: CANARY_MODEL, servedModel: CANARY_MODEL, attempts: 1 });
    expect(call?.ttftMs).toBeGreaterThan(0);
    expect(call?.ttftMs).toBeLessThan(call?.durationMs as number);
    // Usage is the final one: output tokens from the last message_delta, not message_start's placeholder.
    expect(final.usage.output_tokens).toBeGreaterThan(1);
    expect(call?.usage).toEqual(final.usage);
    expect(call?.tokens.output).toBe(final.usage.output_tokens);
    expect(call?.costUsd).toBeCloseTo((final.usage.input_tokens * 3 + final.usage.output_tokens * 15) / 1e6, 15);
    expect(call?.requestId).toBe(stream.request_id);
    await router.close();
  });

  it('emits one call event when the caller aborts the stream mid-way', async () => {
    const router = routerOn(sdk(paced.url));
    const r = record(router);
    const stream = router.messages.stream({ ...PARAMS, max_tokens: 2000 }, { route: 'orchestrator', key: 'abort-stream' });
    stream.on('text', () => stream.abort());
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
    await until(() => r.events.call.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.events.call).toHaveLength(1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'cancelled', errorClass: null, streaming: true });
    // What was known when it stopped: the input tokens of message_start.
    expect(r.events.call[0]?.tokens.input).toBeGreaterThan(0);
    expect(r.events.call[0]?.ttftMs).toBeGreaterThan(0);
    await router.close();
  });

  it('emits one call event when the caller breaks out of the iteration', async () => {
    const router = routerOn(sdk(paced.url));
    const r = record(router);
    const stream = router.messages.stream({ ...PARAMS, max_tokens: 2000 }, { route: 'orchestrator', key: 'break-stream' });
    for await (const event of stream) {
      if (event.type === 'content_block_delta') break;
    }
    await until(() => r.events.call.length === 1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'cancelled', errorClass: null });
    await router.close();
  });

  it('observes a stream nobody reads: the call ends when the stream does', async () => {
    const router = routerOn(sdk(fast.url));
    const r = record(router);
    router.messages.stream(PARAMS, { route: 'orchestrator', key: 'ignored' });
    await until(() => r.events.call.length === 1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'success', streaming: true, attempts: 1 });
    expect(r.events.call[0]?.tokens.output).toBeGreaterThan(0);
    await router.close();
  });

  it("records a stream whose caller's finalMessage listener throws (the SDK then never emits end), and ends its unit", async () => {
    // The caller's throw is an unhandled rejection with or without the router: vitest's listeners step aside.
    const saved = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    const unhandled: unknown[] = [];
    process.on('unhandledRejection', (reason) => unhandled.push(reason));
    try {
      const router = routerOn(sdk(fast.url), { unitTimeoutMs: 30 });
      const r = record(router);
      const booking = router.unit('listener-bug');
      const stream = booking.messages.stream(PARAMS, { route: 'specialist' });
      stream.on('finalMessage', () => {
        throw new Error('bug in the caller listener');
      });
      await until(() => r.events.unit.length === 1);
      expect(r.events.call).toMatchObject([{ outcome: 'success', errorClass: null, streaming: true }]);
      expect(r.events.call[0]?.tokens.output).toBeGreaterThan(0);
      expect(r.events.unit[0]).toMatchObject({ key: 'listener-bug', outcome: 'expired', calls: 1 });
      expect(String(unhandled[0])).toContain('bug in the caller listener');
      await router.close();
    } finally {
      process.removeAllListeners('unhandledRejection');
      for (const listener of saved) process.on('unhandledRejection', listener);
    }
  });

  it('follows the caller AbortSignal', async () => {
    const router = routerOn(sdk(paced.url));
    const r = record(router);
    const controller = new AbortController();
    const stream = router.messages.stream({ ...PARAMS, max_tokens: 2000 }, { route: 'orchestrator', key: 'signal', signal: controller.signal });
    stream.on('text', () => controller.abort());
    await expect(stream.done()).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
    await until(() => r.events.call.length === 1);
    expect(r.events.call[0]).toMatchObject({ outcome: 'cancelled', errorClass: null });
    await router.close();
  });
});
