import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '@model-canary/simulator';
import { createRouter } from '../create-router.js';
import { parseRolloutValue } from '../config/parse-rollout.js';
import { hashBucket } from '../assignment/hash-bucket.js';
import type { Router } from '../router.js';
import type { ShadowEvent, JudgementEvent } from './shadow-events.js';
import { createJudge, JUDGE_TOOL_NAME } from './judge.js';
import { CANARY_MODEL, CONTROL_MODEL, PARAMS, quietSimulator, sdk, until } from '../call/test-helpers/harness.js';

const SHADOW_MODEL = 'claude-opus-4-7';

function shadowRollout(shadow: Record<string, unknown> = {}) {
  return {
    routes: {
      orchestrator: {
        salt: 'orchestrator-sonnet-4-6',
        arms: [
          { name: 'canary', model: CANARY_MODEL, percent: 10 },
          { name: 'control', model: CONTROL_MODEL },
        ],
        shadow: { model: SHADOW_MODEL, percent: 100, budgetUsd: 100, maxInFlight: 4, ...shadow },
      },
    },
  };
}

/** A client whose requests are counted by model, with the number in flight at once per model. */
function countingClient(baseURL: string) {
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  const bodies: string[] = [];
  const client = sdk(baseURL, {
    fetch: async (url: string | URL | Request, init?: RequestInit) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      bodies.push(body);
      const model = body === '' ? '' : (JSON.parse(body) as { model: string }).model;
      inFlight.set(model, (inFlight.get(model) ?? 0) + 1);
      peak.set(model, Math.max(peak.get(model) ?? 0, inFlight.get(model) ?? 0));
      try {
        return await fetch(url, init);
      } finally {
        inFlight.set(model, (inFlight.get(model) ?? 0) - 1);
      }
    },
  });
  return { client, inFlight, peak, bodies };
}

let sim: Simulator | null = null;
let sim2: Simulator | null = null;
const routers: Router[] = [];
afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.close()));
  await sim?.close();
  await sim2?.close();
  sim = sim2 = null;
});

function open(client: Anthropic, shadow: Record<string, unknown> | null, extra: Record<string, unknown> = {}): { router: Router; shadows: ShadowEvent[]; judgements: JudgementEvent[] } {
  const config = shadow === null ? { routes: { orchestrator: { ...shadowRollout().routes.orchestrator, shadow: undefined } } } : shadowRollout(shadow);
  const router = createRouter({ config: JSON.parse(JSON.stringify(config)), client, ...extra });
  routers.push(router);
  const shadows: ShadowEvent[] = [];
  const judgements: JudgementEvent[] = [];
  router.on('shadow', (e) => shadows.push(e));
  router.on('judgement', (e) => judgements.push(e));
  return { router, shadows, judgements };
}

describe('shadow config', () => {
  it('is validated with paths, and resolves aliases and defaults', () => {
    const bad = parseRolloutValue(shadowRollout({ model: 'claude-opus-9', percent: 101, extra: 1 }));
    expect(bad.ok).toBe(false);
    const paths = bad.ok ? [] : bad.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['routes.orchestrator.shadow.model', 'routes.orchestrator.shadow.percent', 'routes.orchestrator.shadow.extra']));
    const good = parseRolloutValue({ ...shadowRollout({ model: 'judge', maxInFlight: undefined }), models: { judge: SHADOW_MODEL } });
    expect(good.ok && good.config.routes['orchestrator']?.shadow).toEqual({ model: SHADOW_MODEL, percent: 100, budgetUsd: 100, maxInFlight: 8, salt: 'shadow:orchestrator', timeoutMs: 60_000 });
  });

  it('samples units by their own salt: sticky, at the percent, independent of the arms split', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `booking-${i}`);
    const sampled = (k: string) => hashBucket('shadow:orchestrator', k) < 0.2;
    const canary = (k: string) => hashBucket('orchestrator-sonnet-4-6', k) < 0.5;
    const inCanary = keys.filter(canary);
    const inControl = keys.filter((k) => !canary(k));
    const rate = (ks: string[]) => ks.filter(sampled).length / ks.length;
    expect(rate(keys)).toBeGreaterThan(0.19);
    expect(rate(keys)).toBeLessThan(0.21);
    expect(Math.abs(rate(inCanary) - rate(inControl))).toBeLessThan(0.02);
  });
});

describe('shadow config reload', () => {
  it('follows a reload of the file, and the audit trail records the change', async () => {
    sim = await quietSimulator();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'canary-shadow-'));
    const file = path.join(dir, 'rollout.json');
    const auditFile = path.join(dir, 'audit.jsonl');
    const off = { routes: { orchestrator: { ...shadowRollout().routes.orchestrator, shadow: undefined } } };
    writeFileSync(file, JSON.stringify(off));
    const router = createRouter({ configFile: file, watch: false, auditFile, client: sdk(sim.url) });
    routers.push(router);
    const shadows: ShadowEvent[] = [];
    router.on('shadow', (e) => shadows.push(e));
    await router.messages.create(PARAMS, { route: 'orchestrator', key: 'b-1' });
    writeFileSync(file, JSON.stringify(shadowRollout({ budgetUsd: 3 })));
    const event = await router.reload();
    expect(event.shadowChanges).toEqual([{ route: 'orchestrator', from: null, to: expect.objectContaining({ model: SHADOW_MODEL, budgetUsd: 3 }) }]);
    await router.messages.create(PARAMS, { route: 'orchestrator', key: 'b-1' });
    await until(() => shadows.length === 1);
    expect(shadows[0]).toMatchObject({ outcome: 'success', budgetUsd: 3 });
    await router.close();
    expect(readFileSync(auditFile, 'utf8')).toContain('"shadowChanges":[{"route":"orchestrator","from":null');
  });
});

describe('shadow calls', () => {
  it('leave the served answer as it is with the shadow off', async () => {
    sim = await quietSimulator();
    sim2 = await quietSimulator();
    const on = open(sdk(sim.url), {});
    const off = open(sdk(sim2.url), null);
    for (let i = 0; i < 10; i++) {
      const opts = { route: 'orchestrator', key: `b-${i}` };
      const [a, b] = await Promise.all([on.router.messages.create(PARAMS, opts), off.router.messages.create(PARAMS, opts)]);
      expect(a.content).toEqual(b.content);
      expect(a.usage).toEqual(b.usage);
      expect(a.model).toBe(b.model);
    }
    await until(() => on.shadows.length === 10);
    expect(on.shadows.every((e) => e.outcome === 'success' && e.shadowModel === SHADOW_MODEL && e.costUsd > 0)).toBe(true);
    expect(off.shadows).toEqual([]);
  });

  it('never delay or fail the served call when the shadow model hangs, and stay within maxInFlight', async () => {
    sim = await quietSimulator({ faults: [{ model: SHADOW_MODEL, kind: 'timeout', rate: 1 }] });
    const { client, peak } = countingClient(sim.url);
    const { router, shadows } = open(client, { maxInFlight: 3 }, { shadowCloseMs: 50 });
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      const message = await router.messages.create(PARAMS, { route: 'orchestrator', key: `b-${i}` });
      expect(message.type).toBe('message');
      expect(performance.now() - t0).toBeLessThan(1000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(peak.get(SHADOW_MODEL)).toBe(3);
    expect(shadows.filter((e) => e.skipReason === 'max_in_flight').length).toBe(37);
    const t0 = performance.now();
    await router.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(shadows.filter((e) => e.outcome === 'error' || e.outcome === 'cancelled')).toHaveLength(3);
  });

  it('report a failing shadow model in shadow events only', async () => {
    sim = await quietSimulator({ faults: [{ model: SHADOW_MODEL, kind: 'server', rate: 1 }] });
    const { router, shadows } = open(sdk(sim.url), {});
    for (let i = 0; i < 5; i++) await router.messages.create(PARAMS, { route: 'orchestrator', key: `b-${i}` });
    await until(() => shadows.length === 5);
    expect(shadows.map((e) => [e.outcome, e.errorClass, e.costUsd])).toEqual(Array(5).fill(['error', 'server', 0]));
  });

  it('keep memory bounded with a shadow model 100x slower than the served one', async () => {
    sim = await quietSimulator({
      timeScale: 1,
      models: {
        [CONTROL_MODEL]: { ttftMs: { median: 2, p95: 3 }, outputTokensPerSecond: { median: 1e6, p95: 2e6 } },
        [CANARY_MODEL]: { ttftMs: { median: 2, p95: 3 }, outputTokensPerSecond: { median: 1e6, p95: 2e6 } },
        [SHADOW_MODEL]: { ttftMs: { median: 200, p95: 300 }, outputTokensPerSecond: { median: 1e6, p95: 2e6 } },
      },
    });
    const { client, peak } = countingClient(sim.url);
    const { router, shadows } = open(client, { maxInFlight: 4 });
    const served: number[] = [];
    for (let i = 0; i < 150; i++) {
      const t0 = performance.now();
      await router.messages.create({ ...PARAMS, max_tokens: 64 }, { route: 'orchestrator', key: `b-${i}` });
      served.push(performance.now() - t0);
    }
    expect(peak.get(SHADOW_MODEL)).toBeLessThanOrEqual(4);
    served.sort((a, b) => a - b);
    expect(served[Math.floor(served.length / 2)]).toBeLessThan(100);
    await router.close();
    const mirrored = shadows.filter((e) => e.outcome === 'success').length;
    expect(mirrored).toBeGreaterThan(0);
    expect(shadows).toHaveLength(150);
    expect(shadows.filter((e) => e.outcome === 'skipped').every((e) => e.skipReason === 'max_in_flight' || e.skipReason === 'closed')).toBe(true);
  });

  it('never spend more than budgetUsd plus one call', async () => {
    sim = await quietSimulator();
    const { router, shadows } = open(sdk(sim.url), { budgetUsd: 0.05, maxInFlight: 8 });
    await Promise.all(Array.from({ length: 80 }, (_, i) => router.messages.create({ ...PARAMS, max_tokens: 256 }, { route: 'orchestrator', key: `b-${i}` })));
    await until(() => shadows.length === 80);
    await router.close();
    const costs = shadows.map((e) => e.costUsd);
    const spent = costs.reduce((a, b) => a + b, 0);
    expect(shadows.filter((e) => e.skipReason === 'budget').length).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(0.05 + Math.max(...costs));
    expect(spent).toBeGreaterThan(0.02);
  });

  it('are skipped and counted when opted out or streamed; keyless calls are not sampled', async () => {
    sim = await quietSimulator();
    const { router, shadows } = open(sdk(sim.url), {});
    await router.messages.create(PARAMS, { route: 'orchestrator', key: 'b-1', shadow: false });
    await router.messages.stream(PARAMS, { route: 'orchestrator', key: 'b-2' }).finalMessage();
    await router.messages.create(PARAMS, { route: 'orchestrator' });
    await until(() => shadows.length === 2);
    expect(shadows.map((e) => e.skipReason)).toEqual(['opted_out', 'streamed']);
  });

  it('are cancelled with the call\'s own signal', async () => {
    sim = await quietSimulator({ faults: [{ model: SHADOW_MODEL, kind: 'timeout', rate: 1 }] });
    const { router, shadows } = open(sdk(sim.url), {});
    const controller = new AbortController();
    await router.messages.create(PARAMS, { route: 'orchestrator', key: 'b-1', signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await until(() => shadows.length === 1);
    expect(shadows[0]?.outcome).toBe('cancelled');
  });
});

describe('judge', () => {
  it('judges blind, in both orders, through the forced tool, and records its cost', async () => {
    sim = await quietSimulator();
    const { client, bodies } = countingClient(sim.url);
    const judge = createJudge({ client, rubric: 'The better plan covers every requested service.' });
    const { router, judgements } = open(client, {}, { judge });
    for (let i = 0; i < 6; i++) await router.messages.create(PARAMS, { route: 'orchestrator', key: `b-${i}` });
    await until(() => judgements.length === 6);
    for (const j of judgements) {
      expect(j.judgeModel).toBe('claude-opus-4-7');
      expect(j.orders).toHaveLength(2);
      const [first, second] = j.orders;
      expect(j.verdict).toBe(first === second ? first : 'tie');
      expect(j.costUsd).toBeGreaterThan(0);
    }
    const judgeBodies = bodies.map((b) => JSON.parse(b) as { tool_choice?: { name?: string }; messages: { content: string }[] }).filter((b) => b.tool_choice?.name === JUDGE_TOOL_NAME);
    expect(judgeBodies).toHaveLength(12);
    for (const b of judgeBodies) {
      const text = b.messages[0]?.content ?? '';
      expect(text).toContain('<answer_A>');
      expect(text).not.toMatch(/claude|haiku|sonnet|opus/i);
    }
  });

  it('counts a render function that throws as a judge error, never as a router error', async () => {
    sim = await quietSimulator();
    const client = sdk(sim.url);
    const judge = createJudge({ client, rubric: 'r', render: { answer: () => { throw new Error('bad render'); } } });
    const { router, judgements } = open(client, {}, { judge });
    const errors: unknown[] = [];
    router.on('error', (e) => errors.push(e));
    await router.messages.create(PARAMS, { route: 'orchestrator', key: 'b-1' });
    await until(() => judgements.length === 1);
    expect(judgements[0]).toMatchObject({ verdict: 'judge_error', errorClass: 'other' });
    expect(errors).toEqual([]);
  });

  it('finds the better shadow model better, on the simulator\'s known ground truth (Opus shadow of Haiku plans)', async () => {
    sim = await quietSimulator();
    const client = sdk(sim.url);
    const judge = createJudge({ client, rubric: 'The better plan covers every requested service.' });
    const { router, judgements } = open(client, { maxInFlight: 64 }, { judge });
    const plan = { ...PARAMS, tools: [{ name: 'plan', input_schema: { type: 'object' as const, properties: { subtasks: { type: 'array', items: { type: 'string' } } }, required: ['subtasks'] } }], tool_choice: { type: 'any' as const } };
    await Promise.all(Array.from({ length: 60 }, (_, i) => router.messages.create(plan, { route: 'orchestrator', key: `b-${i}`, forceArm: 'control' })));
    await until(() => judgements.length === 60);
    const count = (v: string) => judgements.filter((j) => j.verdict === v).length;
    expect(count('judge_error')).toBe(0);
    expect(count('candidate_better')).toBeGreaterThan(2 * count('served_better'));
  });
});
