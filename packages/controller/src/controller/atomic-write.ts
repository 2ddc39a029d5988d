import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ControllerError } from '../errors.js';

/**
 * Writes a file the way routers can safely hot-reload it: a temp file in the same directory,
 * flushed, then renamed over the target (atomic on POSIX), so a reader sees the old or the new
 * content, never half of it. A symlink is followed (its target is replaced, the link stays), and the
 * file keeps its permission bits and, where allowed, its owner. A read-only file (no write bit, or not writable
 * by this process) is refused with READ_ONLY: a rename needs only the directory's permission, and would
 * silently overrule whoever made the file read-only.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const target = await realpath(path).catch(() => path);
  const before = await stat(target).catch(() => null);
  if (before !== null) {
    const writable = (before.mode & 0o222) !== 0 && (await access(target, constants.W_OK).then(() => true, () => false));
    if (!writable) {
      throw new ControllerError('READ_ONLY', `${path} is read-only (mode ${(before.mode & 0o777).toString(8).padStart(4, '0')}): not rewriting it; make it writable to let the controller change it`);
    }
  }
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
