import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { Decision } from '../decision.js';
import type { CallEvent } from '../events.js';

/**
 * Attributes of the router's span around each routed call: what only the router knows. The SDK's own call
 * span (`gen_ai.*`, @anthropic-ai/sdk 1.14+ with a tracer provider registered) is its child. Never content:
 * the unit key is the application's id for the unit (a booking id), not customer text.
 */
export const SPAN_ATTRIBUTES = {
  route: 'model_canary.route',
  /** The arm the call was assigned (intent to treat), whatever model served it. */
  arm: 'model_canary.arm',
  /** The assigned arm's model. */
  armModel: 'model_canary.arm.model',
  bucket: 'model_canary.bucket',
  reason: 'model_canary.reason',
  configVersion: 'model_canary.config_version',
  unitKey: 'model_canary.unit.key',
  /** False when the call had no unit key (its bucket came from the seeded stream). */
  keyed: 'model_canary.unit.keyed',
  outcome: 'model_canary.outcome',
  errorClass: 'model_canary.error_class',
  /** True when the default arm's model served the call (a canary `fallback`): still counted under `arm`. */
  fallback: 'model_canary.fallback',
  fallbackModel: 'model_canary.fallback.model',
  servedModel: 'model_canary.served_model',
  attempts: 'model_canary.attempts',
  costUsd: 'model_canary.cost_usd',
  /** OpenTelemetry GenAI: links the calls of one unit (the same value the router gives the SDK's span). */
  conversationId: 'gen_ai.conversation.id',
} as const;

/** The router's span of one call, and the context in which the SDK call runs so that its span is a child. */
export interface CallSpan {
  readonly context: Context;
  /** Ends the span with the call's result. */
  end(event: CallEvent): void;
}

/** The router's tracer, from the tracer provider registered with the OpenTelemetry API (a no-op without one). */
export const routerTracer = (): Tracer => trace.getTracer('@model-canary/router');

/** Starts the span of one routed call as a child of the caller's active span. */
export function startCallSpan(tracer: Tracer, decision: Decision, key: string | undefined, streaming: boolean): CallSpan {
  const attributes: Attributes = {
    [SPAN_ATTRIBUTES.route]: decision.route,
    [SPAN_ATTRIBUTES.arm]: decision.arm,
    [SPAN_ATTRIBUTES.armModel]: decision.model,
    [SPAN_ATTRIBUTES.bucket]: decision.bucket,
    [SPAN_ATTRIBUTES.reason]: decision.reason,
    [SPAN_ATTRIBUTES.configVersion]: decision.configVersion,
    [SPAN_ATTRIBUTES.keyed]: decision.keyed,
    'model_canary.streaming': streaming,
  };
  if (key !== undefined) {
    attributes[SPAN_ATTRIBUTES.unitKey] = key;
    attributes[SPAN_ATTRIBUTES.conversationId] = key;
  }
  const parent = context.active();
  const span = tracer.startSpan(`model_canary ${decision.route}`, { kind: SpanKind.INTERNAL, attributes }, parent);
  return { context: trace.setSpan(parent, span), end: (event) => endSpan(span, event) };
}

function endSpan(span: Span, event: CallEvent): void {
  if (span.isRecording()) {
    span.setAttributes({
      [SPAN_ATTRIBUTES.outcome]: event.outcome,
      [SPAN_ATTRIBUTES.attempts]: event.attempts,
      [SPAN_ATTRIBUTES.fallback]: event.fallback !== undefined,
      ...(event.errorClass === null ? {} : { [SPAN_ATTRIBUTES.errorClass]: event.errorClass }),
      ...(event.servedModel === null ? {} : { [SPAN_ATTRIBUTES.servedModel]: event.servedModel }),
      ...(event.fallback === undefined ? {} : { [SPAN_ATTRIBUTES.fallbackModel]: event.fallback.model }),
      ...(event.costUsd === null ? {} : { [SPAN_ATTRIBUTES.costUsd]: event.costUsd + (event.fallback?.costUsd ?? 0) }),
    });
    // A cancel is the application's own doing; an error of the model (or a fallback) is the call's.
    if (event.outcome === 'error' || event.outcome === 'fallback') {
      span.setStatus({ code: SpanStatusCode.ERROR, message: event.errorClass ?? event.outcome });
      span.setAttribute('error.type', event.errorClass ?? event.outcome);
    }
  }
  span.end();
}
