/**
 * Default histogram buckets. LLM calls take from tens of milliseconds (a refusal, a 429) to minutes
 * (long generations), so the latency buckets grow roughly x2 from 50 ms to 10 min (15 buckets).
 */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = [
  0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 600,
];

/** Time to first token is usually well under the total, so the range starts lower and ends earlier. */
export const DEFAULT_TTFT_BUCKETS: readonly number[] = [
  0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 60,
];

/** Cost of one unit (a booking) in USD: a single Haiku call is ~0.001 USD, a long Opus chain ~1 USD. */
export const DEFAULT_COST_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2,
];

/** A unit spans several calls, so its duration range is shifted up from the per-call one. */
export const DEFAULT_UNIT_DURATION_BUCKETS: readonly number[] = [
  0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800,
];
