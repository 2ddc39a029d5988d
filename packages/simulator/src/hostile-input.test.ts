import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.js';
import { QUIET, rawPost } from './test-helpers/sdk.js';

// Requests a client should never send, as an attacker or a buggy client would: each is the client's 400 (never a
// 500 that clients retry and the stats count as the simulator's failure), and none blocks the event loop for long.

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'hostile', timeScale: 0, ...QUIET });
});
afterAll(async () => {
  await sim.close();
});

const ok = { model: 'claude-haiku-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] };
const toolTurn = (content: unknown) => [
  { role: 'user', content: 'book it' },
  { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'plan', input: {} }] },
  { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content }] },
];

describe('malformed requests are 400s, never 500s', () => {
  it.each([
    ['a server tool carrying input_schema: null', { ...ok, tools: [{ type: 'web_search_20250305', name: 'web', input_schema: null }], tool_choice: { type: 'any' } }, /tools\.0\.web_search_20250305\.input_schema: Extra inputs are not permitted/],
    ['a server tool carrying an input_schema', { ...ok, tools: [{ type: 'web_search_20250305', name: 'web', input_schema: { type: 'object' } }] }, /tools\.0\.web_search_20250305\.input_schema: Extra inputs are not permitted/],
    ['a tool_result whose content holds null', { ...ok, messages: toolTurn([null]) }, /messages\.2\.content\.0\.content\.0\.type: Field required/],
    ['a tool_result whose content is a number', { ...ok, messages: toolTurn(5) }, /messages\.2\.content\.0\.content: Input should be a valid string or list of content blocks/],
    ['a tool_result nested in a tool_result', { ...ok, messages: toolTurn([{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x' }]) }, /messages\.2\.content\.0\.content\.0\.type: Input should be/],
  ])('%s', async (_name, body, message) => {
    for (const path of ['/v1/messages', '/v1/messages/count_tokens']) {
      const sent = path.endsWith('count_tokens') ? { ...body, max_tokens: undefined } : body;
      const res = await rawPost(sim.url, path, JSON.stringify(sent));
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(message) } });
      expect(res.headers.get('request-id')).toBe((res.json as { request_id: string }).request_id);
    }
  });
});

describe('large but well-formed requests are answered, not crashed on', () => {
  it('answers a message of 500,000 content blocks (create and count_tokens)', async () => {
    const content = Array.from({ length: 500_000 }, () => ({ type: 'text', text: 'x' }));
    const create = await rawPost(sim.url, '/v1/messages', JSON.stringify({ ...ok, messages: [{ role: 'user', content }] }));
    expect(create.status).toBe(200);
    const count = await rawPost(sim.url, '/v1/messages/count_tokens', JSON.stringify({ model: ok.model, messages: [{ role: 'user', content }] }));
    expect(count.status).toBe(200);
    expect(count.json).toEqual({ input_tokens: 500_000 + 3 });
  });
});
