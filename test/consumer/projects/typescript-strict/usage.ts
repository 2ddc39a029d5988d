// The README's usage under the strictest settings, with the libraries' own declarations checked (skipLibCheck off).
import Anthropic from '@anthropic-ai/sdk';
import { createRampController, rehearse, type RampDecision } from '@model-canary/controller';
import { createCanaryMetrics, type CanaryMetrics } from '@model-canary/metrics';
import { createRouter, InvalidConfigError, type Decision, type RolloutConfig, type UnitEvent } from '@model-canary/router';
import { startSimulator, type Simulator } from '@model-canary/simulator';
import { Registry } from 'prom-client';

const sim: Simulator = await startSimulator({ host: '127.0.0.1', port: 0 });
const router = createRouter({ configFile: 'rollout.json', routes: ['orchestrator', 'specialist'], client: new Anthropic({ baseURL: sim.url, apiKey: 'x' }) });
const registry = new Registry();
const metrics: CanaryMetrics = createCanaryMetrics({ registry });
metrics.attach(router);

const decision: Decision = router.decide({ route: 'orchestrator', key: 'booking-1' });
const booking = router.unit('booking-1');
const plan = await booking.messages.create({ max_tokens: 1024, messages: [{ role: 'user', content: 'Plan a trip.' }] }, { route: 'orchestrator' });
const text: string = plan.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
const ended: UnitEvent = booking.end({ outcome: 'success' });
const config: RolloutConfig = router.snapshot().config;
const error: unknown = new Error('x');
if (error instanceof InvalidConfigError) console.log(error.problems.map((p) => p.path));
const last: RampDecision | undefined = undefined;
console.log(decision.arm, text.length, ended.routes[0]?.arm, config.routes['orchestrator']?.arms.length, last, typeof rehearse, typeof createRampController);
await router.close();
await sim.close();
