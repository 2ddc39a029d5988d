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
});
