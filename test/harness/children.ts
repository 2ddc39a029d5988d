import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';

/** How a managed process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child process of the test run that is stopped at the end whatever happens. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** A string in the process's arguments that identifies it (its temp dir). */
  readonly marker: string;
  readonly exited: Promise<ProcessExit>;
  /** Everything it wrote on stdout and stderr, most recent last (bounded). */
  output(): string;
  /** Resolves with the first line for which `match` returns a value; rejects if the process exits first. */
  waitForLine<T>(match: (line: string) => T | undefined, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

export interface SpawnManagedOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly marker: string;
  /** Removed when the process is stopped, also from the exit handler. */
  readonly tempDir?: string;
}

const MAX_LINES = 2000;

interface Live {
  readonly child: ChildProcess;
  readonly tempDir: string | undefined;
}
const live = new Map<number, Live>();

/** Pids of the managed processes still running, for leak checks. */
export function livePids(): number[] {
  return [...live.keys()];
}

/** True when a process with this pid exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ..."; comm may hold spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Starts `command` as a child that cannot outlive the test run: it is killed by `stop()`, by the exit
 * and signal handlers installed here, and, if this process is SIGKILLed (no handler runs), by the
 * watchdog, which notices its stdin pipe closing.
 */
export function spawnManaged({ name, command, args, marker, tempDir }: SpawnManagedOptions): ManagedProcess {
  installHandlers();
  const child = spawn(command, [...args], { detached: false, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name}: spawn of ${command} failed`);
  const pid = child.pid;
  live.set(pid, { child, tempDir });
  watchdog().write(`+ ${pid} ${marker}\n`);

  const lines: string[] = [];
  const lineListeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > MAX_LINES) lines.shift();
        for (const listener of lineListeners) listener(line);
      }
    });
  }

  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      forget(pid);
      resolve({ code, signal });
    });
  });
  let exitInfo: ProcessExit | undefined;
  void exited.then((info) => (exitInfo = info));

  const output = (): string => lines.join('\n');

  const waitForLine = <T>(match: (line: string) => T | undefined, timeoutMs = 15_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const done = (): void => {
        lineListeners.delete(onLine);
        clearTimeout(timer);
      };
      const onLine = (line: string): void => {
        const value = match(line);
        if (value === undefined) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${name}: no matching output after ${timeoutMs} ms\n${tail(output())}`));
      }, timeoutMs);
      for (const line of lines) {
        const value = match(line);
        if (value !== undefined) {
          done();
          resolve(value);
          return;
        }
      }
      lineListeners.add(onLine);
      void exited.then((info) => {
        if (!lineListeners.has(onLine)) return;
        done();
        reject(new Error(`${name} exited (${info.code ?? info.signal}) before it was ready\n${tail(output())}`));
      });
    });

  const stop = async (graceMs = 5_000): Promise<ProcessExit> => {
    if (exitInfo !== undefined) return exitInfo;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const info = await exited;
    clearTimeout(timer);
    return info;
  };

  return { name, pid, marker, exited, output, waitForLine, stop };
}

function tail(text: string, maxLines = 30): string {
  return text.split('\n').slice(-maxLines).join('\n');
}

function forget(pid: number): void {
  const entry = live.get(pid);
  if (entry === undefined) return;
  live.delete(pid);
  if (watchdogProcess !== undefined) watchdogProcess.stdin?.write(`- ${pid}\n`);
  if (entry.tempDir !== undefined) rmSync(entry.tempDir, { recursive: true, force: true });
}

/** Synchronous last resort for exit and signal handlers: no time to wait for a graceful stop. */
function killAllNow(): void {
  for (const [pid, { child, tempDir }] of live) {
    child.kill('SIGKILL');
    live.delete(pid);
    if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
  }
}

let handlersInstalled = false;
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllNow();
      process.removeListener(signal, onSignal);
      // Re-raise so the default action (or another handler) still ends the process.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * A shell that learns our children's pids on its stdin and, when stdin closes (this process died,
 * even by SIGKILL), kills those still running whose command line still holds their marker, so a
 * recycled pid is never hit, and removes their temp dirs. Children stopped normally are removed
 * from its list first.
 */
const WATCHDOG_SCRIPT = [
  "trap '' INT HUP",
  'entries=""',
  'while read -r op pid marker; do',
  '  case "$op" in',
  '    +) entries="$entries $pid:$marker" ;;',
  '    -) entries=$(for e in $entries; do case "$e" in "$pid":*) ;; *) printf "%s " "$e" ;; esac; done) ;;',
  '  esac',
  'done',
  'set -- $entries',
  '[ "$#" -eq 0 ] && exit 0',
  'alive() { [ -r "/proc/$1/cmdline" ] && tr "\\0" " " < "/proc/$1/cmdline" | grep -qF -- "$2"; }',
  'signal_all() { for e in $entries; do alive "${e%%:*}" "${e#*:}" && kill "-$1" "${e%%:*}" 2>/dev/null; done; }',
  'any_alive() { for e in $entries; do alive "${e%%:*}" "${e#*:}" && return 0; done; return 1; }',
  'signal_all TERM',
  'i=0',
  'while [ "$i" -lt 30 ] && any_alive; do sleep 0.1; i=$((i + 1)); done',
  'signal_all KILL',
  // Markers are the children's temp dirs; only harness-made ones are removed.
  'for e in $entries; do case "${e#*:}" in */mc-e2e-*) rm -rf -- "${e#*:}" ;; esac; done',
  'exit 0',
].join('\n');

let watchdogProcess: ChildProcess | undefined;
function watchdog(): NodeJS.WritableStream {
  if (watchdogProcess?.stdin == null || watchdogProcess.exitCode !== null) {
    watchdogProcess = spawn('sh', ['-c', WATCHDOG_SCRIPT], { detached: false, stdio: ['pipe', 'ignore', 'ignore'] });
    // Neither the watchdog nor its pipe may keep the test process alive.
    watchdogProcess.unref();
    (watchdogProcess.stdin as Socket | null)?.unref();
  }
  const stdin = watchdogProcess.stdin;
  if (stdin === null) throw new Error('watchdog has no stdin');
  return stdin;
}
