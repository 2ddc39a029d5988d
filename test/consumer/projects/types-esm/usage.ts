// The root README's usage example and a stream listener. Checked as an ESM project here, and as a CommonJS one
// (types-cjs: its own Anthropic client must fit createRouter) and under bundler resolution (types-bundler), which
// take this file through "shares".
import Anthropic from '@anthropic-ai/sdk';
import { createCanaryMetrics } from '@model-canary/metrics';
import { createRouter, DeadlineExceededError, type RolloutInput } from '@model-canary/router';
import { Registry } from 'prom-client';

const config: RolloutInput = {
  routes: {
    orchestrator: {
      salt: 'orchestrator-sonnet-4-6',
      arms: [
        { name: 'canary', model: 'claude-sonnet-4-6', percent: 10 },
        { name: 'control', model: 'claude-haiku-4-5' },
      ],
    },
    specialist: { arms: [{ name: 'control', model: 'claude-haiku-4-5' }] },
  },
};

export async function book(bookingId: string, messages: Anthropic.MessageParam[], tools: Anthropic.Tool[]): Promise<string> {
  const router = createRouter({ config, routes: ['orchestrator', 'specialist'], client: new Anthropic() });
  const registry = new Registry();
  createCanaryMetrics({ registry }).attach(router);

  const booking = router.unit(bookingId);
  const plan = await booking.messages.create({ max_tokens: 1024, messages, tools }, { route: 'orchestrator', deadlineMs: 30_000 });
  const stopReason: Anthropic.Message['stop_reason'] = plan.stop_reason;
  booking.end({ outcome: 'success' });

  let text = '';
  const stream = router.messages.stream({ max_tokens: 256, messages }, { route: 'specialist' });
  stream.on('text', (t) => {
    const delta: string = t;
    text += delta;
  });
  const final: Anthropic.Message = await stream.finalMessage();
  await router.close();
  const error: unknown = new DeadlineExceededError('orchestrator', 1);
  return `${String(stopReason)} ${final.id} ${text} ${error instanceof DeadlineExceededError ? error.code : ''} ${await registry.metrics()}`;
}
