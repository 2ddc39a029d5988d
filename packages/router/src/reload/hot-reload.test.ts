import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRouter } from '../create-router.js';
import { ERROR_CODES, InvalidConfigError } from '../errors.js';
import type { ConfigEvent } from '../events.js';
import type { Router, RouterOptions } from '../router.js';

// Real files in a temp dir, real fs.watch, a short poll: every wait is on an event, with a generous timeout,
// so a loaded machine makes these slower, never red.
const WATCH = { debounceMs: 20, pollIntervalMs: 100 };
const TIMEOUT_MS = 15_000;

const rollout = (percent: number): string =>
  `${JSON.stringify(
    {
      routes: {
        orchestrator: {
          arms: [
            { name: 'canary', model: 'claude-sonnet-4-6', percent },
            { name: 'control', model: 'claude-haiku-4-5' },
          ],
        },
      },
    },
    null,
    2,
  )}\n`;
const defaultConfig = { routes: { orchestrator: { arms: [{ name: 'control', model: 'claude-haiku-4-5' }] } } };

let dir: string;
let file: string;
const routers: Router[] = [];
const root = mkdtempSync(path.join(os.tmpdir(), 'canary-reload-'));
let n = 0;

beforeEach(() => {
  dir = path.join(root, `case-${n++}`);
  mkdirSync(dir);
  file = path.join(dir, 'rollout.json');
});
afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.close()));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function start(options: Partial<RouterOptions> = {}): Router {
  const router = createRouter({ configFile: file, watch: WATCH, routes: ['orchestrator'], ...options });
  routers.push(router);
  return router;
}

/** Resolves with the first `config` event that matches, after subscribing (so no event is missed). */
function next(router: Router, match: (e: ConfigEvent) => boolean): Promise<ConfigEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching config event within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    const off = router.on('config', (e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}
const appliedPercent = (router: Router, percent: number) =>
  next(router, (e) => e.result === 'applied' && router.snapshot().config.routes['orchestrator']?.arms[0]?.percent === percent);
const canaryPercent = (router: Router) => router.snapshot().config.routes['orchestrator']?.arms[0]?.percent;

describe('hot reload from a file', () => {
  it('applies an in-place write as one new version, with the percent changes per arm', async () => {
    writeFileSync(file, rollout(10));
    const router = start();
    const applied = appliedPercent(router, 25);
    writeFileSync(file, rollout(25));
    const event = await applied;
    expect(event).toMatchObject({ version: 2, source: file });
    expect(event.changes).toEqual([
      { route: 'orchestrator', arm: 'canary', from: 10, to: 25 },
      { route: 'orchestrator', arm: 'control', from: 90, to: 75 },
    ]);
    expect(event.hashBefore).not.toBe(event.hashAfter);
    expect(router.decide({ route: 'orchestrator', key: 'k' }).configVersion).toBe(2);
  });

  it('applies an editor save by rename (write a temp file, rename it over the config)', async () => {
    writeFileSync(file, rollout(10));
    const router = start();
    const applied = appliedPercent(router, 30);
    writeFileSync(path.join(dir, '.rollout.json.swp'), rollout(30));
    renameSync(path.join(dir, '.rollout.json.swp'), file);
    await applied;
    expect(router.snapshot().version).toBe(2);
  });

  it('reports a deleted file as missing, keeps serving the last good config, and applies the re-created one', async () => {
    writeFileSync(file, rollout(10));
    const router = start();
    const missing = next(router, (e) => e.result === 'missing');
    unlinkSync(file);
    await missing;
    expect(router.decide({ route: 'orchestrator', key: 'k' })).toMatchObject({ reason: 'split', configVersion: 1 });
    const applied = appliedPercent(router, 40);
    writeFileSync(file, rollout(40));
    await applied;
  });

  it('follows a Kubernetes ConfigMap ..data symlink swap', async () => {
    mkdirSync(path.join(dir, '..2026_01'));
    writeFileSync(path.join(dir, '..2026_01', 'rollout.json'), rollout(10));
    symlinkSync('..2026_01', path.join(dir, '..data'));
    symlinkSync(path.join('..data', 'rollout.json'), file);
    const router = start();
    expect(canaryPercent(router)).toBe(10);

    const applied = appliedPercent(router, 50);
    mkdirSync(path.join(dir, '..2026_02'));
    writeFileSync(path.join(dir, '..2026_02', 'rollout.json'), rollout(50));
    symlinkSync('..2026_02', path.join(dir, '..data_tmp'));
    renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data')); // the atomic swap kubelet does
    rmSync(path.join(dir, '..2026_01'), { recursive: true });
    await applied;
    expect(router.decide({ route: 'orchestrator', key: 'k' }).configVersion).toBe(2);
  });

  it('rejects a half-written file, keeps the last good config, then applies the completed write', async () => {
    writeFileSync(file, rollout(10));
    const router = start();
    const full = rollout(20);
    const rejected = next(router, (e) => e.result === 'rejected');
    writeFileSync(file, full.slice(0, full.length / 2));
    const event = await rejected;
    expect(event.problems[0]?.message).toContain('the file ends early (truncated?)');
    expect(event.version).toBe(1);
    expect(canaryPercent(router)).toBe(10);
    expect(router.decide({ route: 'orchestrator', key: 'k' })).toMatchObject({ reason: 'split', configVersion: 1 });

    const applied = appliedPercent(router, 20);
    writeFileSync(file, full);
    await applied;
  });

  it('rejects an invalid config with every problem and keeps the last good one serving', async () => {
    writeFileSync(file, rollout(10));
    const router = start();
    const rejected = next(router, (e) => e.result === 'rejected');
    writeFileSync(file, rollout(200).replace('"control"', '"canary"'));
    const event = await rejected;
    expect(event.problems.map((p) => p.path)).toEqual(['routes.orchestrator.arms[0].percent', 'routes.orchestrator.arms[1].name', 'routes.orchestrator.arms']);
    expect(router.snapshot()).toMatchObject({ version: 1, serving: 'split', lastReload: event });
  });

  it('reports a directory in place of the file once per distinct problem, not at every poll, then applies the file', async () => {
    writeFileSync(file, rollout(10));
    const router = start();
    const events: ConfigEvent[] = [];
    router.on('config', (e) => events.push(e));
    const rejected = next(router, (e) => e.result === 'rejected');
    unlinkSync(file);
    mkdirSync(file);
    expect((await rejected).problems[0]?.message).toMatch(/cannot read the file: EISDIR/);
    await sleep(WATCH.pollIntervalMs * 8);
    expect(events.filter((e) => e.result === 'rejected')).toHaveLength(1);
    await expect(router.reload()).resolves.toMatchObject({ result: 'rejected' }); // asked explicitly: answered
    const applied = appliedPercent(router, 35);
    rmSync(file, { recursive: true });
    writeFileSync(file, rollout(35));
    await applied;
  });

  it('coalesces a burst of writes and ends on the last one', async () => {
    writeFileSync(file, rollout(1));
    const router = start();
    const events: ConfigEvent[] = [];
    router.on('config', (e) => events.push(e));
    const last = appliedPercent(router, 60);
    for (let p = 31; p <= 60; p++) writeFileSync(file, rollout(p));
    await last;
    const applied = events.filter((e) => e.result === 'applied');
    expect(applied.length).toBeLessThan(10);
    expect(router.snapshot().version).toBe(1 + applied.length);
  });

  it('notices a change the directory watcher cannot see, through the content poll', async () => {
    // the config path is a symlink into another directory: only the poll sees writes to the target
    const elsewhere = path.join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'real.json'), rollout(10));
    const linkDir = path.join(dir, 'mounted');
    mkdirSync(linkDir);
    file = path.join(linkDir, 'rollout.json');
    symlinkSync(path.join(elsewhere, 'real.json'), file);
    const router = start();
    const applied = appliedPercent(router, 15);
    writeFileSync(path.join(elsewhere, 'real.json'), rollout(15));
    await applied;
  });

  it('answers reload() with unchanged when the file did not change', async () => {
    writeFileSync(file, rollout(10));
    const router = start({ watch: false });
    await expect(router.reload()).resolves.toMatchObject({ result: 'unchanged', version: 1 });
    writeFileSync(file, rollout(12));
    await expect(router.reload()).resolves.toMatchObject({ result: 'applied', version: 2 });
  });

  it('soft-starts on a missing file: default arms of defaultConfig (reason default), then applies the file when it appears', async () => {
    const router = start({ defaultConfig });
    expect(router.snapshot()).toMatchObject({ version: 0, serving: 'default', lastReload: { result: 'missing' } });
    expect(router.decide({ route: 'orchestrator', key: 'k' })).toMatchObject({ arm: 'control', model: 'claude-haiku-4-5', reason: 'default', configVersion: 0 });
    const applied = appliedPercent(router, 100);
    writeFileSync(file, rollout(100));
    const event = await applied;
    expect(event.changes).toContainEqual({ route: 'orchestrator', arm: 'canary', from: null, to: 100 });
    expect(router.decide({ route: 'orchestrator', key: 'k' })).toMatchObject({ arm: 'canary', reason: 'split', configVersion: 1 });
  });

  it('serves default arms with reason error when the file is invalid at start', () => {
    writeFileSync(file, '{ "routes": ');
    const router = start({ defaultConfig });
    expect(router.decide({ route: 'orchestrator' })).toMatchObject({ arm: 'control', reason: 'error', keyed: false });
  });

  it('without defaultConfig, a declared route with no usable config throws NO_CONFIG (there is no model to answer)', () => {
    const router = start();
    expect(() => router.decide({ route: 'orchestrator', key: 'k' })).toThrow(expect.objectContaining({ code: ERROR_CODES.noConfig }) as Error);
    expect(() => router.decide({ route: 'undeclared', key: 'k' })).toThrow(expect.objectContaining({ code: ERROR_CODES.unknownRoute }) as Error);
  });

  it.each([
    ['a missing file', null, ERROR_CODES.configMissing],
    ['an invalid file', rollout(101), ERROR_CODES.invalidConfig],
  ])('throws at start on %s in strict mode', (_case, content, code) => {
    if (content !== null) writeFileSync(file, content);
    expect(() => createRouter({ configFile: file, strict: true, watch: WATCH })).toThrow(expect.objectContaining({ code }) as Error);
    if (content !== null) expect(() => createRouter({ configFile: file, strict: true, watch: false })).toThrow(InvalidConfigError);
  });

  it('writes every applied, rejected and missing config to the JSON-lines audit trail', async () => {
    writeFileSync(file, rollout(10));
    const auditFile = path.join(dir, 'audit.jsonl');
    const router = start({ auditFile });
    const applied = appliedPercent(router, 20);
    writeFileSync(file, rollout(20));
    await applied;
    const rejected = next(router, (e) => e.result === 'rejected');
    writeFileSync(file, '{}');
    await rejected;
    const missing = next(router, (e) => e.result === 'missing');
    unlinkSync(file);
    await missing;
    await router.close();
    const lines = readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['result'])).toEqual(['applied', 'applied', 'rejected', 'missing']);
    expect(lines[1]).toMatchObject({
      source: file,
      version: 2,
      hashBefore: lines[0]?.['hashAfter'],
      changes: [
        { route: 'orchestrator', arm: 'canary', from: 10, to: 20 },
        { route: 'orchestrator', arm: 'control', from: 90, to: 80 },
      ],
      problems: [],
    });
    expect(lines[2]).toMatchObject({ problems: [{ path: 'routes', message: 'is required (an object)' }], version: 2 });
    expect(Date.parse(String(lines[0]?.['time']))).not.toBeNaN();
  });

  it('stops watching on close(): later writes change nothing and reload() refuses', async () => {
    writeFileSync(file, rollout(10));
    const router = start();
    const events: ConfigEvent[] = [];
    router.on('config', (e) => events.push(e));
    await router.close();
    writeFileSync(file, rollout(70));
    await sleep(WATCH.pollIntervalMs * 5);
    expect(events).toEqual([]);
    expect(canaryPercent(router)).toBe(10);
    await expect(router.reload()).rejects.toMatchObject({ code: ERROR_CODES.closed });
  });
});
