import { spawnSync } from 'node:child_process';

export interface PromtoolResult {
  readonly status: number;
  readonly output: string;
}

/**
 * Runs Prometheus's promtool. Missing promtool is an error, never a skip: the rules and the dashboard
 * are only known to be valid PromQL because promtool parsed them (Debian: `apt-get install prometheus`).
 */
export function promtool(args: readonly string[], input?: string): PromtoolResult {
  const result = spawnSync('promtool', args, { input, encoding: 'utf8' });
  if (result.error !== undefined) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? 'promtool is not installed: install Prometheus tools (e.g. `apt-get install -y prometheus`) to run these tests'
        : `promtool failed to start: ${result.error.message}`,
    );
  }
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
