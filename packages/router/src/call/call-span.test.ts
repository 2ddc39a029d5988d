import { context, trace, type SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Simulator } from '@model-canary/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../create-router.js';
import { SPAN_ATTRIBUTES } from './call-span.js';
import { CANARY_MODEL, CONTROL_MODEL, PARAMS, quietSimulator, rollout, routerOn, sdk, until } from './test-helpers/harness.js';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const contextManager = new AsyncLocalStorageContextManager();
let sim: Simulator;

beforeAll(async () => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(provider);
  sim = await quietSimulator();
});
afterAll(async () => {
  trace.disable();
  context.disable();
  await provider.shutdown();
  await sim.close();
});
afterEach(() => {
  exporter.reset();
  sim.setFaults([]);
});

const parentOf = (span: ReadableSpan): string | undefined => (span as { parentSpanContext?: SpanContext }).parentSpanContext?.spanId;
const routerSpans = (): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.name.startsWith('model_canary '));

describe("the router's span around each routed call", () => {
  it("carries the decision and the unit, is the parent of the SDK's call span and the child of the caller's, with no prompt text", async () => {
    const router = routerOn(sdk(sim.url));
    const booking = trace.getTracer('test').startSpan('booking');
    await context.with(trace.setSpan(context.active(), booking), async () => {
      const unit = router.unit('booking-7');
      await unit.messages.create(PARAMS, { route: 'orchestrator' });
      await unit.messages.stream(PARAMS, { route: 'specialist' }).finalMessage();
      unit.end({ outcome: 'success' });
    });
    booking.end();
    await until(() => routerSpans().length === 2 && exporter.getFinishedSpans().length === 5);

    const all = exporter.getFinishedSpans();
    const [orchestrator, specialist] = routerSpans();
    for (const span of [orchestrator, specialist]) {
      expect(parentOf(span as ReadableSpan)).toBe(booking.spanContext().spanId);
      expect(span?.attributes).toMatchObject({
        [SPAN_ATTRIBUTES.unitKey]: 'booking-7',
        [SPAN_ATTRIBUTES.keyed]: true,
        [SPAN_ATTRIBUTES.reason]: 'split',
        [SPAN_ATTRIBUTES.configVersion]: 1,
        [SPAN_ATTRIBUTES.outcome]: 'success',
        [SPAN_ATTRIBUTES.fallback]: false,
        [SPAN_ATTRIBUTES.conversationId]: 'booking-7',
      });
      expect(span?.attributes[SPAN_ATTRIBUTES.bucket]).toEqual(expect.any(Number));
      expect(span?.attributes[SPAN_ATTRIBUTES.costUsd]).toBeGreaterThan(0);
      // The SDK's own call span (gen_ai.*) is the router span's only child, linked to the unit.
      const children = all.filter((s) => parentOf(s) === span?.spanContext().spanId);
      expect(children).toHaveLength(1);
      expect(children[0]?.attributes).toMatchObject({ 'gen_ai.conversation.id': 'booking-7', 'gen_ai.provider.name': 'anthropic' });
    }
    expect(orchestrator?.attributes[SPAN_ATTRIBUTES.route]).toBe('orchestrator');
    expect(specialist?.attributes).toMatchObject({ [SPAN_ATTRIBUTES.route]: 'specialist', [SPAN_ATTRIBUTES.arm]: 'control', [SPAN_ATTRIBUTES.armModel]: CONTROL_MODEL });
    expect(all.every((s) => s.spanContext().traceId === booking.spanContext().traceId)).toBe(true);
    // The SDK's default metadata-only mode: the prompt is on no span.
    expect(JSON.stringify(all.map((s) => s.attributes))).not.toContain('Book a table');
    await router.close();
  });

  it('records a canary call served by control as a fallback under the canary arm (intent to treat), with an error status', async () => {
    sim.setFaults([{ kind: 'overloaded', model: CANARY_MODEL, rate: 1 }]);
    const router = createRouter({ config: rollout({ fallback: true }), client: sdk(sim.url, { maxRetries: 0 }) });
    await router.messages.create(PARAMS, { route: 'orchestrator', forceArm: 'canary' });
    await until(() => routerSpans().length === 1);
    const [span] = routerSpans();
    expect(span?.attributes).toMatchObject({
      [SPAN_ATTRIBUTES.arm]: 'canary',
      [SPAN_ATTRIBUTES.armModel]: CANARY_MODEL,
      [SPAN_ATTRIBUTES.reason]: 'forced',
      [SPAN_ATTRIBUTES.keyed]: false,
      [SPAN_ATTRIBUTES.outcome]: 'fallback',
      [SPAN_ATTRIBUTES.fallback]: true,
      [SPAN_ATTRIBUTES.fallbackModel]: CONTROL_MODEL,
      [SPAN_ATTRIBUTES.servedModel]: CONTROL_MODEL,
      [SPAN_ATTRIBUTES.errorClass]: 'overloaded',
      'error.type': 'overloaded',
    });
    expect(span?.attributes[SPAN_ATTRIBUTES.unitKey]).toBeUndefined();
    expect(span?.status.code).toBe(2);
    await router.close();
  });

  it("keeps a conversation id the caller gave the SDK's span", async () => {
    const router = routerOn(sdk(sim.url));
    await router.unit('booking-8').messages.create(PARAMS, { route: 'specialist', openTelemetry: { conversationId: 'chat-1' } });
    await until(() => exporter.getFinishedSpans().length === 2);
    const sdkSpan = exporter.getFinishedSpans().find((s) => !s.name.startsWith('model_canary '));
    expect(sdkSpan?.attributes['gen_ai.conversation.id']).toBe('chat-1');
    await router.close();
  });
});
