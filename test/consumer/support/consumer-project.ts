import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv, PACKAGES, packageDir, ROOT, type PackageName } from './packages.js';

const exec = promisify(execFile);

/** The version this workspace installed (the SDK's exports hide its package.json from require). */
function versionOf(name: string): string {
  for (const modules of [join(ROOT, 'test', 'node_modules'), join(ROOT, 'node_modules')]) {
    const file = join(modules, name, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  throw new Error(`${name} is not installed in the workspace`);
}

/** What a project needs from the registry besides our tarballs: the peers, at the versions this workspace tests. */
export const REGISTRY_PACKAGES = ['@anthropic-ai/sdk', 'prom-client', '@types/node'].map((name) => `${name}@${versionOf(name)}`);

export const PROJECTS_DIR = join(ROOT, 'test', 'consumer', 'projects');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * A project of test/consumer/projects: `installs` (in its package.json) lists the only packages it gets, else all;
 * `shares` lists files of other projects (paths relative to projects/) copied in beside its own, so one source
 * is checked under several module settings.
 */
export interface ConsumerProject {
  readonly name: string;
  readonly dir: string;
  readonly installs: readonly PackageName[] | null;
  readonly shares: readonly string[];
}

export async function listProjects(): Promise<ConsumerProject[]> {
  const names = (await readdir(PROJECTS_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const dir = join(PROJECTS_DIR, name);
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { installs?: PackageName[]; shares?: string[]; dependencies?: unknown };
      if (pkg.dependencies !== undefined) throw new Error(`${dir}/package.json declares dependencies: the harness installs them`);
      return { name, dir, installs: pkg.installs ?? null, shares: pkg.shares ?? [] };
    }),
  );
}

/** `npm install` of tarballs and registry packages into `dir` (a fresh project outside the workspace), from npm's cache first. */
export async function npmInstall(dir: string, specs: readonly string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'model-canary-consumer', private: true }, null, 2)}\n`, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir);
}

/**
 * Copies a project to `dest` and gives it packages: its own `npm install` of the tarballs it lists (and the
 * peers npm adds), or a link to the shared install's node_modules.
 */
export async function setUpProject(project: ConsumerProject, dest: string, tarballs: Record<PackageName, string>, sharedModules: string): Promise<void> {
  await cp(project.dir, dest, { recursive: true });
  for (const file of project.shares) await cp(join(PROJECTS_DIR, file), join(dest, basename(file)));
  if (project.installs === null) await symlink(sharedModules, join(dest, 'node_modules'), 'dir');
  else await npmInstall(dest, withDependencies(project.installs).map((name) => tarballs[name]));
}

/**
 * The packages and the ones of ours they depend on: until a release is on the registry, npm finds those only
 * among the tarballs it is given.
 */
function withDependencies(names: readonly PackageName[]): PackageName[] {
  const all = new Set<PackageName>();
  const add = (name: PackageName): void => {
    if (all.has(name)) return;
    all.add(name);
    const pkg = PACKAGES.find((p) => p.name === name);
    if (pkg === undefined) throw new Error(`${name} is not one of the packages`);
    const { dependencies = {} } = JSON.parse(readFileSync(join(packageDir(pkg.dir), 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(dependencies)) if (PACKAGES.some((p) => p.name === dep)) add(dep as PackageName);
  };
  names.forEach(add);
  return [...all];
}

/** What the project checks: `tsc -p .` when it has a tsconfig.json, then `node` on each run-*.mjs / run-*.cjs. */
export async function checkProject(dir: string): Promise<string[]> {
  const files = (await readdir(dir)).sort();
  const steps: string[] = [];
  if (files.includes('tsconfig.json')) {
    await run(process.execPath, [TSC, '-p', '.'], dir);
    steps.push('tsc -p .');
  }
  for (const file of files.filter((f) => /^run-.*\.(mjs|cjs)$/.test(f))) {
    await run(process.execPath, [file], dir);
    steps.push(`node ${file}`);
  }
  return steps;
}

async function run(command: string, args: readonly string[], cwd: string): Promise<void> {
  try {
    await exec(command, [...args], { cwd, env: cleanEnv(), timeout: 150_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`, { cause: error });
  }
}
