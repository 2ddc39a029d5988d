import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createCanaryMetrics } from './canary-metrics.js';
import { CANARY_METRICS_ERROR_CODES, CanaryMetricsError } from './errors.js';
import { BOOKING_CONFIG, HAIKU, OPUS, SONNET, callEvent, tokens } from './test-helpers/events.js';
import { createFakeRouter } from './test-helpers/fake-router.js';
import { sampleValue, samples } from './test-helpers/read-metric.js';

let registry: Registry;
afterEach(() => {
  registry.clear();
});

function setup(config = BOOKING_CONFIG) {
  registry = new Registry();
  const metrics = createCanaryMetrics({ registry });
  const router = createFakeRouter(config);
  const detach = metrics.attach(router);
  return { metrics, router, detach };
}

describe('series at zero from the start', () => {
  it.each([
    ['model_canary_decisions_total', { route: 'orchestrator', arm: 'canary', reason: 'split' }],
    ['model_canary_decisions_total', { route: 'specialist', arm: 'control', reason: 'disabled' }],
    ['model_canary_requests_total', { route: 'orchestrator', arm: 'canary', model: SONNET, outcome: 'fallback' }],
    ['model_canary_requests_total', { route: 'orchestrator', arm: 'control', model: HAIKU, outcome: 'error' }],
    ['model_canary_request_duration_seconds_count', { route: 'orchestrator', arm: 'canary', model: SONNET, outcome: 'success' }],
    ['model_canary_time_to_first_token_seconds_count', { route: 'specialist', arm: 'control', model: HAIKU }],
    ['model_canary_attempts_total', { route: 'orchestrator', arm: 'canary', model: SONNET, origin: 'primary', error_class: 'overloaded' }],
    ['model_canary_attempts_total', { route: 'orchestrator', arm: 'canary', model: HAIKU, origin: 'fallback', error_class: 'none' }],
    ['model_canary_request_errors_total', { route: 'orchestrator', arm: 'canary', model: SONNET, error_class: 'refusal' }],
    ['model_canary_tokens_total', { route: 'orchestrator', arm: 'canary', model: SONNET, type: 'cache_write_1h' }],
    ['model_canary_tokens_total', { route: 'orchestrator', arm: 'canary', model: HAIKU, type: 'output' }],
    ['model_canary_cost_usd_total', { route: 'specialist', arm: 'control', model: HAIKU }],
    ['model_canary_units_total', { route: 'orchestrator', arm: 'canary', outcome: 'abandoned' }],
    ['model_canary_unit_cost_usd_count', { route: 'orchestrator', arm: 'control' }],
    ['model_canary_unit_duration_seconds_count', { route: 'orchestrator', arm: 'control' }],
    ['model_canary_unit_mixed_arms_total', { route: 'orchestrator', outcome: 'success' }],
    ['model_canary_unit_mixed_arms_total', { route: 'specialist', outcome: 'abandoned' }],
    ['model_canary_in_flight', { route: 'orchestrator', arm: 'canary' }],
    ['model_canary_config_reloads_total', { result: 'rejected' }],
    ['model_canary_router_errors_total', {}],
  ])('%s %o exists at 0 after attach', async (name, labels) => {
    setup();
    expect(await sampleValue(registry, name, labels)).toBe(0);
  });

  it('creates no fallback series for a route without fallback, nor for the control arm', async () => {
    setup();
    const fallbackSeries = (await samples(registry, 'model_canary_attempts_total')).filter((s) => s.labels.origin === 'fallback');
    expect(new Set(fallbackSeries.map((s) => `${s.labels.route}/${s.labels.arm}`))).toEqual(new Set(['orchestrator/canary']));
  });

  it.each([
    ['model_canary_decisions_total', { route: 'orchestrator', arm: 'canary', reason: 'disabled' }],
    ['model_canary_decisions_total', { route: 'orchestrator', arm: 'canary', reason: 'default' }],
    ['model_canary_decisions_total', { route: 'orchestrator', arm: 'canary', reason: 'error' }],
    ['model_canary_requests_total', { route: 'orchestrator', arm: 'control', model: HAIKU, outcome: 'fallback' }],
    ['model_canary_requests_total', { route: 'specialist', arm: 'control', model: HAIKU, outcome: 'fallback' }],
    ['model_canary_request_duration_seconds_count', { route: 'orchestrator', arm: 'control', model: HAIKU, outcome: 'fallback' }],
    ['model_canary_attempts_total', { route: 'orchestrator', arm: 'canary', model: SONNET, origin: 'primary', error_class: 'refusal' }],
    ['model_canary_attempts_total', { route: 'specialist', arm: 'control', model: HAIKU, origin: 'primary', error_class: 'max_tokens' }],
  ])('does not create %s %o, which the router never emits', async (name, labels) => {
    setup();
    expect(await sampleValue(registry, name, labels)).toBeUndefined();
  });

  it('still counts such a series when it shows up after all', async () => {
    const { router } = setup();
    router.emit('decision', { route: 'orchestrator', arm: 'canary', reason: 'disabled' });
    router.emit('call', callEvent({ arm: 'control', model: HAIKU, outcome: 'fallback' }));
    expect(await sampleValue(registry, 'model_canary_decisions_total', { route: 'orchestrator', arm: 'canary', reason: 'disabled' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_requests_total', { route: 'orchestrator', arm: 'control', model: HAIKU, outcome: 'fallback' })).toBe(1);
  });

  it('reports the configured percent of every arm, the default arm taking the rest', async () => {
    setup();
    expect(await sampleValue(registry, 'model_canary_arm_percent', { route: 'orchestrator', arm: 'canary', model: SONNET })).toBe(10);
    expect(await sampleValue(registry, 'model_canary_arm_percent', { route: 'orchestrator', arm: 'control', model: HAIKU })).toBe(90);
    expect(await sampleValue(registry, 'model_canary_arm_percent', { route: 'specialist', arm: 'control', model: HAIKU })).toBe(100);
    expect(await sampleValue(registry, 'model_canary_arm_info', { route: 'orchestrator', arm: 'canary', model: SONNET, role: 'canary' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_arm_info', { route: 'orchestrator', arm: 'control', model: HAIKU, role: 'control' })).toBe(1);
  });

  it('reports a successful load for a router configured inline', async () => {
    setup();
    expect(await sampleValue(registry, 'model_canary_config_last_reload_successful')).toBe(1);
    expect(await sampleValue(registry, 'model_canary_config_version')).toBe(1);
  });

  it('reports a failed load when the router started without a config file (soft start)', async () => {
    registry = new Registry();
    const router = createFakeRouter(null, { type: 'config', result: 'missing', at: 1_700_000_000_000, version: 0 });
    createCanaryMetrics({ registry }).attach(router);
    expect(await sampleValue(registry, 'model_canary_config_last_reload_successful')).toBe(0);
  });

  it('reports 100% on the default arm while the router serves default arms only', async () => {
    registry = new Registry();
    const router = createFakeRouter(BOOKING_CONFIG, { type: 'config', result: 'missing', at: 1_700_000_000_000, version: 0 }, 'default');
    createCanaryMetrics({ registry }).attach(router);
    expect(await sampleValue(registry, 'model_canary_arm_percent', { route: 'orchestrator', arm: 'canary', model: SONNET })).toBe(0);
    expect(await sampleValue(registry, 'model_canary_arm_percent', { route: 'orchestrator', arm: 'control', model: HAIKU })).toBe(100);
  });
});

describe('one call', () => {
  it('counts the call, its latency, tokens and cost under the assigned arm and its config model', async () => {
    const { router } = setup();
    router.emit('call', callEvent({ durationMs: 1500, tokens: tokens({ input: 1000, output: 200, cache_read: 50 }), costUsd: 0.006 }));
    const labels = { route: 'orchestrator', arm: 'canary', model: SONNET };
    expect(await sampleValue(registry, 'model_canary_requests_total', { ...labels, outcome: 'success' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_request_duration_seconds_sum', { ...labels, outcome: 'success' })).toBe(1.5);
    expect(await sampleValue(registry, 'model_canary_request_duration_seconds_bucket', { ...labels, outcome: 'success', le: 2 })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_request_duration_seconds_bucket', { ...labels, outcome: 'success', le: 1 })).toBe(0);
    expect(await sampleValue(registry, 'model_canary_tokens_total', { ...labels, type: 'input' })).toBe(1000);
    expect(await sampleValue(registry, 'model_canary_tokens_total', { ...labels, type: 'cache_read' })).toBe(50);
    expect(await sampleValue(registry, 'model_canary_cost_usd_total', labels)).toBeCloseTo(0.006, 12);
    expect(await sampleValue(registry, 'model_canary_time_to_first_token_seconds_count', labels)).toBe(0);
  });

  it('records time to first token for streams', async () => {
    const { router } = setup();
    router.emit('call', callEvent({ streaming: true, ttftMs: 400 }));
    expect(await sampleValue(registry, 'model_canary_time_to_first_token_seconds_sum', { route: 'orchestrator', arm: 'canary', model: SONNET })).toBe(0.4);
  });

  it('counts a fallback as a canary fallback, with the fallback tokens and cost under the control model', async () => {
    const { router } = setup();
    router.emit(
      'call',
      callEvent({
        outcome: 'fallback',
        errorClass: 'overloaded',
        tokens: tokens(),
        costUsd: 0,
        fallback: { arm: 'control', model: HAIKU, servedModel: HAIKU, tokens: tokens({ input: 900, output: 100 }), costUsd: 0.0014, outcome: 'success', errorClass: null } as never,
      }),
    );
    expect(await sampleValue(registry, 'model_canary_requests_total', { route: 'orchestrator', arm: 'canary', model: SONNET, outcome: 'fallback' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_requests_total', { route: 'orchestrator', arm: 'control', model: HAIKU, outcome: 'success' })).toBe(0);
    expect(await sampleValue(registry, 'model_canary_request_errors_total', { route: 'orchestrator', arm: 'canary', model: SONNET, error_class: 'overloaded' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_tokens_total', { route: 'orchestrator', arm: 'canary', model: HAIKU, type: 'input' })).toBe(900);
    expect(await sampleValue(registry, 'model_canary_cost_usd_total', { route: 'orchestrator', arm: 'canary', model: HAIKU })).toBeCloseTo(0.0014, 12);
    expect(await sampleValue(registry, 'model_canary_cost_usd_total', { route: 'orchestrator', arm: 'control', model: HAIKU })).toBe(0);
  });

  it('counts a call without a price as cost unknown, not as free', async () => {
    const { router } = setup();
    router.emit('call', callEvent({ costUsd: null }));
    expect(await sampleValue(registry, 'model_canary_cost_unknown_total', { route: 'orchestrator', arm: 'canary', model: SONNET })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_cost_usd_total', { route: 'orchestrator', arm: 'canary', model: SONNET })).toBe(0);
  });

  it('counts every attempt with its origin and error class, "none" for a success', async () => {
    const { router } = setup();
    const base = { type: 'attempt', callId: 'c1', route: 'orchestrator', arm: 'canary', attempt: 1, status: 529, durationMs: 80, requestId: null } as const;
    router.emit('attempt', { ...base, model: SONNET, origin: 'primary', errorClass: 'overloaded' });
    router.emit('attempt', { ...base, model: HAIKU, origin: 'fallback', errorClass: null });
    expect(await sampleValue(registry, 'model_canary_attempts_total', { route: 'orchestrator', arm: 'canary', model: SONNET, origin: 'primary', error_class: 'overloaded' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_attempts_total', { route: 'orchestrator', arm: 'canary', model: HAIKU, origin: 'fallback', error_class: 'none' })).toBe(1);
  });

  it('follows calls in flight by call id', async () => {
    const { router } = setup();
    router.emit('callStart', { callId: 'a', route: 'orchestrator', arm: 'canary' });
    router.emit('callStart', { callId: 'b', route: 'orchestrator', arm: 'canary' });
    expect(await sampleValue(registry, 'model_canary_in_flight', { route: 'orchestrator', arm: 'canary' })).toBe(2);
    router.emit('call', callEvent({ callId: 'a' }));
    router.emit('call', callEvent({ callId: 'unknown' }));
    expect(await sampleValue(registry, 'model_canary_in_flight', { route: 'orchestrator', arm: 'canary' })).toBe(1);
  });

  it('follows the calls in flight of two routers, whose call ids are each their own', async () => {
    const { metrics } = setup();
    const a = createFakeRouter(BOOKING_CONFIG);
    const b = createFakeRouter(BOOKING_CONFIG);
    metrics.attach(a);
    const detachB = metrics.attach(b);
    const inFlight = (arm: string) => sampleValue(registry, 'model_canary_in_flight', { route: 'orchestrator', arm });
    a.emit('callStart', { callId: '1', route: 'orchestrator', arm: 'canary' });
    b.emit('callStart', { callId: '1', route: 'orchestrator', arm: 'control' });
    expect([await inFlight('canary'), await inFlight('control')]).toEqual([1, 1]);
    a.emit('call', callEvent({ callId: '1', arm: 'canary' }));
    expect([await inFlight('canary'), await inFlight('control')]).toEqual([0, 1]);
    b.emit('call', callEvent({ callId: '1', arm: 'control', model: HAIKU }));
    expect([await inFlight('canary'), await inFlight('control')]).toEqual([0, 0]);
    // A router detached with a call in flight takes it off the gauge: its end will never be seen.
    b.emit('callStart', { callId: '2', route: 'orchestrator', arm: 'control' });
    detachB();
    expect(await inFlight('control')).toBe(0);
  });

  it('counts a call the application cancelled under outcome "cancelled", with no error class', async () => {
    const { router } = setup();
    router.emit('call', callEvent({ outcome: 'cancelled', errorClass: null }));
    const labels = { route: 'orchestrator', arm: 'canary', model: SONNET };
    expect(await sampleValue(registry, 'model_canary_requests_total', { ...labels, outcome: 'cancelled' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_requests_total', { ...labels, outcome: 'error' })).toBe(0);
  });
});

describe('closed label sets', () => {
  it.each([
    ['an unknown route', { route: 'admin' }, { route: 'other', arm: 'other', model: SONNET }],
    ['an unknown arm', { arm: 'shadow' }, { route: 'orchestrator', arm: 'other', model: SONNET }],
    ['an unconfigured model', { model: 'claude-3-some-old-model' }, { route: 'orchestrator', arm: 'canary', model: 'other' }],
  ])('folds %s into "other"', async (_what, overrides, expected) => {
    const { router } = setup();
    router.emit('call', callEvent(overrides));
    expect(await sampleValue(registry, 'model_canary_requests_total', { ...expected, outcome: 'success' })).toBe(1);
  });

  it('folds unknown outcomes, reasons and error classes into "other"', async () => {
    const { router } = setup();
    router.emit('call', callEvent({ outcome: 'weird', errorClass: 'teapot' }));
    router.emit('decision', { route: 'orchestrator', arm: 'canary', reason: 'vibes' });
    const labels = { route: 'orchestrator', arm: 'canary', model: SONNET };
    expect(await sampleValue(registry, 'model_canary_requests_total', { ...labels, outcome: 'other' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_request_errors_total', { ...labels, error_class: 'other' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_decisions_total', { route: 'orchestrator', arm: 'canary', reason: 'other' })).toBe(1);
  });

  it('never turns a unit key, a served model or a request id into a label value', async () => {
    const { router } = setup();
    router.emit('call', callEvent({ servedModel: 'claude-sonnet-4-6-20260101', key: 'booking-secret-key-123', requestId: 'req_abc' }));
    const text = await registry.metrics();
    expect(text).not.toContain('booking-secret-key-123');
    expect(text).not.toContain('claude-sonnet-4-6-20260101');
    expect(text).not.toContain('req_abc');
  });
});

describe('units', () => {
  it('counts a unit assignment per route and arm when it happens, with every configured arm at 0 from the start', async () => {
    const { router } = setup();
    expect(await sampleValue(registry, 'model_canary_unit_assignments_total', { route: 'orchestrator', arm: 'canary' })).toBe(0);
    expect(await sampleValue(registry, 'model_canary_unit_assignments_total', { route: 'orchestrator', arm: 'control' })).toBe(0);
    router.emit('unitAssignment', { route: 'orchestrator', arm: 'canary' });
    router.emit('unitAssignment', { route: 'orchestrator', arm: 'canary' });
    expect(await sampleValue(registry, 'model_canary_unit_assignments_total', { route: 'orchestrator', arm: 'canary' })).toBe(2);
    expect(await sampleValue(registry, 'model_canary_units_total', { route: 'orchestrator', arm: 'canary', outcome: 'success' })).toBe(0);
  });

  it('counts a unit under the arm of every route it called, with its total cost and duration', async () => {
    const { router } = setup();
    router.emit('unit', {
      outcome: 'success',
      durationMs: 4000,
      costUsd: 0.02,
      routes: [
        { route: 'orchestrator', arm: 'canary', mixedArms: false },
        { route: 'specialist', arm: 'control', mixedArms: false },
      ],
    });
    expect(await sampleValue(registry, 'model_canary_units_total', { route: 'orchestrator', arm: 'canary', outcome: 'success' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_units_total', { route: 'specialist', arm: 'control', outcome: 'success' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_unit_cost_usd_sum', { route: 'orchestrator', arm: 'canary' })).toBe(0.02);
    expect(await sampleValue(registry, 'model_canary_unit_cost_usd_bucket', { route: 'orchestrator', arm: 'canary', le: 0.025 })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_unit_duration_seconds_sum', { route: 'orchestrator', arm: 'canary' })).toBe(4);
    expect(await sampleValue(registry, 'model_canary_unit_mixed_arms_total', { route: 'orchestrator', outcome: 'success' })).toBe(0);
  });

  it('counts a unit that landed on two arms of a route only as mixed on that route, out of its per-arm units, cost and duration', async () => {
    const { router } = setup();
    router.emit('unit', {
      outcome: 'failure',
      durationMs: 4000,
      costUsd: 0.02,
      routes: [
        { route: 'orchestrator', arm: 'canary', mixedArms: true },
        { route: 'specialist', arm: 'control', mixedArms: false },
      ],
    });
    expect(await sampleValue(registry, 'model_canary_unit_mixed_arms_total', { route: 'orchestrator', outcome: 'failure' })).toBe(1);
    expect((await samples(registry, 'model_canary_units_total')).filter((s) => s.labels.route === 'orchestrator' && s.value !== 0)).toEqual([]);
    for (const arm of ['canary', 'control']) {
      expect(await sampleValue(registry, 'model_canary_unit_cost_usd_count', { route: 'orchestrator', arm })).toBe(0);
      expect(await sampleValue(registry, 'model_canary_unit_duration_seconds_count', { route: 'orchestrator', arm })).toBe(0);
    }
    // The other route, where all its calls were on one arm, still counts it.
    expect(await sampleValue(registry, 'model_canary_units_total', { route: 'specialist', arm: 'control', outcome: 'failure' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_unit_cost_usd_sum', { route: 'specialist', arm: 'control' })).toBe(0.02);
    expect(await sampleValue(registry, 'model_canary_unit_mixed_arms_total', { route: 'specialist', outcome: 'failure' })).toBe(0);
  });

  it('keeps every unit of a route in exactly one place: units_total summed over arms plus unit_mixed_arms_total', async () => {
    const { router } = setup();
    const mixedEvery = 7;
    for (let i = 0; i < 100; i += 1) {
      router.emit('unit', {
        outcome: i % 3 === 0 ? 'failure' : 'success',
        durationMs: 1000,
        costUsd: 0.01,
        routes: [{ route: 'orchestrator', arm: i % 10 === 0 ? 'canary' : 'control', mixedArms: i % mixedEvery === 0 }],
      });
    }
    const total = async (name: string) => (await samples(registry, name)).filter((s) => s.labels.route === 'orchestrator').reduce((a, s) => a + s.value, 0);
    expect(await total('model_canary_unit_mixed_arms_total')).toBe(15);
    expect(await total('model_canary_units_total')).toBe(85);
  });
});

describe('config reloads', () => {
  const RAMPED = {
    routes: {
      orchestrator: {
        enabled: true,
        arms: [
          { name: 'canary', model: SONNET, percent: 25 },
          { name: 'verifier', model: OPUS, percent: 5 },
          { name: 'control', model: HAIKU, percent: null },
        ],
      },
    },
  };

  it('follows the percent of every arm and shows a new arm at zero when the reload is applied', async () => {
    const { router } = setup();
    router.emit('call', callEvent());
    router.reloadWith(RAMPED);
    const pct = (route: string, arm: string, model: string) => sampleValue(registry, 'model_canary_arm_percent', { route, arm, model });
    expect(await pct('orchestrator', 'canary', SONNET)).toBe(25);
    expect(await pct('orchestrator', 'verifier', OPUS)).toBe(5);
    expect(await pct('orchestrator', 'control', HAIKU)).toBe(70);
    expect(await sampleValue(registry, 'model_canary_requests_total', { route: 'orchestrator', arm: 'verifier', model: OPUS, outcome: 'success' })).toBe(0);
    expect(await sampleValue(registry, 'model_canary_request_duration_seconds_count', { route: 'orchestrator', arm: 'verifier', model: OPUS, outcome: 'success' })).toBe(0);
    // Observations made before the reload survive it.
    expect(await sampleValue(registry, 'model_canary_request_duration_seconds_count', { route: 'orchestrator', arm: 'canary', model: SONNET, outcome: 'success' })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_config_version')).toBe(2);
    expect(await sampleValue(registry, 'model_canary_config_reloads_total', { result: 'applied' })).toBe(1);
  });

  it('sets the percent of an arm removed by a reload to 0 and drops its arm_info', async () => {
    const { router } = setup();
    router.reloadWith({ routes: { orchestrator: { enabled: true, arms: [{ name: 'control', model: HAIKU, percent: null }] } } });
    expect(await sampleValue(registry, 'model_canary_arm_percent', { route: 'orchestrator', arm: 'canary', model: SONNET })).toBe(0);
    expect(await sampleValue(registry, 'model_canary_arm_percent', { route: 'specialist', arm: 'control', model: HAIKU })).toBe(0);
    expect(await sampleValue(registry, 'model_canary_arm_percent', { route: 'orchestrator', arm: 'control', model: HAIKU })).toBe(100);
    expect(await sampleValue(registry, 'model_canary_arm_info', { route: 'orchestrator', arm: 'canary', model: SONNET, role: 'canary' })).toBeUndefined();
  });

  it('brings every series back at 0 on the next applied config after a registry reset', async () => {
    const { router } = setup();
    router.emit('call', callEvent({ outcome: 'success' }));
    registry.resetMetrics();
    const requests = { route: 'orchestrator', arm: 'canary', model: SONNET, outcome: 'success' };
    expect(await sampleValue(registry, 'model_canary_requests_total', requests)).toBeUndefined();
    router.reloadWith(BOOKING_CONFIG);
    expect(await sampleValue(registry, 'model_canary_requests_total', requests)).toBe(0);
    expect(await sampleValue(registry, 'model_canary_request_duration_seconds_count', requests)).toBe(0);
    expect(await sampleValue(registry, 'model_canary_unit_mixed_arms_total', { route: 'orchestrator', outcome: 'success' })).toBe(0);
    router.emit('call', callEvent({ outcome: 'success' }));
    expect(await sampleValue(registry, 'model_canary_requests_total', requests)).toBe(1);
  });

  it('gives the default arm 100% when the kill switch disables the route', async () => {
    const { router } = setup();
    const orchestrator = BOOKING_CONFIG.routes.orchestrator!;
    router.reloadWith({ routes: { ...BOOKING_CONFIG.routes, orchestrator: { ...orchestrator, enabled: false } } });
    expect(await sampleValue(registry, 'model_canary_arm_percent', { route: 'orchestrator', arm: 'canary', model: SONNET })).toBe(0);
    expect(await sampleValue(registry, 'model_canary_arm_percent', { route: 'orchestrator', arm: 'control', model: HAIKU })).toBe(100);
  });

  it.each([
    ['rejected', 0],
    ['missing', 0],
    ['unchanged', 1],
  ])('a %s reload sets last_reload_successful to %i and keeps the serving percents', async (result, ok) => {
    const { router } = setup();
    router.emit('config', { type: 'config', result, at: 1_700_000_123_000, version: 1 });
    expect(await sampleValue(registry, 'model_canary_config_last_reload_successful')).toBe(ok);
    expect(await sampleValue(registry, 'model_canary_config_reloads_total', { result })).toBe(1);
    expect(await sampleValue(registry, 'model_canary_arm_percent', { route: 'orchestrator', arm: 'canary', model: SONNET })).toBe(10);
  });

  it('records the time of the last successful reload in seconds', async () => {
    const { router } = setup();
    router.emit('config', { type: 'config', result: 'unchanged', at: 1_700_000_123_000, version: 1 });
    expect(await sampleValue(registry, 'model_canary_config_last_reload_success_timestamp_seconds')).toBe(1_700_000_123);
  });
});

describe('lifecycle and options', () => {
  it('stops counting and unsubscribes every listener on detach', async () => {
    const { router, detach } = setup();
    expect(router.listenerCount()).toBe(10);
    detach();
    expect(router.listenerCount()).toBe(0);
    router.emit('call', callEvent());
    expect(await sampleValue(registry, 'model_canary_requests_total', { route: 'orchestrator', arm: 'canary', model: SONNET, outcome: 'success' })).toBe(0);
  });

  it('counts the router errors it is told about', async () => {
    const { router } = setup();
    router.emit('error', { type: 'error', source: 'observer:call', error: new Error('boom') });
    expect(await sampleValue(registry, 'model_canary_router_errors_total')).toBe(1);
  });

  it('refuses to register twice on one registry with a coded error', () => {
    setup();
    let caught: unknown;
    try {
      createCanaryMetrics({ registry });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CanaryMetricsError);
    expect((caught as CanaryMetricsError).code).toBe(CANARY_METRICS_ERROR_CODES.alreadyRegistered);
  });

  it('rejects a prefix that is not a metric name', () => {
    registry = new Registry();
    expect(() => createCanaryMetrics({ registry, prefix: 'model-canary' })).toThrow(CanaryMetricsError);
  });

  it.each([
    { option: 'buckets', bounds: [1, 0.5, 2], message: 'buckets is not a strictly increasing list of finite numbers (at index 1: 0.5)' },
    { option: 'ttftBuckets', bounds: [1, 1, 2], message: 'ttftBuckets is not a strictly increasing list of finite numbers (at index 1: 1)' },
    { option: 'costBuckets', bounds: [Number.NaN], message: 'costBuckets is not a strictly increasing list of finite numbers (at index 0: NaN)' },
    { option: 'unitDurationBuckets', bounds: [], message: 'unitDurationBuckets is empty' },
  ])('rejects $option $bounds, which would count observations in the wrong bucket', ({ option, bounds, message }) => {
    const registry = new Registry();
    expect(() => createCanaryMetrics({ registry, [option]: bounds })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining(message) as string }));
    expect(registry.getMetricsAsArray()).toEqual([]);
  });

  it('uses the prefix and buckets it is given', async () => {
    registry = new Registry();
    createCanaryMetrics({ registry, prefix: 'app_', buckets: [1, 10] }).attach(createFakeRouter(BOOKING_CONFIG));
    const buckets = (await samples(registry, 'app_request_duration_seconds')).filter((s) => s.name.endsWith('_bucket')).map((s) => s.labels.le);
    expect(new Set(buckets)).toEqual(new Set([1, 10, '+Inf']));
    expect(await registry.metrics()).not.toContain('model_canary_');
  });
});
