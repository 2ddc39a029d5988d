import type Anthropic from '@anthropic-ai/sdk';
import type { RoutedMessages } from './call/call-types.js';
import type { RolloutInput } from './config/schema.js';
import type { ConfigSnapshot } from './config-store.js';
import type { Unit } from './unit/unit.js';
import type { Judge } from './shadow/judge.js';
import type { DecideInput, Decision } from './decision.js';
import type { ConfigEvent, RouterEventMap, RouterEventName } from './events.js';

export interface WatchSettings {
  /** Quiet time after a change before the file is read (bursts of writes coalesce). Default 100. */
  readonly debounceMs?: number;
  /** Content-hash poll interval, the backstop for missed watch events. Default 2000. */
  readonly pollIntervalMs?: number;
}

export interface RouterOptions {
  /** A rollout object (validated now: invalid throws InvalidConfigError). Exactly one of config/configFile. */
  readonly config?: RolloutInput;
  /** Path of a rollout JSON file: loaded now, validated, and hot-reloaded while the router lives. */
  readonly configFile?: string;
  /** Routes the app uses: a config lacking one is rejected, and they never throw UnknownRouteError. */
  readonly routes?: readonly string[];
  /**
   * Served (default arms only) while the file is missing or invalid at start, so that a soft start can answer.
   * Without it, deciding a declared route before any good config throws a ModelCanaryError `NO_CONFIG`.
   */
  readonly defaultConfig?: RolloutInput;
  /** Seed of the one stream that draws buckets for keyless calls. Default: a random seed (see `router.seed`). */
  readonly seed?: string | number;
  /** Missing or invalid file at start throws instead of serving default arms. Default false. */
  readonly strict?: boolean;
  /** JSON-lines audit trail of every applied, rejected or missing config. */
  readonly auditFile?: string;
  /** Hot reload of `configFile`. Default true. */
  readonly watch?: boolean | WatchSettings;
  /** Clock, epoch milliseconds. Default Date.now. */
  readonly now?: () => number;
  /** The caller's SDK client, for the call path (messages, units: issue 4). */
  readonly client?: Anthropic;
  /**
   * Default bound on each whole routed call in ms (attempts, retry waits, fallback), unless the call sets its own
   * `deadlineMs`. The SDK's `timeout` only bounds one attempt's wait for headers. Default: none.
   */
  readonly deadlineMs?: number;
  /** Units never ended expire after this long idle (outcome `expired`, issue 4). Default 10 minutes. */
  readonly unitTimeoutMs?: number;
  /**
   * Judges each successful shadow call against the served answer (`createJudge`), emitting `judgement` events.
   * Without it, routes with a `shadow` still mirror their calls (`shadow` events) and nothing is judged.
   */
  readonly judge?: Judge;
  /** How long `close()` waits for running shadow calls and judgements before it cancels them. Default 5000. */
  readonly shadowCloseMs?: number;
}

export interface Router {
  /** Which arm this call goes to. Never does I/O; never throws for config reasons (see UnknownRouteError). */
  decide(input: DecideInput): Decision;
  /** The serving config, deep-frozen, with its version, hash and the last reload event. */
  snapshot(): ConfigSnapshot;
  /**
   * Subscribes to an event; returns the unsubscribe function. A throwing observer becomes an `error` event.
   * A name the router never emits (a typo) throws `ModelCanaryError` (`INVALID_OPTIONS`) listing the names.
   */
  on<E extends RouterEventName>(event: E, listener: (event: RouterEventMap[E]) => void): () => void;
  /** Re-reads the config file now (`unchanged` for an inline config). */
  reload(): Promise<ConfigEvent>;
  /** The seed of the keyless stream: with it, a run's keyless assignments can be reproduced. */
  readonly seed: string;
  /** Stops every watcher and timer, waits for running shadows (up to `shadowCloseMs`, then cancels them) and flushes the audit trail. Idempotent. */
  close(): Promise<void>;
  /**
   * The client's `messages.create` / `.stream`, routed: each call is decided (route, key), sent with the arm's
   * model in place of `params.model`, observed (`callStart`, `attempt`, `call` events) and answered with the
   * SDK's own result or error. Needs the `client` option.
   */
  readonly messages: RoutedMessages;
  /** Opens a unit (a booking): its calls share `key`, and `end()` records the task outcome. Needs `client`. */
  unit(key: string): Unit;
}
