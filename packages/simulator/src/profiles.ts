/** A lognormal distribution given by its median and 95th percentile (the way latency is usually reported). */
export interface Lognormal {
  readonly median: number;
  readonly p95: number;
}

/** Fault kinds the simulator can produce; each maps to one real API failure. */
export const FAULT_KINDS = ['rate_limit', 'overloaded', 'server', 'timeout', 'stream_error'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ModelProfile {
  /** Time to first token (headers for streaming, part of the whole wait otherwise), in ms. */
  readonly ttftMs: Lognormal;
  /** Output speed in tokens per second. */
  readonly outputTokensPerSecond: Lognormal;
  /** Length of a text answer in output tokens (capped by the request's max_tokens). */
  readonly outputTokens: Lognormal;
  /** Largest max_tokens the model accepts (the real API answers 400 above it). */
  readonly maxOutputTokens: number;
  /** Smallest prefix the model caches; shorter cache_control prefixes are silently not cached. */
  readonly minCacheTokens: number;
  /** Probability per request of each fault kind (stream_error only applies to streaming requests). */
  readonly errorRates: Readonly<Partial<Record<FaultKind, number>>>;
  /** With tool_choice auto and tools offered, how often the model calls a tool (vs answering in text). */
  readonly toolUseRate: number;
  /** Tool-use quality: probability that a tool input breaks its schema, or is valid but incomplete. */
  readonly planQuality: { readonly invalidRate: number; readonly incompleteRate: number };
  /** The `retry-after` a 429 asks for, in ms before timeScale. */
  readonly retryAfterMs: number;
  /**
   * Latent quality of an answer (normal: mean, sd), what a simulated judge compares (Bradley–Terry). An incomplete
   * plan loses 1, an invalid one 2. Haiku 0, Sonnet 0.5, Opus 1 (sd 1).
   */
  readonly answerQuality: { readonly mean: number; readonly sd: number };
}

/** Partial override of a profile: what `models` in the options takes. */
export type ModelProfileOverride = Partial<Omit<ModelProfile, 'planQuality' | 'errorRates' | 'answerQuality'>> & {
  readonly answerQuality?: Partial<ModelProfile['answerQuality']>;
  readonly planQuality?: Partial<ModelProfile['planQuality']>;
  readonly errorRates?: Readonly<Partial<Record<FaultKind, number>>>;
};

// Plausible shapes, not measurements: Haiku is fastest and makes the most plan mistakes, Opus the slowest and
// most careful, so a canary comparison shows differences in latency, cost and task success.
export const DEFAULT_PROFILES: Readonly<Record<string, ModelProfile>> = {
  'claude-haiku-4-5': {
    ttftMs: { median: 450, p95: 1200 },
    outputTokensPerSecond: { median: 110, p95: 160 },
    outputTokens: { median: 180, p95: 600 },
    maxOutputTokens: 64_000,
    minCacheTokens: 4096,
    errorRates: { rate_limit: 0.002, overloaded: 0.004, server: 0.001, timeout: 0.0005, stream_error: 0.001 },
    toolUseRate: 0.9,
    planQuality: { invalidRate: 0.08, incompleteRate: 0.1 },
    retryAfterMs: 1000,
    answerQuality: { mean: 0, sd: 1 },
  },
  'claude-sonnet-4-6': {
    ttftMs: { median: 900, p95: 2500 },
    outputTokensPerSecond: { median: 60, p95: 90 },
    outputTokens: { median: 260, p95: 900 },
    maxOutputTokens: 64_000,
    minCacheTokens: 1024,
    errorRates: { rate_limit: 0.002, overloaded: 0.006, server: 0.001, timeout: 0.0005, stream_error: 0.001 },
    toolUseRate: 0.95,
    planQuality: { invalidRate: 0.02, incompleteRate: 0.03 },
    retryAfterMs: 1000,
    answerQuality: { mean: 0.5, sd: 1 },
  },
  'claude-opus-4-7': {
    ttftMs: { median: 1600, p95: 4500 },
    outputTokensPerSecond: { median: 40, p95: 60 },
    outputTokens: { median: 320, p95: 1100 },
    maxOutputTokens: 128_000,
    minCacheTokens: 4096,
    errorRates: { rate_limit: 0.002, overloaded: 0.008, server: 0.001, timeout: 0.0005, stream_error: 0.001 },
    toolUseRate: 0.95,
    planQuality: { invalidRate: 0.01, incompleteRate: 0.015 },
    retryAfterMs: 1000,
    answerQuality: { mean: 1, sd: 1 },
  },
};

/** Merges overrides into the defaults; a model only in `models` starts from the Sonnet profile. */
export function resolveProfiles(models: Readonly<Record<string, ModelProfileOverride>> = {}): Map<string, ModelProfile> {
  const base = DEFAULT_PROFILES['claude-sonnet-4-6'] as ModelProfile;
  const out = new Map<string, ModelProfile>(Object.entries(DEFAULT_PROFILES));
  for (const [id, override] of Object.entries(models)) {
    const from = out.get(id) ?? base;
    out.set(id, {
      ...from,
      ...override,
      errorRates: { ...from.errorRates, ...override.errorRates },
      planQuality: { ...from.planQuality, ...override.planQuality },
      answerQuality: { ...from.answerQuality, ...override.answerQuality },
    });
  }
  return out;
}
