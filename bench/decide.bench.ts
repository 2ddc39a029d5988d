// Cost of one routing decision for 36-character keys, as ratios to a floor loop measured in the same run,
// beside GrowthBook's and Unleash's own hashing; a keyless draw against Math.random; the CLI's throughput.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRouter, hashBucket } from '@model-canary/router';

type GrowthBookHash = (seed: string, value: string, version: number) => number | null;
type UnleashNormalized = (id: string, groupId: string) => number;

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const SALT = 'orchestrator-sonnet-4-6';
const KEYS = 1 << 16;
const ROUNDS = 7;

/** ns per operation of `body` over every key, best of ROUNDS passes of `passes` loops (after warm-up). */
function measure(body: (keys: readonly string[]) => number, keys: readonly string[], passes = 20): number {
  let sink = 0;
  for (let i = 0; i < 5; i++) sink += body(keys);
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let p = 0; p < passes; p++) sink += body(keys);
    const ns = Number(process.hrtime.bigint() - start) / (passes * keys.length);
    best = Math.min(best, ns);
  }
  if (sink === 0.123456789) console.log('');
  return best;
}

async function cliKeysPerSecond(count: number): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'canary-bench-'));
  try {
    const file = path.join(dir, 'keys.txt');
    const lines: string[] = [];
    for (let i = 0; i < count; i++) lines.push(randomUUID());
    await writeFile(file, `${lines.join('\n')}\n`);
    const cli = path.resolve(here, '../packages/router/dist/cli/main.js');
    const config = path.resolve(here, '../packages/router/rollout.sample.json');
    const start = process.hrtime.bigint();
    let out = 0;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, 'decide', '--config', config, '--route', 'orchestrator'], { stdio: ['pipe', 'pipe', 'inherit'] });
      createReadStream(file).pipe(child.stdin);
      child.stdout.on('data', (chunk: Buffer) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) out++;
      });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`canary decide exited ${String(code)}`))));
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (out !== count) throw new Error(`expected ${count} lines, got ${out}`);
    return count / seconds;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const gbRoot = path.dirname(require.resolve('@growthbook/growthbook/package.json'));
  const gbHash = ((await import(pathToFileURL(path.join(gbRoot, 'dist/esm/util.mjs')).href)) as { hash: GrowthBookHash }).hash;
  const unleash = (require('unleash-client/lib/strategy/util.js') as { normalizedStrategyValue: UnleashNormalized }).normalizedStrategyValue;

  const router = createRouter({
    config: {
      routes: {
        orchestrator: {
          salt: SALT,
          arms: [
            { name: 'canary', model: 'claude-sonnet-4-6', percent: 10 },
            { name: 'control', model: 'claude-haiku-4-5' },
          ],
        },
      },
    },
    seed: 'bench',
  });
  const keys = Array.from({ length: KEYS }, () => randomUUID());

  const floor = (ks: readonly string[]): number => {
    let s = 0;
    for (const k of ks) for (let i = 0; i < k.length; i++) s += k.charCodeAt(i);
    return s;
  };
  const decide = (ks: readonly string[]): number => {
    let s = 0;
    for (const key of ks) s += router.decide({ route: 'orchestrator', key }).bucket;
    return s;
  };
  const bucketOnly = (ks: readonly string[]): number => {
    let s = 0;
    for (const key of ks) s += hashBucket(SALT, key);
    return s;
  };
  const growthBook = (ks: readonly string[]): number => {
    let s = 0;
    for (const key of ks) s += gbHash(SALT, key, 2) ?? 0;
    return s;
  };
  const unleashValue = (ks: readonly string[]): number => {
    let s = 0;
    for (const key of ks) s += unleash(key, SALT);
    return s;
  };
  const keyless = (ks: readonly string[]): number => {
    let s = 0;
    for (let i = 0; i < ks.length; i++) s += router.decide({ route: 'orchestrator' }).bucket;
    return s;
  };
  const mathRandom = (ks: readonly string[]): number => {
    let s = 0;
    for (let i = 0; i < ks.length; i++) s += Math.random();
    return s;
  };

  const f = measure(floor, keys);
  const rows: [string, number, number][] = [];
  const add = (name: string, ns: number, base: number): void => {
    rows.push([name, ns, ns / base]);
  };
  add('floor (read every char)', f, f);
  add('router.decide (keyed)', measure(decide, keys), f);
  add('hashBucket(salt, key)', measure(bucketOnly, keys), f);
  add('GrowthBook hash v2 (SDK)', measure(growthBook, keys), f);
  add('Unleash normalizedValue', measure(unleashValue, keys), f);
  const m = measure(mathRandom, keys);
  add('Math.random', m, m);
  add('router.decide (keyless)', measure(keyless, keys), m);
  await router.close();

  console.log('36-char keys, best of 7 runs; ratio vs floor (keyless vs Math.random)');
  for (const [name, ns, ratio] of rows) console.log(`${name.padEnd(28)} ${ns.toFixed(2).padStart(8)} ns/op  ${ratio.toFixed(2)}x`);
  const [, decideNs] = rows[1] as [string, number, number];
  const [, gbNs] = rows[3] as [string, number, number];
  const [, unNs] = rows[4] as [string, number, number];
  const [, , keylessRatio] = rows[6] as [string, number, number];
  console.log(
    `goals: decide <= 2x floor: ${decideNs / f <= 2 ? 'met' : 'MISSED'}; faster than GrowthBook: ${decideNs < gbNs ? 'met' : 'MISSED'}; ` +
      `faster than Unleash: ${decideNs < unNs ? 'met' : 'MISSED'}; keyless <= 4x Math.random: ${keylessRatio <= 4 ? 'met' : 'MISSED'}`,
  );
  const rate = await cliKeysPerSecond(1_000_000);
  console.log(`CLI decide, 1M keys from stdin, end to end (node start included): ${Math.round(rate).toLocaleString('en-US')} keys/s (goal >= 200,000: ${rate >= 200_000 ? 'met' : 'MISSED'})`);
}
