// Cost of one routing decision for 36-character keys, as ratios to a floor loop measured in the same run,
// beside GrowthBook's and Unleash's own hashing; a keyless draw against Math.random; the CLI's throughput.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
const ROUNDS = 15;

/**
 * ns per operation of each body over every key: the best of ROUNDS, the bodies interleaved within each round so
 * that a shared, noisy machine slows all of them alike and the ratios stay meaningful.
 */
function measureAll(bodies: Record<string, (keys: readonly string[]) => number>, keys: readonly string[], passes: number): Record<string, number> {
  let sink = 0;
  const best: Record<string, number> = {};
  for (const [name, body] of Object.entries(bodies)) {
    for (let i = 0; i < 5; i++) sink += body(keys);
    best[name] = Infinity;
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, body] of Object.entries(bodies)) {
      const start = process.hrtime.bigint();
      for (let p = 0; p < passes; p++) sink += body(keys);
      best[name] = Math.min(best[name] as number, Number(process.hrtime.bigint() - start) / (passes * keys.length));
    }
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
    // stdin from the file and stdout to a file, as `canary decide … < keys > out` in a shell: the child's
    // throughput, not this process's pipe handling, is what is measured
    const outFile = path.join(dir, 'out.jsonl');
    const input = openSync(file, 'r');
    const output = openSync(outFile, 'w');
    const start = process.hrtime.bigint();
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [cli, 'decide', '--config', config, '--route', 'orchestrator'], { stdio: [input, output, 'inherit'] });
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`canary decide exited ${String(code)}`))));
      });
    } finally {
      closeSync(input);
      closeSync(output);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const out = await readFile(outFile);
    let written = 0;
    for (let i = out.indexOf(10); i !== -1; i = out.indexOf(10, i + 1)) written++;
    if (written !== count) throw new Error(`expected ${count} lines, got ${written}`);
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
  // Two key sets: 64k keys (about 5 MB, past the CPU caches: the floor is bound by memory, as in a service
  // that sees many units) and 1k keys (cache-resident: the floor is pure compute, the hardest comparison).
  const keySets: [string, string[]][] = [
    [`${KEYS} keys`, Array.from({ length: KEYS }, () => randomUUID())],
    ['1024 keys, cache-resident', Array.from({ length: 1024 }, () => randomUUID())],
  ];

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

  for (const [label, keys] of keySets) {
    const passes = Math.max(8, Math.round((8 * KEYS) / keys.length));
    const t = measureAll({ floor, decide, bucketOnly, growthBook, unleashValue, mathRandom, keyless }, keys, passes);
    const f = t['floor'] as number;
    const m = t['mathRandom'] as number;
    const rows: [string, number, number][] = [
      ['floor (read every char)', f, 1],
      ['router.decide (keyed)', t['decide'] as number, (t['decide'] as number) / f],
      ['hashBucket(salt, key)', t['bucketOnly'] as number, (t['bucketOnly'] as number) / f],
      ['GrowthBook hash v2 (SDK)', t['growthBook'] as number, (t['growthBook'] as number) / f],
      ['Unleash normalizedValue', t['unleashValue'] as number, (t['unleashValue'] as number) / f],
      ['Math.random', m, 1],
      ['router.decide (keyless)', t['keyless'] as number, (t['keyless'] as number) / m],
    ];

    console.log(`36-char keys, ${label}; best of ${ROUNDS} runs; ratio vs floor (keyless: vs Math.random)`);
    for (const [name, ns, ratio] of rows) console.log(`  ${name.padEnd(28)} ${ns.toFixed(2).padStart(8)} ns/op  ${ratio.toFixed(2)}x`);
    const [, decideNs] = rows[1] as [string, number, number];
    const [, gbNs] = rows[3] as [string, number, number];
    const [, unNs] = rows[4] as [string, number, number];
    const [, , keylessRatio] = rows[6] as [string, number, number];
    console.log(
      `  goals: decide <= 2x floor: ${decideNs / f <= 2 ? 'met' : 'MISSED'}; faster than GrowthBook: ${decideNs < gbNs ? 'met' : 'MISSED'}; ` +
        `faster than Unleash: ${decideNs < unNs ? 'met' : 'MISSED'}; keyless <= 4x Math.random: ${keylessRatio <= 4 ? 'met' : 'MISSED'}`,
    );
  }
  await router.close();
  const rate = await cliKeysPerSecond(1_000_000);
  console.log(`CLI decide, 1M keys from stdin, end to end (node start included): ${Math.round(rate).toLocaleString('en-US')} keys/s (goal >= 200,000: ${rate >= 200_000 ? 'met' : 'MISSED'})`);
}
