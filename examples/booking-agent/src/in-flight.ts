/** Counts bookings in progress so shutdown can wait for them (and refuse new ones meanwhile). */
export interface InFlight {
  /** Marks one booking started; call the returned function exactly once when it ends. */
  start(): () => void;
  count(): number;
  draining(): boolean;
  /** Stops accepting bookings and resolves when none is left (or the timeout passes: false). */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  let count = 0;
  let draining = false;
  let waiters: Array<() => void> = [];
  const settle = (): void => {
    if (count > 0) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  return {
    start() {
      count++;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        count--;
        settle();
      };
    },
    count: () => count,
    draining: () => draining,
    drain(timeoutMs) {
      draining = true;
      if (count === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
