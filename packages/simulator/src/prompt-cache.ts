import { createHash } from 'node:crypto';
import type { PromptSegment } from './tokens.js';

/** How a request's input tokens split between the cache and the uncached rest, as the real API reports them. */
export interface CacheUsage {
  readonly inputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWrite5mTokens: number;
  readonly cacheWrite1hTokens: number;
}

export interface PromptCache {
  /** Looks the prompt up, writes its new breakpoints and returns the usage split. */
  apply(model: string, segments: readonly PromptSegment[], minCacheTokens: number): CacheUsage;
  clear(): void;
}

const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;
// The real API looks back about 20 blocks from each breakpoint for an earlier cache hit.
const LOOKBACK = 20;

interface Entry {
  expiresAt: number;
  ttlMs: number;
}

/**
 * Prompt cache keyed by model + hash of the prefix up to a breakpoint. Bounded (oldest entries evicted
 * first, a read moves an entry to the back) so a long-running simulator does not grow without limit.
 * Entries live for their real TTL on the injected clock (not scaled by timeScale: a zero time scale
 * must not disable caching); a read refreshes the TTL as the real API does.
 */
export function createPromptCache({ maxEntries = 10_000, now = Date.now }: { maxEntries?: number; now?: () => number } = {}): PromptCache {
  const entries = new Map<string, Entry>();

  function lookup(key: string, at: number): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= at) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function store(key: string, entry: Entry): void {
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
  }

  return {
    apply(model, segments, minCacheTokens) {
      const total = segments.reduce((n, s) => n + s.tokens, 0);
      const breakpoints = segments.flatMap((s, i) => (s.cacheControl === undefined ? [] : [i]));
      if (breakpoints.length === 0) return { inputTokens: total, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };

      const lastBreakpoint = breakpoints.at(-1) ?? 0;
      const keys: string[] = [];
      const prefixTokens: number[] = [];
      let hash = createHash('sha1').update(model).digest('hex');
      let running = 0;
      for (let i = 0; i <= lastBreakpoint; i += 1) {
        const segment = segments[i] as PromptSegment;
        hash = createHash('sha1').update(hash).update(JSON.stringify(segment.source)).digest('hex');
        running += segment.tokens;
        keys.push(hash);
        prefixTokens.push(running);
      }

      const at = now();
      let hit = -1;
      for (const b of breakpoints) {
        for (let i = b; i >= Math.max(0, b - LOOKBACK) && i > hit; i -= 1) {
          const entry = lookup(keys[i] as string, at);
          if (entry !== undefined) {
            hit = i;
            break;
          }
        }
      }
      if (hit >= 0) {
        const entry = entries.get(keys[hit] as string) as Entry;
        store(keys[hit] as string, { ttlMs: entry.ttlMs, expiresAt: at + entry.ttlMs });
      }
      const readTokens = hit >= 0 ? (prefixTokens[hit] as number) : 0;

      let written = readTokens;
      let write5m = 0;
      let write1h = 0;
      for (const b of breakpoints) {
        const upTo = prefixTokens[b] as number;
        if (b <= hit || upTo < minCacheTokens) continue;
        const ttl = segments[b]?.cacheControl?.ttl ?? '5m';
        if (ttl === '1h') write1h += upTo - written;
        else write5m += upTo - written;
        written = upTo;
        store(keys[b] as string, { ttlMs: TTL_MS[ttl], expiresAt: at + TTL_MS[ttl] });
      }
      return { inputTokens: total - written, cacheReadTokens: readTokens, cacheWrite5mTokens: write5m, cacheWrite1hTokens: write1h };
    },
    clear() {
      entries.clear();
    },
  };
}
