// Metrics cost. (1) Recording one full call observation (decision, call start, attempt, call with latency histogram,
// tokens by type and cost) through createCanaryMetrics, as a ratio to plain typed-array arithmetic doing the same
// bookkeeping with precomputed indices (the floor any metrics library sits on). (2) registry.metrics() for
// 3 routes x 3 arms with every outcome populated: goal median <= 3 ms. (3) The router + metrics overhead per call
// as a fraction of a bare SDK call against the simulator: goal <= 1%.
import Anthropic from '@anthropic-ai/sdk';
import { createRouter } from '@model-canary/router';
import { Registry } from 'prom-client';
import { DEFAULT_DURATION_BUCKETS, createCanaryMetrics, type CanaryMetricsSource, type SourceEventMap } from '@model-canary/metrics';
import { cannedFetch } from './support/canned-fetch.js';
import { interleavedSides, median, pairedMedian, quantile } from './support/rounds.js';
import { startSimulatorChild } from './support/simulator-child.js';

const N = 200_000;
const ROUNDS = 7;
const ROUTES = ['orchestrator', 'specialist', 'verifier'];
const ARMS = [
  { name: 'canary', model: 'claude-sonnet-4-6', percent: 10 },
  { name: 'shadow', model: 'claude-opus-4-7', percent: 5 },
  { name: 'control', model: 'claude-haiku-4-5', percent: null },
];
const CONFIG = { routes: Object.fromEntries(ROUTES.map((route) => [route, { enabled: true, fallback: true, arms: ARMS }])) };
const OUTCOMES = ['success', 'error', 'fallback', 'cancelled'] as const;
const TOKENS = { input: 1200, output: 300, cache_read: 800, cache_write_5m: 0, cache_write_1h: 0 };

type Handlers = { [E in keyof SourceEventMap]?: (e: SourceEventMap[E]) => void };

function attachTo(registry: Registry): Handlers {
  const handlers: Handlers = {};
  const source: CanaryMetricsSource = {
    snapshot: () => ({ version: 1, config: CONFIG, lastReload: null }),
    on(event, fn) {
      (handlers as Record<string, unknown>)[event] = fn;
      return () => undefined;
    },
  };
  createCanaryMetrics({ registry }).attach(source);
  return handlers;
}

/**
 * Wall time and this process's CPU time (getrusage), in ns. The machine is shared: under load the wall time
 * includes waiting for a core, the CPU time does not.
 */
async function measure(fn: () => void | Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) * 1000 };
}

function recordWithMetrics(h: Handlers, i: number): void {
  const route = ROUTES[i % 3] ?? 'orchestrator';
  const arm = ARMS[i % 3] ?? ARMS[0]!;
  const callId = `c${i}`;
  h.decision?.({ route, arm: arm.name, reason: 'split' });
  h.callStart?.({ callId, route, arm: arm.name });
  h.attempt?.({ route, arm: arm.name, model: arm.model, origin: 'primary', errorClass: null });
  h.call?.({
    callId,
    route,
    arm: arm.name,
    model: arm.model,
    durationMs: 100 + (i % 5000),
    tokens: TOKENS,
    costUsd: 0.0071,
    outcome: 'success',
    errorClass: null,
  });
}

/** The same bookkeeping on typed arrays: counters, in-flight, a 15-bucket histogram, 5 token counters, cost. */
function createBaseline() {
  const series = ROUTES.length * ARMS.length;
  const bucketCount = DEFAULT_DURATION_BUCKETS.length + 1;
  const counters = new Float64Array(series * 4);
  const buckets = new Float64Array(series * bucketCount);
  const sums = new Float64Array(series * 2);
  const tokens = new Float64Array(series * 5);
  const bounds = Float64Array.from(DEFAULT_DURATION_BUCKETS);
  return (i: number) => {
    const s = (i % 3) * ARMS.length + (i % 3);
    counters[s * 4]! += 1; // decision
    counters[s * 4 + 1]! += 1; // in flight +1
    counters[s * 4 + 2]! += 1; // attempt
    counters[s * 4 + 1]! -= 1; // in flight -1
    counters[s * 4 + 3]! += 1; // request
    const seconds = (100 + (i % 5000)) / 1000;
    let b = 0;
    while (b < bounds.length && seconds > bounds[b]!) b += 1;
    buckets[s * bucketCount + b]! += 1;
    sums[s * 2]! += seconds;
    sums[s * 2 + 1]! += 0.0071;
    tokens[s * 5]! += TOKENS.input;
    tokens[s * 5 + 1]! += TOKENS.output;
    tokens[s * 5 + 2]! += TOKENS.cache_read;
  };
}

// (3) Router + metrics overhead per call: the same request through the bare SDK client, through the router (its
// events observed by no-op listeners) and through the router with these metrics attached, on an instant fetch,
// in rotating rounds (CPU time per call); then as a fraction of a bare SDK call against the simulator (in a child
// process, so only the client's side is measured here).
async function callOverhead(): Promise<void> {
  const config = { routes: { orchestrator: { arms: [{ name: 'canary', model: 'claude-sonnet-4-6', percent: 10 }, { name: 'control', model: 'claude-haiku-4-5' }] } } };
  const params = { max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Book a table for two.' }] };
  const bareParams = { ...params, model: 'claude-haiku-4-5' };

  const instant = new Anthropic({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:9', maxRetries: 0, fetch: cannedFetch });
  const router = createRouter({ config, client: instant, seed: 'bench' });
  for (const name of ['decision', 'callStart', 'attempt', 'call', 'unit'] as const) router.on(name, () => {});
  const measured = createRouter({ config, client: instant, seed: 'bench' });
  createCanaryMetrics({ registry: new Registry() }).attach(measured);
  const sides = {
    bare: () => instant.messages.create(bareParams),
    router: (i: number) => router.messages.create(params, { route: 'orchestrator', key: `b${i}` }),
    metrics: (i: number) => measured.messages.create(params, { route: 'orchestrator', key: `b${i}` }),
  };
  await interleavedSides(3, 1000, sides); // warm-up
  const m = await interleavedSides(120, 300, sides);
  await router.close();
  await measured.close();
  const routerUs = pairedMedian(m.bare, m.router);
  const metricsUs = pairedMedian(m.router, m.metrics);
  const totalUs = pairedMedian(m.bare, m.metrics);
  const p5Total = quantile(m.metrics, 0.05) - quantile(m.bare, 0.05);

  const { url, child } = await startSimulatorChild();
  try {
    const client = new Anthropic({ apiKey: 'sk-bench', baseURL: url, maxRetries: 0 });
    const walls: number[] = [];
    for (let i = 0; i < 600; i += 1) {
      const start = performance.now();
      await client.messages.create(bareParams);
      if (i >= 100) walls.push((performance.now() - start) * 1000);
    }
    const bareWall = median(walls);
    const pct = (us: number) => ((100 * us) / bareWall).toFixed(2);
    console.log(
      `router + metrics overhead per call (median of ${m.bare.length} paired rounds, CPU): ${totalUs.toFixed(1)} us ` +
        `(router ${routerUs.toFixed(1)} us, metrics ${metricsUs.toFixed(1)} us; 5th percentiles: ${p5Total.toFixed(1)} us) over a bare SDK call on ` +
        `an instant fetch (${median(m.bare).toFixed(0)} us); bare SDK call against the simulator: ${bareWall.toFixed(0)} us wall (median of 500); ` +
        `overhead ${pct(totalUs)}% of it, ${pct(p5Total)}% by 5th percentiles (goal <= 1%)`,
    );
  } finally {
    child.kill();
  }
}

export async function run(): Promise<void> {
  const handlers = attachTo(new Registry());
  const baseline = createBaseline();
  const metricsRuns: Array<{ wall: number; cpu: number }> = [];
  const baselineRuns: Array<{ wall: number; cpu: number }> = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    metricsRuns.push(await measure(() => {
      for (let i = 0; i < N; i += 1) recordWithMetrics(handlers, i);
    }));
    baselineRuns.push(await measure(() => {
      for (let i = 0; i < N; i += 1) baseline(i);
    }));
  }
  const per = (runs: Array<{ wall: number; cpu: number }>, key: 'wall' | 'cpu') => median(runs.slice(1).map((r) => r[key] / N));
  const mCpu = per(metricsRuns, 'cpu');
  const bCpu = per(baselineRuns, 'cpu');
  console.log(
    `record one call observation (decision, start, attempt, call: latency histogram, 3 token types, cost, counters): ` +
      `${(mCpu / 1000).toFixed(2)} us CPU (${(per(metricsRuns, 'wall') / 1000).toFixed(2)} us wall) with prom-client, ` +
      `${bCpu.toFixed(0)} ns CPU with typed arrays: ratio ${(mCpu / bCpu).toFixed(0)}x`,
  );

  // Scrape: every series of 3 routes x 3 arms populated with every outcome the router can emit (a `fallback`
  // outcome exists only on canary arms: a control call that fails is an `error`).
  const registry = new Registry();
  const h = attachTo(registry);
  for (let i = 0; i < 9 * 4 * 20; i += 1) {
    const route = ROUTES[i % 3]!;
    const arm = ARMS[Math.floor(i / 3) % 3]!;
    const drawn = OUTCOMES[Math.floor(i / 9) % 4]!;
    const outcome = drawn === 'fallback' && arm.percent === null ? 'error' : drawn;
    const errorClass = outcome === 'success' || outcome === 'cancelled' ? null : 'overloaded';
    h.call?.({ callId: `s${i}`, route, arm: arm.name, model: arm.model, durationMs: 50 * (i % 40), ttftMs: 20 * (i % 30), tokens: TOKENS, costUsd: 0.004, outcome, errorClass });
    h.unit?.({ outcome: i % 4 === 0 ? 'failure' : 'success', durationMs: 2000, costUsd: 0.01, routes: [{ route, arm: arm.name, mixedArms: false }] });
  }
  const text = await registry.metrics();
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  // prom-client's own part: the same registry loop over these samples precomputed (each metric's public `get()`
  // read once), interleaved with the real scrape.
  const floor = new Registry();
  for (const { name } of registry.getMetricsAsArray()) {
    const data = await registry.getSingleMetric(name)!.get();
    floor.registerMetric({ name: data.name, get: async () => data, reset() {} } as unknown as Parameters<Registry['registerMetric']>[0]);
  }
  const scrapes: Array<{ wall: number; cpu: number }> = [];
  const floorScrapes: Array<{ wall: number; cpu: number }> = [];
  for (let i = 0; i < 400; i += 1) {
    scrapes.push(await measure(async () => {
      await registry.metrics();
    }));
    floorScrapes.push(await measure(async () => {
      await floor.metrics();
    }));
  }
  const ms = (runs: Array<{ wall: number; cpu: number }>, k: 'wall' | 'cpu') => median(runs.slice(40).map((r) => r[k])) / 1e6;
  const cpu = ms(scrapes, 'cpu');
  console.log(
    `scrape 3 routes x 3 arms x all outcomes (${lines} samples, ${(text.length / 1024).toFixed(0)} KiB): ` +
      `median ${cpu.toFixed(2)} ms CPU, ${ms(scrapes, 'wall').toFixed(2)} ms wall (goal <= 3 ms: ${cpu <= 3 ? 'met' : 'NOT met'}); ` +
      `prom-client's registry alone on the same samples precomputed: ${ms(floorScrapes, 'cpu').toFixed(2)} ms CPU (ratio ${(cpu / ms(floorScrapes, 'cpu')).toFixed(2)})`,
  );

  await callOverhead();
}
