import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../harness/index.js';
import { checkProject, listProjects, npmInstall, REGISTRY_PACKAGES, setUpProject, type ConsumerProject } from './support/consumer-project.js';
import { cleanEnv, PACKAGES, packAll, packageDir, tarballFiles, type PackageName } from './support/packages.js';

// The packages as a user gets them: packed as `pnpm publish` would pack them, checked with publint and
// arethetypeswrong, installed with npm into fresh projects outside the workspace, and used there (`pnpm build` first).
const exec = promisify(execFile);
const projects: ConsumerProject[] = await listProjects();
let dir: string;
let tarballs: Record<PackageName, string>;

beforeAll(async () => {
  dir = await makeTempDir('consumer');
  tarballs = await packAll(join(dir, 'packs'));
}, 120_000);
afterAll(async () => {
  await removeTempDir(dir);
});

describe.each(PACKAGES)('the $name tarball', ({ dir: pkgDir, name }) => {
  it('holds only the build, the bin and docs: no tsbuildinfo, source maps, tests or fixtures', async () => {
    const files = await tarballFiles(tarballs[name]);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']));
    const unexpected = files.filter(
      (f) => !/^(package\.json|README\.md|LICENSE|STATISTICS\.md|[\w.-]+\.(sample|example|schema)\.json|dist\/.+\.(c?js|d\.c?ts)|bin\/[\w-]+\.js|dashboards\/[\w-]+\.json|rules\/[\w-]+\.yml)$/.test(f),
    );
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => /test|fixture|\.map$|tsbuildinfo/.test(f))).toEqual([]);
    // A file whose source was removed outlives it in dist (tsc -b deletes nothing): `pnpm clean && pnpm build`.
    const stale = files.filter((f) => /^dist\/.+\.js$/.test(f) && !existsSync(join(packageDir(pkgDir), f.replace(/^dist/, 'src').replace(/\.js$/, '.ts'))));
    expect(stale, 'files left in dist by removed sources: pnpm clean && pnpm build').toEqual([]);
  });

  it('passes publint --strict', async () => {
    const { stdout } = await exec('pnpm', ['exec', 'publint', '--strict', packageDir(pkgDir)], { env: cleanEnv() });
    expect(stdout).toContain('All good!');
  }, 60_000);

  // ESM only: `require()` of it works from Node 20.19 on (the engines floor) and TypeScript 5.8 on, which the
  // cjs projects below show; what attw calls "ESM (dynamic import only)" for node16-cjs is that, not an error.
  it('passes arethetypeswrong (esm-only profile)', async () => {
    const { stdout } = await exec('pnpm', ['exec', 'attw', '--profile', 'esm-only', '--format', 'ascii', tarballs[name]], { env: cleanEnv() });
    expect(stdout).not.toMatch(/❌|Error/);
  }, 60_000);
});

describe('fresh projects outside the workspace', () => {
  let shared: string;
  beforeAll(async () => {
    shared = join(dir, 'shared');
    await npmInstall(shared, [...Object.values(tarballs), ...REGISTRY_PACKAGES]);
  }, 180_000);

  it.each(projects.map((p) => [p.name, p] as const))('%s', async (name, project) => {
    const dest = join(dir, 'projects', name);
    await setUpProject(project, dest, tarballs, join(shared, 'node_modules'));
    const steps = await checkProject(dest);
    expect(steps.length).toBeGreaterThan(0);
  }, 240_000);
});
