import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the OS temp dir; its path doubles as the marker of the processes using it. */
export function makeTempDir(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `mc-e2e-${name}-`));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
