import type { FaultKind } from './profiles.js';
import type { PlanQuality } from './schema-input.js';

export interface ModelStats {
  requests: number;
  streamed: number;
  nonStreamed: number;
  countTokens: number;
  byStatus: Record<string, number>;
  faults: Partial<Record<FaultKind, number>>;
  /** Requests whose client went away before the answer was complete (e.g. a client timeout). */
  aborted: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  toolUses: number;
  plans: Partial<Record<PlanQuality, number>>;
}

/** What the simulator served, for tests to check that nothing was lost between client and server. */
export interface SimulatorStats {
  readonly seed: string;
  requests: number;
  byStatus: Record<string, number>;
  /** Keyed by requested model id; requests with no readable or known model are under `(none)` / `(unknown)`. */
  byModel: Record<string, ModelStats>;
}

export interface StatsBook {
  model(id: string): ModelStats;
  status(model: string, status: number | 'aborted'): void;
  snapshot(): SimulatorStats;
  reset(): void;
}

function emptyModel(): ModelStats {
  return {
    requests: 0, streamed: 0, nonStreamed: 0, countTokens: 0, byStatus: {}, faults: {}, aborted: 0,
    inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, toolUses: 0, plans: {},
  };
}

export function createStatsBook(seed: string): StatsBook {
  let stats: SimulatorStats = { seed, requests: 0, byStatus: {}, byModel: {} };
  const book: StatsBook = {
    model(id) {
      const found = stats.byModel[id];
      if (found !== undefined) return found;
      const created = emptyModel();
      stats.byModel[id] = created;
      return created;
    },
    status(model, status) {
      const m = book.model(model);
      if (status === 'aborted') {
        m.aborted += 1;
        return;
      }
      const key = String(status);
      stats.requests += 1;
      stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
      m.byStatus[key] = (m.byStatus[key] ?? 0) + 1;
    },
    snapshot() {
      return structuredClone(stats);
    },
    reset() {
      stats = { seed, requests: 0, byStatus: {}, byModel: {} };
    },
  };
  return book;
}
