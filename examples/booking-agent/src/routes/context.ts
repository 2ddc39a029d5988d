import type { Request, Response, NextFunction, RequestHandler } from 'express';
import type { Logger } from '../logging.js';
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
    const trace = traceFromHeader(req.get('traceparent'));
    const log = logger.child({ traceId: trace.traceId });
    res.locals.context = { trace, log } satisfies RequestContext;
    res.setHeader('traceparent', childTraceparent(trace));
    const started = now();
    res.on('finish', () => {
      log.info({ http: { method: req.method, path: req.path, status: res.statusCode, durationMs: now() - started } }, 'request done');
    });
    next();
  };
}
