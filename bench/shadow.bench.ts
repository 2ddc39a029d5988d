// Issue 16: does a shadow slow the served call? Served-call latency with the shadow on and off, measured in one run
// against the simulator: two simulator children with the same seed and realistic latencies (timeScale 0.05), one
// per side, so both sides' served calls draw the same simulated latencies (the simulator draws per model and body:
// the shadow's calls, on another model, do not move the served ones). The "on" router mirrors every call on Sonnet
// 4.6 and has Opus 4.7 judge each pair (two judge calls); the sides alternate call by call. Goal: p99 on / off <= 1.01.
import Anthropic from '@anthropic-ai/sdk';
import { createCanaryMetrics } from '@model-canary/metrics';
import { createJudge, createRouter, type Router } from '@model-canary/router';
import { Registry } from 'prom-client';
import { median, quantile } from './support/rounds.js';
import { startSimulatorChild } from './support/simulator-child.js';

const TIME_SCALE = 0.05;
const CALLS = 600;
const ROUTE = {
  salt: 'orchestrator-sonnet-4-6',
  arms: [
    { name: 'canary', model: 'claude-sonnet-4-6', percent: 0 },
    { name: 'control', model: 'claude-haiku-4-5' },
  ],
};
const SHADOW = { model: 'claude-sonnet-4-6', percent: 100, budgetUsd: 1000, maxInFlight: 8 };

function router(url: string, shadow: boolean): { router: Router; events: { shadows: number; judgements: number } } {
  const client = new Anthropic({ apiKey: 'bench', baseURL: url, maxRetries: 0 });
  const r = createRouter({
    config: { routes: { orchestrator: shadow ? { ...ROUTE, shadow: SHADOW } : ROUTE } },
    client,
    ...(shadow ? { judge: createJudge({ client, rubric: 'The better plan covers every requested service.' }) } : {}),
  });
  createCanaryMetrics({ registry: new Registry() }).attach(r);
  const events = { shadows: 0, judgements: 0 };
  r.on('shadow', (e) => (events.shadows += e.outcome === 'success' ? 1 : 0));
  r.on('judgement', () => events.judgements++);
  return { router: r, events };
}

export async function run(): Promise<void> {
  const [simOn, simOff] = await Promise.all([startSimulatorChild(TIME_SCALE), startSimulatorChild(TIME_SCALE)]);
  const on = router(simOn.url, true);
  const off = router(simOff.url, false);
  const latency = { on: [] as number[], off: [] as number[] };
  try {
    const call = async (side: 'on' | 'off', i: number): Promise<void> => {
      const r = side === 'on' ? on.router : off.router;
      const t0 = performance.now();
      await r.messages.create({ max_tokens: 256, messages: [{ role: 'user', content: `Book a table for two in Lyon, booking ${i}.` }] }, { route: 'orchestrator', key: `booking-${i}` });
      latency[side].push(performance.now() - t0);
    };
    for (let i = 0; i < 20; i++) await Promise.all([call('on', -1 - i), call('off', -1 - i)]); // warm-up, both sides
    latency.on.length = 0;
    latency.off.length = 0;
    // Alternating order, one call at a time per side, both sides in flight together (the same load on the process).
    for (let i = 0; i < CALLS; i++) await (i % 2 === 0 ? Promise.all([call('on', i), call('off', i)]) : Promise.all([call('off', i), call('on', i)]));
  } finally {
    await on.router.close();
    await off.router.close();
    simOn.child.kill();
    simOff.child.kill();
  }
  const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;
  const p99 = { on: quantile(latency.on, 0.99), off: quantile(latency.off, 0.99) };
  console.log(
    `served calls ${CALLS} per side (timeScale ${TIME_SCALE}); shadow on: ${on.events.shadows} shadow calls and ${on.events.judgements} judgements alongside\n` +
      `  p50 on ${fmt(median(latency.on))} / off ${fmt(median(latency.off))}; p99 on ${fmt(p99.on)} / off ${fmt(p99.off)}: ratio ${(p99.on / p99.off).toFixed(4)} (goal <= 1.01)`,
  );
}
