import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../config/default-prices.js';
import type { RolloutConfig } from '../config/rollout-config.js';
import type { Decision } from '../decision.js';
import { createRouterEvents } from '../event-emitter.js';
import type { RouterEventMap } from '../events.js';
import { CallTracker, type CallEnv } from './call-tracker.js';

const decision: Decision = { route: 'orchestrator', arm: 'canary', model: 'claude-sonnet-4-6', bucket: 0.05, reason: 'split', keyed: true, configVersion: 1 };
const config = (models: RolloutConfig['prices']['models']): RolloutConfig => ({ routes: {}, models: {}, prices: { asOf: '2026-08-01', models } });
const usage = { input_tokens: 1000, output_tokens: 500, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

function setup(models = DEFAULT_PRICES.models) {
  const events = createRouterEvents();
  const seen = { call: [] as RouterEventMap['call'][], attempt: [] as RouterEventMap['attempt'][], error: [] as RouterEventMap['error'][] };
  events.on('call', (e) => seen.call.push(e));
  events.on('attempt', (e) => seen.attempt.push(e));
  events.on('error', (e) => seen.error.push(e));
  const reported = new Set<string>();
  const env: CallEnv = {
    events,
    now: () => 1_000,
    reportUnpriced: (model) => {
      if (reported.has(model)) return;
      reported.add(model);
      events.emit('error', { type: 'error', source: 'pricing', error: new Error(model) });
    },
  };
  const track = () => new CallTracker({ env, id: '1', decision, config: config(models), fallbackArm: null, key: 'k', streaming: false, sink: undefined });
  return { seen, track };
}

describe('CallTracker', () => {
  it('emits exactly one call event, whatever is reported after the first ending', () => {
    const { seen, track } = setup();
    const t = track();
    t.succeed({ model: 'claude-sonnet-4-6', stop_reason: 'end_turn', usage });
    t.fail(new Error('late'));
    t.succeed(null);
    expect(seen.call).toHaveLength(1);
    expect(seen.call[0]).toMatchObject({ outcome: 'success', costUsd: 0.0105, key: 'k', startedAt: 1_000 });
  });

  it('records a refusal and a max_tokens stop as error outcomes of an answered call', () => {
    const { seen, track } = setup();
    track().succeed({ model: 'claude-sonnet-4-6', stop_reason: 'refusal', usage });
    track().succeed({ model: 'claude-sonnet-4-6', stop_reason: 'max_tokens', usage });
    expect(seen.call.map((c) => [c.outcome, c.errorClass, c.costUsd])).toEqual([
      ['error', 'refusal', 0.0105],
      ['error', 'max_tokens', 0.0105],
    ]);
  });

  it('records an unpriced model as null cost, reported once per model, tokens still counted', () => {
    const { seen, track } = setup({});
    track().succeed({ model: 'claude-sonnet-4-6', usage });
    track().succeed({ model: 'claude-sonnet-4-6', usage });
    expect(seen.call.map((c) => c.costUsd)).toEqual([null, null]);
    expect(seen.call[0]?.tokens.input).toBe(1000);
    expect(seen.error).toHaveLength(1);
  });

  it('halves the cost of a batch-tier usage', () => {
    const { seen, track } = setup();
    track().succeed({ model: 'claude-sonnet-4-6', usage: { ...usage, service_tier: 'batch' } });
    expect(seen.call[0]?.costUsd).toBe(0.00525);
  });

  it('emits a 2xx attempt when the call ends, with the class of a failure in its body', () => {
    const { seen, track } = setup();
    const t = track();
    const attempt = { origin: 'primary', model: 'claude-sonnet-4-6', startedAt: performance.now() } as const;
    t.attemptFailed({ ...attempt, status: 429, errorClass: 'rate_limit', requestId: 'req_1' });
    t.attemptResponded({ ...attempt, status: 200, errorClass: null, requestId: 'req_2' });
    expect(seen.attempt).toHaveLength(1);
    t.fail(Object.assign(new Error('Overloaded'), { type: 'overloaded_error' }));
    expect(seen.attempt.map((a) => [a.attempt, a.status, a.errorClass, a.requestId])).toEqual([
      [1, 429, 'rate_limit', 'req_1'],
      [2, 200, 'overloaded', 'req_2'],
    ]);
    expect(seen.call[0]).toMatchObject({ outcome: 'error', errorClass: 'overloaded', attempts: 2, requestId: 'req_2' });
  });
});
