import { createQualityBook, DEFAULT_SIMULATED_JUDGE } from './answer-quality.js';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiError } from './api-error.js';
import { checkHeaders } from './auth.js';
import type { SimulatorContext } from './context.js';
import { createFaultBook, type FaultRule } from './faults.js';
import { handleCountTokens, handleCreate } from './handle-messages.js';
import { readBody, sendError, sendJson } from './http-io.js';
import type { SimulatorOptions } from './options.js';
import { resolveProfiles } from './profiles.js';
import { createPromptCache } from './prompt-cache.js';
import { createRequestStreams } from './random.js';
import { SimulatorError } from './simulator-error.js';
import { createStatsBook, type SimulatorStats } from './stats.js';
import { createTimers } from './timers.js';

export interface Simulator {
  /** Base URL for the SDK (`new Anthropic({ baseURL: sim.url, apiKey: 'x' })`). */
  readonly url: string;
  stats(): SimulatorStats;
  resetStats(): void;
  /** Replaces the fault rules (count rules restart their count). */
  setFaults(rules: readonly FaultRule[]): void;
  /** The rules in force, count rules with what is left of their count. */
  faults(): readonly FaultRule[];
  /** Stops listening, cancels pending delays and ends held and open connections. */
  close(): Promise<void>;
}

const MESSAGES = '/v1/messages';
const COUNT_TOKENS = '/v1/messages/count_tokens';
const MODELS = '/v1/models';
const STATS = '/_sim/stats';

function checkOptions(timeScale: number, maxBodyBytes: number, rules: readonly FaultRule[]): void {
  if (!Number.isFinite(timeScale) || timeScale < 0) {
    throw new SimulatorError('invalid_options', `timeScale must be a finite number >= 0, got ${timeScale}`);
  }
  if (!(maxBodyBytes > 0)) throw new SimulatorError('invalid_options', `maxBodyBytes must be > 0, got ${maxBodyBytes}`);
  for (const rule of rules) {
    if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) {
      throw new SimulatorError('invalid_options', `fault rate must be within [0, 1], got ${rule.rate}`);
    }
    if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count >= 0)) {
      throw new SimulatorError('invalid_options', `fault count must be an integer >= 0, got ${rule.count}`);
    }
  }
}

/**
 * Starts a local Messages API that the real `@anthropic-ai/sdk` accepts.
 * @example
 * const sim = await startSimulator({ seed: 1, timeScale: 0.01 });
 * const client = new Anthropic({ apiKey: 'test', baseURL: sim.url });
 */
export async function startSimulator({
  port = 0,
  host = '127.0.0.1',
  seed,
  models,
  faults = [],
  timeScale = 1,
  apiKeys,
  maxBodyBytes = 32 * 1024 * 1024,
  baselineFaults = true,
  now = Date.now,
  cacheEntries = 10_000,
  judge,
  qualityMemory,
}: SimulatorOptions = {}): Promise<Simulator> {
  checkOptions(timeScale, maxBodyBytes, faults);
  const seedText = seed === undefined ? randomBytes(8).toString('hex') : String(seed);
  const book = createFaultBook(faults);
  let requestCounter = 0;
  const ctx: SimulatorContext = {
    profiles: resolveProfiles(models),
    faults: book,
    stats: createStatsBook(seedText),
    cache: createPromptCache({ maxEntries: cacheEntries, now }),
    streams: createRequestStreams(seedText),
    timers: createTimers(),
    timeScale,
    baselineFaults,
    apiKeys: apiKeys === undefined ? undefined : new Set(apiKeys),
    maxBodyBytes,
    held: new Set(),
    qualities: createQualityBook(qualityMemory),
    judge: { ...DEFAULT_SIMULATED_JUDGE, ...judge },
    nextRequestId() {
      requestCounter += 1;
      return `req_sim${requestCounter.toString(36).padStart(18, '0')}`;
    },
  };

  const server = createServer((req, res) => {
    handle(ctx, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, apiError('api_error', `simulator failure: ${String(error)}`), ctx.nextRequestId());
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) => reject(new SimulatorError('listen_failed', `cannot listen on ${host}:${port}`, { cause })));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${address.port}`,
    stats: () => ctx.stats.snapshot(),
    resetStats: () => ctx.stats.reset(),
    setFaults(rules) {
      checkOptions(timeScale, maxBodyBytes, rules);
      book.set(rules);
    },
    faults: () => book.list(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        ctx.timers.clearAll();
        for (const res of ctx.held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = ctx.nextRequestId();
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === STATS) {
    sendJson(res, 200, JSON.stringify(ctx.stats.snapshot()), requestId);
    return;
  }
  const route = req.method === 'POST' && (path === MESSAGES || path === COUNT_TOKENS) ? path
    : req.method === 'GET' && path === MODELS ? path : undefined;
  if (route === undefined) {
    req.resume();
    ctx.stats.status('(none)', 404);
    sendError(res, apiError('not_found_error', `Not found: ${req.method ?? ''} ${path ?? ''}`), requestId);
    return;
  }
  const denied = checkHeaders(req.headers, ctx.apiKeys);
  if (denied !== undefined) {
    req.resume();
    ctx.stats.status('(none)', denied.status);
    sendError(res, denied, requestId);
    return;
  }
  if (route === MODELS) {
    const data = [...ctx.profiles.keys()].map((id) => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' }));
    sendJson(res, 200, JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }), requestId);
    return;
  }
  const body = await readBody(req, ctx.maxBodyBytes);
  if (!body.ok) {
    ctx.stats.status('(none)', 413);
    sendError(res, apiError('request_too_large', 'Request exceeds the maximum allowed number of bytes.'), requestId);
    return;
  }
  if (route === COUNT_TOKENS) handleCountTokens(ctx, res, body.text, requestId);
  else handleCreate(ctx, req, res, body.text, requestId);
}
