import { readFileSync } from 'node:fs';
import { rampCanaryArm, stepPercent } from '@model-canary/controller';
import { parseRolloutText } from '@model-canary/router';
import { describe, expect, it } from 'vitest';
import { ROUTES } from './booking/orchestrate.js';
import { DEFAULT_ROLLOUT_FILE } from './settings.js';

describe('the shipped rollout.json', () => {
  const parsed = parseRolloutText(readFileSync(DEFAULT_ROLLOUT_FILE, 'utf8'), { declaredRoutes: Object.values(ROUTES) });

  it('is valid for both routes the service uses', () => {
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  });

  it('ramps the orchestrator canary from its current percent, which is one of the ramp steps', () => {
    if (!parsed.ok) throw new Error('invalid rollout.json');
    const route = parsed.config.routes[ROUTES.orchestrator];
    const ramp = route?.ramp;
    if (route === undefined || ramp === undefined) throw new Error('no ramp on the orchestrator route');
    const canary = route.arms.find((arm) => arm.name === rampCanaryArm(ramp, route.arms));
    expect(canary).toMatchObject({ name: 'canary', model: 'claude-sonnet-4-6', percent: 10 });
    expect(ramp.steps.map(stepPercent)).toContain(canary?.percent);
    expect(ramp.steps.map(stepPercent).at(-1)).toBe(100);
  });
});
