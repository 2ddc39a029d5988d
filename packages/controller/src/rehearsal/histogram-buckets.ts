/**
 * The histogram buckets the rehearsal's simulated Prometheus counts into: the defaults of
 * `@model-canary/metrics` (call latency in seconds, cost per booking in USD), so that a rehearsal sees the
 * quantile resolution a real rollout sees. The controller owns this copy; a test in the metrics package
 * keeps it equal to the metrics defaults.
 */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 600];

export const DEFAULT_COST_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2];
