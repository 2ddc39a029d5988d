import { appendFile } from 'node:fs/promises';
import type { ConfigEvent } from '../events.js';

/** Append-only JSON-lines record of every applied, rejected or missing config: no file content, no secrets. */
export interface AuditTrail {
  record(event: ConfigEvent): void;
  /** Resolves when every recorded line is written. */
  flush(): Promise<void>;
}

export function createAuditTrail(file: string, onError: (error: unknown) => void): AuditTrail {
  let pending: Promise<void> = Promise.resolve();
  return {
    record(event) {
      const line = `${JSON.stringify({
        time: new Date(event.at).toISOString(),
        source: event.source,
        result: event.result,
        version: event.version,
        hashBefore: event.hashBefore,
        hashAfter: event.hashAfter,
        changes: event.changes,
        ...(event.shadowChanges === undefined ? {} : { shadowChanges: event.shadowChanges }),
        problems: event.problems,
      })}\n`;
      // one write at a time, in order; a failed write is reported and does not stop later ones
      pending = pending.then(() => appendFile(file, line, 'utf8')).catch(onError);
    },
    flush: () => pending,
  };
}
