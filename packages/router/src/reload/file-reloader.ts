import { setTimeout as sleep } from 'node:timers/promises';
import type { ConfigStore } from '../config-store.js';
import { scanJson } from '../config/json-syntax.js';
import { parseRolloutText, type ParseOptions } from '../config/parse-rollout.js';
import type { ConfigEvent } from '../events.js';
import { readConfigFile, type FileRead } from './read-config-file.js';
import { watchFile } from './watch-file.js';

export interface FileReloader {
  /** Handles one read (the initial synchronous one, or any later one). Returns null when nothing is worth reporting. */
  handle(read: FileRead, explicit: boolean): ConfigEvent | null;
  /** Reads the file now; always reports (`unchanged` when the content is the one last seen). */
  reload(): Promise<ConfigEvent>;
  close(): Promise<void>;
}

/**
 * Turns file reads into config events: whole-file validation, then one swap, deduplicated by content hash so
 * a poll or an unrelated directory event never repeats an event. Reads run one at a time, in order.
 */
export function createFileReloader(options: {
  file: string;
  store: ConfigStore;
  parse: ParseOptions;
  watch: { debounceMs: number; pollIntervalMs: number } | null;
  onEvent: (event: ConfigEvent) => void;
  onError: (source: string, error: unknown) => void;
}): FileReloader {
  const { file, store, onEvent } = options;
  /** Hash of the last content handled (applied or rejected), or null after the file went missing. */
  let lastSeen: string | null = null;
  let missing = false;
  /** The problem of the last unreadable read, so that a poll reports each distinct problem once (as `missing`). */
  let unreadable: string | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let queued = false;
  let closed = false;

  const handle = (read: FileRead, explicit: boolean): ConfigEvent | null => {
    if (read.kind === 'missing') {
      lastSeen = null;
      unreadable = null;
      if (missing && !explicit) return null;
      missing = true;
      return store.note('missing', file, null);
    }
    missing = false;
    if (read.kind === 'unreadable') {
      const message = read.error instanceof Error ? read.error.message : String(read.error);
      lastSeen = null;
      if (message === unreadable && !explicit) return null;
      unreadable = message;
      return store.offer({ source: file, hash: null, parsed: { ok: false, problems: [{ path: '', message: `cannot read the file: ${message}` }] } });
    }
    unreadable = null;
    if (read.hash === lastSeen) return explicit ? store.note('unchanged', file, read.hash) : null;
    lastSeen = read.hash;
    if (read.hash === store.snapshot().hash) return store.note('unchanged', file, read.hash);
    return store.offer({ source: file, hash: read.hash, parsed: parseRolloutText(read.text, options.parse) });
  };

  const check = async (explicit: boolean): Promise<ConfigEvent | null> => {
    let read = await readConfigFile(file);
    // A writer may be half way through an in-place write: give an incomplete-looking file one more debounce
    // period. If it then reads the same, it is rejected like any bad file (and the last good config stays).
    if (!explicit && options.watch !== null && read.kind === 'content' && read.hash !== lastSeen && looksIncomplete(read.text)) {
      await sleep(options.watch.debounceMs);
      read = await readConfigFile(file);
    }
    if (closed) return null;
    const event = handle(read, explicit);
    if (event !== null) onEvent(event);
    return event;
  };

  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task);
    chain = run.catch((error: unknown) => options.onError('reload', error));
    return run;
  };

  const watcher =
    options.watch === null
      ? null
      : watchFile(file, {
          ...options.watch,
          onTrigger: () => {
            if (queued || closed) return;
            queued = true;
            void enqueue(() => {
              queued = false;
              return check(false);
            });
          },
          onError: (error) => options.onError('watch', error),
        });

  return {
    handle,
    reload: () => enqueue(async () => (await check(true)) as ConfigEvent),
    async close() {
      closed = true;
      watcher?.close();
      await chain;
    },
  };
}

function looksIncomplete(text: string): boolean {
  return text.trim() === '' || scanJson(text).error !== null;
}
