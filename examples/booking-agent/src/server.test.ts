import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

describe('server.ts', () => {
  it('exits with code 1 and the reason when its port is taken, leaving nothing running', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ANTHROPIC_')));
      const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
        env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', SIM_TIME_SCALE: '0' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const [code, signal] = (await new Promise((resolve) => child.once('exit', (...args) => resolve(args)))) as [number | null, string | null];
      clearTimeout(timer);
      // Killed by the timer means it hung: the simulator or the file watcher kept it alive.
      expect({ code, signal }).toEqual({ code: 1, signal: null });
      expect(stderr).toContain('booking service failed to start');
      expect(stderr).toContain('EADDRINUSE');
    } finally {
      busy.close();
    }
  }, 30_000);
});
