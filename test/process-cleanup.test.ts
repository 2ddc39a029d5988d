import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, isPortOpen, livePids, startAlertmanager, startPrometheus, waitFor } from './harness/index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/start-and-idle.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Started {
  readonly pids: number[];
  readonly ports: number[];
  readonly dirs: string[];
}

/** Runs the fixture in a node process of its own and resolves once its servers are up. */
function startOwner(): Promise<{ pid: number; started: Started; exited: Promise<void> }> {
  const owner = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => owner.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    owner.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    owner.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined && out.includes('\n')) resolve({ pid: owner.pid ?? -1, started: JSON.parse(line) as Started, exited });
    });
    void exited.then(() => reject(new Error(`fixture exited before starting:\n${err}`)));
  });
}

async function expectGone({ pids, ports, dirs }: Started): Promise<void> {
  await waitFor(
    async () => {
      const open = await Promise.all(ports.map(isPortOpen));
      return pids.some(isAlive) || open.some(Boolean) || dirs.some((dir) => existsSync(dir)) ? undefined : true;
    },
    { timeoutMs: 10_000, what: `pids ${pids.join(', ')}, ports ${ports.join(', ')} and dirs ${dirs.join(', ')} to be gone` },
  );
}

describe('process hygiene of the harness', () => {
  afterAll(() => {
    expect(livePids()).toEqual([]);
  });

  it('stop() ends Prometheus and Alertmanager, frees their ports and removes their temp dirs', async () => {
    const alertmanager = await startAlertmanager({ webhookUrl: 'http://127.0.0.1:9/unused' });
    const prometheus = await startPrometheus({ alertmanagerUrl: alertmanager.url });
    expect(livePids()).toEqual(expect.arrayContaining([prometheus.pid, alertmanager.pid]));
    await prometheus.stop();
    await alertmanager.stop();
    await expectGone({
      pids: [prometheus.pid, alertmanager.pid],
      ports: [prometheus.port, alertmanager.port],
      dirs: [prometheus.dir, alertmanager.dir],
    });
    expect(livePids()).toEqual([]);
  });

  it.each([
    ['SIGTERM', 'its signal handler'],
    ['SIGINT', 'its signal handler'],
    ['SIGKILL', 'the watchdog, as no handler can run'],
  ] as const)('a test process ended by %s leaves no child behind (%s)', async (signal, _how) => {
    const owner = await startOwner();
    expect(owner.started.pids.every(isAlive)).toBe(true);
    expect(owner.started.dirs.every((dir) => existsSync(dir))).toBe(true);
    process.kill(owner.pid, signal);
    await owner.exited;
    await expectGone(owner.started);
  });
});
