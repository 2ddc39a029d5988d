import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePrometheus, type FakePrometheus } from '../controller/test-helpers/fake-prometheus.js';
import { MODEL_CANARY, PACKAGE_DIR } from './test-helpers/model-canary.js';

// `model-canary …` is the router's bin: it runs `validate`, `decide`, `diff` and `schema` itself and hands `ramp` and
// `rehearse` to this package's CLI when the project has it installed (`pnpm build` first). `pnpm canary` runs it.
const routerSample = join(dirname(MODEL_CANARY), '../rollout.sample.json');
const example = fileURLToPath(new URL('../../rollout.example.json', import.meta.url));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// A resolve hook that fails every import of the SDK, as in a project that does not have it installed.
const WITHOUT_SDK = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
   register('data:text/javascript,' + encodeURIComponent("export async function resolve(specifier, context, next) { if (specifier.startsWith('@anthropic-ai/sdk')) throw Object.assign(new Error('Cannot find package @anthropic-ai/sdk'), { code: 'ERR_MODULE_NOT_FOUND' }); return next(specifier, context); }"));`,
)}`;

function start(args: string[], nodeOptions: string[] = []): { done: Promise<Run>; kill(signal: NodeJS.Signals): void; firstLine: Promise<string> } {
  const child = spawn(process.execPath, [...nodeOptions, MODEL_CANARY, ...args], { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let onLine: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((resolve) => (onLine = resolve));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes('\n')) onLine(stdout.slice(0, stdout.indexOf('\n')));
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { done, kill: (signal) => child.kill(signal), firstLine };
}

const run = (args: string[]): Promise<Run> => start(args).done;

let prom: FakePrometheus;
let dir: string;
beforeAll(async () => {
  prom = await startFakePrometheus();
  dir = await mkdtemp(join(tmpdir(), 'canary-dispatch-'));
});
afterAll(async () => {
  await prom.close();
  await rm(dir, { recursive: true, force: true });
});

describe('model-canary (the router’s bin)', () => {
  it.each([
    ['rehearse --help goes to the controller', ['rehearse', '--help'], 0, /model-canary rehearse --config/, ''],
    ['ramp without its options is the controller’s usage error', ['ramp', '--config', example], 2, /^$/, '--config and --prometheus are required'],
    ['report without its options is the controller’s usage error', ['report'], 2, /^$/, 'report needs --audit <file> and --out <file>'],
    ['validate <sample> goes to the router', ['validate', routerSample], 0, /^orchestrator: canary claude-sonnet-4-6 10%/m, ''],
    ['validate of a file with a ramp goes to the router too', ['validate', example], 0, /^orchestrator: canary claude-sonnet-4-6 5%/m, ''],
    ['an unknown command is the router’s usage error', ['bogus'], 2, /^$/, 'unknown command "bogus"'],
    ['rehearse with an unknown flag is a usage error', ['rehearse', '--bogus'], 2, /^$/, "model-canary: Unknown option '--bogus'"],
    ['simulator --help goes to the simulator', ['simulator', '--help'], 0, /^usage: model-canary simulator \[--port/m, ''],
    ['simulator with an unknown flag is a usage error', ['simulator', '--bogus'], 2, /^$/, "model-canary: Unknown option '--bogus'"],
  ])('%s', async (_label, args, code, stdout, stderr) => {
    const result = await run(args);
    expect(result.code).toBe(code);
    expect(result.stdout).toMatch(stdout);
    expect(result.stderr).toContain(stderr);
    expect(result.stderr.split('\n').filter(Boolean).length).toBe(stderr === '' ? 0 : 1);
  });

  it('rehearse --help and a ramp look need no @anthropic-ai/sdk: only the rehearsal’s calibration loads it', async () => {
    expect(await start(['rehearse', '--help'], ['--import', WITHOUT_SDK]).done).toMatchObject({ code: 0, stderr: '' });
    prom.set(null);
    const look = await start(['ramp', '--config', example, '--prometheus', prom.url, '--dry-run', '--once'], ['--import', WITHOUT_SDK]).done;
    expect(look).toMatchObject({ code: 0, stderr: '' });
    const calibrated = await start(['rehearse', '--config', example, '--runs', '1', '--scenario', 'aa', '--calibration-calls', '5'], ['--import', WITHOUT_SDK]).done;
    expect(calibrated).toMatchObject({ code: 1, stderr: expect.stringContaining('Cannot find package @anthropic-ai/sdk') as string });
  });

  it('--help lists the router’s commands and the controller’s under one name', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of ['validate', 'decide', 'diff', 'schema', 'ramp', 'rehearse', 'report', 'simulator']) expect(stdout).toMatch(new RegExp(`^  model-canary ${command}\\b`, 'm'));
    expect(stdout).not.toContain('canary-controller');
  });

  it('passes a signal to the controller: SIGINT stops `ramp` cleanly, exit 0, lock released', async () => {
    const config = join(dir, 'rollout.json');
    await copyFile(example, config);
    prom.set(null);
    const ramp = start(['ramp', '--config', config, '--prometheus', prom.url, '--interval', '1h']);
    expect(JSON.parse(await ramp.firstLine)).toMatchObject({ route: 'orchestrator', decided: 'hold', reason: 'no-data' });
    await expect(stat(`${config}.lock`)).resolves.toBeDefined();
    ramp.kill('SIGINT');
    expect(await ramp.done).toMatchObject({ code: 0, signal: null });
    await expect(stat(`${config}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
