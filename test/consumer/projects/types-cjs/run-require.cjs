// A CommonJS project requires the ESM package (Node >= 20.19 loads it), with its own SDK client.
const assert = require('node:assert/strict');
const Anthropic = require('@anthropic-ai/sdk');
const { createRouter } = require('@model-canary/router');

const router = createRouter({
  config: { routes: { orchestrator: { arms: [{ name: 'canary', model: 'claude-sonnet-4-6', percent: 10 }, { name: 'control', model: 'claude-haiku-4-5' }] } } },
  client: new Anthropic({ apiKey: 'unused' }),
});
const decision = router.decide({ route: 'orchestrator', key: 'booking-1' });
assert.ok(['canary', 'control'].includes(decision.arm));
assert.throws(() => router.messages.create({ max_tokens: 1, messages: [] }), /needs \{ route \}/);
void router.close().then(() => console.log(`required from CommonJS: ${decision.arm}`));
