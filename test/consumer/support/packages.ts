import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The published packages: directory under packages/ and name. */
export const PACKAGES = [
  { dir: 'router', name: '@model-canary/router' },
  { dir: 'simulator', name: '@model-canary/simulator' },
  { dir: 'metrics', name: '@model-canary/metrics' },
  { dir: 'report', name: '@model-canary/report' },
  { dir: 'controller', name: '@model-canary/controller' },
] as const;

export type PackageName = (typeof PACKAGES)[number]['name'];

export const packageDir = (dir: string): string => join(ROOT, 'packages', dir);

/**
 * `pnpm pack` of every package into `dest` (pnpm turns `workspace:^` into the version's range, as `pnpm publish`
 * does); resolves to each package's tarball. The packages must be built (`pnpm build`).
 */
export async function packAll(dest: string): Promise<Record<PackageName, string>> {
  const tarballs: Partial<Record<PackageName, string>> = {};
  for (const { dir, name } of PACKAGES) {
    await exec('pnpm', ['pack', '--pack-destination', dest], { cwd: packageDir(dir), env: cleanEnv() });
    const prefix = `${name.replace('@', '').replace('/', '-')}-`;
    const file = (await readdir(dest)).find((f) => f.startsWith(prefix) && f.endsWith('.tgz'));
    if (file === undefined) throw new Error(`pnpm pack wrote no tarball for ${name} into ${dest}`);
    tarballs[name] = join(dest, file);
  }
  return tarballs as Record<PackageName, string>;
}

/** The paths inside a tarball, without the leading `package/`. */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const { stdout } = await exec('tar', ['tzf', tarball]);
  return stdout.split('\n').filter(Boolean).map((p) => p.replace(/^package\//, ''));
}

/**
 * The environment without what a surrounding `pnpm run` adds, as in a fresh shell: npm_config_* and npm_package_*,
 * NODE_PATH (pnpm points it into the workspace, where every package resolves) and the workspace's .bin directories.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_') && key !== 'NODE_PATH'));
  const path = (env['PATH'] ?? '').split(':').filter((dir) => !dir.includes('node_modules')).join(':');
  return { ...env, PATH: path };
}
