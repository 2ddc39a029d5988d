import type { CanaryMetricsSource, SourceConfig, SourceConfigEvent, SourceEventMap, SourceSnapshot } from '../source.js';

/** A stand-in for the router in unit tests: a snapshot plus an event emitter of the contract's events. */
export interface FakeRouter extends CanaryMetricsSource {
  emit<E extends keyof SourceEventMap>(event: E, payload: SourceEventMap[E]): void;
  /** Swaps the config and emits an applied `config` event, like a hot reload. */
  reloadWith(config: SourceConfig): void;
  listenerCount(): number;
}

export function createFakeRouter(config: SourceConfig | null, lastReload: SourceConfigEvent | null = null, serving = 'split'): FakeRouter {
  let snapshot: SourceSnapshot = { version: 1, config, serving, lastReload };
  const listeners = new Map<string, Set<(e: never) => void>>();
  const router: FakeRouter = {
    snapshot: () => snapshot,
    on(event, fn) {
      let set = listeners.get(event);
      if (set === undefined) {
        set = new Set();
        listeners.set(event, set);
      }
      const listener = fn as (e: never) => void;
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    emit(event, payload) {
      for (const fn of listeners.get(event) ?? []) (fn as (e: typeof payload) => void)(payload);
    },
    reloadWith(next) {
      const event: SourceConfigEvent = { type: 'config', result: 'applied', at: 1_700_000_000_000, version: snapshot.version + 1 };
      snapshot = { version: event.version, config: next, lastReload: event };
      router.emit('config', event);
    },
    listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
  };
  return router;
}
