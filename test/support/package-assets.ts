import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Directory of a workspace package, found the way any consumer would (through its package.json export). */
function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** The rule files @model-canary/metrics ships (recording rules first, as its alerts read them). */
export function metricsRuleFiles(): string[] {
  const dir = join(packageDir('@model-canary/metrics'), 'rules');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yml') || file.endsWith('.yaml'))
    .sort((a, b) => (a.startsWith('recording') ? -1 : b.startsWith('recording') ? 1 : a.localeCompare(b)))
    .map((file) => join(dir, file));
}

export function metricsDashboardFile(): string {
  return join(packageDir('@model-canary/metrics'), 'dashboards', 'model-canary.json');
}

/** The example's own rollout.json, the template of the tests' rollout files. */
export function exampleRolloutFile(): string {
  return join(packageDir('@model-canary/booking-agent'), 'rollout.json');
}
