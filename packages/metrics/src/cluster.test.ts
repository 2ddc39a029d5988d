import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./test-helpers/cluster-fixture.mjs', import.meta.url));
const DIST = new URL('../dist/index.js', import.meta.url);

function valueOf(scrape: string, series: string): number | undefined {
  const line = scrape.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('node:cluster with AggregatorRegistry', () => {
  it('adds up the counters of two workers and keeps their gauges as one replica would report them', async () => {
    await access(DIST).catch(() => {
      throw new Error('packages/metrics/dist is missing: run `pnpm build` first (the fixture uses the built package)');
    });
    const { stdout } = await promisify(execFile)(process.execPath, [FIXTURE], { timeout: 15_000 });
    const canary = 'route="orchestrator",arm="canary"';
    expect(valueOf(stdout, `model_canary_requests_total{${canary},model="claude-sonnet-4-6",outcome="success"}`)).toBe(7);
    expect(valueOf(stdout, `model_canary_request_duration_seconds_count{${canary},model="claude-sonnet-4-6",outcome="success"}`)).toBe(7);
    expect(valueOf(stdout, `model_canary_tokens_total{${canary},model="claude-sonnet-4-6",type="input"}`)).toBe(700);
    // Percents and reload status are per-process facts: summing them would report 20% and 2.
    expect(valueOf(stdout, `model_canary_arm_percent{${canary},model="claude-sonnet-4-6"}`)).toBe(10);
    expect(valueOf(stdout, 'model_canary_config_last_reload_successful')).toBe(1);
    expect(valueOf(stdout, 'model_canary_config_version')).toBe(1);
  });
});
