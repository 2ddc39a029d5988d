import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, type Lock } from './lock-file.js';

let dir: string;
let path: string;
const held: Lock[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lock-'));
  path = join(dir, 'rollout.json.lock');
});
afterEach(async () => {
  for (const l of held.splice(0)) await l.release();
  await rm(dir, { recursive: true, force: true });
});

async function take(options?: Parameters<typeof acquireLock>[1]): Promise<Lock> {
  const lock = await acquireLock(path, options);
  held.push(lock);
  return lock;
}

/** A pid that cannot exist on Linux (above pid_max's hard limit of 2^22). */
const deadPid = 4_194_304 + 7;

describe('acquireLock', () => {
  it('a second acquire in the same process refuses while the first holds the lock', async () => {
    await take();
    await expect(take()).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it.each([
    ['a legacy lock (pid only) whose pid is our own pid', `${process.pid}\n`],
    ['a lock of this host whose pid is our own pid but that this process never took', `${JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'left-by-a-previous-run' })}\n`],
    ['a lock of this host whose pid is dead', `${JSON.stringify({ pid: deadPid, host: hostname(), nonce: 'x' })}\n`],
    ['an empty lock (crash before it was written)', ''],
  ])('takes over %s', async (_label, content) => {
    await writeFile(path, content);
    const lock = await take();
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await lock.release();
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a lock from another host, naming the host, the pid and the manual removal', async () => {
    await writeFile(path, `${JSON.stringify({ pid: deadPid, host: 'other-host', nonce: 'x' })}\n`);
    const error = await take().then(
      () => new Error('took a lock of another host'),
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: 'LOCKED' });
    expect(error.message).toContain('other-host');
    expect(error.message).toContain(String(deadPid));
    expect(error.message).toContain(`remove ${path}`);
    expect(await readFile(path, 'utf8')).toContain('other-host');
  });

  it.each([
    ['B judges the lock stale, then A takes it over completely, then B goes on', 'beforeTakeover'],
    ['B moves the stale lock aside, then A takes over completely, then B goes on', 'afterTomb'],
  ] as const)('two takeovers of one stale lock: exactly one wins (%s)', async (_label, step) => {
    await writeFile(path, `${JSON.stringify({ pid: deadPid, host: hostname(), nonce: 'stale' })}\n`);
    let reached!: () => void;
    const atStep = new Promise<void>((r) => (reached = r));
    let go!: () => void;
    const gate = new Promise<void>((r) => (go = r));
    const b = take({ hooks: { [step]: async () => { reached(); await gate; } } }).then(
      (lock) => ({ won: true as const, lock }),
      (error: unknown) => ({ won: false as const, error }),
    );
    await atStep;
    const a = await take().then(
      (lock) => ({ won: true as const, lock }),
      (error: unknown) => ({ won: false as const, error }),
    );
    go();
    const results = [a, await b];
    expect(results.filter((r) => r.won)).toHaveLength(1);
    expect(results.find((r) => !r.won)).toMatchObject({ error: { code: 'LOCKED' } });
    const winner = results.find((r) => r.won)!;
    // The lock on disk is the winner's, and nothing else is left in the directory.
    expect(await readdir(dir)).toEqual(['rollout.json.lock']);
    if (winner.won) await winner.lock.release();
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('the repository', () => {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: new URL('../../../..', import.meta.url), encoding: 'utf8' });

  it('ships no lock file and ignores the ones a controller leaves next to a rollout file (pnpm-lock.yaml stays tracked)', () => {
    expect(git('ls-files', '*.lock')).toBe('');
    expect(git('check-ignore', 'packages/controller/rollout.example.json.lock', 'examples/booking-agent/rollout.json.lock')).toBe(
      'packages/controller/rollout.example.json.lock\nexamples/booking-agent/rollout.json.lock\n',
    );
    expect(git('ls-files', 'pnpm-lock.yaml')).toBe('pnpm-lock.yaml\n');
  });
});
