import { randomUUID } from 'node:crypto';
import type { CompiledTable } from './assignment/compile-routes.js';
import { createDecider } from './assignment/decider.js';
import { createKeylessStream } from './assignment/keyless-stream.js';
import { contentHash } from './config/content-hash.js';
import { emptyRollout, parseRolloutValue } from './config/parse-rollout.js';
import type { RolloutConfig } from './config/rollout-config.js';
import { createConfigStore } from './config-store.js';
import { ERROR_CODES, InvalidConfigError, ModelCanaryError, UnknownRouteError } from './errors.js';
import { createRouterEvents } from './event-emitter.js';
import type { ConfigEvent } from './events.js';
import { createAuditTrail } from './reload/audit-trail.js';
import { createFileReloader, type FileReloader } from './reload/file-reloader.js';
import { readConfigFileSync } from './reload/read-config-file.js';
import type { Router, RouterOptions } from './router.js';
import { createCallPath } from './call/call-path.js';
import type { RoutedMessages } from './call/call-types.js';
import { createShadowRunner } from './shadow/shadow-runner.js';
import { createUnits, DEFAULT_UNIT_TIMEOUT_MS, type Units } from './unit/create-units.js';

const DEFAULT_DEBOUNCE_MS = 100;
const DEFAULT_POLL_INTERVAL_MS = 2000;
const DEFAULT_SHADOW_CLOSE_MS = 5000;

/**
 * Creates a router over an inline config or a hot-reloaded file. It is assembled from small parts (config
 * store, decider, typed events, file reloader, audit trail) so the call path can be composed on top of
 * `decide`, `events` and `snapshot` without touching them.
 *
 * @example
 * const router = createRouter({ configFile: 'rollout.json', routes: ['orchestrator'] });
 * const { model } = router.decide({ route: 'orchestrator', key: bookingId });
 */
export function createRouter(options: RouterOptions): Router {
  const { config, configFile, routes: declared, strict = false, now = Date.now, auditFile, watch = true } = options;
  if ((config === undefined) === (configFile === undefined)) {
    throw new ModelCanaryError(ERROR_CODES.invalidOptions, 'createRouter needs exactly one of `config` (an object) or `configFile` (a path)');
  }
  const unitTimeoutMs = unitTimeout(options.unitTimeoutMs);
  const declaredRoutes = new Set(declared ?? []);
  const parseOptions = { declaredRoutes: declared };
  const seed = String(options.seed ?? randomUUID());
  const events = createRouterEvents();
  const audit = auditFile === undefined ? null : createAuditTrail(auditFile, (error) => events.emit('error', { type: 'error', source: 'audit', error }));
  const record = (event: ConfigEvent): void => {
    if (event.result !== 'unchanged') audit?.record(event);
  };

  const fallback = options.defaultConfig === undefined ? null : validated(options.defaultConfig, 'defaultConfig', parseOptions);
  const store = createConfigStore({
    initial: { config: fallback ?? emptyRollout(), serving: 'default', source: fallback === null ? 'none' : 'defaultConfig' },
    now,
    onSwap: (table) => decider.use(table),
  });
  const decider = createDecider({
    table: store.table(),
    stream: createKeylessStream(seed),
    onMissingRoute: (route: string, table: CompiledTable): never => {
      if (declaredRoutes.has(route) && table.version === 0) {
        throw new ModelCanaryError(
          ERROR_CODES.noConfig,
          `route "${route}" has no usable config yet (${store.snapshot().lastReload?.result ?? 'not loaded'}) and no defaultConfig names its default arm`,
        );
      }
      throw new UnknownRouteError(route, [...table.routes.keys()]);
    },
  });

  let reloader: FileReloader | null = null;
  if (config !== undefined) {
    const parsed = validated(config, 'inline', parseOptions);
    record(store.offer({ source: 'inline', hash: contentHash(JSON.stringify(parsed)), parsed: { ok: true, config: parsed } }));
  } else if (configFile !== undefined) {
    const watchSettings = watch === false ? null : watch === true ? {} : watch;
    reloader = createFileReloader({
      file: configFile,
      store,
      parse: parseOptions,
      watch:
        watchSettings === null
          ? null
          : {
              debounceMs: watchSettings.debounceMs ?? DEFAULT_DEBOUNCE_MS,
              pollIntervalMs: watchSettings.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
            },
      onEvent: (event) => {
        record(event);
        events.emit('config', event);
      },
      onError: (source, error) => events.emit('error', { type: 'error', source, error }),
    });
    const first = readConfigFileSync(configFile);
    const initial = reloader.handle(first, true) as ConfigEvent;
    if (strict && initial.result !== 'applied') {
      void reloader.close();
      if (initial.result === 'missing') {
        throw new ModelCanaryError(ERROR_CODES.configMissing, `rollout file ${configFile} does not exist (strict mode)`);
      }
      throw new InvalidConfigError(configFile, initial.problems);
    }
    record(initial);
  }

  let closed = false;
  const decide: Router['decide'] = (input) => {
    const d = decider.decide(input);
    // Spelled out: a `{ type, ...decision }` spread takes a slow path in Node 20's V8 (~0.2 us per call).
    if (events.has('decision')) {
      events.emit('decision', { type: 'decision', route: d.route, arm: d.arm, model: d.model, bucket: d.bucket, reason: d.reason, keyed: d.keyed, configVersion: d.configVersion });
    }
    return d;
  };
  // The call path (issue 4): built once over the caller's client; decide and the snapshot's config are read
  // in the same tick, so a call's decision and its prices come from one snapshot.
  const shadow = options.client === undefined ? null : createShadowRunner({ client: options.client, events, judge: options.judge });
  const callPath = options.client === undefined
    ? null
    : createCallPath({ client: options.client, decide, config: () => store.snapshot().config, events, now, deadlineMs: options.deadlineMs, shadow });
  const units: Units | null = callPath === null
    ? null
    : createUnits({ callPath, events, now, unitTimeoutMs, assign: (input) => decider.decide(input).arm });
  return {
    decide,
    messages: callPath ?? noClientMessages,
    unit(key) {
      if (units === null) throw noClient();
      return units.unit(key);
    },
    snapshot: () => store.snapshot(),
    on: (event, listener) => events.on(event, listener),
    seed,
    async reload() {
      if (closed) throw new ModelCanaryError(ERROR_CODES.closed, 'the router is closed');
      if (reloader !== null) return reloader.reload();
      const event = store.note('unchanged', 'inline', store.snapshot().hash);
      events.emit('config', event);
      return event;
    },
    async close() {
      if (closed) return;
      closed = true;
      units?.close();
      await shadow?.close(options.shadowCloseMs ?? DEFAULT_SHADOW_CLOSE_MS);
      await reloader?.close();
      await audit?.flush();
    },
  };
}

function validated(value: unknown, source: string, parseOptions: { declaredRoutes: readonly string[] | undefined }): RolloutConfig {
  const parsed = parseRolloutValue(value, parseOptions);
  if (!parsed.ok) throw new InvalidConfigError(source, parsed.problems);
  return parsed.config;
}

/** Node runs a timer longer than 2^31 - 1 ms after 1 ms: such a timeout would abandon every unit at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function unitTimeout(value: number | undefined): number {
  if (value === undefined) return DEFAULT_UNIT_TIMEOUT_MS;
  if (typeof value !== 'number' || !(value > 0 && value <= MAX_TIMER_MS)) {
    throw new ModelCanaryError(ERROR_CODES.invalidOptions, `unitTimeoutMs must be a number of ms above 0 and at most ${MAX_TIMER_MS} (about 24.8 days), got ${String(value)}`);
  }
  return value;
}

function noClient(): ModelCanaryError {
  return new ModelCanaryError(ERROR_CODES.invalidOptions, 'calling models needs the SDK client: createRouter({ client: new Anthropic(), ... })');
}

const noClientMessages: RoutedMessages = {
  create: () => {
    throw noClient();
  },
  stream: () => {
    throw noClient();
  },
};
