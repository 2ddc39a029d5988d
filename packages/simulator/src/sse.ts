import type { Generated, OutputBlock } from './generate.js';
import { messageOf, usageOf } from './message.js';
import type { CacheUsage } from './prompt-cache.js';
import { CHARS_PER_TOKEN } from './tokens.js';

/** One server-sent event: its text on the wire and how many output tokens it carries (for pacing). */
export interface SseChunk {
  readonly data: string;
  readonly tokens: number;
}

export function sseEvent(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** Splits a string into pieces of about `tokens` tokens each (never splitting inside a UTF-16 pair). */
function pieces(text: string, tokens: number): string[] {
  const size = Math.max(1, tokens) * CHARS_PER_TOKEN;
  const out: string[] = [];
  for (const ch of text) {
    const last = out.at(-1);
    if (last !== undefined && last.length < size) out[out.length - 1] = last + ch;
    else out.push(ch);
  }
  return out;
}

function deltas(index: number, text: string, tokensPerChunk: number, delta: (piece: string) => Record<string, string>): SseChunk[] {
  return pieces(text, tokensPerChunk).map((piece) => ({
    data: sseEvent('content_block_delta', { type: 'content_block_delta', index, delta: delta(piece) }),
    tokens: Math.ceil(piece.length / CHARS_PER_TOKEN),
  }));
}

function blockEvents(block: OutputBlock, index: number, tokensPerChunk: number): SseChunk[] {
  const start = (contentBlock: Record<string, unknown>): SseChunk => ({
    data: sseEvent('content_block_start', { type: 'content_block_start', index, content_block: contentBlock }),
    tokens: 0,
  });
  const events: SseChunk[] = [];
  if (block.type === 'text') {
    events.push(start({ type: 'text', text: '' }), ...deltas(index, block.text, tokensPerChunk, (text) => ({ type: 'text_delta', text })));
  } else if (block.type === 'thinking') {
    events.push(
      start({ type: 'thinking', thinking: '', signature: '' }),
      ...deltas(index, block.thinking, tokensPerChunk, (thinking) => ({ type: 'thinking_delta', thinking })),
      { data: sseEvent('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } }), tokens: 0 },
    );
  } else {
    events.push(
      start({ type: 'tool_use', id: block.id, name: block.name, input: {} }),
      ...deltas(index, JSON.stringify(block.input), tokensPerChunk, (json) => ({ type: 'input_json_delta', partial_json: json })),
    );
  }
  events.push({ data: sseEvent('content_block_stop', { type: 'content_block_stop', index }), tokens: 0 });
  return events;
}

/**
 * The full event sequence of a streamed answer, as the real API sends it: message_start (usage with the input
 * side and output_tokens 1), ping, per block start / deltas / stop, message_delta with the final usage totals,
 * message_stop. `errorAfter` cuts the stream after that many content events and ends it with an `error` event.
 */
export function streamEvents(model: string, g: Generated, cache: CacheUsage, tokensPerChunk: number): SseChunk[] {
  const start = messageOf(model, g, [], null, usageOf(cache, 1));
  const events: SseChunk[] = [
    { data: sseEvent('message_start', { type: 'message_start', message: start }), tokens: 0 },
    { data: sseEvent('ping', { type: 'ping' }), tokens: 0 },
  ];
  g.content.forEach((block, index) => events.push(...blockEvents(block, index, tokensPerChunk)));
  const usage = usageOf(cache, g.outputTokens);
  delete usage.cache_creation;
  delete usage.service_tier;
  events.push({ data: sseEvent('message_delta', { type: 'message_delta', delta: { stop_reason: g.stopReason, stop_sequence: g.stopSequence, stop_details: null }, usage }), tokens: 0 });
  events.push({ data: sseEvent('message_stop', { type: 'message_stop' }), tokens: 0 });
  return events;
}

export function errorEvent(type: string, message: string, requestId: string): string {
  return sseEvent('error', { type: 'error', error: { type, message }, request_id: requestId });
}
