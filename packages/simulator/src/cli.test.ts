import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built CLI (`pnpm build` first), spawned as `pnpm simulator` spawns it.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('simulator CLI', () => {
  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--port', 'x'], '--port must be an integer'],
    [['extra'], "Unexpected argument 'extra'"],
  ])('%j exits 2 with a message and the usage, no stack', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: simulator');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
