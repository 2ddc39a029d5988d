import Anthropic from '@anthropic-ai/sdk';
import { startSimulator, type Simulator } from '@model-canary/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanJudge } from './plan-judge.js';
import { PLAN_TOOL_NAME, planBookingTool } from './plan-tool.js';

describe('the plan judge', () => {
  let sim: Simulator;
  let client: Anthropic;
  const bodies: string[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ seed: 'plan-judge', timeScale: 0, baselineFaults: false });
    client = new Anthropic({
      apiKey: 'test',
      baseURL: sim.url,
      maxRetries: 0,
      fetch: (url: string | URL | Request, init?: RequestInit) => {
        if (typeof init?.body === 'string') bodies.push(init.body);
        return fetch(url, init);
      },
    });
  });
  afterAll(() => sim.close());

  it('judges plans blind and prefers the better model\'s plans on the simulator\'s ground truth', async () => {
    const judge = createPlanJudge(client);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      const request = { max_tokens: 1024, messages: [{ role: 'user' as const, content: `Flights Paris to Rome on 2026-05-0${(i % 9) + 1} for 2, and a hotel. (${i})` }], tools: [planBookingTool], tool_choice: { type: 'tool' as const, name: PLAN_TOOL_NAME } };
      const [served, candidate] = await Promise.all([
        client.messages.create({ ...request, model: 'claude-haiku-4-5' }),
        client.messages.create({ ...request, model: 'claude-opus-4-7' }),
      ]);
      const { verdict } = await judge.compare({ request, served, candidate });
      counts[verdict] = (counts[verdict] ?? 0) + 1;
    }
    expect(counts['judge_error'] ?? 0).toBe(0);
    expect(counts['candidate_better'] ?? 0).toBeGreaterThan(counts['served_better'] ?? 0);
    const judged = bodies.filter((b) => b.includes('record_verdict')).map((b) => JSON.parse(b) as { messages: { content: string }[] });
    expect(judged).toHaveLength(80);
    for (const b of judged) {
      const text = b.messages[0]?.content ?? '';
      expect(text).toContain('[plan] {');
      expect(text).toContain('Flights Paris to Rome');
      expect(text).not.toMatch(/haiku|opus|sonnet|claude/i);
    }
  });
});
