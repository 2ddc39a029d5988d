// The README's usage, imported as ES modules, against the simulator of the installed package.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import Anthropic from '@anthropic-ai/sdk';
import { rehearse, SCENARIOS } from '@model-canary/controller';
import { createCanaryMetrics } from '@model-canary/metrics';
import { createRouter } from '@model-canary/router';
import { startSimulator } from '@model-canary/simulator';
import { Registry } from 'prom-client';

const sim = await startSimulator({ host: '127.0.0.1', port: 0, seed: 'consumer-esm', timeScale: 0 });
const router = createRouter({
  configFile: 'rollout.json',
  routes: ['orchestrator', 'specialist'],
  client: new Anthropic({ apiKey: 'consumer', baseURL: sim.url, maxRetries: 0 }),
});
const registry = new Registry();
createCanaryMetrics({ registry }).attach(router);
try {
  const arms = new Set();
  for (let i = 0; i < 40; i++) {
    const booking = router.unit(`booking-${i}`);
    await booking.messages.create({ max_tokens: 256, messages: [{ role: 'user', content: 'Book a table for two.' }] }, { route: 'orchestrator' }).catch(() => undefined);
    const [result] = booking.end({ outcome: 'success' }).routes;
    arms.add(result.arm);
  }
  assert.deepEqual([...arms].sort(), ['canary', 'control']);
  const text = await registry.metrics();
  assert.match(text, /^model_canary_units_total\{route="orchestrator",arm="control",outcome="success"\} \d+$/m);
  assert.match(text, /^model_canary_requests_total\{route="orchestrator",arm="canary",model="claude-sonnet-4-6",outcome="success"\} [1-9]/m);
} finally {
  await router.close();
  await sim.close();
}

// What the packages ship besides code.
const require = createRequire(import.meta.url);
assert.equal(JSON.parse(await readFile(require.resolve('@model-canary/router/rollout.schema.json'), 'utf8')).type, 'object');
assert.match(await readFile(require.resolve('@model-canary/metrics/rules/alerts.yml'), 'utf8'), /^groups:/m);
assert.ok(JSON.parse(await readFile(require.resolve('@model-canary/metrics/dashboards/model-canary.json'), 'utf8')).panels.length > 0);
assert.ok(SCENARIOS.includes('aa') && typeof rehearse === 'function');
