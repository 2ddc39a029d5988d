import type { CacheControl, ContentBlock, CountTokensRequest, InputMessage, ToolDefinition } from './request.js';

/**
 * Token approximation (documented in the README): about 4 characters per token, rounded up per block,
 * plus 3 tokens of framing per message. Counted over the text the model reads: tool definitions
 * (name, description, input_schema as JSON), the system prompt, every message's text, tool_use inputs
 * (as JSON) and tool_result contents. Other blocks (images, documents) count their JSON length.
 * It is not the real tokenizer; it only needs to grow with the input the way real counts do.
 */
export const CHARS_PER_TOKEN = 4;
export const MESSAGE_OVERHEAD_TOKENS = 3;

export function tokensForChars(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** One cacheable unit of the prompt, in the order the API builds its cache prefix: tools, system, messages. */
export interface PromptSegment {
  readonly tokens: number;
  /** What identifies the segment's content for the cache key (cache_control itself excluded). */
  readonly source: unknown;
  readonly cacheControl: CacheControl | undefined;
}

function withoutCacheControl(value: object): unknown {
  if (!('cache_control' in value)) return value;
  const { cache_control: _ignored, ...rest } = value as Record<string, unknown>;
  return rest;
}

function blockChars(block: ContentBlock): number {
  switch (block.type) {
    case 'text':
      return (block.text ?? '').length;
    case 'tool_use':
      return String(block.name).length + JSON.stringify(block.input ?? {}).length;
    case 'tool_result': {
      const content = block.content;
      if (typeof content === 'string') return content.length;
      if (Array.isArray(content)) return content.reduce((n: number, b: ContentBlock) => n + blockChars(b), 0);
      return 0;
    }
    default:
      return JSON.stringify(withoutCacheControl(block)).length;
  }
}

function cacheControlOf(value: { cache_control?: CacheControl | null }): CacheControl | undefined {
  return value.cache_control ?? undefined;
}

function toolSegment(tool: ToolDefinition): PromptSegment {
  const source = withoutCacheControl(tool);
  return { tokens: tokensForChars(JSON.stringify(source).length), source, cacheControl: cacheControlOf(tool) };
}

function messageSegments(m: InputMessage): PromptSegment[] {
  if (typeof m.content === 'string') {
    return [{ tokens: tokensForChars(m.content.length) + MESSAGE_OVERHEAD_TOKENS, source: [m.role, m.content], cacheControl: undefined }];
  }
  if (m.content.length === 0) return [{ tokens: MESSAGE_OVERHEAD_TOKENS, source: [m.role], cacheControl: undefined }];
  return m.content.map((block, i) => ({
    tokens: tokensForChars(blockChars(block)) + (i === 0 ? MESSAGE_OVERHEAD_TOKENS : 0),
    source: [m.role, withoutCacheControl(block)],
    cacheControl: cacheControlOf(block),
  }));
}

/** Splits a request's prompt into segments; a top-level `cache_control` marks the last one (automatic caching). */
export function promptSegments(req: CountTokensRequest & { readonly cache_control?: CacheControl | null }): PromptSegment[] {
  const segments: PromptSegment[] = [];
  for (const tool of req.tools ?? []) segments.push(toolSegment(tool));
  if (typeof req.system === 'string') {
    segments.push({ tokens: tokensForChars(req.system.length), source: ['system', req.system], cacheControl: undefined });
  } else {
    for (const block of req.system ?? []) {
      segments.push({ tokens: tokensForChars(blockChars(block)), source: ['system', withoutCacheControl(block)], cacheControl: cacheControlOf(block) });
    }
  }
  // One push per segment: spreading a message of 500,000 blocks into push() overflows the call stack.
  for (const m of req.messages) {
    for (const segment of messageSegments(m)) segments.push(segment);
  }
  const auto = req.cache_control ?? undefined;
  const last = segments.at(-1);
  if (auto !== undefined && last !== undefined) segments[segments.length - 1] = { ...last, cacheControl: auto };
  return segments;
}

export function countTokens(segments: readonly PromptSegment[]): number {
  let total = 0;
  for (const s of segments) total += s.tokens;
  return total;
}
