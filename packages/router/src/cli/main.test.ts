import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashBucket } from '../assignment/hash-bucket.js';

// End to end: the built CLI (`pnpm build` first), spawned as `pnpm canary` spawns it.
const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(packageDir, 'dist/cli/main.js');
const sample = path.join(packageDir, 'rollout.sample.json');
let dir: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
function canary(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
const write = (name: string, value: unknown): string => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};
const rollout = (percent: number, salt = 'orchestrator') => ({
  routes: {
    orchestrator: { salt, arms: [{ name: 'canary', model: 'claude-sonnet-4-6', percent }, { name: 'control', model: 'claude-haiku-4-5' }] },
  },
});

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`pnpm build\` before these tests`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'canary-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('canary validate', () => {
  it('exits 0 with one line per route of the shipped sample', async () => {
    const run = await canary(['validate', sample]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      'orchestrator: canary claude-sonnet-4-6 10%, control claude-haiku-4-5 90% (default); salt orchestrator-sonnet-4-6; maxPercent 50',
      'specialist: control claude-haiku-4-5 100% (default); salt specialist',
      'verifier: canary claude-opus-4-7 5%, control claude-sonnet-4-6 95% (default); salt verifier; DISABLED: everyone on the default arm',
    ]);
  });

  it('exits 1 listing every problem with its path', async () => {
    const file = write('bad.json', { routes: { orchestrator: { arms: [{ name: 'canary', model: 'claude-sonet-4-6', percent: 100.5 }, { name: 'control', model: '' }] } }, extra: 1 });
    const run = await canary(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid (5 problems)');
    for (const line of [
      'routes.orchestrator.arms[0].percent: must be at most 100',
      'routes.orchestrator.arms[1].model: must not be empty',
      'extra: unknown key "extra"',
      'routes.orchestrator.arms[0].model: unknown model "claude-sonet-4-6" (did you mean "claude-sonnet-4-6"?)',
      'routes.orchestrator.arms: percents add up to 100.5, more than 100',
    ]) {
      expect(run.stderr).toContain(line);
    }
  });

  it('reports syntax errors with line and column, and declared routes that are missing', async () => {
    expect((await canary(['validate', write('syntax.json', '{\n  "routes": {\n')])).stderr).toContain('line 3, column 1: the file ends early');
    const run = await canary(['validate', sample, '--routes', 'orchestrator,planner']);
    expect(run).toMatchObject({ code: 1, stderr: expect.stringContaining('route "planner" is used by the app') as string });
  });
});

describe('canary decide', () => {
  it('prints one decision as one JSON line', async () => {
    const run = await canary(['decide', '--config', sample, '--route', 'orchestrator', '--key', 'booking-1']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      key: 'booking-1',
      route: 'orchestrator',
      arm: 'control',
      model: 'claude-haiku-4-5',
      bucket: hashBucket('orchestrator-sonnet-4-6', 'booking-1'),
      reason: 'split',
      keyed: true,
      configVersion: 1,
    });
  });

  it('streams stdin keys to JSON lines, the same as single decisions (blank lines and CRLF handled)', async () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `booking-${i}-é🚀`);
    const run = await canary(['decide', '--config', sample, '--route', 'orchestrator'], `${keys.slice(0, 10).join('\r\n')}\n\n${keys.slice(10).join('\n')}`);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { key: string; bucket: number; arm: string });
    expect(lines.map((l) => l.key)).toEqual(keys);
    for (const l of lines) {
      const bucket = hashBucket('orchestrator-sonnet-4-6', l.key);
      expect(l).toMatchObject({ bucket, arm: bucket < 0.1 ? 'canary' : 'control' });
    }
  });

  it('draws reproducible keyless decisions from --seed', async () => {
    const args = ['decide', '--config', sample, '--route', 'orchestrator', '--keyless', '--count', '20', '--seed', 's1'];
    const [a, b] = await Promise.all([canary(args), canary(args)]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { keyed: boolean }).keyed)).toEqual(new Array(20).fill(false));
  });

  it('exits quietly with 0 when the reader goes away (EPIPE)', async () => {
    const keys = Array.from({ length: 300_000 }, (_, i) => `k${i}`).join('\n');
    const result = await new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, 'decide', '--config', sample, '--route', 'orchestrator'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.stdout.once('data', () => child.stdout.destroy());
      child.stdin.on('error', () => undefined);
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout: '', stderr }));
      child.stdin.end(keys);
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  it.each([
    ['an unknown route', ['--route', 'nope', '--key', 'k'], 1, 'unknown route "nope"'],
    ['a missing --route', ['--key', 'k'], 2, 'decide needs --config <file> and --route <name>'],
    ['an unknown option', ['--route', 'orchestrator', '--kye', 'k'], 2, "Unknown option '--kye'"],
  ])('fails clearly on %s', async (_case, args, code, message) => {
    const run = await canary(['decide', '--config', sample, ...args]);
    expect(run).toMatchObject({ code, stderr: expect.stringContaining(message) as string });
  });
});

describe('canary diff', () => {
  it('states per route what changed and the exact percent of units that move arm', async () => {
    const run = await canary(['diff', write('old.json', rollout(10)), write('new.json', rollout(25))]);
    expect(run).toMatchObject({ code: 0, stdout: 'orchestrator: canary 10% -> 25%; control 90% -> 75%; 15.00% of units move arm (control -> canary 15.00%)\n' });
  });

  it('flags a salt change as a reshuffle with an expected figure, and added routes', async () => {
    const next = { routes: { ...rollout(10, 'new-salt').routes, verifier: { arms: [{ name: 'control', model: 'claude-opus-4-7' }] } } };
    const run = await canary(['diff', write('a.json', rollout(10)), write('b.json', next)]);
    expect(run.stdout).toContain('salt orchestrator -> new-salt (every unit is re-hashed); about 18.00% of units move arm (expected; the salt changed)');
    expect(run.stdout).toContain('verifier: added');
  });

  it('prints JSON with --json', async () => {
    const run = await canary(['diff', write('c.json', rollout(10)), write('d.json', rollout(10)), '--json']);
    expect(JSON.parse(run.stdout)).toEqual([{ route: 'orchestrator', status: 'unchanged', changes: [], moved: { movedArm: 0, changedModel: 0, flows: [], exact: true } }]);
  });
});

describe('canary help and schema', () => {
  it.each([[['--help']], [['decide', '--help']]])('prints usage for %j', async (args) => {
    const run = await canary(args);
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('model-canary decide --config <file> --route <name>') as string });
  });

  it.each([
    [['validate', sample, '--bogus'], "Unknown option '--bogus'"],
    [['decide', '--config', sample, '--route', 'orchestrator', '--bogus'], "Unknown option '--bogus'"],
    [['diff', sample, sample, '--bogus'], "Unknown option '--bogus'"],
    [['schema', '--bogus'], 'schema takes no arguments'],
  ])('exits 2 with one line on an unknown flag: %j', async (args, message) => {
    const run = await canary(args);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr.startsWith(`model-canary: ${message}`)).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 2 on an unknown command', async () => {
    expect(await canary(['deploy'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "deploy"') as string });
  });

  it('prints the JSON Schema', async () => {
    const run = await canary(['schema']);
    expect(JSON.parse(run.stdout)).toMatchObject({ type: 'object', additionalProperties: false });
  });
});
