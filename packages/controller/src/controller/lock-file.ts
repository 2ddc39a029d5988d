import { open, readFile, rm } from 'node:fs/promises';
import { ControllerError } from '../errors.js';

export interface Lock {
  readonly path: string;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One writer per rollout file: the lock is a file created with O_EXCL holding our pid. A second
 * controller finds it and refuses to start; a lock left by a dead process (its pid no longer
 * exists on this host) is taken over.
 */
export async function acquireLock(path: string): Promise<Lock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { path, release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new ControllerError('LOCKED', `another rollout controller (pid ${pid}) holds ${path}; only one may write the rollout file`);
      }
      await rm(path, { force: true });
    }
  }
  throw new ControllerError('LOCKED', `could not take the lock ${path}`);
}
