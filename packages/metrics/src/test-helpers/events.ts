import type { SourceCallEvent, SourceConfig, SourceTokenCounts } from '../source.js';

export const HAIKU = 'claude-haiku-4-5';
export const SONNET = 'claude-sonnet-4-6';
export const OPUS = 'claude-opus-4-7';

/** The design's first rollout: 10% of orchestrator traffic on Sonnet 4.6, specialists on Haiku. */
export const BOOKING_CONFIG: SourceConfig = {
  routes: {
    orchestrator: {
      enabled: true,
      fallback: true,
      arms: [
        { name: 'canary', model: SONNET, percent: 10 },
        { name: 'control', model: HAIKU, percent: null },
      ],
    },
    specialist: { enabled: true, arms: [{ name: 'control', model: HAIKU, percent: null }] },
  },
};

export function tokens(partial: Partial<SourceTokenCounts> = {}): SourceTokenCounts {
  return { input: 0, output: 0, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0, ...partial };
}

let nextCall = 0;
/** A complete `call` event of the router contract (extra fields included, as the router sends them). */
export function callEvent(overrides: Partial<SourceCallEvent> & Record<string, unknown> = {}): SourceCallEvent {
  nextCall += 1;
  return {
    type: 'call',
    callId: `call-${nextCall}`,
    route: 'orchestrator',
    arm: 'canary',
    model: SONNET,
    servedModel: SONNET,
    key: 'booking-secret-key-123',
    keyed: true,
    bucket: 0.05,
    reason: 'split',
    configVersion: 1,
    streaming: false,
    startedAt: 1_700_000_000_000,
    durationMs: 1200,
    usage: null,
    tokens: tokens({ input: 1000, output: 200 }),
    costUsd: 0.006,
    outcome: 'success',
    errorClass: null,
    attempts: 1,
    requestId: 'req_abc',
    ...overrides,
  } as SourceCallEvent;
}
