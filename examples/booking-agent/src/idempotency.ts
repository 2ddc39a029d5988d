/** A stored outcome of a POST, replayed verbatim to a retry that carries the same Idempotency-Key. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

interface Entry {
  /** Fingerprint of the request body: the same key with another body is a client bug, not a retry. */
  readonly fingerprint: string;
  readonly response: Promise<StoredResponse>;
  /** Only a settled entry may be evicted: forgetting a running one would let its retry book a second time. */
  settled: boolean;
}

export type IdempotentResult =
  | { readonly kind: 'fresh'; readonly response: StoredResponse }
  | { readonly kind: 'replayed'; readonly response: StoredResponse }
  | { readonly kind: 'mismatch' }
  /** Every slot holds a booking still running: nothing can be forgotten safely, so the caller must retry later. */
  | { readonly kind: 'full' };

export interface IdempotencyStore {
  /**
   * Runs `work` once per key. A retry after completion gets the stored response; a duplicate that
   * arrives while the first is still running waits for it. Responses that `keep` rejects
   * (transient failures) are forgotten so that a retry really retries.
   */
  run(key: string, fingerprint: string, work: () => Promise<StoredResponse>): Promise<IdempotentResult>;
  readonly size: number;
}

export interface IdempotencyStoreOptions {
  /** Most keys kept; the oldest settled one is forgotten first (Map keeps insertion order). */
  capacity: number;
  keep?: (response: StoredResponse) => boolean;
}

export function createIdempotencyStore({ capacity, keep = () => true }: IdempotencyStoreOptions): IdempotencyStore {
  const entries = new Map<string, Entry>();

  function evictOneSettled(): boolean {
    for (const [key, entry] of entries) {
      if (entry.settled) {
        entries.delete(key);
        return true;
      }
    }
    return false;
  }

  return {
    get size() {
      return entries.size;
    },
    async run(key, fingerprint, work) {
      const existing = entries.get(key);
      if (existing !== undefined) {
        if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
        return { kind: 'replayed', response: await existing.response };
      }
      if (entries.size >= capacity && !evictOneSettled()) return { kind: 'full' };
      const response = work();
      const entry: Entry = { fingerprint, response, settled: false };
      entries.set(key, entry);
      try {
        const settled = await response;
        entry.settled = true;
        if (!keep(settled) && entries.get(key) === entry) entries.delete(key);
        return { kind: 'fresh', response: settled };
      } catch (error) {
        if (entries.get(key) === entry) entries.delete(key);
        throw error;
      }
    },
  };
}
