import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRolloutText, parseRolloutValue } from './parse-rollout.js';

const issueExample = {
  routes: {
    orchestrator: {
      salt: 'orchestrator-sonnet-4-6',
      arms: [
        { name: 'canary', model: 'claude-sonnet-4-6', percent: 10 },
        { name: 'control', model: 'claude-haiku-4-5' },
      ],
    },
    specialist: { arms: [{ name: 'control', model: 'claude-haiku-4-5' }] },
  },
};

/** The issue example with one route's arms replaced. */
const withArms = (arms: unknown[], extra: Record<string, unknown> = {}) => ({
  routes: { orchestrator: { arms, ...extra } },
});
const canary = (percent: unknown) => ({ name: 'canary', model: 'claude-sonnet-4-6', percent });
const control = { name: 'control', model: 'claude-haiku-4-5' };

describe('parseRolloutValue', () => {
  it('accepts the issue’s example and applies defaults (salt = route name, enabled, prices)', () => {
    const result = parseRolloutValue(issueExample);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.routes['specialist']).toEqual({ salt: 'specialist', enabled: true, arms: [{ name: 'control', model: 'claude-haiku-4-5', percent: null }] });
    expect(result.config.routes['orchestrator']?.salt).toBe('orchestrator-sonnet-4-6');
    expect(result.config.prices.models['claude-sonnet-4-6']).toEqual({ input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 });
    expect(Object.isFrozen(result.config.routes['orchestrator']?.arms[0])).toBe(true);
  });

  it('accepts the shipped sample, "$schema", aliases, fallback, maxPercent and price overrides', () => {
    const sample = readFileSync(new URL('../../rollout.sample.json', import.meta.url), 'utf8');
    expect(parseRolloutText(sample).ok).toBe(true);
    const result = parseRolloutValue({
      $schema: './rollout.schema.json',
      models: { fast: 'claude-haiku-4-5', next: 'claude-next' },
      prices: { asOf: '2026-09-01', models: { 'claude-next': { input: 2, output: 8, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 } } },
      routes: { orchestrator: { maxPercent: 20, fallback: true, enabled: false, arms: [{ name: 'canary', model: 'next', percent: 20 }, { name: 'control', model: 'fast' }] } },
    });
    expect(result.ok && result.config.routes['orchestrator']).toEqual({
      salt: 'orchestrator',
      enabled: false,
      maxPercent: 20,
      fallback: true,
      arms: [
        { name: 'canary', model: 'claude-next', percent: 20 },
        { name: 'control', model: 'claude-haiku-4-5', percent: null },
      ],
    });
    expect(result.ok && result.config.prices.asOf).toBe('2026-09-01');
  });

  it.each([
    ['an unknown top-level key', { ...issueExample, rutes: {} }, 'rutes', 'unknown key "rutes"'],
    ['an unknown arm key', withArms([{ ...canary(10), pecent: 1 }, control]), 'routes.orchestrator.arms[0].pecent', 'unknown key'],
    ['a percent above 100', withArms([canary(101), control]), 'routes.orchestrator.arms[0].percent', 'at most 100'],
    ['a negative percent', withArms([canary(-1), control]), 'routes.orchestrator.arms[0].percent', 'at least 0'],
    ['a percent finer than 0.01', withArms([canary(10.005), control]), 'routes.orchestrator.arms[0].percent', 'multiple of 0.01'],
    ['a percent given as a string', withArms([canary('10'), control]), 'routes.orchestrator.arms[0].percent', 'must be a number, not a string'],
    ['percents summing over 100', withArms([canary(60), { ...canary(50), name: 'b' }, control]), 'routes.orchestrator.arms', 'add up to 110'],
    ['no default arm', withArms([canary(10), { ...control, percent: 90 }]), 'routes.orchestrator.arms', 'no default arm'],
    ['two default arms', withArms([{ ...control, name: 'a' }, control]), 'routes.orchestrator.arms', 'exactly one arm is the default'],
    ['duplicate arm names', withArms([{ ...canary(10), name: 'control' }, control]), 'routes.orchestrator.arms[1].name', 'duplicate arm name "control"'],
    ['an empty model id', withArms([{ ...canary(10), model: '' }, control]), 'routes.orchestrator.arms[0].model', 'must not be empty'],
    ['an empty arm list', withArms([]), 'routes.orchestrator.arms', 'at least 1'],
    ['a percent above the route cap', withArms([canary(30), control], { maxPercent: 25 }), 'routes.orchestrator.arms', 'above this route\'s maxPercent of 25%'],
    ['an unknown model (typo)', withArms([{ ...canary(10), model: 'claude-sonet-4-6' }, control]), 'routes.orchestrator.arms[0].model', 'did you mean "claude-sonnet-4-6"'],
    ['an alias of an unpriced model', { models: { x: 'gpt-9' }, ...withArms([{ ...canary(10), model: 'x' }, control]) }, 'models.x', 'not a priced model'],
    ['a missing arms list', { routes: { orchestrator: {} } }, 'routes.orchestrator.arms', 'is required'],
    ['a missing routes object', {}, 'routes', 'is required'],
    ['an empty route name', { routes: { '': { arms: [control] } } }, 'routes[""]', 'not a valid name'],
    ['a malformed price', { ...issueExample, prices: { models: { 'claude-haiku-4-5': { input: 1 } } } }, 'prices.models.claude-haiku-4-5.output', 'is required'],
    [
      'a price finer than a millionth of a dollar per million tokens',
      { ...issueExample, prices: { models: { 'claude-next': { input: 0.1234567, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 0.1 } } } },
      'prices.models.claude-next.input',
      'at most 6 decimal places',
    ],
    ['a non-boolean kill switch', withArms([control], { enabled: 'no' }), 'routes.orchestrator.enabled', 'must be a boolean'],
  ])('rejects %s with its path and a sentence', (_case, input, path, message) => {
    const result = parseRolloutValue(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual(expect.objectContaining({ path, message: expect.stringContaining(message) as string }));
  });

  it('accepts a dated snapshot id of a priced model, sends it as is and prices it as its base id (alias target too)', () => {
    const result = parseRolloutValue({ models: { pinned: 'claude-sonnet-4-6-20260101' }, ...withArms([{ ...canary(10), model: 'pinned' }, { ...control, model: 'claude-haiku-4-5-20251001' }]) });
    expect(result.ok ? result.config.routes['orchestrator']?.arms.map((a) => a.model) : result.problems).toEqual(['claude-sonnet-4-6-20260101', 'claude-haiku-4-5-20251001']);
    const unpriced = parseRolloutValue(withArms([canary(10), { ...control, model: 'claude-nope-4-5-20251001' }]));
    expect(unpriced.ok ? [] : unpriced.problems.map((p) => p.path)).toEqual(['routes.orchestrator.arms[1].model']);
  });

  it('lists every problem of a file, not only the first, across routes', () => {
    const result = parseRolloutValue({
      routes: {
        a: { arms: [canary(101), control], extra: true },
        b: { arms: [{ ...canary(10), model: 'nope' }, { ...control, name: 'canary' }] },
      },
    });
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['routes.a.arms[0].percent', 'routes.a.extra', 'routes.b.arms[0].model', 'routes.b.arms[1].name']),
    );
  });

  it('rejects a config that lacks a route the app declared', () => {
    const result = parseRolloutValue(issueExample, { declaredRoutes: ['orchestrator', 'verifier'] });
    expect(result.ok ? [] : result.problems).toEqual([{ path: 'routes', message: expect.stringContaining('route "verifier" is used by the app') as string }]);
  });

  it('never echoes a string value into a problem (a misplaced secret stays out of logs)', () => {
    const result = parseRolloutValue(withArms([canary('sk-ant-secret'), control]));
    expect(JSON.stringify(result)).not.toContain('sk-ant-secret');
  });
});

describe('parseRolloutText', () => {
  it.each([
    ['an empty file', '', '', 'the file is empty'],
    ['a whitespace-only file', ' \n\t\n', '', 'the file is empty'],
    ['a truncated file', '{\n  "routes": {\n    "a": { "arms": [', 'routes.a.arms[0]', 'line 3, column 21: the file ends early (truncated?)'],
    ['a missing comma', '{\n  "routes": {}\n  "models": {}\n}', '', 'line 3, column 3: unexpected "\\"": expected "," or "}"'],
    ['a trailing comma', '{ "routes": {}, }', '', 'trailing comma'],
    ['a bare word', '{ "routes": nope }', 'routes', 'line 1, column 13: unexpected "n": expected a value'],
    ['a duplicate key', '{ "routes": {}, "routes": {} }', 'routes', 'duplicate key "routes"'],
  ])('rejects %s with line and column', (_case, text, path, message) => {
    const result = parseRolloutText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual(expect.objectContaining({ path, message: expect.stringContaining(message) as string }));
  });

  it('reports the position of a syntax error as numbers too', () => {
    const result = parseRolloutText('{\n  "routes": ]\n}');
    expect(result.ok ? null : result.problems[0]).toMatchObject({ line: 2, column: 13 });
  });

  it('ignores a UTF-8 byte order mark', () => {
    expect(parseRolloutText(`\ufeff${JSON.stringify(issueExample)}`).ok).toBe(true);
  });
});
