import type { CallEvent, Router } from '@model-canary/router';
import type { Logger } from '../logging.js';

export const TOKEN_TYPES = ['input', 'output', 'cache_read', 'cache_write_5m', 'cache_write_1h'] as const;
export type Tokens = Record<(typeof TOKEN_TYPES)[number], number>;

/** What one booking's model calls added up to, from the router's `call` events. */
export interface BookingCalls {
  calls: number;
  failedCalls: number;
  costUsd: number;
  /** True when some call had no price: costUsd is then a lower bound. */
  costUnknown: boolean;
  tokens: Tokens;
  /**
   * Route → the arm its calls were assigned (the first call's arm), the arm's model, and the model that served
   * the call: the control model when a fallback served it, else the arm's.
   */
  arms: Record<string, { arm: string; model: string; servedBy: string }>;
}

export interface CallLog {
  /** Starts collecting (and logging) the calls of unit `key` under the booking's own logger. */
  open(key: string, log: Logger): BookingCalls;
  close(key: string): void;
  detach(): void;
}

/**
 * One subscription to the router's `call` events for the whole app, dispatched by unit key to the
 * booking that made the call, so every model invocation is logged under that booking's trace id.
 */
export function createCallLog(router: Pick<Router, 'on'>): CallLog {
  const open = new Map<string, { log: Logger; totals: BookingCalls }>();
  const record = (event: CallEvent): void => {
    const booking = event.key === undefined ? undefined : open.get(event.key);
    if (booking === undefined) return;
    const { totals, log } = booking;
    totals.calls++;
    if (event.outcome === 'error' || event.outcome === 'fallback') totals.failedCalls++;
    const fallbackCost = event.fallback?.costUsd ?? 0;
    if (event.costUsd === null || (event.fallback !== undefined && event.fallback.costUsd === null)) totals.costUnknown = true;
    totals.costUsd += (event.costUsd ?? 0) + fallbackCost;
    for (const type of TOKEN_TYPES) totals.tokens[type] += event.tokens[type] + (event.fallback?.tokens[type] ?? 0);
    totals.arms[event.route] ??= { arm: event.arm, model: event.model, servedBy: event.fallback?.outcome === 'success' ? event.fallback.model : event.model };
    log.info(
      {
        step: 'model_call',
        route: event.route,
        arm: event.arm,
        model: event.model,
        servedModel: event.servedModel,
        outcome: event.outcome,
        errorClass: event.errorClass,
        attempts: event.attempts,
        durationMs: Math.round(event.durationMs),
        tokens: event.tokens,
        costUsd: event.costUsd,
        requestId: event.requestId,
        ...(event.fallback === undefined ? {} : { fallback: { model: event.fallback.model, outcome: event.fallback.outcome } }),
      },
      'model call',
    );
  };
  const detach = router.on('call', record);
  return {
    open(key, log) {
      const totals: BookingCalls = {
        calls: 0,
        failedCalls: 0,
        costUsd: 0,
        costUnknown: false,
        tokens: { input: 0, output: 0, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 },
        arms: {},
      };
      open.set(key, { log, totals });
      return totals;
    },
    close(key) {
      open.delete(key);
    },
    detach,
  };
}
