import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator } from '@model-canary/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERFECT_PLANS, postBooking, startTestService, type TestService } from './test-service.js';

for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS']) delete process.env[name];

/** A pass-through proxy in front of the simulator that records the headers of every model call. */
async function recordingProxy(target: string): Promise<{ url: string; seen: Array<Record<string, string | string[] | undefined>>; close(): Promise<void> }> {
  const seen: Array<Record<string, string | string[] | undefined>> = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('trace propagation to the model calls', () => {
  let simulator: Simulator;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let service: TestService;
  beforeAll(async () => {
    simulator = await startSimulator({ seed: 'trace', timeScale: 0, baselineFaults: false, models: PERFECT_PLANS });
    proxy = await recordingProxy(simulator.url);
    service = await startTestService({ env: { MODEL_BACKEND: 'anthropic', ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: proxy.url } });
  });
  afterAll(async () => {
    await service.stop();
    await proxy.close();
    await simulator.close();
  });

  it('sends every model call of a booking with a traceparent of the booking trace, each with its own span', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const { status } = await postBooking(service.url, { request: 'Flights from Oslo to Kyoto on 2027-06-01 for one and a hotel.' }, { traceparent: `00-${traceId}-b7ad6b7169203331-01` });
    expect(status).toBe(201);
    const parents = proxy.seen.map((h) => String(h.traceparent));
    expect(parents.length).toBeGreaterThanOrEqual(2);
    for (const parent of parents) expect(parent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(new Set(parents).size).toBe(parents.length);
  });
});
