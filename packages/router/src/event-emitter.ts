import { ERROR_CODES, ModelCanaryError } from './errors.js';
import type { RouterEventMap, RouterEventName } from './events.js';

export type Listener<E extends RouterEventName> = (event: RouterEventMap[E]) => void;

/** Typed events whose observers can never break the caller: a throwing observer becomes an `error` event. */
export interface RouterEvents {
  on<E extends RouterEventName>(event: E, listener: Listener<E>): () => void;
  emit<E extends RouterEventName>(event: E, payload: RouterEventMap[E]): void;
  /** Cheap check so that hot paths build no event object when nobody listens. */
  has(event: RouterEventName): boolean;
  clear(): void;
}

type Slots = { [E in RouterEventName]: Listener<RouterEventName>[] | undefined };

/** One slot per event name, in a fixed-shape object: the hot path's `has` and `emit` are plain property reads. */
const emptySlots = (): Slots => ({
  decision: undefined,
  callStart: undefined,
  attempt: undefined,
  call: undefined,
  unit: undefined,
  unitAssignment: undefined,
  config: undefined,
  shadow: undefined,
  judgement: undefined,
  error: undefined,
});

export function createRouterEvents(): RouterEvents {
  let listeners = emptySlots();

  const report = (source: string, error: unknown): void => {
    for (const listener of listeners.error ?? []) {
      try {
        listener({ type: 'error', source, error });
      } catch {
        // An error observer that throws has nowhere left to report to; dropping it keeps the caller safe.
      }
    }
  };

  return {
    on(event, listener) {
      if (!Object.hasOwn(listeners, event)) {
        throw new ModelCanaryError(ERROR_CODES.invalidOptions, `no event "${String(event)}": one of ${Object.keys(listeners).join(', ')}`);
      }
      // copy-on-write, so that emit can iterate without a copy and (un)subscribing during an emit is safe
      listeners[event] = [...(listeners[event] ?? []), listener as Listener<RouterEventName>];
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        const rest = (listeners[event] ?? []).filter((l) => l !== listener);
        listeners[event] = rest.length === 0 ? undefined : rest;
      };
    },
    emit(event, payload) {
      const current = listeners[event];
      if (current === undefined) return;
      if (event === 'error') {
        report((payload as RouterEventMap['error']).source, (payload as RouterEventMap['error']).error);
        return;
      }
      for (const listener of current) {
        try {
          listener(payload);
        } catch (error) {
          report(`observer:${event}`, error);
        }
      }
    },
    has: (event) => listeners[event] !== undefined,
    clear: () => {
      listeners = emptySlots();
    },
  };
}
