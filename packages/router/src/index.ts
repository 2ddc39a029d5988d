export { createRouter } from './create-router.js';
export type { Router, RouterOptions, WatchSettings } from './router.js';
export type { ConfigSnapshot } from './config-store.js';
export type { ServeMode } from './assignment/compile-routes.js';
export { hashBucket } from './assignment/hash-bucket.js';
export { BUCKET_COUNT, armRanges, armShares } from './assignment/arm-shares.js';
export type { ArmRange, RangeRoute } from './assignment/arm-shares.js';
export { parseRolloutText, parseRolloutValue } from './config/parse-rollout.js';
export type { ParseOptions, ParseResult } from './config/parse-rollout.js';
export { rolloutSchema } from './config/schema.js';
export type { RolloutInput } from './config/schema.js';
export { rolloutJsonSchema } from './config/json-schema.js';
export { DEFAULT_PRICES } from './config/default-prices.js';
export type { ArmConfig, ModelPrice, PriceTable, RolloutConfig, RouteConfig } from './config/rollout-config.js';
export { DeadlineExceededError, ERROR_CODES, InvalidConfigError, ModelCanaryError, UnknownRouteError, formatProblems } from './errors.js';
export type { ErrorCode } from './errors.js';
export { DECISION_REASONS } from './decision.js';
export { SPAN_ATTRIBUTES } from './call/call-span.js';
export type { DecideInput, Decision, DecisionReason } from './decision.js';
export { ATTEMPT_ORIGINS, CALL_OUTCOMES, ERROR_CLASSES, RELOAD_RESULTS, STOP_REASON_ERROR_CLASSES, TOKEN_TYPES, UNIT_OUTCOMES } from './events.js';
export type {
  AttemptEvent,
  AttemptOrigin,
  CallEvent,
  CallOutcome,
  CallStartEvent,
  ConfigEvent,
  ConfigProblem,
  DecisionEvent,
  ErrorClass,
  ErrorEvent,
  FallbackServed,
  PercentChange,
  ReloadResult,
  RouterEventMap,
  RouterEventName,
  TokenCounts,
  TokenType,
  UnitEvent,
  UnitAssignmentEvent,
  UnitOutcome,
  UnitRouteSummary,
} from './events.js';
export type {
  CallOptions,
  RouteOptions,
  RoutedCreateParams,
  RoutedCreateResult,
  RoutedMessage,
  RoutedMessageStream,
  RoutedMessages,
  RoutedStreamParams,
  SdkRequestOptions,
} from './call/call-types.js';
export type { Unit, UnitCallOptions, UnitResult } from './unit/unit.js';
export { CAPACITY_ERROR_CLASSES, classifyError, stopReasonErrorClass } from './call/classify-error.js';
export { costUsd } from './pricing/cost-usd.js';
export type { CostOptions, PriceLookup } from './pricing/cost-usd.js';
export { tokensFromUsage } from './pricing/tokens-from-usage.js';
export type { UsageLike } from './pricing/tokens-from-usage.js';
export type { RampConfig, RampGuardrails, RampShadow, RampStep } from './config/ramp-schema.js';
export { createJudge, DEFAULT_JUDGE_MODEL, JUDGE_LABELS, JUDGE_TOOL_NAME } from './shadow/judge.js';
export type { Judge, JudgeInput, JudgeOptions, JudgeResult, JudgedAnswer, JudgedRequest } from './shadow/judge.js';
export { JUDGE_VERDICTS, SHADOW_OUTCOMES, SHADOW_SKIP_REASONS } from './shadow/shadow-events.js';
export type { JudgeVerdict, JudgementEvent, ShadowEvent, ShadowOutcome, ShadowSkipReason } from './shadow/shadow-events.js';
export { estimateUsd } from './shadow/shadow-runner.js';
export type { ShadowConfig } from './config/shadow-schema.js';
export type { ShadowChange } from './reload/shadow-changes.js';
