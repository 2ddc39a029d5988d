import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePrometheus, type FakePrometheus } from '../controller/test-helpers/fake-prometheus.js';
import { MODEL_CANARY, PACKAGE_DIR } from './test-helpers/model-canary.js';

// End to end: the built CLI (`pnpm build` first), through the `model-canary` command as a project runs it.

const example = fileURLToPath(new URL('../../rollout.example.json', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MODEL_CANARY, ...args], { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let prom: FakePrometheus;
let dir: string;
beforeAll(async () => {
  prom = await startFakePrometheus();
  dir = await mkdtemp(join(tmpdir(), 'ramp-cli-'));
});
afterAll(async () => {
  await prom.close();
  await rm(dir, { recursive: true, force: true });
});

describe('model-canary ramp and rehearse', () => {
  it('rehearse --json prints one object per scenario with exactly the documented keys', async () => {
    const { code, stdout } = await run(['rehearse', '--config', example, '--scenario', 'canary-expensive,canary-worse', '--runs', '2', '--json', '--calibration-calls', '0']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['scenario'])).toEqual(['canary-expensive', 'canary-worse']);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(['scenario', 'runs', 'outcomes', 'bookingsToVerdict', 'minutesToVerdict', 'extraUsd', 'successRate', 'rollbackReasons', 'rollbackGuardrails', 'bookingsUntil80PercentRolledBack', 'stepMinutes']);
      expect(Object.keys(l['outcomes'] as object)).toEqual(['completed', 'rolledBack', 'holding']);
      expect(Object.keys(l['extraUsd'] as object)).toEqual(['median', 'p90']);
    }
  }, 60_000);

  it('rehearse prints a table by default', async () => {
    const { code, stdout } = await run(['rehearse', '--config', example, '--scenario', 'canary-expensive', '--runs', '1', '--calibration-calls', '0']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\| scenario +\| runs/);
    expect(stdout).toContain('| canary-expensive');
    expect(stdout).toContain('In an A/A scenario every rollback is a false one');
  }, 60_000);

  it('rehearse --bookings-per-day plans each step and the whole ramp at that traffic', async () => {
    const { code, stdout } = await run(['rehearse', '--config', example, '--scenario', 'aa', '--runs', '2', '--calibration-calls', '0', '--bookings-per-day', '50000']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Plan at 50000 bookings a day[^\n]*\n {2}aa: 5%: [^,]+, 10%: [^,]+, 25%: [^,]+, 50%: [^;]+; whole ramp /);
  }, 60_000);

  it('ramp --once --dry-run with Prometheus down holds and leaves the file as it was', async () => {
    prom.set(null);
    const file = join(dir, 'rollout.json');
    const text = await readFile(example, 'utf8');
    await writeFile(file, text.replace('"../router/rollout.schema.json"', '"schema.json"'));
    const before = await readFile(file, 'utf8');
    const { code, stdout } = await run(['ramp', '--config', file, '--prometheus', prom.url, '--once', '--dry-run']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ route: 'orchestrator', decided: 'hold', reason: 'no-data', from: 5, to: 5 });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('report charts the audit file a ramp wrote; rehearse --report charts its runs', async () => {
    prom.set(null);
    const file = join(dir, 'rollout-audit.json');
    const audit = join(dir, 'ramp.audit.jsonl');
    await writeFile(file, (await readFile(example, 'utf8')).replace('"../router/rollout.schema.json"', '"schema.json"'));
    expect((await run(['ramp', '--config', file, '--prometheus', prom.url, '--once', '--dry-run', '--audit-file', audit])).code).toBe(0);
    const out = join(dir, 'ramp.html');
    const report = await run(['report', '--audit', audit, '--out', out]);
    expect(report).toMatchObject({ code: 0, stdout: `report: ${out} (1 look)\n` });
    const html = await readFile(out, 'utf8');
    expect(html).toContain('data-chart="evidence-orchestrator-percent"');
    expect(html).toContain('no-data');

    const rehearsal = join(dir, 'rehearsal.html');
    const rehearsed = await run(['rehearse', '--config', example, '--scenario', 'canary-expensive', '--runs', '2', '--calibration-calls', '0', '--report', rehearsal]);
    expect(rehearsed.code).toBe(0);
    expect(await readFile(rehearsal, 'utf8')).toMatch(/data-chart="rehearsal-outcomes"[\s\S]*data-chart="rehearsal-run-costPerSuccessRatio"/);
  }, 60_000);

  it.each([
    [['report', '--audit', 'x.jsonl'], 'report needs --audit <file> and --out <file>'],
    [['rehearse'], '--config is required'],
    [['rehearse', '--config', example, '--scenario', 'nope'], 'unknown scenario'],
    [['ramp', '--config', example], '--prometheus are required'],
    [['ramp', '--config', example, '--prometheus', 'notaurl', '--once'], '--prometheus must be an http(s) URL'],
    [['ramp', '--config', example, '--prometheus', 'http://127.0.0.1:9', '--interval', 'abc', '--once'], '--interval: not a duration'],
    [['ramp', '--config', example, '--prometheus', 'http://127.0.0.1:9', '--interval', '0', '--once'], '--interval must be at least 1000 ms'],
    [['ramp', '--config', example, '--prometheus', 'http://127.0.0.1:9', '--metrics-port', 'abc', '--once'], '--metrics-port must be an integer from 0 to 65535'],
    [['rehearse', '--config', example, '--runs', 'abc'], '--runs must be an integer from 1 up'],
    [['rehearse', '--config', example, '--runs', '0'], '--runs must be an integer from 1 up'],
    [['rehearse', '--config', example, '--max-minutes', 'abc'], '--max-minutes must be a number from 1 up'],
    [['rehearse', '--config', example, '--calibration-calls', 'abc'], '--calibration-calls must be an integer from 0 up'],
    [['rehearse', '--config', example, '--interval', '0'], '--interval must be at least 1000 ms'],
    [['rehearse', '--bogus'], "Unknown option '--bogus'"],
    [['ramp', '--config', example, '--prometheus', 'http://127.0.0.1:9', '--bogus'], "Unknown option '--bogus'"],
  ])('%j exits 2 with one line', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('rehearse --route names a route the config does not have', async () => {
    const { code, stderr } = await run(['rehearse', '--config', example, '--route', 'nope', '--calibration-calls', '0']);
    expect(code).toBe(1);
    expect(stderr).toContain('no route "nope" in the config (routes: orchestrator');
  });

  it.each([
    ['not JSON', '{ "system": ', 'not JSON'],
    ['a tool with no name and no requests', JSON.stringify({ system: 's', tool: { input_schema: { type: 'object' } }, requests: [] }), 'tool.name'],
    ['an unknown key', JSON.stringify({ system: 's', tool: { name: 't', input_schema: { type: 'object' } }, requests: ['r'], temperature: 1 }), 'temperature'],
  ])('rehearse --calibration-request with %s exits 1 naming the file and the problem', async (_case, text, message) => {
    const file = join(dir, `calibration-${message.replace(/\W/g, '')}.json`);
    await writeFile(file, text);
    const { code, stderr } = await run(['rehearse', '--config', example, '--scenario', 'aa', '--runs', '1', '--calibration-calls', '1', '--calibration-request', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(file);
    expect(stderr).toContain(message);
  });

  it.each([
    ['a ramp plan with a repeated step', (text: string) => text.replace('"steps": [5, 10, 25, 50, 100]', '"steps": [5, 10, 10]'), 'routes.orchestrator.ramp.steps'],
    ['no route with a ramp plan', (_text: string) => JSON.stringify({ routes: { orchestrator: { arms: [{ name: 'control', model: 'claude-haiku-4-5' }] } } }), 'has a "ramp" plan'],
    ['truncated JSON', (text: string) => text.slice(0, 40), 'invalid config'],
  ])('ramp with %s exits 1 at once, naming the problem, and leaves no lock', async (_case, edit, message) => {
    const file = join(dir, `broken-${message.length}.json`);
    await writeFile(file, edit((await readFile(example, 'utf8')).replace('"../router/rollout.schema.json"', '"schema.json"')));
    const { code, stderr } = await run(['ramp', '--config', file, '--prometheus', prom.url, '--once']);
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    await expect(readFile(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('ramp exits 1 and releases its lock when the metrics port is taken', async () => {
    const file = join(dir, 'rollout-port.json');
    await writeFile(file, (await readFile(example, 'utf8')).replace('"../router/rollout.schema.json"', '"schema.json"'));
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as { port: number }).port;
      const { code, stderr } = await run(['ramp', '--config', file, '--prometheus', prom.url, '--once', '--metrics-port', String(port)]);
      expect(code).toBe(1);
      expect(stderr).toContain('EADDRINUSE');
      await expect(readFile(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      busy.close();
    }
  }, 20_000);

  it('ramp serves its metrics on --metrics-host: another address than the busy 127.0.0.1 one binds', async () => {
    const file = join(dir, 'rollout-host.json');
    await writeFile(file, await readFile(example, 'utf8'));
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as { port: number }).port;
      const { code, stderr } = await run(['ramp', '--config', file, '--prometheus', prom.url, '--once', '--metrics-port', String(port), '--metrics-host', '::1']);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    } finally {
      busy.close();
    }
  }, 20_000);
});
