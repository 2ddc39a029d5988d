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

export function createRouterEvents(): RouterEvents {
  const listeners = new Map<RouterEventName, Listener<RouterEventName>[]>();

  const report = (source: string, error: unknown): void => {
    for (const listener of listeners.get('error') ?? []) {
      try {
        listener({ type: 'error', source, error });
      } catch {
        // An error observer that throws has nowhere left to report to; dropping it keeps the caller safe.
      }
    }
  };

  return {
    on(event, listener) {
      // copy-on-write, so that emit can iterate without a copy and (un)subscribing during an emit is safe
      listeners.set(event, [...(listeners.get(event) ?? []), listener as Listener<RouterEventName>]);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        const rest = (listeners.get(event) ?? []).filter((l) => l !== listener);
        if (rest.length === 0) listeners.delete(event);
        else listeners.set(event, rest);
      };
    },
    emit(event, payload) {
      const current = listeners.get(event);
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
    has: (event) => listeners.has(event),
    clear: () => listeners.clear(),
  };
}
