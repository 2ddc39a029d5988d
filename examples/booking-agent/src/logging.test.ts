import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { startSimulator, type Simulator } from '@model-canary/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, describeText } from './logging.js';
import { PERFECT_PLANS, postBooking, startTestService, type TestService } from './test-service.js';

for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS']) delete process.env[name];

// Shaped like a real key (built at run time so that no key-shaped string is committed).
const API_KEY = ['sk', 'ant', 'api03', 'test-secret-do-not-log'].join('-');
const PII = {
  name: 'Katherine Johnson',
  email: 'katherine.johnson@example.com',
  phone: '+1 757 555 0199',
  cardNumber: '4111 1111 1111 1111',
};
const REQUEST_TEXT = 'I am Katherine Johnson (katherine.johnson@example.com, +1 757 555 0199): flights London to Oslo on 2027-03-01 and a hotel.';

function captured(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it.each([
    ['an authorization header', { headers: { authorization: `Bearer ${API_KEY}` } }],
    ['an x-api-key header', { req: { headers: { 'x-api-key': API_KEY } } }],
    ['an apiKey field', { client: { apiKey: API_KEY } }],
    ['a customer object', { customer: PII }],
    ['nested customer fields', { booking: { email: PII.email, phone: PII.phone, cardNumber: PII.cardNumber } }],
    ['a request body', { body: { request: REQUEST_TEXT } }],
  ])('redacts %s', (_what, fields) => {
    const { lines, stream } = captured();
    createLogger({ destination: stream }).info(fields, 'something happened');
    const output = lines.join('');
    expect(output).toContain('[redacted]');
    for (const secret of [API_KEY, PII.name, PII.email, PII.phone, PII.cardNumber, REQUEST_TEXT]) expect(output).not.toContain(secret);
  });

  it('describes a free text by its length only: no hash anyone could check a guess against', () => {
    expect(describeText('hello')).toEqual({ chars: 5 });
  });
});

describe('logs of a real-API-mode service', () => {
  let upstream: Simulator;
  let service: TestService;
  beforeAll(async () => {
    // ANTHROPIC_API_KEY set: the service calls "the real API", here a simulator that only accepts that key.
    upstream = await startSimulator({ seed: 'logs', timeScale: 0, apiKeys: [API_KEY], baselineFaults: false, models: PERFECT_PLANS });
    service = await startTestService({ env: { MODEL_BACKEND: 'anthropic', ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: upstream.url, LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await service.stop();
    await upstream.close();
  });

  it('runs the booking with the key but never writes the key or customer PII to the logs', async () => {
    expect(service.simulatorUrl).toBeNull();
    const { status, body } = await postBooking(service.url, { request: REQUEST_TEXT, customer: PII }, { authorization: `Bearer ${API_KEY}` });
    expect(status).toBe(201);
    const failing = await postBooking(service.url, { request: REQUEST_TEXT, customer: { ...PII, email: 'bad' } });
    expect(failing.status).toBe(422);
    const output = service.logLines.join('\n');
    expect(output).toContain(String(body.traceId));
    expect(output).toContain(`"requestText":{"chars":${REQUEST_TEXT.length}}`);
    expect(output).not.toContain(createHash('sha256').update(REQUEST_TEXT).digest('hex').slice(0, 16));
    for (const secret of [API_KEY, PII.name, PII.email, PII.phone, PII.cardNumber, 'Oslo', '757 555']) expect(output).not.toContain(secret);
  });
});
