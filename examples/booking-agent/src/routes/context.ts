import type { Request, Response, NextFunction, RequestHandler } from 'express';
import type { Logger } from '../logging.js';
import { startRequestSpan, withContext } from '../booking/spans.js';
import { childTraceparent, traceFromHeader, type TraceContext } from '../trace.js';

export interface RequestContext {
  readonly trace: TraceContext;
  /** Child logger carrying the trace id: every line of this request's work goes through it. */
  readonly log: Logger;
}

export function contextOf(res: Response): RequestContext {
  return res.locals.context as RequestContext;
}

/**
 * Accepts a W3C `traceparent` (or starts a trace), answers with this service's own span in
 * `traceparent`, and logs one line per request with method, path, status and duration only:
 * never headers or bodies, which carry keys and PII.
 */
export function requestContext(logger: Logger, now: () => number = Date.now): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = traceFromHeader(req.get('traceparent'));
    // With OpenTelemetry registered, the request's server span carries the trace (the caller's, or a new one).
    const request = startRequestSpan(req.method, req.route === undefined ? req.path : String(req.route.path), req.headers);
    const ids = request.span.spanContext();
    const trace: TraceContext = request.recording ? { traceId: ids.traceId, parentId: incoming.parentId, sampled: true, otel: true } : incoming;
    const log = logger.child({ traceId: trace.traceId });
    res.locals.context = { trace, log } satisfies RequestContext;
    res.setHeader('traceparent', request.recording ? `00-${ids.traceId}-${ids.spanId}-01` : childTraceparent(trace));
    const started = now();
    // `close` comes after `finish`, and alone when the client went away first: the span ends either way.
    res.once('close', () => {
      request.span.setAttribute('http.response.status_code', res.statusCode);
      request.span.end();
    });
    res.on('finish', () => {
      log.info({ http: { method: req.method, path: req.path, status: res.statusCode, durationMs: now() - started } }, 'request done');
    });
    withContext(request.context, next);
  };
}
