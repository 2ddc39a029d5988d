import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiError, invalidRequest, type ApiErrorReply } from './api-error.js';
import type { SimulatorContext } from './context.js';
import { faultReply, profileFault } from './fault-reply.js';
import { FAULT_HEADER, parseFaultHeader } from './faults.js';
import { generate, smallestInputChars, type Generated } from './generate.js';
import { drawVerdict, judgeAnswers, JUDGE_TOOL_NAME, normal } from './answer-quality.js';
import { sendError, sendJson } from './http-io.js';
import { messageOf, usageOf } from './message.js';
import type { FaultKind, ModelProfile } from './profiles.js';
import type { CacheUsage } from './prompt-cache.js';
import type { MessagesRequest } from './request.js';
import { errorEvent, streamEvents } from './sse.js';
import { countTokens, promptSegments, tokensForChars } from './tokens.js';
import { parseJsonBody, validateCountTokens, validateCreate } from './validate-request.js';

type Parsed<T> = { ok: true; value: T; profile: ModelProfile; statsModel: string } | { ok: false; error: ApiErrorReply; model: string };

/** A snapshot id: a model id with its release date, as the API serves `claude-haiku-4-5-20251001`. */
const DATED_ID = /^(.+)-\d{8}$/;

/** The profile id serving `model`: the id itself, or the base id of a dated snapshot id. */
function profileIdOf(ctx: SimulatorContext, model: string): string | undefined {
  if (ctx.profiles.has(model)) return model;
  const base = DATED_ID.exec(model)?.[1];
  return base !== undefined && ctx.profiles.has(base) ? base : undefined;
}

function parse<T extends { model: string }>(ctx: SimulatorContext, raw: string, validate: (b: Record<string, unknown>) => { ok: true; value: T } | { ok: false; error: ApiErrorReply }): Parsed<T> {
  const body = parseJsonBody(raw);
  if (!body.ok) return { ok: false, error: body.error, model: '(none)' };
  const checked = validate(body.value);
  const model = typeof body.value.model === 'string' ? body.value.model : '(none)';
  if (!checked.ok) return { ok: false, error: checked.error, model: profileIdOf(ctx, model) ?? '(none)' };
  // Stats count a dated id under its base id, and unknown ids under one key, so a typo storm cannot grow them.
  const statsModel = profileIdOf(ctx, checked.value.model);
  const profile = statsModel === undefined ? undefined : ctx.profiles.get(statsModel);
  if (statsModel === undefined || profile === undefined) return { ok: false, error: apiError('not_found_error', `model: ${checked.value.model}`), model: '(unknown)' };
  return { ok: true, value: checked.value, profile, statsModel };
}

export function handleCountTokens(ctx: SimulatorContext, res: ServerResponse, raw: string, requestId: string): void {
  const parsed = parse(ctx, raw, validateCountTokens);
  if (!parsed.ok) {
    ctx.stats.status(parsed.model, parsed.error.status);
    sendError(res, parsed.error, requestId);
    return;
  }
  ctx.stats.model(parsed.statsModel).countTokens += 1;
  ctx.stats.status(parsed.statsModel, 200);
  sendJson(res, 200, JSON.stringify({ input_tokens: countTokens(promptSegments(parsed.value)) }), requestId);
}

export function handleCreate(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, raw: string, requestId: string): void {
  const parsed = parse(ctx, raw, validateCreate);
  if (!parsed.ok) {
    ctx.stats.status(parsed.model, parsed.error.status);
    sendError(res, parsed.error, requestId);
    return;
  }
  const { value: body, profile, statsModel: model } = parsed;
  const tooLarge = body.max_tokens > profile.maxOutputTokens
    ? `max_tokens: ${body.max_tokens} > ${profile.maxOutputTokens}, which is the maximum allowed number of output tokens for ${body.model}`
    : oversizedTool(body, profile);
  if (tooLarge !== undefined) {
    ctx.stats.status(model, 400);
    sendError(res, invalidRequest(tooLarge), requestId);
    return;
  }
  const streaming = body.stream === true;
  const m = ctx.stats.model(model);
  m.requests += 1;
  if (streaming) m.streamed += 1;
  else m.nonStreamed += 1;

  const rng = ctx.streams.forRequest(model, raw);
  const uRule = rng();
  const uProfile = rng();
  const forced = parseFaultHeader(req.headers[FAULT_HEADER]);
  let fault: FaultKind | undefined = forced.fault ?? ctx.faults.take(model, streaming, uRule) ??
    (ctx.baselineFaults ? profileFault(profile, streaming, uProfile) : undefined);
  if (fault === 'stream_error' && !streaming) fault = 'server';
  if (fault !== undefined) m.faults[fault] = (m.faults[fault] ?? 0) + 1;

  const scale = ctx.timeScale;
  if (fault === 'timeout') {
    hold(ctx, res, model);
    return;
  }
  if (fault !== undefined && fault !== 'stream_error') {
    const reply = faultReply(fault, profile, scale);
    ctx.timers.after(profile.ttftMs.median * 0.2 * scale, () => {
      if (res.destroyed) return;
      ctx.stats.status(model, reply.status);
      sendError(res, reply, requestId);
    });
    return;
  }

  const cache = ctx.cache.apply(model, promptSegments(body), profile.minCacheTokens);
  const g = withQuality(ctx, body, profile, generate(body, profile, rng, forced.plan), rng);
  m.inputTokens += cache.inputTokens;
  m.cacheReadInputTokens += cache.cacheReadTokens;
  m.cacheCreationInputTokens += cache.cacheWrite5mTokens + cache.cacheWrite1hTokens;
  m.outputTokens += g.outputTokens;
  if (g.plan !== undefined) {
    m.toolUses += 1;
    m.plans[g.plan] = (m.plans[g.plan] ?? 0) + 1;
  }
  const extra: Record<string, string> = g.plan === undefined ? {} : { 'x-sim-plan': g.plan };
  const reply = { model, requestId, extra };
  if (streaming) stream(ctx, res, body, g, cache, reply, fault === 'stream_error');
  else respondJson(ctx, res, body, g, cache, reply);
}

/** A tool whose smallest valid input is longer than anything the model can output: refused before generating. */
function oversizedTool(body: MessagesRequest, profile: ModelProfile): string | undefined {
  for (const [i, tool] of (body.tools ?? []).entries()) {
    if (tool.input_schema === undefined) continue;
    const tokens = tokensForChars(smallestInputChars(tool));
    if (tokens > profile.maxOutputTokens) {
      return `tools.${i}.custom.input_schema: the smallest input this schema allows is about ${tokens} tokens, more than the ${profile.maxOutputTokens} output tokens the model can produce`;
    }
  }
  return undefined;
}

/** A `timeout` fault: headers are never sent; the request ends when the client gives up or the simulator closes. */
function hold(ctx: SimulatorContext, res: ServerResponse, model: string): void {
  ctx.held.add(res);
  res.on('close', () => {
    ctx.held.delete(res);
    ctx.stats.status(model, 'aborted');
  });
}

/** How a reply is labelled: the stats' model id (a dated id counts under its base), the request id, extra headers. */
interface ReplyLabels {
  readonly model: string;
  readonly requestId: string;
  readonly extra: Record<string, string>;
}

function respondJson(ctx: SimulatorContext, res: ServerResponse, body: MessagesRequest, g: Generated, cache: CacheUsage, { model, requestId, extra }: ReplyLabels): void {
  const ms = (g.ttftMs + (g.outputTokens / g.tokensPerSecond) * 1000) * ctx.timeScale;
  const send = (): void => {
    ctx.stats.status(model, 200);
    sendJson(res, 200, JSON.stringify(messageOf(body.model, g, g.content, g.stopReason, usageOf(cache, g.outputTokens), g.stopSequence)), requestId, extra);
  };
  if (!(ms > 0)) {
    send();
    return;
  }
  const cancel = ctx.timers.after(ms, send);
  res.on('close', () => {
    if (res.writableFinished) return;
    cancel();
    ctx.stats.status(model, 'aborted');
  });
}

function stream(ctx: SimulatorContext, res: ServerResponse, body: MessagesRequest, g: Generated, cache: CacheUsage, { model, requestId, extra }: ReplyLabels, failMidway: boolean): void {
  // About 50 ms of output per event at the drawn speed, as the real API batches tokens.
  const tokensPerChunk = Math.max(1, Math.round(g.tokensPerSecond * 0.05));
  let events = streamEvents(body.model, g, cache, tokensPerChunk);
  if (failMidway) {
    // Keep message_start, ping and about half of the content, then the error event (after the 200, as the real API).
    const contentEvents = events.length - 4;
    events = [...events.slice(0, 2 + Math.floor(contentEvents / 2)), { data: errorEvent('overloaded_error', 'Overloaded', requestId), tokens: 0 }];
  }
  const scale = ctx.timeScale;
  const writeHead = (): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId, ...extra });
  };
  const finish = (): void => {
    ctx.stats.status(model, 200);
    res.end();
  };
  if (!(scale > 0)) {
    writeHead();
    res.write(events.map((e) => e.data).join(''));
    finish();
    return;
  }
  let cancel = (): void => {};
  let i = 0;
  const pump = (): void => {
    // Write every event up to and including the next one that carries tokens, then wait for those tokens' time.
    while (i < events.length) {
      const e = events[i] as (typeof events)[number];
      i += 1;
      res.write(e.data);
      if (e.tokens > 0 && i < events.length) {
        cancel = ctx.timers.after((e.tokens / g.tokensPerSecond) * 1000 * scale, pump);
        return;
      }
    }
    finish();
  };
  cancel = ctx.timers.after(g.ttftMs * scale, () => {
    writeHead();
    pump();
  });
  res.on('close', () => {
    if (res.writableFinished) return;
    cancel();
    ctx.stats.status(model, 'aborted');
  });
}

/**
 * Issue 16: a judge request (see answer-quality.ts) gets its verdict from the two answers' latent qualities; any
 * other answer draws its own quality from the profile and is remembered by its content. Drawn after everything
 * else, so the answers and timings of a seed are what they were before qualities existed.
 */
function withQuality(ctx: SimulatorContext, body: MessagesRequest, profile: ModelProfile, g: Generated, rng: () => number): Generated {
  const choice = body.tool_choice;
  const pair = judgeAnswers(choice?.type === 'tool' ? choice.name : undefined, promptText(body));
  if (pair !== undefined) {
    const winner = drawVerdict(ctx.qualities.find(pair.a), ctx.qualities.find(pair.b), ctx.judge, rng);
    const content = g.content.map((block) => (block.type === 'tool_use' && block.name === JUDGE_TOOL_NAME ? { ...block, input: { winner } } : block));
    return { ...g, content };
  }
  if (g.stopReason === 'max_tokens') return g;
  const penalty = g.plan === 'incomplete' ? 1 : g.plan === 'invalid' ? 2 : 0;
  ctx.qualities.remember(g.content, normal(profile.answerQuality.mean, profile.answerQuality.sd, rng(), rng()) - penalty);
  return g;
}

function promptText(body: MessagesRequest): string {
  const last = body.messages.at(-1);
  if (last === undefined) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content.map((b) => ((b as { type?: string }).type === 'text' ? String((b as { text?: unknown }).text) : '')).join('\n');
}
