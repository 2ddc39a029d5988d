import { describe, expect, it } from 'vitest';
import { parseRolloutValue } from './parse-rollout.js';

const route = (ramp: unknown, extra: Record<string, unknown> = {}): unknown => ({
  routes: {
    orchestrator: {
      maxPercent: 50,
      arms: [
        { name: 'canary', model: 'claude-sonnet-4-6', percent: 5 },
        { name: 'control', model: 'claude-haiku-4-5' },
      ],
      ramp,
      ...extra,
    },
  },
});

const GOOD = { steps: [5, 10, { percent: 25, minBookingsPerArm: 500 }, 50], budgetUsd: 20 };

describe('ramp section of a route', () => {
  it('accepts a ramp and applies its defaults', () => {
    const result = parseRolloutValue(route(GOOD));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.routes['orchestrator']?.ramp).toEqual({
      steps: [5, 10, { percent: 25, minBookingsPerArm: 500 }, 50],
      budgetUsd: 20,
      minBookingsPerArm: 200,
      minDurationMinutes: 10,
      alpha: 0.05,
      guardrails: { bookingSuccess: { margin: 0.02 }, behaviourErrors: { margin: 0.01 }, latencyP95Ratio: { max: 3 }, costPerSuccessRatio: { max: 3.5 } },
      proveBefore: 50,
    });
  });

  it('a route without a ramp has none', () => {
    const result = parseRolloutValue(route(undefined));
    expect(result.ok && result.config.routes['orchestrator']?.ramp).toBe(undefined);
  });

  it.each([
    ['steps not increasing', { ...GOOD, steps: [5, 10, 10] }, 'routes.orchestrator.ramp.steps[2]', 'strictly increasing'],
    ['a step above 100', { ...GOOD, steps: [5, 101] }, 'routes.orchestrator.ramp.steps[1]', '100'],
    ['a step above the route cap', { ...GOOD, steps: [5, 60] }, 'routes.orchestrator.ramp.steps[1]', 'maxPercent 50'],
    ['an unknown key', { ...GOOD, stepz: [1] }, 'routes.orchestrator.ramp.stepz', 'unknown key'],
    ['an unknown guardrail', { ...GOOD, guardrails: { p99: { max: 2 } } }, 'routes.orchestrator.ramp.guardrails.p99', 'unknown key'],
    ['a margin out of range', { ...GOOD, guardrails: { bookingSuccess: { margin: 0.7 } } }, 'routes.orchestrator.ramp.guardrails.bookingSuccess.margin', '0.5'],
    ['a ratio cap below 1', { ...GOOD, guardrails: { costPerSuccessRatio: { max: 0.5 } } }, 'routes.orchestrator.ramp.guardrails.costPerSuccessRatio.max', '1'],
    ['alpha out of range', { ...GOOD, alpha: 0.9 }, 'routes.orchestrator.ramp.alpha', '0.5'],
    ['alpha too small for its SRM steps', { ...GOOD, alpha: 0.003 }, 'routes.orchestrator.ramp.alpha', 'SRM'],
    ['no budget', { steps: [5, 10] }, 'routes.orchestrator.ramp.budgetUsd', ''],
    ['an unknown canary arm', { ...GOOD, canaryArm: 'canary2' }, 'routes.orchestrator.ramp.canaryArm', 'not an arm'],
    ['the default arm as canary', { ...GOOD, canaryArm: 'control' }, 'routes.orchestrator.ramp.canaryArm', 'default arm'],
  ])('rejects %s, naming the path', (_label, ramp, path, text) => {
    const result = parseRolloutValue(route(ramp));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((p) => p.path === path);
    expect(problem, JSON.stringify(result.problems)).toBeDefined();
    expect(problem?.message).toContain(text);
  });
});
