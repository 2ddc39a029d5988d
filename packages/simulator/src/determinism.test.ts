import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.js';
import { BOOKING_TOOL, client } from './test-helpers/sdk.js';

const opened: Simulator[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function run(seed: string, order: readonly number[], concurrent: boolean): Promise<Map<number, unknown>> {
  const sim = await startSimulator({ seed, timeScale: 0 });
  opened.push(sim);
  const sdk = client(sim.url);
  const call = async (i: number): Promise<[number, unknown]> => {
    const msg = await sdk.messages.create({
      model: i % 2 === 0 ? 'claude-haiku-4-5' : 'claude-sonnet-4-6', max_tokens: 1024, tools: [BOOKING_TOOL],
      messages: [{ role: 'user', content: `booking ${i}` }],
    }).catch((e: unknown) => ({ error: String(e) }));
    return [i, msg];
  };
  const results: Array<[number, unknown]> = [];
  if (concurrent) results.push(...(await Promise.all(order.map(call))));
  else for (const i of order) results.push(await call(i));
  return new Map(results);
}

const indexes = Array.from({ length: 40 }, (_, i) => i);

describe('determinism', () => {
  it('gives the same answers for the same seed and request sequence', async () => {
    const a = await run('s1', indexes, false);
    const b = await run('s1', indexes, false);
    expect(b).toEqual(a);
  });

  it('gives each request the same answer however concurrent requests interleave', async () => {
    const sequential = await run('s2', indexes, false);
    const shuffled = await run('s2', [...indexes].reverse(), true);
    expect(shuffled).toEqual(sequential);
  });

  it('gives different answers for a different seed', async () => {
    const a = await run('s3', indexes.slice(0, 5), false);
    const b = await run('s4', indexes.slice(0, 5), false);
    expect(b).not.toEqual(a);
  });

  it('draws anew for a repeated identical request (so a retry can succeed)', async () => {
    const sim = await startSimulator({ seed: 's5', timeScale: 0 });
    opened.push(sim);
    const sdk = client(sim.url);
    const p = { model: 'claude-opus-4-7', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'same' }] };
    const first = await sdk.messages.create(p);
    const second = await sdk.messages.create(p);
    expect(second.id).not.toBe(first.id);
  });
});
