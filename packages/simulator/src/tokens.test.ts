import { describe, expect, it } from 'vitest';
import { countTokens, promptSegments } from './tokens.js';

describe('token approximation', () => {
  it.each([
    ['a 4-character message', 'abcd', 1 + 3],
    ['a 5-character message', 'abcde', 2 + 3],
    ['400 characters', 'x'.repeat(400), 100 + 3],
  ])('counts %s as ceil(chars / 4) + 3 per message', (_name, content, expected) => {
    expect(countTokens(promptSegments({ model: 'm', messages: [{ role: 'user', content }] }))).toBe(expected);
  });

  it('counts the system prompt and the tool definitions too', () => {
    const bare = countTokens(promptSegments({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }));
    const withSystem = countTokens(promptSegments({ model: 'm', system: 'x'.repeat(40), messages: [{ role: 'user', content: 'hi' }] }));
    const withTool = countTokens(promptSegments({ model: 'm', tools: [{ name: 't', input_schema: { type: 'object' } }], messages: [{ role: 'user', content: 'hi' }] }));
    expect(withSystem - bare).toBe(10);
    expect(withTool).toBeGreaterThan(bare);
  });

  it('marks the last segment when the request has a top-level cache_control (automatic caching)', () => {
    const segments = promptSegments({ model: 'm', cache_control: { type: 'ephemeral' }, messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] });
    expect(segments.map((s) => s.cacheControl)).toEqual([undefined, { type: 'ephemeral' }]);
  });
});
