import { randomBytes } from 'node:crypto';

/** A W3C trace context (https://www.w3.org/TR/trace-context/) reduced to what this service needs. */
export interface TraceContext {
  /** 32 lowercase hex characters, shared by every log line and model call of one booking. */
  readonly traceId: string;
  /** The caller's span id, when the request carried a valid `traceparent`. */
  readonly parentId: string | null;
  readonly sampled: boolean;
  /**
   * True when OpenTelemetry records this request (a tracer provider is registered): the trace id is its span's,
   * and the Anthropic SDK sends each model call's `traceparent` itself, from its own span.
   */
  readonly otel?: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Parses a `traceparent` header; an absent or invalid one starts a new trace, as the spec says. */
export function traceFromHeader(header: string | undefined, random = randomBytes): TraceContext {
  const match = header === undefined ? null : TRACEPARENT.exec(header.trim().toLowerCase());
  if (match !== null) {
    const [, version, traceId, parentId, flags] = match as unknown as [string, string, string, string, string];
    const allZero = /^0+$/;
    if (version !== 'ff' && !allZero.test(traceId) && !allZero.test(parentId)) {
      return { traceId, parentId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
    }
  }
  return { traceId: random(16).toString('hex'), parentId: null, sampled: true };
}

/** The headers a model call of this trace carries: a `traceparent`, unless the SDK's tracing sends its own. */
export function modelCallHeaders(trace: TraceContext): Record<string, string> {
  return trace.otel === true ? {} : { traceparent: childTraceparent(trace) };
}

/** A `traceparent` value for a new span of this trace (the booking, or one model call). */
export function childTraceparent(trace: TraceContext, random = randomBytes): string {
  return `00-${trace.traceId}-${random(8).toString('hex')}-${trace.sampled ? '01' : '00'}`;
}
