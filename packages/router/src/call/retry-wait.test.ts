import { VERSION } from '@anthropic-ai/sdk/version';
import type { Middleware } from '@anthropic-ai/sdk';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator } from '@model-canary/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_MODEL, PARAMS, quietSimulator, record, routerOn, sdk, until } from './test-helpers/harness.js';

// SDK 1.17 sends a non-streaming request again when its 2xx body fails to read on the transport (after the
// request loop, from the promise's parse); 1.14 (scripts/version-matrix.sh) does not. The first answer here cuts
// its body; the second is whole.
const [major = 0, minor = 0] = VERSION.split('.').map(Number);
const sdkResends = major > 1 || (major === 1 && minor >= 17);
const MESSAGE = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: CONTROL_MODEL,
  content: [{ type: 'text', text: 'Booked.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 3 },
};

let sim: Simulator;
let server: Server;
let url: string;
let requests = 0;
beforeAll(async () => {
  sim = await quietSimulator();
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      const body = JSON.stringify(MESSAGE);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length), 'request-id': `req_${requests}` });
      if (requests === 1) {
        res.write(body.slice(0, 20));
        setTimeout(() => res.socket?.destroy(), 20);
      } else {
        res.end(body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sim.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('a 2xx whose body breaks', () => {
  it('records the call as the caller sees it: re-sent (SDK 1.17) a success with both attempts, else a connection error', async () => {
    requests = 0;
    const router = routerOn(sdk(url, { maxRetries: 2 }));
    const r = record(router);
    const answer = await router.messages.create(PARAMS, { route: 'orchestrator', forceArm: 'control' }).catch((e: unknown) => e);
    if (sdkResends) {
      expect(answer).toMatchObject({ content: MESSAGE.content });
      expect(requests).toBe(2);
      await until(() => r.events.attempt.length === 2 && r.events.call.length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(r.events.attempt).toMatchObject([
        { attempt: 1, status: 200, errorClass: 'connection', requestId: 'req_1' },
        { attempt: 2, status: 200, errorClass: null, requestId: 'req_2' },
      ]);
      expect(r.events.call).toHaveLength(1);
      expect(r.events.call[0]).toMatchObject({ outcome: 'success', errorClass: null, attempts: 2, requestId: 'req_2' });
    } else {
      // No re-send comes: the call ends once the SDK's longest wait between attempts has passed.
      expect(answer).toBeInstanceOf(Error); // 1.14 passes on undici's `TypeError: terminated`
      await until(() => r.events.call.length === 1);
      expect(requests).toBe(1);
      expect(r.events.attempt).toMatchObject([{ attempt: 1, status: 200, errorClass: 'connection', requestId: 'req_1' }]);
      expect(r.events.call[0]).toMatchObject({ outcome: 'error', errorClass: 'connection', attempts: 1, requestId: 'req_1' });
      expect(r.events.call[0]!.durationMs).toBeLessThan(5_000);
    }
    await router.close();
  });
});

describe('a retryable failure the SDK never retries', () => {
  it("ends the call when the caller's client middleware throws on a 529 instead of letting the SDK retry", async () => {
    const givesUp: Middleware = async (request, next) => {
      const response = await next(request);
      if (response.status === 529) throw new Error('the app gives up on overload');
      return response;
    };
    const router = routerOn(sdk(sim.url, { maxRetries: 2, middleware: [givesUp] }));
    const r = record(router);
    const error = await router.messages.create(PARAMS, { route: 'orchestrator', forceArm: 'control', headers: { 'x-sim-fault': 'overloaded' } }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('the app gives up on overload');
    // No attempt follows within the SDK's backoff (0.5 s) and the margin: the call ends, as the 529 it was.
    await until(() => r.events.call.length === 1, 8000);
    expect(r.events.attempt).toMatchObject([{ attempt: 1, status: 529, errorClass: 'overloaded' }]);
    expect(r.events.call[0]).toMatchObject({ outcome: 'error', errorClass: 'overloaded', attempts: 1 });
    expect(r.events.call[0]!.durationMs).toBeLessThan(2000);
    await router.close();
  });
});
