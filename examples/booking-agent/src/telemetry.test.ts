import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { SpanContext } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTelemetry, telemetryFromEnv, type Telemetry } from './telemetry.js';
import { PERFECT_PLANS, postBooking, rolloutWith, startTestService, type TestService } from './test-service.js';

for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS']) delete process.env[name];

const TEXT = 'Flights from London to Lisbon on 2027-05-01 for two, a hotel for three nights and a car.';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

const parentOf = (span: ReadableSpan): string | undefined => (span as { parentSpanContext?: SpanContext }).parentSpanContext?.spanId;

describe('one booking is one trace (in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry;
  let service: TestService;
  beforeAll(async () => {
    telemetry = registerTelemetry({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    service = await startTestService({ rollout: rolloutWith(100), simulator: { models: PERFECT_PLANS }, env: { VERIFY_MIN_SERVICES: '1' } });
  });
  afterAll(async () => {
    await service.stop();
    await telemetry.shutdown();
  });

  it('booking → plan → specialists → verify → aggregate, each model call under its step with the router attributes, and no prompt text', async () => {
    const { status, body, headers } = await postBooking(service.url, { request: TEXT }, { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` });
    expect(status).toBe(201);
    expect(body.traceId).toBe(TRACE_ID);
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const one = (name: string): ReadableSpan => {
      expect(byName(name), name).toHaveLength(1);
      return byName(name)[0] as ReadableSpan;
    };
    expect(spans.every((s) => s.spanContext().traceId === TRACE_ID)).toBe(true);
    const server = one('POST /bookings');
    expect(parentOf(server)).toBe('00f067aa0ba902b7');
    expect(headers.get('traceparent')).toBe(`00-${TRACE_ID}-${server.spanContext().spanId}-01`);
    const booking = one('booking.booking');
    expect(parentOf(booking)).toBe(server.spanContext().spanId);
    expect(booking.attributes).toMatchObject({ 'booking.id': body.id, 'model_canary.arm': 'canary', 'booking.outcome': 'success' });
    for (const step of ['booking.plan', 'booking.specialists', 'booking.verify', 'booking.aggregate']) expect(parentOf(one(step))).toBe(booking.spanContext().spanId);

    const subtasks = (body.subtasks as unknown[]).length;
    const routed = spans.filter((s) => s.name.startsWith('model_canary '));
    expect(routed.map((s) => s.attributes['model_canary.route']).sort()).toEqual(['orchestrator', 'verifier', ...Array<string>(subtasks).fill('specialist')].sort());
    const stepOf = { orchestrator: 'booking.plan', specialist: 'booking.specialists', verifier: 'booking.verify' } as Record<string, string>;
    for (const span of routed) {
      const route = String(span.attributes['model_canary.route']);
      expect(parentOf(span)).toBe(one(stepOf[route] as string).spanContext().spanId);
      expect(span.attributes).toMatchObject({ 'model_canary.unit.key': body.id, 'model_canary.reason': 'split', 'model_canary.outcome': 'success', 'model_canary.fallback': false });
      expect(span.attributes['model_canary.arm']).toBe(route === 'orchestrator' ? 'canary' : 'control');
      expect(span.attributes['model_canary.config_version']).toEqual(expect.any(Number));
      expect(span.attributes['model_canary.bucket']).toEqual(expect.any(Number));
      // The SDK's own call span, under the router's, linked to the booking as its conversation.
      const sdk = spans.filter((s) => parentOf(s) === span.spanContext().spanId);
      expect(sdk).toHaveLength(1);
      expect(sdk[0]?.attributes).toMatchObject({ 'gen_ai.conversation.id': body.id, 'gen_ai.request.model': span.attributes['model_canary.arm.model'] });
    }
    // Metadata only: neither the customer's text nor any prompt or completion is on a span.
    const everything = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    expect(everything).not.toContain('London');
    expect(everything).not.toContain('gen_ai.input.messages');
    expect(everything).not.toContain('booking specialist');
  });
});

describe('OTLP over HTTP', () => {
  let receiver: Server;
  const bodies: string[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        if (req.url === '/v1/traces') bodies.push(text);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => receiver.close(resolve)));

  it('sends the booking trace to the endpoint OTEL_EXPORTER_OTLP_ENDPOINT names', async () => {
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const saved = { ...process.env };
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'booking-agent-test' });
    let telemetry: Telemetry | null = null;
    try {
      telemetry = telemetryFromEnv(process.env);
      expect(telemetry).not.toBeNull();
      const service = await startTestService({ rollout: rolloutWith(0), simulator: { models: PERFECT_PLANS } });
      try {
        expect((await postBooking(service.url, { request: TEXT })).status).toBe(201);
      } finally {
        await service.stop();
      }
    } finally {
      await telemetry?.shutdown();
      process.env = saved;
    }
    const sent = bodies.join('\n');
    expect(sent).toContain('booking-agent-test');
    for (const name of ['POST /bookings', 'booking.booking', 'booking.plan', 'model_canary orchestrator', 'anthropic.messages.create']) expect(sent).toContain(name);
    expect(sent).not.toContain('London');
  });

  it('registers nothing without an endpoint', () => {
    expect(telemetryFromEnv({})).toBeNull();
    expect(telemetryFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBeNull();
  });
});
