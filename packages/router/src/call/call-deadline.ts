import { DeadlineExceededError } from '../errors.js';

/**
 * The bound on one whole call (its attempts, the SDK's waits between them and a fallback). Past it, `signal`
 * aborts with the call's `DeadlineExceededError` as reason, so an attempt in flight (headers or body) fails
 * with that error, and `onPassed` ends the call's observation.
 */
export interface CallDeadline {
  readonly ms: number;
  readonly signal: AbortSignal;
  readonly error: DeadlineExceededError;
  passed(): boolean;
  /** Milliseconds left, at least 0. */
  remainingMs(): number;
  /** Stops the timer once the call has ended. */
  clear(): void;
}

export function startDeadline(route: string, ms: number, onPassed: (error: DeadlineExceededError) => void): CallDeadline {
  const controller = new AbortController();
  const error = new DeadlineExceededError(route, ms);
  const endsAt = performance.now() + ms;
  const timer = setTimeout(() => {
    // Its own instance as the abort reason: the SDK marks what `fetch` throws as a fetch failure (retried, then
    // wrapped), and the middleware must throw `error` unmarked.
    controller.abort(new DeadlineExceededError(route, ms));
    onPassed(error);
  }, ms);
  return {
    ms,
    signal: controller.signal,
    error,
    passed: () => controller.signal.aborted,
    remainingMs: () => Math.max(0, endsAt - performance.now()),
    clear: () => clearTimeout(timer),
  };
}

/** Node runs a timer longer than 2^31 - 1 ms after 1 ms. */
export const MAX_DEADLINE_MS = 2 ** 31 - 1;
