import { createHash } from 'node:crypto';

/** `sha256:<hex>` of a file's bytes (or a config's JSON), recorded before/after every reload in the audit trail. */
export function contentHash(content: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}
