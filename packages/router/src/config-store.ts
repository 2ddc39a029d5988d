import { compileRoutes, type CompiledTable, type ServeMode } from './assignment/compile-routes.js';
import type { ParseResult } from './config/parse-rollout.js';
import type { RolloutConfig } from './config/rollout-config.js';
import type { ConfigEvent, ConfigProblem, ReloadResult } from './events.js';
import { percentChanges } from './reload/percent-changes.js';
import { shadowChanges } from './reload/shadow-changes.js';

/** What the router serves right now. `config` is deep-frozen; `version` 0 means no config was applied yet. */
export interface ConfigSnapshot {
  readonly version: number;
  /** Content hash of the serving config (`sha256:…`), or null before any config was applied. */
  readonly hash: string | null;
  /** File path, `inline`, `defaultConfig` or `none`. */
  readonly source: string;
  readonly loadedAt: number | null;
  readonly config: RolloutConfig;
  /** `split` when a config is applied; `default`/`error` when only default arms are served (soft start). */
  readonly serving: ServeMode;
  readonly lastReload: ConfigEvent | null;
}

export interface ConfigStore {
  snapshot(): ConfigSnapshot;
  table(): CompiledTable;
  /** Validates a candidate and swaps it in whole, or rejects it and keeps the last good config. */
  offer(candidate: { source: string; hash: string | null; parsed: ParseResult }): ConfigEvent;
  /** Records a read that changed nothing (`unchanged`) or found no file (`missing`). */
  note(result: Extract<ReloadResult, 'unchanged' | 'missing'>, source: string, hash: string | null): ConfigEvent;
}

/**
 * Holds the one serving snapshot and its compiled table. Every change goes through `offer`, which either swaps
 * both in one assignment or leaves them untouched, and returns the `config` event describing what happened.
 */
export function createConfigStore(options: {
  initial: { config: RolloutConfig; serving: ServeMode; source: string };
  now: () => number;
  onSwap: (table: CompiledTable) => void;
}): ConfigStore {
  const { now, onSwap } = options;
  let snapshot: ConfigSnapshot = {
    version: 0,
    hash: null,
    source: options.initial.source,
    loadedAt: null,
    config: options.initial.config,
    serving: options.initial.serving,
    lastReload: null,
  };
  let table = compileRoutes(snapshot.config, 0, snapshot.serving);

  const event = (result: ReloadResult, source: string, hashAfter: string | null, extra: Partial<ConfigEvent> = {}): ConfigEvent => ({
    type: 'config',
    result,
    source,
    at: now(),
    version: snapshot.version,
    hashBefore: snapshot.hash,
    hashAfter,
    changes: [],
    problems: [],
    ...extra,
  });
  const swap = (next: ConfigSnapshot): void => {
    snapshot = next;
    table = compileRoutes(next.config, next.version, next.serving);
    onSwap(table);
  };
  const served = (s: ConfigSnapshot) => ({ config: s.config, serveDefault: s.serving !== 'split' });

  return {
    snapshot: () => snapshot,
    table: () => table,
    offer({ source, hash, parsed }) {
      if (!parsed.ok) {
        const rejected = event('rejected', source, hash, { problems: parsed.problems as ConfigProblem[] });
        // before any good config, a bad file means the default arms are served for an error, not a soft start
        if (snapshot.serving === 'default') swap({ ...snapshot, serving: 'error', lastReload: rejected });
        else snapshot = { ...snapshot, lastReload: rejected };
        return rejected;
      }
      if (snapshot.serving === 'split' && JSON.stringify(parsed.config) === JSON.stringify(snapshot.config)) {
        const unchanged = event('unchanged', source, hash);
        snapshot = { ...snapshot, hash, lastReload: unchanged };
        return unchanged;
      }
      const next = { config: parsed.config, serveDefault: false };
      const shadows = shadowChanges(snapshot.config, parsed.config);
      const applied: ConfigEvent = {
        ...event('applied', source, hash, { changes: percentChanges(served(snapshot), next) }),
        version: snapshot.version + 1,
        ...(shadows.length === 0 ? {} : { shadowChanges: shadows }),
      };
      swap({ version: snapshot.version + 1, hash, source, loadedAt: applied.at, config: parsed.config, serving: 'split', lastReload: applied });
      return applied;
    },
    note(result, source, hash) {
      const noted = event(result, source, hash);
      snapshot = { ...snapshot, lastReload: noted };
      return noted;
    },
  };
}
