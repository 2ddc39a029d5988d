import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingBodySchema } from './routes/booking-body.js';
import { PERFECT_PLANS, postBooking, startTestService, type TestService } from './test-service.js';

for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS']) delete process.env[name];

const REQUEST = { request: 'A hotel in Oslo for two nights from 2027-02-01 and a table for two.' };

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ simulator: { models: PERFECT_PLANS } });
});
afterAll(() => service.stop());

describe('request errors', () => {
  it.each([
    ['malformed JSON', 400, 'invalid_json', '{"request": "a hotel", }', /not valid JSON/],
    ['a body over 100kb', 413, 'body_too_large', JSON.stringify({ request: 'x'.repeat(110_000) }), /102400 bytes/],
    ['a missing request', 422, 'validation_error', { customer: { name: 'Ada', email: 'ada@example.com' } }, /request:/],
    ['a bad email', 422, 'validation_error', { ...REQUEST, customer: { name: 'Ada', email: 'not-an-email' } }, /customer\.email/],
    ['an unknown field', 422, 'validation_error', { ...REQUEST, priority: 'high' }, /unknown field\(s\): priority/],
    ['a JSON array', 422, 'validation_error', [1, 2], /\(body\)/],
    ['a card number of 23 digits', 422, 'validation_error', { ...REQUEST, customer: { name: 'Ada', email: 'ada@example.com', cardNumber: '1'.repeat(23) } }, /customer\.cardNumber: 12 to 19 digits/],
    ['a card number of spaces', 422, 'validation_error', { ...REQUEST, customer: { name: 'Ada', email: 'ada@example.com', cardNumber: ' '.repeat(12) } }, /customer\.cardNumber: 12 to 19 digits/],
    ['a phone number of dashes', 422, 'validation_error', { ...REQUEST, customer: { name: 'Ada', email: 'ada@example.com', phone: '------' } }, /customer\.phone: a phone number of at least 6 digits/],
  ])('answers %s with %i %s, as JSON without a stack', async (_what, status, type, body, message) => {
    const response = await postBooking(service.url, body);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.body.error).toMatchObject({ type, message: expect.stringMatching(message) });
    expect(JSON.stringify(response.body)).not.toMatch(/\.(ts|js):\d+|node_modules/);
  });

  it('accepts card numbers and phones written with spaces between the digits', () => {
    const customer = { name: 'Ada', email: 'ada@example.com', cardNumber: '4111 1111 1111 1111', phone: '+44 (20) 7946-0958' };
    expect(bookingBodySchema.safeParse({ ...REQUEST, customer }).success).toBe(true);
  });

  it('lists every invalid field of a 422', async () => {
    const { body } = await postBooking(service.url, { request: 'short', customer: { name: '', email: 'x' } });
    expect((body.error?.fields as Array<{ field: string }>).map((f) => f.field)).toEqual(['request', 'customer.name', 'customer.email']);
  });

  it('never echoes submitted values in a 422', async () => {
    const { body } = await postBooking(service.url, { request: 'Call me +44 7700 900123', customer: { name: 'Grace Hopper', email: 'grace@@navy' } });
    expect(JSON.stringify(body)).not.toMatch(/grace|Hopper|7700/i);
  });

  it('answers a gzip body that does not inflate with 400 invalid_body, not a 500', async () => {
    const response = await fetch(new URL('/bookings', service.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: 'not gzip',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_body', message: expect.stringContaining('could not be read') } });
  });

  it('answers a non-JSON content type with 415', async () => {
    const response = await fetch(new URL('/bookings', service.url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'book a hotel' });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { type: 'unsupported_media_type' } });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const response = await fetch(new URL('/nope', service.url));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { type: 'not_found', message: 'No route for GET /nope.' } });
  });
});

describe('idempotent retries', () => {
  it('returns the same booking to a retry with the same Idempotency-Key', async () => {
    const first = await postBooking(service.url, REQUEST, { 'idempotency-key': 'retry-1' });
    const second = await postBooking(service.url, REQUEST, { 'idempotency-key': 'retry-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('runs concurrent duplicates once: they all get the first booking', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => postBooking(service.url, REQUEST, { 'idempotency-key': 'concurrent-1' })));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
  });

  it('refuses a key reused with another body with 422', async () => {
    await postBooking(service.url, REQUEST, { 'idempotency-key': 'reuse-1' });
    const other = await postBooking(service.url, { request: 'Something else entirely, a car in Kyoto.' }, { 'idempotency-key': 'reuse-1' });
    expect(other.status).toBe(422);
    expect(other.body.error?.type).toBe('idempotency_key_mismatch');
  });

  it('gives different bookings to different keys', async () => {
    const a = await postBooking(service.url, REQUEST, { 'idempotency-key': 'k-a' });
    const b = await postBooking(service.url, REQUEST, { 'idempotency-key': 'k-b' });
    expect(a.body.id).not.toBe(b.body.id);
  });
});

describe('health and rollout', () => {
  it('reports healthy', async () => {
    const response = await fetch(new URL('/healthz', service.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', backend: 'simulator', inFlight: 0 });
  });

  it('shows the rollout being served: version, config and the last reload', async () => {
    const body = (await (await fetch(new URL('/rollout', service.url))).json()) as {
      version: number;
      source: string;
      config: { routes: Record<string, { arms: unknown[] }> };
    };
    expect(body.version).toBeGreaterThanOrEqual(1);
    expect(body.source).toBe(service.rolloutFile);
    expect(body.config.routes.orchestrator?.arms).toEqual([
      expect.objectContaining({ name: 'canary', model: 'claude-sonnet-4-6', percent: 10 }),
      expect.objectContaining({ name: 'control', model: 'claude-haiku-4-5' }),
    ]);
  });
});
