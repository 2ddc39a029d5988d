import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, isSpanContextValid, type Context, type Span } from '@opentelemetry/api';

const tracer = () => trace.getTracer('@model-canary/booking-agent');

/**
 * The booking's steps as spans of its trace: `booking` → `plan` (the orchestrator) → `specialists` → `verify` →
 * `aggregate`; the router's span of each model call, and the Anthropic SDK's below it, nest under the step that
 * made the call. Attributes are ids, counts and outcomes only, never the customer's text. With no tracer provider
 * registered every span is a no-op.
 */
export async function inStep<T>(name: string, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(`booking.${name}`, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** `inStep` for a synchronous step (the aggregation of the booking's answer). */
export function inStepSync<T>(name: string, fn: (span: Span) => T): T {
  return tracer().startActiveSpan(`booking.${name}`, (span) => {
    try {
      return fn(span);
    } finally {
      span.end();
    }
  });
}

/** The request's server span, child of the caller's `traceparent` when it sent one. */
export interface RequestSpan {
  readonly span: Span;
  readonly context: Context;
  /** True when a tracer provider records it: its ids are then the request's trace and span ids. */
  readonly recording: boolean;
}

export function startRequestSpan(method: string, route: string, headers: Record<string, string | string[] | undefined>): RequestSpan {
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer().startSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route } }, parent);
  return { span, context: trace.setSpan(parent, span), recording: span.isRecording() && isSpanContextValid(span.spanContext()) };
}

/** Runs `fn` in `ctx` (the request span's), so that the booking's spans are its children. */
export const withContext = <T>(ctx: Context | undefined, fn: () => T): T => (ctx === undefined ? fn() : context.with(ctx, fn));
