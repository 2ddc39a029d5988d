/**
 * Scheduler for simulated delays. A delay of zero runs the callback synchronously: with `timeScale: 0` the
 * hot path creates no timers at all. Pending timers are tracked so `close()` can cancel them.
 */
export interface Timers {
  after(ms: number, fn: () => void): () => void;
  clearAll(): void;
}

export function createTimers(): Timers {
  const pending = new Set<NodeJS.Timeout>();
  return {
    after(ms, fn) {
      if (!(ms > 0)) {
        fn();
        return () => {};
      }
      const t = setTimeout(() => {
        pending.delete(t);
        fn();
      }, ms);
      pending.add(t);
      return () => {
        clearTimeout(t);
        pending.delete(t);
      };
    },
    clearAll() {
      for (const t of pending) clearTimeout(t);
      pending.clear();
    },
  };
}
