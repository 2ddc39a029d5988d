import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createRouter } from './create-router.js';
import { ERROR_CODES, InvalidConfigError, ModelCanaryError, UnknownRouteError } from './errors.js';
import { hashBucket } from './assignment/hash-bucket.js';
import type { Router } from './router.js';

const config = (percent: number, extra: Record<string, unknown> = {}) => ({
  routes: {
    orchestrator: {
      salt: 'orchestrator-sonnet-4-6',
      ...extra,
      arms: [
        { name: 'canary', model: 'claude-sonnet-4-6', percent },
        { name: 'control', model: 'claude-haiku-4-5' },
      ],
    },
    specialist: { arms: [{ name: 'control', model: 'claude-haiku-4-5' }] },
  },
});

const routers: Router[] = [];
const make = (options: Parameters<typeof createRouter>[0]): Router => {
  const router = createRouter(options);
  routers.push(router);
  return router;
};
afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.close()));
});

describe('router.decide', () => {
  it('answers plain data: the canary iff bucket < percent / 100, with the GrowthBook v2 bucket', () => {
    const router = make({ config: config(10) });
    for (let i = 0; i < 2000; i++) {
      const key = `booking-${i}`;
      const d = router.decide({ route: 'orchestrator', key });
      const bucket = hashBucket('orchestrator-sonnet-4-6', key);
      expect(d).toEqual({
        route: 'orchestrator',
        arm: bucket < 0.1 ? 'canary' : 'control',
        model: bucket < 0.1 ? 'claude-sonnet-4-6' : 'claude-haiku-4-5',
        bucket,
        reason: 'split',
        keyed: true,
        configVersion: 1,
      });
    }
  });

  it('salts a route with its name by default', () => {
    const router = make({ config: config(50) });
    expect(router.decide({ route: 'specialist', key: 'k' }).bucket).toBe(hashBucket('specialist', 'k'));
  });

  it('gives the default arm its remainder wherever it is declared, after the percent arms in order', () => {
    const router = make({
      config: {
        routes: {
          r: {
            arms: [
              { name: 'a', model: 'claude-opus-4-7', percent: 20 },
              { name: 'control', model: 'claude-haiku-4-5' },
              { name: 'b', model: 'claude-sonnet-4-6', percent: 30 },
            ],
          },
        },
      },
    });
    for (let i = 0; i < 3000; i++) {
      const d = router.decide({ route: 'r', key: String(i) });
      expect(d.arm).toBe(d.bucket < 0.2 ? 'a' : d.bucket < 0.5 ? 'b' : 'control');
    }
  });

  it.each([
    ['a forced arm', config(10), { forceArm: 'canary' }, 'canary', 'forced'],
    ['an unknown forced arm (falls back to the split)', config(0), { forceArm: 'nope' }, 'control', 'split'],
    ['a switched-off route', config(100, { enabled: false }), {}, 'control', 'disabled'],
    ['a switched-off route, even when forced', config(100, { enabled: false }), { forceArm: 'canary' }, 'control', 'disabled'],
    ['100 percent', config(100), {}, 'canary', 'split'],
  ])('answers %s', (_case, cfg, input, arm, reason) => {
    const router = make({ config: cfg });
    expect(router.decide({ route: 'orchestrator', key: 'k', ...input })).toMatchObject({ arm, reason });
  });

  it('draws keyless buckets from one stream per router, reproducible from the seed and quantised to 1/10000', () => {
    const a = make({ config: config(50), seed: 42 });
    const b = make({ config: config(50), seed: 42 });
    const other = make({ config: config(50), seed: 43 });
    const draw = (r: Router) => Array.from({ length: 200 }, () => r.decide({ route: 'orchestrator' }));
    const fromA = draw(a);
    expect(fromA).toEqual(draw(b));
    expect(fromA.map((d) => d.bucket)).not.toEqual(draw(other).map((d) => d.bucket));
    for (const d of fromA) {
      expect(d.keyed).toBe(false);
      expect(Math.abs(d.bucket * 10_000 - Math.round(d.bucket * 10_000))).toBeLessThan(1e-6);
    }
    expect(new Set(fromA.map((d) => d.arm))).toEqual(new Set(['canary', 'control']));
    expect(a.seed).toBe('42');
  });

  it('ramps monotonically: raising the percent only moves units from control to canary, and 0 then back picks the same units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 50 }),
        (x, y, keys) => {
          const [low, high] = x <= y ? [x / 100, y / 100] : [y / 100, x / 100];
          const lowRouter = createRouter({ config: config(low) });
          const highRouter = createRouter({ config: config(high) });
          const zero = createRouter({ config: config(0) });
          const back = createRouter({ config: config(low) });
          for (const key of keys) {
            const before = lowRouter.decide({ route: 'orchestrator', key }).arm;
            if (before === 'canary') expect(highRouter.decide({ route: 'orchestrator', key }).arm).toBe('canary');
            expect(zero.decide({ route: 'orchestrator', key }).arm).toBe('control');
            expect(back.decide({ route: 'orchestrator', key }).arm).toBe(before);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('throws UnknownRouteError for a route no config has and the app did not declare', () => {
    const router = make({ config: config(10) });
    expect(() => router.decide({ route: 'verifier', key: 'k' })).toThrow(UnknownRouteError);
    try {
      router.decide({ route: 'verifier' });
    } catch (error) {
      expect(error).toMatchObject({ code: ERROR_CODES.unknownRoute, route: 'verifier' });
      expect((error as Error).message).toContain('orchestrator, specialist');
    }
  });
});

describe('createRouter', () => {
  it('throws InvalidConfigError listing every problem of an invalid inline config', () => {
    expect(() => createRouter({ config: { routes: { r: { arms: [{ name: 'a', model: 'x', percent: 200 }] } } } })).toThrow(InvalidConfigError);
    try {
      createRouter({ config: { routes: { r: { arms: [{ name: 'a', model: 'x', percent: 200 }] } } } });
    } catch (error) {
      expect((error as InvalidConfigError).problems.map((p) => p.path)).toEqual(['routes.r.arms[0].percent', 'routes.r.arms[0].model', 'routes.r.arms', 'routes.r.arms']);
      expect(error).toBeInstanceOf(ModelCanaryError);
    }
  });

  it('rejects an inline config lacking a declared route', () => {
    expect(() => createRouter({ config: config(10), routes: ['orchestrator', 'verifier'] })).toThrow(/route "verifier" is used by the app/);
  });

  it('needs exactly one of config and configFile', () => {
    expect(() => createRouter({})).toThrow(expect.objectContaining({ code: ERROR_CODES.invalidOptions }) as Error);
  });

  it('serves a deep-frozen snapshot', () => {
    const router = make({ config: config(10) });
    const snapshot = router.snapshot();
    expect(snapshot).toMatchObject({ version: 1, source: 'inline', serving: 'split' });
    expect(snapshot.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(() => {
      (snapshot.config.routes["orchestrator"]?.arms as unknown as { percent: number | null }[])[0]!.percent = 99;
    }).toThrow(TypeError);
  });

  it('emits decision events only to listeners, and a throwing observer becomes an error event, never the caller’s', () => {
    const router = make({ config: config(10) });
    const decisions: unknown[] = [];
    const errors: unknown[] = [];
    router.on('error', (e) => errors.push(e));
    const off = router.on('decision', (e) => decisions.push(e));
    router.on('decision', () => {
      throw new Error('observer bug');
    });
    expect(router.decide({ route: 'orchestrator', key: 'k' }).route).toBe('orchestrator');
    expect(decisions).toEqual([expect.objectContaining({ type: 'decision', route: 'orchestrator', keyed: true })]);
    expect(errors).toEqual([expect.objectContaining({ type: 'error', source: 'observer:decision' })]);
    off();
    router.decide({ route: 'orchestrator', key: 'k' });
    expect(decisions).toHaveLength(1);
  });

  it('refuses a listener for an event it never emits, naming the ones it does', () => {
    const router = make({ config: config(10) });
    const on = router.on as (event: string, listener: () => void) => () => void;
    expect(() => on('calls', () => {})).toThrow('no event "calls": one of decision, callStart, attempt, call, unit, unitAssignment, config, shadow, judgement, error');
    expect(() => on('toString', () => {})).toThrow(/no event "toString"/);
  });

  it('answers reload() of an inline config with unchanged', async () => {
    const router = make({ config: config(10) });
    await expect(router.reload()).resolves.toMatchObject({ result: 'unchanged', version: 1 });
  });
});
