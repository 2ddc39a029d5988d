import { chmod, lstat, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomic-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it("keeps the file's permission bits", async () => {
    const file = join(dir, 'rollout.json');
    await writeFile(file, 'old\n');
    await chmod(file, 0o664);
    await writeFileAtomic(file, 'new\n');
    expect(await readFile(file, 'utf8')).toBe('new\n');
    expect((await stat(file)).mode & 0o777).toBe(0o664);
  });

  it.each([0o444, 0o400])('refuses a read-only file (mode %o) and leaves it as it was', async (mode) => {
    const file = join(dir, 'rollout.json');
    await writeFile(file, 'old\n');
    await chmod(file, mode);
    await expect(writeFileAtomic(file, 'new\n')).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining('read-only') });
    expect(await readFile(file, 'utf8')).toBe('old\n');
    expect((await stat(file)).mode & 0o777).toBe(mode);
    expect(await readdir(dir)).toEqual(['rollout.json']);
  });

  it('replaces the target of a symlink and leaves the link in place', async () => {
    const real = join(dir, 'real.json');
    const link = join(dir, 'rollout.json');
    await writeFile(real, 'old\n');
    await symlink(real, link);
    await writeFileAtomic(link, 'new\n');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('new\n');
    expect((await readdir(dir)).sort()).toEqual(['real.json', 'rollout.json']);
  });
});
