import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '@model-canary/simulator';
import { describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

/** Runs server.ts with `env` (no ANTHROPIC_* from the caller's) until it exits; killed after 20 s (a hang). */
async function runServer(env: Record<string, string>): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ANTHROPIC_') && name !== 'MODEL_BACKEND'));
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { env: { ...inherited, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code, signal] = (await new Promise((resolve) => child.once('exit', (...args) => resolve(args)))) as [number | null, string | null];
  clearTimeout(timer);
  return { code, signal, stderr };
}

describe('server.ts', () => {
  it('refuses to start without ANTHROPIC_API_KEY unless MODEL_BACKEND=simulator: exit 2, one line, no simulator', async () => {
    const { code, signal, stderr } = await runServer({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    expect({ code, signal }).toEqual({ code: 2, signal: null });
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^booking service not started: ANTHROPIC_API_KEY is not set: .*MODEL_BACKEND=simulator/)]);
  }, 30_000);

  it('exits with code 1 and the reason when its port is taken, leaving nothing running', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const { code, signal, stderr } = await runServer({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', SIM_TIME_SCALE: '0', MODEL_BACKEND: 'simulator' });
      // Killed by the timer means it hung: the simulator or the file watcher kept it alive.
      expect({ code, signal }).toEqual({ code: 1, signal: null });
      expect(stderr).toContain('booking service failed to start');
      expect(stderr).toContain('EADDRINUSE');
    } finally {
      busy.close();
    }
  }, 30_000);

  it('exits after its drain timeout while a booking waits out a 429 asking for retry-after: 1000000', async () => {
    // The "real API" here is a simulator whose every call is a 429 asking for about 11.5 days (the SDK honours it).
    const api = await startSimulator({
      seed: 'drain',
      timeScale: 0.001,
      baselineFaults: false,
      faults: [{ kind: 'rate_limit', rate: 1 }],
      models: { 'claude-haiku-4-5': { retryAfterMs: 1e12 }, 'claude-sonnet-4-6': { retryAfterMs: 1e12 } },
    });
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ANTHROPIC_')));
      const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
        env: {
          ...env,
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
          ANTHROPIC_API_KEY: 'test',
          ANTHROPIC_BASE_URL: api.url,
          // The booking's own deadline is far: only the drain timeout can end this.
          BOOKING_TIMEOUT_MS: '3600000',
          SHUTDOWN_TIMEOUT_MS: '300',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const found = /booking service on (http:\/\/\S+)/.exec(stderr);
          if (found?.[1] !== undefined) resolve(found[1]);
        });
        child.once('exit', () => reject(new Error(`server exited early: ${stderr}`)));
      });
      const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (...args) => resolve(args as [number | null, string | null])));
      void fetch(new URL('/bookings', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request: 'A table for two in Lyon on 2026-12-24.' }) }).catch(() => null);
      const waitUntil = Date.now() + 10_000;
      while (api.stats().requests === 0 && Date.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(api.stats().requests).toBe(1);
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const [code, signal] = await exited;
      clearTimeout(timer);
      // Killed by the timer means the sleeping retry kept the process alive.
      expect({ code, signal }).toEqual({ code: 1, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(10_000);
    } finally {
      await api.close();
    }
  }, 40_000);
});
