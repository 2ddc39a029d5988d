import { appendFile } from 'node:fs/promises';

/** Appends one JSON line per record; no secrets ever go in (decisions and counts only). */
export function createAuditTrail(path: string | undefined): { write(record: Record<string, unknown>): Promise<void> } {
  return {
    async write(record) {
      if (path === undefined) return;
      await appendFile(path, `${JSON.stringify(record, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}\n`);
    },
  };
}
