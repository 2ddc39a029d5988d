export { createCanaryMetrics } from './canary-metrics.js';
export type { CanaryMetrics, CanaryMetricsOptions } from './canary-metrics.js';
export { armShares } from './arm-percent.js';
export type { ArmShare } from './arm-percent.js';
export {
  DEFAULT_COST_BUCKETS,
  DEFAULT_DURATION_BUCKETS,
  DEFAULT_TTFT_BUCKETS,
  DEFAULT_UNIT_DURATION_BUCKETS,
} from './buckets.js';
export { CANARY_METRICS_ERROR_CODES, CanaryMetricsError } from './errors.js';
export type { CanaryMetricsErrorCode } from './errors.js';
export { NO_ERROR, OTHER } from './label-values.js';
export type {
  CanaryMetricsSource,
  SourceArm,
  SourceAttemptEvent,
  SourceCallEvent,
  SourceCallStartEvent,
  SourceConfig,
  SourceConfigEvent,
  SourceDecisionEvent,
  SourceEventMap,
  SourceFallback,
  SourceRoute,
  SourceSnapshot,
  SourceTokenCounts,
  SourceUnitAssignmentEvent,
  SourceUnitEvent,
  SourceUnitRouteSummary,
} from './source.js';
export type { SourceJudgementEvent, SourceShadowEvent } from './shadow-metrics.js';
