import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.js';
import { QUIET, client, rawPost } from './test-helpers/sdk.js';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'errors', timeScale: 0.001, ...QUIET });
});
afterAll(async () => {
  await sim.close();
});

const params = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user' as const, content: 'hi' }] };

describe('faults forced with x-sim-fault map to the SDK error classes', () => {
  it.each([
    ['rate_limit', Anthropic.RateLimitError, 429, 'rate_limit_error'],
    ['overloaded', Anthropic.OverloadedError, 529, 'overloaded_error'],
    ['server', Anthropic.InternalServerError, 500, 'api_error'],
  ] as const)('%s -> %s', async (fault, errorClass, status, type) => {
    const error = await client(sim.url).messages.create(params, { headers: { 'x-sim-fault': fault } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status, type, requestID: expect.stringMatching(/^req_/) });
    expect((error as APIError).error).toMatchObject({ type: 'error', error: { type }, request_id: expect.stringMatching(/^req_/) });
  });

  it('a 429 carries retry-after scaled by timeScale', async () => {
    const res = await rawPost(sim.url, '/v1/messages', JSON.stringify(params), { 'x-sim-fault': 'rate_limit' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('0.001');
    expect(res.headers.get('retry-after-ms')).toBe('1');
  });

  it('a timeout fault holds the headers until the client gives up (APIConnectionTimeoutError)', async () => {
    sim.resetStats();
    const error = await client(sim.url, { timeout: 150 }).messages.create(params, { headers: { 'x-sim-fault': 'timeout' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.stats().byModel['claude-sonnet-4-6']).toMatchObject({ aborted: 1, faults: { timeout: 1 } });
  });

  it('a stream_error sends a 200, part of the answer, then an error event the SDK raises as APIError without status', async () => {
    const stream = client(sim.url).messages.stream({ ...params, max_tokens: 2000 }, { headers: { 'x-sim-fault': 'stream_error' } });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ status: undefined, type: 'overloaded_error' });
    expect(seen[0]).toBe('message_start');
    expect(seen).toContain('content_block_delta');
    expect(seen).not.toContain('message_stop');
  });
});

describe('the SDK retries', () => {
  it.each([
    ['rate_limit', 429],
    ['overloaded', 529],
  ] as const)('a %s on the next 2 calls is retried and succeeds on the third attempt', async (kind, status) => {
    sim.resetStats();
    sim.setFaults([{ model: 'claude-haiku-4-5', kind, count: 2 }]);
    const msg = await client(sim.url, { maxRetries: 2 }).messages.create({ ...params, model: 'claude-haiku-4-5' });
    expect(msg.type).toBe('message');
    expect(sim.stats().byModel['claude-haiku-4-5']).toMatchObject({ requests: 3, byStatus: { [status]: 2, 200: 1 } });
    expect(sim.faults()).toEqual([]);
  });

  it('rules apply per model only', async () => {
    sim.resetStats();
    sim.setFaults([{ model: 'claude-haiku-4-5', kind: 'overloaded', count: 5 }]);
    await client(sim.url).messages.create(params);
    expect(sim.faults()).toEqual([{ model: 'claude-haiku-4-5', kind: 'overloaded', count: 5 }]);
    sim.setFaults([]);
  });

  it('a rate rule fails about that share of calls', async () => {
    const fast = await startSimulator({ seed: 'rate', timeScale: 0, ...QUIET, faults: [{ model: 'claude-sonnet-4-6', kind: 'overloaded', rate: 0.25 }] });
    const sdk = client(fast.url);
    let failed = 0;
    for (let i = 0; i < 400; i += 1) {
      await sdk.messages.create({ ...params, messages: [{ role: 'user', content: `call ${i}` }] }).catch(() => { failed += 1; });
    }
    await fast.close();
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
    expect(fast.stats().byModel['claude-sonnet-4-6']?.byStatus['529']).toBe(failed);
  });
});

describe('request validation mirrors the real API', () => {
  const ok = { model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
  it.each([
    ['bad JSON', '{"model":', 400, 'invalid_request_error', /not valid JSON/],
    ['missing model', JSON.stringify({ ...ok, model: undefined }), 400, 'invalid_request_error', /^model: Field required$/],
    ['missing max_tokens', JSON.stringify({ ...ok, max_tokens: undefined }), 400, 'invalid_request_error', /^max_tokens: Field required$/],
    ['missing messages', JSON.stringify({ ...ok, messages: undefined }), 400, 'invalid_request_error', /^messages: Field required$/],
    ['max_tokens 0', JSON.stringify({ ...ok, max_tokens: 0 }), 400, 'invalid_request_error', /greater than or equal to 1/],
    ['max_tokens 1.5', JSON.stringify({ ...ok, max_tokens: 1.5 }), 400, 'invalid_request_error', /valid integer/],
    ['max_tokens above the model limit', JSON.stringify({ ...ok, max_tokens: 64_001 }), 400, 'invalid_request_error', /maximum allowed number of output tokens/],
    ['empty messages', JSON.stringify({ ...ok, messages: [] }), 400, 'invalid_request_error', /at least one message/],
    ['role tool', JSON.stringify({ ...ok, messages: [{ role: 'tool', content: 'x' }] }), 400, 'invalid_request_error', /messages\.0\.role/],
    ['first message from assistant', JSON.stringify({ ...ok, messages: [{ role: 'assistant', content: 'x' }, { role: 'user', content: 'y' }] }), 400, 'invalid_request_error', /first message must use the "user" role/],
    ['empty content', JSON.stringify({ ...ok, messages: [{ role: 'user', content: '' }] }), 400, 'invalid_request_error', /non-empty content/],
    ['empty text block', JSON.stringify({ ...ok, messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }), 400, 'invalid_request_error', /text content blocks must be non-empty/],
    ['temperature above 1', JSON.stringify({ ...ok, temperature: 1.5 }), 400, 'invalid_request_error', /temperature: Input should be between 0 and 1/],
    ['top_k negative', JSON.stringify({ ...ok, top_k: -1 }), 400, 'invalid_request_error', /top_k: Input should be a non-negative integer/],
    ['an unknown top-level field', JSON.stringify({ ...ok, temprature: 0.5 }), 400, 'invalid_request_error', /temprature: Extra inputs are not permitted/],
    ['a tool schema with "required": 5', JSON.stringify({ ...ok, tools: [{ name: 't', input_schema: { type: 'object', properties: { a: { type: 'string' } }, required: 5 } }] }), 400, 'invalid_request_error', /tools\.0\.custom\.input_schema: JSON schema is invalid: input_schema\.required: must be a list of strings/],
    ['a tool schema with minItems "3"', JSON.stringify({ ...ok, tools: [{ name: 't', input_schema: { type: 'object', properties: { a: { type: 'array', minItems: '3' } } } }] }), 400, 'invalid_request_error', /input_schema\.properties\.a\.minItems: must be a non-negative integer/],
    ['a thinking budget below 1024', JSON.stringify({ ...ok, max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 100 } }), 400, 'invalid_request_error', /budget_tokens: Input should be greater than or equal to 1024/],
    ['a thinking budget not below max_tokens', JSON.stringify({ ...ok, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 2000 } }), 400, 'invalid_request_error', /must be greater than `thinking.budget_tokens`/],
    ['tool_choice without tools', JSON.stringify({ ...ok, tool_choice: { type: 'any' } }), 400, 'invalid_request_error', /only be specified while providing tools/],
    ['orphan tool_result', JSON.stringify({ ...ok, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'r' }] }] }), 400, 'invalid_request_error', /unexpected `tool_use_id`/],
    ['unknown model', JSON.stringify({ ...ok, model: 'claude-nope' }), 404, 'not_found_error', /^model: claude-nope$/],
  ])('%s -> %i %s', async (_name, body, status, type, message) => {
    const res = await rawPost(sim.url, '/v1/messages', body);
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ type: 'error', error: { type, message: expect.stringMatching(message) }, request_id: expect.any(String) });
    expect(res.headers.get('request-id')).toBe((res.json as { request_id: string }).request_id);
  });

  it('accepts consecutive messages with the same role (the real API merges them)', async () => {
    const res = await rawPost(sim.url, '/v1/messages', JSON.stringify({ ...ok, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] }));
    expect(res.status).toBe(200);
  });

  it('raises BadRequestError through the SDK', async () => {
    const error = await client(sim.url).messages.create({ ...params, max_tokens: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('raises NotFoundError for an unknown model', async () => {
    const error = await client(sim.url).messages.create({ ...params, model: 'claude-nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
  });
});

describe('authentication and limits', () => {
  it.each([
    ['no credentials', {}],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('answers 401 authentication_error with %s', async (_name, headers) => {
    const res = await fetch(`${sim.url}/v1/messages`, { method: 'POST', headers: { 'anthropic-version': '2023-06-01', ...headers }, body: JSON.stringify(params) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('accepts x-api-key as well as Authorization: Bearer', async () => {
    const res = await rawPost(sim.url, '/v1/messages', JSON.stringify(params));
    expect(res.status).toBe(200);
  });

  it('restricts keys with apiKeys (AuthenticationError for others)', async () => {
    const locked = await startSimulator({ timeScale: 0, apiKeys: ['sk-good'], ...QUIET });
    const error = await client(locked.url, { apiKey: 'sk-bad' }).messages.create(params).catch((e: unknown) => e);
    const good = await client(locked.url, { apiKey: 'sk-good' }).messages.create(params);
    await locked.close();
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(good.type).toBe('message');
  });

  it('answers 413 request_too_large above maxBodyBytes (ContentTooLargeError)', async () => {
    const small = await startSimulator({ timeScale: 0, maxBodyBytes: 1000, ...QUIET });
    const error = await client(small.url).messages.create({ ...params, messages: [{ role: 'user', content: 'x'.repeat(2000) }] }).catch((e: unknown) => e);
    await small.close();
    expect(error).toBeInstanceOf(Anthropic.ContentTooLargeError);
    expect(error).toMatchObject({ status: 413, type: 'request_too_large' });
  });

  it('rejects a negative timeScale at start', async () => {
    await expect(startSimulator({ timeScale: -1 })).rejects.toMatchObject({ name: 'SimulatorError', code: 'invalid_options' });
  });
});
