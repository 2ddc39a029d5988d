import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Simulator } from '@model-canary/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../create-router.js';
import type { CallEvent } from '../events.js';
import { CANARY_MODEL, CONTROL_MODEL, PARAMS, quietSimulator, record, rollout, routerOn, sdk, until } from './test-helpers/harness.js';

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  sim = await quietSimulator();
  dir = await mkdtemp(path.join(tmpdir(), 'mc-call-'));
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `fn` over `items` with at most `width` in flight. */
async function pool<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

describe('router.messages.create against the simulator', () => {
  it('sends each call to its arm, keeps every booking on one arm per route, and two routers agree', async () => {
    const a = routerOn(sdk(sim.url));
    const b = routerOn(sdk(sim.url));
    const ra = record(a);
    const rb = record(b);
    // The split itself is the decider's (no I/O): 2,000 bookings give the share. A dozen of them, both arms,
    // then go through the wire four times each.
    const all = Array.from({ length: 2000 }, (_, i) => `booking-${i}`);
    const armOf = new Map(all.map((key) => [key, a.decide({ route: 'orchestrator', key }).arm]));
    const canaryShare = [...armOf.values()].filter((arm) => arm === 'canary').length / all.length;
    expect(canaryShare).toBeGreaterThan(0.08);
    expect(canaryShare).toBeLessThan(0.12);
    const keys = [...all.filter((k) => armOf.get(k) === 'canary').slice(0, 6), ...all.filter((k) => armOf.get(k) === 'control').slice(0, 6)];
    const requestsBefore = sim.stats().requests;
    await pool(keys, 6, async (key) => {
      await a.messages.create(PARAMS, { route: 'orchestrator', key });
      await b.messages.create(PARAMS, { route: 'orchestrator', key });
      const unit = a.unit(key);
      await unit.messages.create(PARAMS, { route: 'orchestrator' });
      await unit.messages.create(PARAMS, { route: 'specialist' });
      unit.end({ outcome: 'success' });
    });
    await until(() => ra.events.call.length === 36 && rb.events.call.length === 12);

    const armsOf = (calls: CallEvent[], route: string) => {
      const arms = new Map<string, Set<string>>();
      for (const c of calls.filter((c) => c.route === route)) {
        arms.set(c.key as string, (arms.get(c.key as string) ?? new Set()).add(c.arm));
      }
      return arms;
    };
    const aOrch = armsOf(ra.events.call, 'orchestrator');
    const bOrch = armsOf(rb.events.call, 'orchestrator');
    expect(aOrch.size).toBe(12);
    for (const key of keys) {
      expect([...(aOrch.get(key) ?? [])]).toEqual([armOf.get(key)]);
      expect([...(bOrch.get(key) ?? [])]).toEqual([armOf.get(key)]);
    }
    for (const c of [...ra.events.call, ...rb.events.call]) {
      expect(c).toMatchObject({ attempts: 1, keyed: true, reason: 'split' });
      // The simulator's answer lengths have a long tail: a few stop at max_tokens, an error class of an answer.
      expect([c.outcome, c.errorClass]).toEqual(c.errorClass === null ? ['success', null] : ['error', 'max_tokens']);
      expect(c.servedModel).toBe(c.arm === 'canary' ? CANARY_MODEL : CONTROL_MODEL);
      expect(c.model).toBe(c.servedModel);
    }
    expect(ra.events.unit.every((u) => u.calls === 2 && u.routes.every((r) => !r.mixedArms))).toBe(true);
    expect(sim.stats().requests - requestsBefore).toBe(48);
    await Promise.all([a.close(), b.close()]);
  });

  it('returns the SDK message unchanged, with the arm model in place of the one in params', async () => {
    const router = routerOn(sdk(sim.url));
    const r = record(router);
    const message = await router.messages.create({ ...PARAMS, model: 'claude-opus-4-7' }, { route: 'orchestrator', forceArm: 'canary' });
    expect(message.model).toBe(CANARY_MODEL);
    expect(message.content.length).toBeGreaterThan(0);
    const [call] = r.events.call;
    expect(call).toMatchObject({ arm: 'canary', reason: 'forced', model: CANARY_MODEL, servedModel: CANARY_MODEL, streaming: false });
    expect(call?.usage).toEqual(message.usage);
    expect(call?.requestId).toBe(message._request_id);
    expect(r.events.callStart).toHaveLength(1);
    expect(r.events.attempt).toMatchObject([{ attempt: 1, status: 200, origin: 'primary', errorClass: null, requestId: message._request_id }]);
    await router.close();
  });

  it('leaves a failed call nobody consumes an unhandled rejection of the SDK error, as without the router, and adds none', async () => {
    // Vitest fails a run on an unhandled rejection: its listeners step aside while this test counts them.
    const saved = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    const unhandled: unknown[] = [];
    process.on('unhandledRejection', (reason) => unhandled.push(reason));
    sim.setFaults([{ kind: 'overloaded', rate: 1 }]);
    try {
      const client = sdk(sim.url, { maxRetries: 0 });
      const router = routerOn(client);
      const r = record(router);
      void client.messages.create({ ...PARAMS, model: CONTROL_MODEL });
      await until(() => unhandled.length === 1);
      void router.messages.create(PARAMS, { route: 'orchestrator' });
      await until(() => unhandled.length === 2);
      expect((unhandled[1] as Error).constructor).toBe((unhandled[0] as Error).constructor);
      expect(unhandled[1]).toMatchObject({ status: 529 });

      // Consumed every way the SDK's promise offers: nothing more is reported.
      await expect(router.messages.create(PARAMS, { route: 'orchestrator' })).rejects.toMatchObject({ status: 529 });
      await router.messages.create(PARAMS, { route: 'orchestrator' }).catch(() => null);
      await router.messages
        .create(PARAMS, { route: 'orchestrator' })
        .finally(() => undefined)
        .then(undefined, () => null);
      await expect(router.messages.create(PARAMS, { route: 'orchestrator' }).withResponse()).rejects.toMatchObject({ status: 529 });
      await expect(router.messages.create(PARAMS, { route: 'orchestrator' }).asResponse()).rejects.toMatchObject({ status: 529 });
      await until(() => r.events.call.length === 6);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toHaveLength(2);
      expect(r.events.call.map((c) => c.errorClass)).toEqual(Array(6).fill('overloaded'));
      await router.close();
    } finally {
      sim.setFaults([]);
      process.removeAllListeners('unhandledRejection');
      for (const listener of saved) process.on('unhandledRejection', listener);
    }
  });

  it('answers asResponse() and withResponse() with a readable body, and observes those calls too', async () => {
    const router = routerOn(sdk(sim.url));
    const r = record(router);
    const response = await router.messages.create(PARAMS, { route: 'orchestrator', key: 'raw-1' }).asResponse();
    const body = (await response.json()) as { type: string; model: string };
    await until(() => r.events.call.length === 1); // the observation ends when its own copy of the body is read
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ type: 'message', model: r.events.call[0]?.model });
    expect(response.headers.get('request-id')).toBe(r.events.call[0]?.requestId);

    const { data, response: raw, request_id } = await router.messages.create(PARAMS, { route: 'orchestrator', key: 'raw-2' }).withResponse();
    expect(data.type).toBe('message');
    expect(raw.status).toBe(200);
    expect(request_id).toBe(r.events.call[1]?.requestId);
    expect(r.events.call.map((c) => c.outcome)).toEqual(['success', 'success']);
    await router.close();
  });

  it('prices cache writes (5m and 1h) and cache reads exactly, from the response usage', async () => {
    const router = routerOn(sdk(sim.url));
    const r = record(router);
    const longSystem = 'You are the booking orchestrator for a travel agency. '.repeat(150);
    const system = (ttl: '5m' | '1h') => [{ type: 'text' as const, text: longSystem + ttl, cache_control: { type: 'ephemeral' as const, ttl } }];
    const call = (ttl: '5m' | '1h') => router.messages.create({ ...PARAMS, system: system(ttl) }, { route: 'orchestrator', forceArm: 'canary' });
    const write5m = await call('5m');
    const read = await call('5m');
    const write1h = await call('1h');
    expect(write5m.usage.cache_creation?.ephemeral_5m_input_tokens).toBeGreaterThan(1024);
    expect(read.usage.cache_read_input_tokens).toBeGreaterThan(1024);
    expect(write1h.usage.cache_creation?.ephemeral_1h_input_tokens).toBeGreaterThan(1024);

    for (const [i, m] of [write5m, read, write1h].entries()) {
      const u = m.usage;
      const w5 = u.cache_creation?.ephemeral_5m_input_tokens ?? 0;
      const w1 = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
      const cr = u.cache_read_input_tokens ?? 0;
      // Sonnet 4.6: $3 input, $15 output, $3.75 5m writes, $6 1h writes, $0.30 reads per million tokens.
      const expected = (u.input_tokens * 3 + u.output_tokens * 15 + w5 * 3.75 + w1 * 6 + cr * 0.3) / 1e6;
      const event = r.events.call[i];
      expect(event?.tokens).toEqual({ input: u.input_tokens, output: u.output_tokens, cache_read: cr, cache_write_5m: w5, cache_write_1h: w1 });
      expect(event?.costUsd).toBeCloseTo(expected, 15);
    }
    await router.close();
  });

  it('keeps the call working when an observer throws, and reports the throw as an error event', async () => {
    const router = routerOn(sdk(sim.url));
    const r = record(router);
    router.on('call', () => {
      throw new Error('observer bug');
    });
    router.on('attempt', () => {
      throw new Error('attempt observer bug');
    });
    const message = await router.messages.create(PARAMS, { route: 'orchestrator', key: 'k1' });
    expect(message.type).toBe('message');
    expect(r.events.call).toHaveLength(1);
    expect(r.events.error.map((e) => e.source).sort()).toEqual(['observer:attempt', 'observer:call']);
    expect(r.events.error.map((e) => (e.error as Error).message).sort()).toEqual(['attempt observer bug', 'observer bug']);
    await router.close();
  });

  it('loses no call and mixes no config when the rollout is reloaded in the middle of traffic', async () => {
    const file = path.join(dir, 'rollout.json');
    await writeFile(file, JSON.stringify(rollout({ percent: 10 })));
    const router = createRouter({ configFile: file, watch: false, client: sdk(sim.url) });
    const r = record(router);
    const percentOf = new Map<number, number>([[router.snapshot().version, 10]]);
    const keys = Array.from({ length: 600 }, (_, i) => `reload-${i}`);
    const traffic = pool(keys, 24, (key) => router.messages.create(PARAMS, { route: 'orchestrator', key }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(file, JSON.stringify(rollout({ percent: 60 })));
    const applied = await router.reload();
    expect(applied.result).toBe('applied');
    percentOf.set(applied.version, 60);
    const messages = await traffic;

    expect(messages).toHaveLength(600);
    await until(() => r.events.call.length === 600); // each observation ends when its copy of the body is read
    const versions = new Set(r.events.call.map((c) => c.configVersion));
    expect(versions.size).toBe(2);
    for (const c of r.events.call) {
      const percent = percentOf.get(c.configVersion) as number;
      expect(c.arm).toBe(c.bucket < percent / 100 ? 'canary' : 'control');
      expect(c.servedModel).toBe(c.arm === 'canary' ? CANARY_MODEL : CONTROL_MODEL);
    }
    await router.close();
  });
});
