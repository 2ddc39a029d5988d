import type Anthropic from '@anthropic-ai/sdk';
import { bucketIndex, saltState } from '../assignment/hash-bucket.js';
import { classifyError } from '../call/classify-error.js';
import type { RolloutConfig } from '../config/rollout-config.js';
import type { ShadowConfig } from '../config/shadow-schema.js';
import type { Decision } from '../decision.js';
import type { RouterEvents } from '../event-emitter.js';
import type { ErrorClass, TokenCounts } from '../events.js';
import { costUsd, type PriceLookup } from '../pricing/cost-usd.js';
import { tokensFromUsage, ZERO_TOKENS } from '../pricing/tokens-from-usage.js';
import type { Judge } from './judge.js';
import type { ShadowOutcome, ShadowSkipReason } from './shadow-events.js';

export interface ShadowRunnerOptions {
  readonly client: Anthropic;
  readonly events: RouterEvents;
  readonly judge?: Judge | undefined;
}

/** What the call path tells the runner about a call at its start. */
export interface ShadowCall {
  readonly decision: Decision;
  readonly config: RolloutConfig;
  readonly key: string | undefined;
  readonly params: Readonly<Record<string, unknown>>;
  readonly streaming: boolean;
  /** `{ shadow: false }` in the call's options. */
  readonly optedOut: boolean;
  /** The caller's signal: cancelling it cancels the shadow. */
  readonly signal: AbortSignal | null | undefined;
}

export interface ShadowRunner {
  /**
   * Whether the call is in its route's shadow sample. Returns the function to call with the served answer (which
   * starts the mirror after the caller's own continuation), or null (not sampled, or skipped now and reported).
   */
  sample(call: ShadowCall): ((served: unknown) => void) | null;
  /** Shadow calls and judgements running now. */
  inFlight(): number;
  /** Stops new shadows, waits up to `waitMs` for running ones, then cancels the rest and waits for them to end. */
  close(waitMs: number): Promise<void>;
}

interface RouteBudget {
  spent: number;
  reserved: number;
  inFlight: number;
}

/**
 * Runs a route's shadow calls in the background, never in the caller's path: a shadow starts only after the
 * served call has answered (on a later turn of the event loop), its errors end in its own event, and it is
 * bounded in number (`maxInFlight`), in time (`timeoutMs`) and in spend (`budgetUsd`: each call reserves an
 * upper estimate of its cost before it is sent, so concurrent shadows cannot overrun the cap together).
 */
export function createShadowRunner({ client, events, judge }: ShadowRunnerOptions): ShadowRunner {
  const budgets = new Map<string, RouteBudget>();
  const running = new Set<Promise<void>>();
  const controllers = new Set<AbortController>();
  let closed = false;
  let inFlight = 0;

  const budgetOf = (route: string): RouteBudget => {
    let b = budgets.get(route);
    if (b === undefined) budgets.set(route, (b = { spent: 0, reserved: 0, inFlight: 0 }));
    return b;
  };

  function report(call: ShadowCall, shadow: ShadowConfig, fields: { outcome: ShadowOutcome; skipReason?: ShadowSkipReason; errorClass?: ErrorClass | null; durationMs?: number; tokens?: TokenCounts; costUsd?: number; served?: unknown; candidate?: unknown }): void {
    if (!events.has('shadow')) return;
    const { decision, key } = call;
    events.emit('shadow', {
      type: 'shadow',
      route: decision.route,
      arm: decision.arm,
      servedModel: decision.model,
      shadowModel: shadow.model,
      outcome: fields.outcome,
      skipReason: fields.skipReason ?? null,
      errorClass: fields.errorClass ?? null,
      durationMs: fields.durationMs ?? 0,
      tokens: fields.tokens ?? ZERO_TOKENS,
      costUsd: fields.costUsd ?? 0,
      spentUsd: budgetOf(decision.route).spent,
      budgetUsd: shadow.budgetUsd,
      ...(key === undefined ? {} : { key }),
      ...(fields.served === undefined ? {} : { request: call.params, served: fields.served, candidate: fields.candidate }),
    });
  }

  function mirror(call: ShadowCall, shadow: ShadowConfig, served: unknown): void {
    const route = call.decision.route;
    if (closed) return report(call, shadow, { outcome: 'skipped', skipReason: 'closed' });
    if (call.signal?.aborted) return report(call, shadow, { outcome: 'cancelled' });
    const budget = budgetOf(route);
    if (budget.inFlight >= shadow.maxInFlight) return report(call, shadow, { outcome: 'skipped', skipReason: 'max_in_flight' });
    const estimate = estimateUsd(call.params, shadow.model, call.config.prices);
    if (budget.spent + budget.reserved + estimate > shadow.budgetUsd) return report(call, shadow, { outcome: 'skipped', skipReason: 'budget' });
    budget.reserved += estimate;
    budget.inFlight += 1;
    inFlight += 1;

    const controller = new AbortController();
    controllers.add(controller);
    const onAbort = (): void => controller.abort(call.signal?.reason);
    call.signal?.addEventListener('abort', onAbort, { once: true });
    let timer = setTimeout(() => controller.abort(new Error('shadow timeout')), shadow.timeoutMs);
    const t0 = performance.now();

    const task = (async () => {
      let candidate: Anthropic.Message | null = null;
      let error: unknown;
      try {
        candidate = await client.messages.create(
          { ...(call.params as unknown as Anthropic.MessageCreateParamsNonStreaming), model: shadow.model },
          { signal: controller.signal, maxRetries: 0 },
        );
      } catch (e) {
        error = e;
      }
      const tokens = tokensFromUsage(candidate?.usage);
      const cost = costUsd(shadow.model, tokens, call.config.prices) ?? 0;
      budget.reserved -= estimate;
      budget.spent += cost;
      // Cancelled by the app's signal or by close(); a shadow aborted by its own timeoutMs is a `timeout` error.
      const cancelled = candidate === null && (call.signal?.aborted === true || closed);
      report(call, shadow, {
        outcome: candidate !== null ? 'success' : cancelled ? 'cancelled' : 'error',
        errorClass: candidate !== null || cancelled ? null : controller.signal.aborted ? 'timeout' : classifyError(error),
        durationMs: performance.now() - t0,
        tokens,
        costUsd: cost,
        ...(candidate === null ? {} : { served, candidate }),
      });
      if (candidate === null || judge === undefined || controller.signal.aborted) return;
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new Error('judge timeout')), shadow.timeoutMs);
      const j0 = performance.now();
      // A judge never throws by contract; an app's render function might: that is a judge error too.
      const result = await judge
        .compare({ request: call.params, served: served as object, candidate }, controller.signal)
        .catch((error: unknown) => ({ verdict: 'judge_error' as const, orders: [], tokens: ZERO_TOKENS, errorClass: classifyError(error) }));
      if (!events.has('judgement')) return;
      events.emit('judgement', {
        type: 'judgement',
        route,
        arm: call.decision.arm,
        servedModel: call.decision.model,
        shadowModel: shadow.model,
        judgeModel: judge.model,
        verdict: result.verdict,
        orders: result.orders,
        durationMs: performance.now() - j0,
        tokens: result.tokens,
        costUsd: costUsd(judge.model, result.tokens, call.config.prices),
        errorClass: result.errorClass,
        ...(call.key === undefined ? {} : { key: call.key }),
      });
    })()
      .catch((bug: unknown) => events.emit('error', { type: 'error', source: 'shadow', error: bug }))
      .finally(() => {
        clearTimeout(timer);
        call.signal?.removeEventListener('abort', onAbort);
        controllers.delete(controller);
        budget.inFlight -= 1;
        inFlight -= 1;
        running.delete(task);
      });
    running.add(task);
  }

  return {
    sample(call) {
      const { decision, key } = call;
      const shadow = call.config.routes[decision.route]?.shadow;
      // Not sampled: no shadow, a keyless call (no unit to be sticky for), or the call already runs on the shadow model.
      if (shadow === undefined || key === undefined || shadow.model === decision.model) return null;
      if (bucketIndex(saltState(shadow.salt), key) >= Math.round(shadow.percent * 100)) return null;
      if (call.optedOut) return skipNow(call, shadow, 'opted_out');
      if (call.streaming) return skipNow(call, shadow, 'streamed');
      return (served) => {
        // After the caller's own continuation (a microtask of the same turn): the shadow costs the caller nothing.
        setImmediate(() => mirror(call, shadow, served));
      };
    },
    inFlight: () => inFlight,
    async close(waitMs) {
      closed = true;
      // A served answer that just arrived schedules its mirror on the next turn: let it run (and be counted as a
      // `closed` skip) before the router reports itself closed.
      await new Promise((resolve) => setImmediate(resolve));
      if (running.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(running), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
        clearTimeout(timer);
      }
      for (const controller of controllers) controller.abort(new Error('router closed'));
      await Promise.all(running);
    },
  };

  function skipNow(call: ShadowCall, shadow: ShadowConfig, reason: ShadowSkipReason): null {
    report(call, shadow, { outcome: 'skipped', skipReason: reason });
    return null;
  }
}

/** Bytes a token covers at least (byte-level BPE): a request's UTF-8 size bounds its input tokens. */
const TOOL_USE_OVERHEAD_TOKENS = 1000;

/**
 * An upper estimate of a call's cost before it is sent: every UTF-8 byte of its messages, system prompt and
 * tools as an input token (a token covers at least one byte), the tool-use system overhead, and `max_tokens`
 * output tokens. Spend can pass the budget only by what a call costs beyond this estimate.
 */
export function estimateUsd(params: Readonly<Record<string, unknown>>, model: string, prices: PriceLookup): number {
  const input =
    Buffer.byteLength(JSON.stringify([params['system'] ?? null, params['messages'] ?? null, params['tools'] ?? null])) +
    (params['tools'] === undefined ? 0 : TOOL_USE_OVERHEAD_TOKENS);
  const output = typeof params['max_tokens'] === 'number' ? params['max_tokens'] : 0;
  return costUsd(model, { ...ZERO_TOKENS, input, output }, prices) ?? 0;
}
