import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { startSimulator, type Simulator } from '@model-canary/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_TOOL_NAME } from './booking/verifier.js';
import { parseExposition, sumOf } from './load/prom-text.js';
import { SIMULATOR_API_KEY } from './service.js';
import { PERFECT_PLANS, postBooking, rolloutWith, startTestService, type TestService } from './test-service.js';

for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS']) delete process.env[name];

const REQUEST = { request: 'Flights from London to Lisbon on 2027-05-01 for two, a hotel for three nights and a car.' };
const REJECTION = 'The hotel check-in is the day after the flight lands.';

const routeMetric = async (url: string, name: string, filter: Record<string, string>): Promise<number> =>
  sumOf(parseExposition(await (await fetch(new URL('/metrics', url))).text()), name, filter);

describe('the verifier (route verifier, Claude Opus 4.7)', () => {
  let service: TestService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it('reviews every itinerary of VERIFY_MIN_SERVICES services or more before it is confirmed', async () => {
    service = await startTestService({ rollout: rolloutWith(0), simulator: { models: PERFECT_PLANS }, env: { VERIFY_MIN_SERVICES: '1' } });
    const { status, body } = await postBooking(service.url, REQUEST);
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'confirmed', verified: true });
    expect(await routeMetric(service.url, 'model_canary_requests_total', { route: 'verifier', model: 'claude-opus-4-7', outcome: 'success' })).toBe(1);
  });

  it('is not called for an itinerary below the rule', async () => {
    service = await startTestService({ rollout: rolloutWith(0), simulator: { models: PERFECT_PLANS }, env: { VERIFY_MIN_SERVICES: '5' } });
    const { status, body } = await postBooking(service.url, REQUEST);
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'confirmed', verified: false });
    expect(await routeMetric(service.url, 'model_canary_requests_total', { route: 'verifier' })).toBe(0);
  });
});

describe('a verifier that rejects the itinerary', () => {
  let simulator: Simulator;
  let proxy: Server;
  let service: TestService;
  beforeAll(async () => {
    // The real simulator behind a local proxy that answers the verifier's calls itself, with a rejection.
    simulator = await startSimulator({ seed: 'verifier-rejects', timeScale: 0, baselineFaults: false, models: PERFECT_PLANS });
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const parsed = JSON.parse(body.toString('utf8')) as { tools?: Array<{ name: string }> };
        if (parsed.tools?.some((t) => t.name === REVIEW_TOOL_NAME) === true) {
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_verifier_rejects' });
          res.end(JSON.stringify({
            id: 'msg_verifier_rejects', type: 'message', role: 'assistant', model: 'claude-opus-4-7',
            content: [{ type: 'tool_use', id: 'toolu_verifier', name: REVIEW_TOOL_NAME, input: { verdict: 'reject', reason: REJECTION } }],
            stop_reason: 'tool_use', stop_sequence: null,
            usage: { input_tokens: 800, output_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
          }));
          return;
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
        void fetch(new URL(req.url ?? '/', simulator.url), { method: req.method ?? 'POST', headers, body }).then((upstream) => {
          res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
          if (upstream.body === null) res.end();
          else Readable.fromWeb(upstream.body).pipe(res);
        }, () => res.destroy());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    service = await startTestService({
      rollout: rolloutWith(0),
      env: { MODEL_BACKEND: 'anthropic', ANTHROPIC_API_KEY: SIMULATOR_API_KEY, ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`, VERIFY_MIN_SERVICES: '1' },
    });
  });
  afterAll(async () => {
    await service.stop();
    await new Promise((resolve) => proxy.close(resolve));
    await simulator.close();
  });

  it('fails the booking with the reason, after paying for every call', async () => {
    const { status, body } = await postBooking(service.url, REQUEST);
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ type: 'verification_rejected', reason: REJECTION, arm: 'control' });
    expect(body.error?.costUsd).toBeGreaterThan(0);
    expect(await routeMetric(service.url, 'model_canary_units_total', { route: 'orchestrator', outcome: 'failure' })).toBe(1);
    // The reason is customer-facing text about the itinerary: logged as its length only.
    const rejected = service.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.step === 'verify_rejected');
    expect(rejected).toMatchObject({ reason: { chars: REJECTION.length } });
    expect(service.logLines.join('\n')).not.toContain(REJECTION);
  });
});
