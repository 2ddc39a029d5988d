import { randomBytes } from 'node:crypto';
import { open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file the way routers can safely hot-reload it: a temp file in the same directory,
 * flushed, then renamed over the target (atomic on POSIX), so a reader sees the old or the new
 * content, never half of it. A symlink is followed (its target is replaced, the link stays), and the
 * file keeps its permission bits and, where allowed, its owner.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const target = await realpath(path).catch(() => path);
  const before = await stat(target).catch(() => null);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(text);
      if (before !== null) {
        await handle.chmod(before.mode & 0o7777);
        await handle.chown(before.uid, before.gid).catch(() => undefined); // only root may give a file away
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
