// The README's usage through require() (Node 20.19+ loads the ESM packages synchronously), on the installed simulator.
const assert = require('node:assert/strict');
const Anthropic = require('@anthropic-ai/sdk');
const { createRampController } = require('@model-canary/controller');
const { createCanaryMetrics } = require('@model-canary/metrics');
const { createRouter, hashBucket } = require('@model-canary/router');
const { startSimulator } = require('@model-canary/simulator');
const { Registry } = require('prom-client');

async function main() {
  const sim = await startSimulator({ host: '127.0.0.1', port: 0, seed: 'consumer-cjs', timeScale: 0 });
  const router = createRouter({
    configFile: 'rollout.json',
    routes: ['orchestrator', 'specialist'],
    client: new Anthropic({ apiKey: 'consumer', baseURL: sim.url, maxRetries: 0 }),
  });
  const registry = new Registry();
  createCanaryMetrics({ registry }).attach(router);
  try {
    const booking = router.unit('booking-1');
    const plan = await booking.messages.create({ max_tokens: 256, messages: [{ role: 'user', content: 'Book a hotel.' }] }, { route: 'orchestrator' });
    assert.equal(plan.type, 'message');
    const [result] = booking.end({ outcome: 'success' }).routes;
    // The arm is the hash of the key with the route's salt: canary below 0.1.
    assert.equal(result.arm, hashBucket('orchestrator-sonnet-4-6', 'booking-1') < 0.1 ? 'canary' : 'control');
    assert.match(await registry.metrics(), /^model_canary_units_total\{route="orchestrator",arm="\w+",outcome="success"\} 1$/m);
    assert.equal(typeof createRampController, 'function');
  } finally {
    await router.close();
    await sim.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
