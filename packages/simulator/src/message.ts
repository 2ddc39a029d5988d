import type { Generated, OutputBlock } from './generate.js';
import type { CacheUsage } from './prompt-cache.js';

/** The usage object exactly as the real API shapes it (cache split by TTL, nulls where nothing applies). */
export function usageOf(cache: CacheUsage, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: cache.inputTokens,
    cache_creation_input_tokens: cache.cacheWrite5mTokens + cache.cacheWrite1hTokens,
    cache_read_input_tokens: cache.cacheReadTokens,
    cache_creation: { ephemeral_5m_input_tokens: cache.cacheWrite5mTokens, ephemeral_1h_input_tokens: cache.cacheWrite1hTokens },
    output_tokens: outputTokens,
    server_tool_use: null,
    service_tier: 'standard',
  };
}

export function messageOf(model: string, g: Generated, content: readonly OutputBlock[], stopReason: string | null, usage: Record<string, unknown>, stopSequence: string | null = null): Record<string, unknown> {
  return {
    id: g.id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    stop_details: null,
    usage,
  };
}
