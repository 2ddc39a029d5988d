import { readFile } from 'node:fs/promises';
import { createRouteReader, decideRamp, toRampPlan, type PrometheusClient, type RampDecision } from '@model-canary/controller';
import { parseRolloutText } from '@model-canary/router';

/**
 * What the controller would decide for `route` if it looked now: the same read and the same pure
 * `decideRamp`, on the step clock its last audit line recorded. Lets a test wait until an advance
 * is due without letting the controller take it.
 */
export async function peekDecision({ prometheus, configFile, auditFile, route }: { prometheus: PrometheusClient; configFile: string; auditFile: string; route: string }): Promise<RampDecision> {
  const parsed = parseRolloutText(await readFile(configFile, 'utf8'));
  if (!parsed.ok) throw new Error(`rollout file ${configFile} is invalid`);
  const routeConfig = parsed.config.routes[route];
  if (routeConfig === undefined) throw new Error(`no route ${route}`);
  const plan = toRampPlan(route, routeConfig);
  const lines = (await readFile(auditFile, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const last = lines.map((l) => JSON.parse(l) as { route?: string; percent?: number; stepStartedAt?: number; rampStartedAt?: number }).filter((r) => r.route === route).at(-1);
  if (last?.percent === undefined || last.stepStartedAt === undefined || last.rampStartedAt === undefined) throw new Error('the controller has not looked at the route yet');
  const now = Date.now();
  // A fresh reader takes its baselines from Prometheus at the ramp's and the step's start, as a restarted controller does.
  const reader = createRouteReader(prometheus, { route, canaryArm: plan.canaryArm, controlArm: plan.controlArm });
  const aggregates = await reader.read({ rampStartedAt: last.rampStartedAt, stepStartedAt: last.stepStartedAt, percent: last.percent, now });
  return decideRamp({ state: { percent: last.percent, stepStartedAt: last.stepStartedAt, enabled: routeConfig.enabled }, aggregates, plan, now });
}
