import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { contentHash } from '../config/content-hash.js';

export type FileRead =
  | { readonly kind: 'content'; readonly text: string; readonly hash: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly error: unknown };

const classify = (error: unknown): FileRead =>
  (error as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable', error };

/** Reads the whole file (following symlinks, so a `..data` swap is seen through the stable path). */
export async function readConfigFile(file: string): Promise<FileRead> {
  try {
    const bytes = await readFile(file);
    return { kind: 'content', text: bytes.toString('utf8'), hash: contentHash(bytes) };
  } catch (error) {
    return classify(error);
  }
}

/** The synchronous read done once, when the router is created. */
export function readConfigFileSync(file: string): FileRead {
  try {
    const bytes = readFileSync(file);
    return { kind: 'content', text: bytes.toString('utf8'), hash: contentHash(bytes) };
  } catch (error) {
    return classify(error);
  }
}
