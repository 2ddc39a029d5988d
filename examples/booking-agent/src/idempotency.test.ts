import { describe, expect, it } from 'vitest';
import { createIdempotencyStore, type StoredResponse } from './idempotency.js';

const ok = (body: unknown): StoredResponse => ({ status: 201, body });

describe('createIdempotencyStore', () => {
  it('runs the work once and replays the stored response to a retry', async () => {
    const store = createIdempotencyStore({ capacity: 10 });
    let runs = 0;
    const work = async () => ok({ run: ++runs });
    expect(await store.run('k', 'f', work)).toEqual({ kind: 'fresh', response: ok({ run: 1 }) });
    expect(await store.run('k', 'f', work)).toEqual({ kind: 'replayed', response: ok({ run: 1 }) });
    expect(runs).toBe(1);
  });

  it('makes a concurrent duplicate wait for the first', async () => {
    const store = createIdempotencyStore({ capacity: 10 });
    let release: (r: StoredResponse) => void = () => {};
    let runs = 0;
    const first = store.run('k', 'f', () => {
      runs++;
      return new Promise<StoredResponse>((resolve) => (release = resolve));
    });
    const second = store.run('k', 'f', async () => ok({ second: true }));
    release(ok({ first: true }));
    expect(await first).toEqual({ kind: 'fresh', response: ok({ first: true }) });
    expect(await second).toEqual({ kind: 'replayed', response: ok({ first: true }) });
    expect(runs).toBe(1);
  });

  it('refuses the same key with another fingerprint', async () => {
    const store = createIdempotencyStore({ capacity: 10 });
    await store.run('k', 'f1', async () => ok(1));
    expect(await store.run('k', 'f2', async () => ok(2))).toEqual({ kind: 'mismatch' });
  });

  it('forgets responses that keep rejects and work that throws, so a retry runs again', async () => {
    const store = createIdempotencyStore({ capacity: 10, keep: (r) => r.status < 500 });
    await store.run('k', 'f', async () => ({ status: 503, body: null }));
    expect((await store.run('k', 'f', async () => ok('again'))).kind).toBe('fresh');
    await expect(store.run('t', 'f', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await store.run('t', 'f', async () => ok('again'))).kind).toBe('fresh');
  });

  it('keeps at most capacity keys, forgetting the oldest', async () => {
    const store = createIdempotencyStore({ capacity: 2 });
    for (const key of ['a', 'b', 'c']) await store.run(key, 'f', async () => ok(key));
    expect(store.size).toBe(2);
    expect((await store.run('a', 'f', async () => ok('new'))).kind).toBe('fresh');
    expect((await store.run('c', 'f', async () => ok('new'))).kind).toBe('replayed');
  });

  it('never forgets a booking still running: when every slot is running it answers full instead', async () => {
    const store = createIdempotencyStore({ capacity: 2 });
    const releases: Array<(r: StoredResponse) => void> = [];
    const pending = (): Promise<StoredResponse> => new Promise((resolve) => releases.push(resolve));
    const a = store.run('a', 'f', pending);
    const b = store.run('b', 'f', pending);
    expect(await store.run('c', 'f', async () => ok('c'))).toEqual({ kind: 'full' });
    // a's retry still finds a's booking and waits for it rather than starting a second one
    const retryOfA = store.run('a', 'f', async () => ok('second booking'));
    releases[0]?.(ok('a'));
    expect(await a).toEqual({ kind: 'fresh', response: ok('a') });
    expect(await retryOfA).toEqual({ kind: 'replayed', response: ok('a') });
    // a settled: now it is the one forgotten to make room, while b (still running) is kept
    expect((await store.run('c', 'f', async () => ok('c'))).kind).toBe('fresh');
    const retryOfB = store.run('b', 'f', async () => ok('second booking'));
    releases[1]?.(ok('b'));
    expect(await b).toEqual({ kind: 'fresh', response: ok('b') });
    expect(await retryOfB).toEqual({ kind: 'replayed', response: ok('b') });
  });
});
