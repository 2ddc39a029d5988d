import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { ControllerError } from '../errors.js';

export interface Lock {
  readonly path: string;
  release(): Promise<void>;
}

export interface AcquireLockOptions {
  /** Host name written into the lock and compared with a lock found on disk (default `os.hostname()`). */
  readonly hostname?: string;
  /**
   * Test seams to interleave two takeovers deterministically: `beforeTakeover` runs once a lock on
   * disk has been judged stale, `afterTomb` once it has been moved aside (before ours is linked in).
   */
  readonly hooks?: { readonly beforeTakeover?: () => Promise<void>; readonly afterTomb?: () => Promise<void> };
}

interface LockOwner {
  readonly pid: number;
  /** Absent in locks written before the host was recorded (a bare pid): those are judged as this host's. */
  readonly host: string | null;
  readonly nonce: string | null;
}

/**
 * Nonces of the locks this process holds right now. Process-wide on purpose: "is a lock carrying our
 * own pid ours?" is a question about this process, not about one controller, and a pid equal to ours
 * in a lock we did not take is a previous run's (pid 1 in a container restarted on a persistent volume).
 */
const heldNonces = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(text: string): LockOwner | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), host: null, nonce: null };
  try {
    const json = JSON.parse(trimmed) as { pid?: unknown; host?: unknown; nonce?: unknown };
    if (typeof json.pid !== 'number' || !Number.isInteger(json.pid) || json.pid <= 0) return null;
    return { pid: json.pid, host: typeof json.host === 'string' ? json.host : null, nonce: typeof json.nonce === 'string' ? json.nonce : null };
  } catch {
    return null;
  }
}

const isCode = (error: unknown, code: string): boolean => (error as NodeJS.ErrnoException | null)?.code === code;

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
}

/**
 * Throws if the lock's owner may still be running; returns if the lock is stale. Unreadable content
 * is stale: ours is linked in fully written, so a torn lock is a crash's leftover, not a writer mid-way.
 */
function refuseUnlessStale(path: string, text: string, host: string): void {
  const owner = parseOwner(text);
  if (owner === null) return;
  if (owner.host !== null && owner.host !== host) {
    // kill(0) on this host says nothing about a pid of another host (shared or persistent volume).
    throw new ControllerError('LOCKED', `the lock ${path} is held by pid ${owner.pid} on host ${owner.host}, which cannot be checked from ${host}; if that controller is gone, remove ${path} by hand`);
  }
  const ours = owner.pid === process.pid;
  if (ours ? owner.nonce !== null && heldNonces.has(owner.nonce) : alive(owner.pid)) {
    throw new ControllerError('LOCKED', `another rollout controller (pid ${owner.pid} on ${owner.host ?? 'this host'}) holds ${path}; only one may write the rollout file`);
  }
}

/**
 * One writer per rollout file. The lock holds `{ pid, host, nonce }`, written to a unique temp file
 * and hard-linked into place, so it appears whole or not at all and `link` fails if any lock exists.
 * A second controller refuses to start. A lock left by a dead process of this host (or carrying our
 * own pid without this process holding it) is taken over by renaming it to a unique tomb first:
 * rename moves one inode atomically, and comparing the tomb with the content judged stale tells
 * whether we moved that stale lock or another controller's fresh one (which is then put back).
 * Never delete-and-recreate: that lets two takeovers both win. A lock from another host is never
 * taken over (its pid cannot be checked here): a person removes it.
 */
export async function acquireLock(path: string, options: AcquireLockOptions = {}): Promise<Lock> {
  const host = options.hostname ?? osHostname();
  const nonce = randomBytes(8).toString('hex');
  const content = `${JSON.stringify({ pid: process.pid, host, nonce })}\n`;
  const tmp = `${path}.${nonce}.tmp`;
  const tomb = `${path}.${nonce}.stale`;
  await writeFile(tmp, content, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(tmp, path);
        heldNonces.add(nonce);
        return { path, release: () => release(path, nonce) };
      } catch (error) {
        if (!isCode(error, 'EEXIST')) throw error;
      }
      const judged = await readOrNull(path);
      if (judged === null) continue;
      refuseUnlessStale(path, judged, host);
      await options.hooks?.beforeTakeover?.();
      try {
        await rename(path, tomb);
      } catch (error) {
        if (isCode(error, 'ENOENT')) continue; // another controller moved it first
        throw error;
      }
      await options.hooks?.afterTomb?.();
      const moved = await readFile(tomb, 'utf8');
      if (moved !== judged) {
        // We moved a lock someone took since our read: put it back (link fails if a third one is
        // already in place; that lock then stands) and look again.
        await link(tomb, path).catch((e: unknown) => { if (!isCode(e, 'EEXIST')) throw e; });
      }
      await rm(tomb, { force: true });
    }
    throw new ControllerError('LOCKED', `could not take the lock ${path}: it kept changing under us`);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Removes the lock only while it is still ours (never another controller's that took it over). */
async function release(path: string, nonce: string): Promise<void> {
  heldNonces.delete(nonce);
  const text = await readOrNull(path);
  if (text !== null && parseOwner(text)?.nonce === nonce) await rm(path, { force: true });
}
