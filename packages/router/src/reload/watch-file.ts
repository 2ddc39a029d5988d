import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface WatchOptions {
  /** Quiet time after the last change before the file is read: coalesces bursts of writes. */
  readonly debounceMs: number;
  /** Content poll interval: the backstop for changes the directory watcher misses (network mounts, far symlinks). */
  readonly pollIntervalMs: number;
  /** A reason a trigger fired: a directory event or the poll. */
  readonly onTrigger: (reason: 'watch' | 'poll') => void;
  readonly onError: (error: unknown) => void;
}

/**
 * Watches the file's directory, not the file: editors save by renaming a new file over the old one and
 * Kubernetes swaps a `..data` symlink, and a watcher on the old inode would miss both. Neither the watcher nor
 * the timers keep the process alive; `close()` stops all of them.
 */
export function watchFile(file: string, options: WatchOptions): { close(): void } {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let watcher: FSWatcher | null = null;
  let debounce: NodeJS.Timeout | null = null;
  let firstEventAt = 0;
  let closed = false;

  const fire = (): void => {
    debounce = null;
    options.onTrigger('watch');
  };
  const onEvent = (_type: string, name: string | Buffer | null): void => {
    const changed = name === null ? null : String(name);
    // our file, or a Kubernetes `..data`/`..2026_…` swap; other files of the directory are not our business
    if (changed !== null && changed !== base && !changed.startsWith('..')) return;
    const now = Date.now();
    if (debounce === null) firstEventAt = now;
    else clearTimeout(debounce);
    // a steady stream of writes still gets read at least every 10 debounce periods
    const wait = now - firstEventAt >= options.debounceMs * 10 ? 0 : options.debounceMs;
    debounce = setTimeout(fire, wait);
    debounce.unref();
  };
  const startWatcher = (): void => {
    if (closed || watcher !== null) return;
    try {
      watcher = watch(dir, { persistent: false }, onEvent);
      watcher.on('error', (error) => {
        watcher?.close();
        watcher = null;
        options.onError(error);
      });
    } catch (error) {
      // the directory may not exist yet: the poll keeps looking and re-creates the watcher when it does
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError(error);
    }
  };

  startWatcher();
  const poll = setInterval(() => {
    startWatcher();
    options.onTrigger('poll');
  }, options.pollIntervalMs);
  poll.unref();

  return {
    close() {
      closed = true;
      clearInterval(poll);
      if (debounce !== null) clearTimeout(debounce);
      watcher?.close();
      watcher = null;
    },
  };
}
