// The router's call path against the bare SDK, same run, interleaved batches:
// 1. client CPU per call (process.cpuUsage) against the simulator in a child process (timeScale 0);
//    goal: the router adds <= 0.5%;
// 2. the router's own cost with a stub transport (a fetch returning a canned Response): goal <= 2 us per call;
//    a third side, the SDK given router-like request options (a withOptions clone, a pass-through fetch, a
//    symbol in per-request fetchOptions) with no router code, shows how much of it the SDK itself would pay;
// 3. heap after GC with many distinct keys vs few (goal: no growth with key count);
// 4. added latency per call over the bare SDK: the router in process vs the Portkey gateway (weighted split,
//    loopback, pointed at the same simulator); goal: the router's is <= 1/50 of the gateway's.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Anthropic from '@anthropic-ai/sdk';
import { createRouter, type Router } from '@model-canary/router';
import { cannedFetch } from './support/canned-fetch.js';
import { interleavedSides, median, pairedMedian, quantile } from './support/rounds.js';
import { startSimulatorChild } from './support/simulator-child.js';

const CONFIG = {
  routes: {
    orchestrator: {
      salt: 'orchestrator-sonnet-4-6',
      arms: [
        { name: 'canary', model: 'claude-sonnet-4-6', percent: 10 },
        { name: 'control', model: 'claude-haiku-4-5' },
      ],
    },
  },
};
const PARAMS = { max_tokens: 64, messages: [{ role: 'user' as const, content: 'Book a table for two in Lyon.' }] };
const BARE_PARAMS = { ...PARAMS, model: 'claude-haiku-4-5' };

const fmt = (n: number, digits = 2): string => n.toFixed(digits);

/** Observers like the metrics package's: every call-path event is built and delivered. */
function observe(router: Router): void {
  for (const name of ['decision', 'callStart', 'attempt', 'call'] as const) router.on(name, () => {});
}

/**
 * Prints both sides and the router's added cost, two ways: the median of paired-round differences, and the
 * difference of each side's fastest round (contention from other processes only ever adds time, so the fastest
 * rounds are the least disturbed). Returns the paired median, the figure the least swayed by one lucky round.
 */
function report(label: string, m: { bare: number[]; routed: number[] }, goal: string): number {
  const bare = median(m.bare);
  const diffs = m.routed.map((r, i) => r - (m.bare[i] as number));
  const paired = median(diffs);
  const bareMin = Math.min(...m.bare);
  const byMin = Math.min(...m.routed) - bareMin;
  console.log(
    `${label}: bare SDK ${fmt(bare)} us/call (fastest round ${fmt(bareMin)}), router ${fmt(median(m.routed))} (fastest ${fmt(Math.min(...m.routed))}); ` +
      `added ${fmt(byMin)} us/call fastest-vs-fastest = ${fmt((byMin / bareMin) * 100, 2)}%, ` +
      `${fmt(paired)} us median of ${diffs.length} paired rounds (IQR ${fmt(quantile(diffs, 0.25))}..${fmt(quantile(diffs, 0.75))}) ` +
      `= ${fmt((paired / bare) * 100, 2)}% (${goal})`,
  );
  return paired;
}

// --- 2. stub transport -----------------------------------------------------------------------------------
/**
 * What the SDK itself costs when handed request options like the router's, with no router code at all: a clone
 * (`withOptions`, timeout left unset as the router's) whose `fetch` passes straight to the same stub, and
 * per-request `fetchOptions` carrying a symbol-keyed object. The router over this side is its own code
 * (decision, tracker, the observing fetch's reaction, the call-end reaction, events); over bare, the whole cost.
 */
function sdkWithRouterLikeOptions(client: Anthropic): () => Promise<unknown> {
  const slot = Symbol('bench.slot');
  const passThrough = (_input: string | URL | Request, _init?: RequestInit): Promise<Response> => cannedFetch();
  const clone = client.withOptions({ fetch: passThrough, timeout: undefined });
  const carried = { id: 0 };
  type FetchOptions = NonNullable<NonNullable<Parameters<Anthropic['messages']['create']>[1]>['fetchOptions']>;
  return () => clone.messages.create(BARE_PARAMS, { fetchOptions: { [slot]: carried } as unknown as FetchOptions });
}

async function stubTransport(): Promise<number> {
  const client = new Anthropic({ apiKey: 'bench', baseURL: 'http://127.0.0.1:9', fetch: cannedFetch, maxRetries: 0 });
  const router = createRouter({ config: CONFIG, client });
  observe(router);
  const sides = {
    bare: () => client.messages.create(BARE_PARAMS),
    sdkOptions: sdkWithRouterLikeOptions(client),
    router: (i: number) => router.messages.create(PARAMS, { route: 'orchestrator', key: `booking-${i}` }),
  };
  await interleavedSides(4, 2000, sides); // warm-up
  const m = await interleavedSides(160, 300, sides);
  const added = report('stub transport', { bare: m.bare, routed: m.router }, 'goal <= 2 us added');
  // Which side pays: the SDK handed router-like options (no router code), and the router over that side.
  // Contention from other processes only adds time: the 5th percentile of each side's rounds is a steadier figure.
  const signed = (x: number): string => `${x >= 0 ? '+' : ''}${fmt(x)}`;
  const p5 = { bare: quantile(m.bare, 0.05), sdk: quantile(m.sdkOptions, 0.05), router: quantile(m.router, 0.05) };
  console.log(
    `  split: SDK with router-like request options (withOptions clone, pass-through fetch, symbol in fetchOptions; no router code) ` +
      `${signed(pairedMedian(m.bare, m.sdkOptions))} us/call over bare (paired median), router ${signed(pairedMedian(m.sdkOptions, m.router))} over that side`,
  );
  console.log(
    `  5th percentile of ${m.bare.length} rounds: bare ${fmt(p5.bare)}, SDK with router-like options ${fmt(p5.sdk)} (${signed(p5.sdk - p5.bare)}), ` +
      `router ${fmt(p5.router)} (${signed(p5.router - p5.bare)} over bare = ${fmt(((p5.router - p5.bare) / p5.bare) * 100)}%, ` +
      `${signed(p5.router - p5.sdk)} over the SDK side) us/call`,
  );
  await router.close();
  return added;
}

// --- 3. memory ---------------------------------------------------------------------------------------------
function collector(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function memory(): Promise<void> {
  const gc = collector();
  const heap = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const client = new Anthropic({ apiKey: 'bench', baseURL: 'http://127.0.0.1:9', fetch: cannedFetch, maxRetries: 0 });
  const router = createRouter({ config: CONFIG, client });
  observe(router);
  let key = 0;
  const calls = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await router.messages.create(PARAMS, { route: 'orchestrator', key: `booking-${key++}` });
  };
  const decides = (n: number): void => {
    for (let i = 0; i < n; i++) router.decide({ route: 'orchestrator', key: `booking-${key++}` });
  };
  await calls(10_000);
  const units = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const unit = router.unit(`unit-${key++}`);
      await unit.messages.create(PARAMS, { route: 'orchestrator' });
      unit.end({ outcome: 'success' });
    }
  };
  await units(10_000);
  const small = heap();
  await calls(100_000);
  await units(100_000);
  decides(1_000_000);
  const large = heap();
  console.log(
    `memory: heapUsed after 20k keys ${fmt(small / 2 ** 20, 1)} MiB, after 1.22M more keys (100k calls, 100k units, 1M decisions) ` +
      `${fmt(large / 2 ** 20, 1)} MiB: ${fmt((large - small) / 1024, 0)} KiB growth = ${fmt((large - small) / 1_220_000, 3)} bytes/key (goal: ~0)`,
  );
  await router.close();
}

// --- children: the simulator and the Portkey gateway -----------------------------------------------------
// The gateway's CLI binds every interface and takes no host option: this preload pins its listen to loopback.
const LOOPBACK_ONLY = `data:text/javascript,${encodeURIComponent(`
import net from 'node:net';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args[1] === undefined || typeof args[1] === 'function')) args.splice(1, args[1] === undefined ? 1 : 0, '127.0.0.1');
  return listen.apply(this, args);
};`)}`;

async function startPortkey(): Promise<{ url: string; child: ChildProcess }> {
  const entry = createRequire(import.meta.url).resolve('@portkey-ai/gateway/package.json').replace(/package\.json$/, 'build/start-server.js');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, ['--import', LOOPBACK_ONLY, entry, `--port=${port}`, '--headless'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 20_000;
  while (!output.includes('Ready for connections')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Portkey gateway did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${port}`, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

// --- 1 and 4: against the simulator ------------------------------------------------------------------
async function againstSimulator(routerCpuUs: number): Promise<void> {
  const sim = await startSimulatorChild();
  let gateway: { url: string; child: ChildProcess } | null = null;
  try {
    const client = new Anthropic({ apiKey: 'bench', baseURL: sim.url, maxRetries: 0 });
    const router = createRouter({ config: CONFIG, client });
    observe(router);
    const bare = () => client.messages.create(BARE_PARAMS);
    const routed = (i: number) => router.messages.create(PARAMS, { route: 'orchestrator', key: `booking-${i}` });
    await interleavedSides(2, 500, { bare, routed });
    report('simulator (client CPU)', await interleavedSides(60, 300, { bare, routed }), 'goal <= 0.5%');

    try {
      gateway = await startPortkey();
    } catch (error) {
      console.log(`portkey: could not run here: ${(error as Error).message}`);
    }
    if (gateway !== null) {
      const portkeyConfig = {
        strategy: { mode: 'loadbalance' },
        targets: [
          { provider: 'anthropic', api_key: 'bench', custom_host: `${sim.url}/v1`, weight: 0.1, override_params: { model: 'claude-sonnet-4-6' } },
          { provider: 'anthropic', api_key: 'bench', custom_host: `${sim.url}/v1`, weight: 0.9, override_params: { model: 'claude-haiku-4-5' } },
        ],
      };
      const viaGateway = new Anthropic({
        apiKey: 'bench',
        baseURL: gateway.url,
        maxRetries: 0,
        defaultHeaders: { 'x-portkey-config': JSON.stringify(portkeyConfig) },
      });
      const served = new Map<string, number>();
      const sides = {
        bare: () => client.messages.create(BARE_PARAMS),
        router: (i: number) => router.messages.create(PARAMS, { route: 'orchestrator', key: `latency-${i}` }),
        gateway: async () => {
          const m = await viaGateway.messages.create(BARE_PARAMS);
          served.set(m.model, (served.get(m.model) ?? 0) + 1);
          return m;
        },
      };
      // Rounds of 40 sequential calls per side, the order rotating; each round's medians are compared, so the
      // sides see the same machine noise. Added latency = median over rounds of (side median - bare median).
      const order = ['bare', 'router', 'gateway'] as const;
      const added = { router: [] as number[], gateway: [] as number[] };
      const all = { bare: [] as number[], router: [] as number[], gateway: [] as number[] };
      let i = 0;
      for (let round = 0; round < 65; round++) {
        const roundMedian = { bare: 0, router: 0, gateway: 0 };
        for (let k = 0; k < 3; k++) {
          const side = order[(round + k) % 3] as (typeof order)[number];
          const times: number[] = [];
          for (let n = 0; n < 40; n++) {
            const t0 = performance.now();
            await sides[side](i++);
            times.push((performance.now() - t0) * 1000);
          }
          roundMedian[side] = median(times);
          if (round >= 5) all[side].push(...times);
        }
        if (round >= 5) {
          added.router.push(roundMedian.router - roundMedian.bare);
          added.gateway.push(roundMedian.gateway - roundMedian.bare);
        }
      }
      const routerAdded = median(added.router);
      const gatewayAdded = median(added.gateway);
      // The router does no I/O of its own: when its added wall time is below what rounds can resolve, its CPU
      // cost measured above is the honest figure for the ratio.
      const routerForRatio = Math.max(routerAdded, routerCpuUs);
      const split = [...served].map(([model, n]) => `${model} ${n}`).join(', ');
      console.log(
        `latency: bare SDK median ${fmt(median(all.bare), 0)} us; added per call (median of ${added.router.length} paired rounds of 40): ` +
          `router ${fmt(routerAdded, 1)} us (IQR ${fmt(quantile(added.router, 0.25), 1)}..${fmt(quantile(added.router, 0.75), 1)}), ` +
          `Portkey gateway ${fmt(gatewayAdded, 0)} us (IQR ${fmt(quantile(added.gateway, 0.25), 0)}..${fmt(quantile(added.gateway, 0.75), 0)})`,
      );
      console.log(
        `  router/gateway = ${fmt(routerForRatio, 1)} / ${fmt(gatewayAdded, 0)} = 1/${fmt(gatewayAdded / routerForRatio, 0)} ` +
          `(router figure: max of its added latency and its added CPU; goal <= 1/50; gateway split: ${split})`,
      );
    }
    await router.close();
  } finally {
    if (gateway !== null) await stop(gateway.child);
    await stop(sim.child);
  }
}

export async function run(): Promise<void> {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('ANTHROPIC_')) delete process.env[name];
  }
  const routerCpuUs = await stubTransport();
  await againstSimulator(Math.max(routerCpuUs, 0.1));
  await memory();
}
