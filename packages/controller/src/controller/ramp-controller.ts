import { Registry } from 'prom-client';
import { readFile } from 'node:fs/promises';
import { parseRolloutText, type RolloutConfig } from '@model-canary/router';
import { rampedRoutes, toRampPlan } from '../config/ramp-plan.js';
import { decideRamp } from '../decision/decide.js';
import type { RampDecision } from '../decision/types.js';
import { createPrometheusClient, type PrometheusClient } from '../prometheus/prometheus-client.js';
import { createRouteReader, type RouteReader } from '../prometheus/read-aggregates.js';
import { writeFileAtomic } from './atomic-write.js';
import { createAuditTrail } from './audit-trail.js';
import { acquireLock, type Lock } from './lock-file.js';
import { createRampMetrics } from './ramp-metrics.js';
import { hashText, readRolloutFile, withPercent } from './rollout-file.js';
import { ControllerError } from '../errors.js';

export interface RampControllerOptions {
  /** Base URL of Prometheus (e.g. http://127.0.0.1:9090), or a client (tests). */
  readonly prometheus: string | PrometheusClient;
  /** The rollout file the routers hot-reload. */
  readonly configFile: string;
  /** Milliseconds between two looks (default 30 s). */
  readonly interval?: number;
  /** Decide and report, never write the file. */
  readonly dryRun?: boolean;
  /** Default: `<configFile>.lock`. */
  readonly lockFile?: string;
  /** JSON lines, one per decision (and per conflict). */
  readonly auditFile?: string;
  readonly registry?: Registry;
  readonly now?: () => number;
  /** Metric name prefix of the routers' metrics and of the controller's own. */
  readonly prefix?: string;
  /** Called with every decision (the CLI prints them). */
  readonly onDecision?: (route: string, decision: RampDecision, applied: boolean) => void;
  /** A look that failed (unreadable file, a bug): also written to the audit file. The controller keeps looking. */
  readonly onError?: (error: unknown) => void;
}

export interface RampController {
  /** One look at every ramped route; resolves with the decisions (also run by the timer). */
  tick(): Promise<{ route: string; decision: RampDecision; applied: boolean }[]>;
  readonly registry: Registry;
  close(): Promise<void>;
}

interface RouteState {
  percent: number;
  stepStartedAt: number;
  rampStartedAt: number;
  /** The canary arm's model; unknown when recovered from an audit line written before models were recorded. */
  model?: string | undefined;
  /** Set by a rollback (a shadow phase that failed included): a route at 0% after it is stopped, not in a shadow phase. */
  rolledBack?: boolean | undefined;
}

/**
 * Starts a rollout controller: takes the lock (a second instance refuses to start), then every
 * `interval` reads per-arm counts from Prometheus, decides per ramped route, and applies
 * advance/rollback by rewriting the rollout file atomically. It re-reads the file before writing
 * and never overwrites a change it did not make since its last read: a person's edit wins and
 * starts a new step from the percent they chose.
 */
export async function createRampController(options: RampControllerOptions): Promise<RampController> {
  const { configFile, interval = 30_000, dryRun = false, lockFile = `${configFile}.lock`, auditFile, registry = new Registry(), now = Date.now, prefix = 'model_canary_' } = options;
  const prom = typeof options.prometheus === 'string' ? createPrometheusClient({ url: options.prometheus }) : options.prometheus;
  const lock: Lock | null = dryRun ? null : await acquireLock(lockFile);
  const audit = createAuditTrail(auditFile);
  const metrics = createRampMetrics(registry, prefix);
  const states = new Map<string, RouteState>();
  /** One reader per route and arm pair: it keeps the exact per-step counts between looks. */
  const readers = new Map<string, RouteReader>();
  const readerFor = (route: string, canaryArm: string, controlArm: string): RouteReader => {
    const key = JSON.stringify([route, canaryArm, controlArm]);
    let reader = readers.get(key);
    if (reader === undefined) {
      reader = createRouteReader(prom, { route, canaryArm, controlArm, prefix });
      readers.set(key, reader);
    }
    return reader;
  };
  let lastHash: string | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  await recoverFromAudit();

  async function recoverFromAudit(): Promise<void> {
    // A restarted controller keeps its step clock: the last audit line of a route at the same percent.
    if (auditFile === undefined) return;
    const text = await readFile(auditFile, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const r = JSON.parse(line) as { route?: string; percent?: number; stepStartedAt?: number; rampStartedAt?: number; model?: unknown; rolledBack?: unknown };
        if (typeof r.route === 'string' && typeof r.percent === 'number' && typeof r.stepStartedAt === 'number' && typeof r.rampStartedAt === 'number') {
          states.set(r.route, { percent: r.percent, stepStartedAt: r.stepStartedAt, rampStartedAt: r.rampStartedAt, model: typeof r.model === 'string' ? r.model : undefined, rolledBack: r.rolledBack === true });
        }
      } catch {
        // A torn last line (crash mid-append) is skipped.
      }
    }
  }

  function follow(config: RolloutConfig, t: number): void {
    for (const route of rampedRoutes(config.routes)) {
      const plan = toRampPlan(route, config.routes[route]!);
      const canary = config.routes[route]!.arms.find((a) => a.name === plan.canaryArm);
      const percent = canary?.percent ?? 0;
      const model = canary?.model;
      const s = states.get(route);
      // Another model on the canary arm is another experiment: the metrics are per arm, so the old model's
      // counts must not carry the new one through its steps.
      const modelChanged = s?.model !== undefined && s.model !== model;
      if (s === undefined || s.percent !== percent || modelChanged) {
        // First sight, or a change we did not make: a new step starts now; from 0% (or on a new model) a new ramp.
        const newRamp = s === undefined || s.percent === 0 || percent === 0 || modelChanged;
        states.set(route, { percent, stepStartedAt: t, rampStartedAt: newRamp ? t : s.rampStartedAt, model });
      } else if (s.model === undefined) {
        s.model = model;
      }
    }
  }

  async function tick(): Promise<{ route: string; decision: RampDecision; applied: boolean }[]> {
    const t = now();
    const file = await readRolloutFile(configFile);
    if (file.config === null) {
      await audit.write({ at: new Date(t).toISOString(), event: 'config-invalid', problems: file.problems });
      return [];
    }
    if (file.hash !== lastHash) follow(file.config, t);
    lastHash = file.hash;
    const out: { route: string; decision: RampDecision; applied: boolean }[] = [];
    for (const route of rampedRoutes(file.config.routes)) {
      const routeConfig = file.config.routes[route]!;
      const plan = toRampPlan(route, routeConfig);
      const state = states.get(route)!;
      const aggregates = await readerFor(route, plan.canaryArm, plan.controlArm)
        .read({ rampStartedAt: state.rampStartedAt, stepStartedAt: state.stepStartedAt, percent: state.percent, now: t })
        .catch(() => null);
      // At 0% with a `ramp.shadow` and no rollback yet: the shadow phase (judged quality before the first step).
      const phase = plan.shadow !== undefined && state.percent === 0 && state.rolledBack !== true ? 'shadow' as const : undefined;
      const decision = decideRamp({ state: { percent: state.percent, stepStartedAt: state.stepStartedAt, enabled: routeConfig.enabled, phase }, aggregates, plan, now: t });
      let applied = false;
      let conflict = false;
      if (decision.toPercent !== decision.fromPercent && !dryRun) {
        // Re-read right before writing: a change since our read is a person's, and it wins.
        const current = await readRolloutFile(configFile);
        const text = current.hash === lastHash ? withPercent(current.text, route, plan.canaryArm, decision.toPercent) : null;
        // The file the router would get must be one it accepts (other arms' percents and maxPercent included):
        // a refused write holds, and says why, rather than leaving the router on its last good config.
        const checked = text === null ? null : parseRolloutText(text);
        if (text === null || checked === null) {
          conflict = true;
        } else if (!checked.ok) {
          await audit.write({ at: new Date(t).toISOString(), event: 'write-refused', route, fromPercent: decision.fromPercent, toPercent: decision.toPercent, problems: checked.problems });
          options.onError?.(new ControllerError('INVALID_CONFIG', `not writing ${route} at ${decision.toPercent}%: the router would refuse the file (${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')})`));
        } else {
          await writeFileAtomic(configFile, text);
          // The step starts once the file is written, not when this look began: bookings routed at the old
          // percent while Prometheus was being read must not count towards the new step (its SRM, its minimums).
          const appliedAt = now();
          // What we wrote, not a fresh read: a person's save right after our rename must look like theirs.
          lastHash = hashText(text);
          states.set(route, { percent: decision.toPercent, stepStartedAt: appliedAt, rampStartedAt: decision.toPercent === 0 ? appliedAt : state.rampStartedAt, model: state.model });
          applied = true;
        }
      }
      const s = states.get(route)!;
      if (decision.decision === 'rollback' && !dryRun) s.rolledBack = true;
      await audit.write({
        at: new Date(t).toISOString(), route, decision: decision.decision, reason: decision.reason, fromPercent: decision.fromPercent, toPercent: decision.toPercent,
        applied, dryRun, conflict, percent: s.percent, stepStartedAt: s.stepStartedAt, rampStartedAt: s.rampStartedAt, model: s.model,
        ...(s.rolledBack === true ? { rolledBack: true } : {}),
        summary: decision.summary, extraUsd: decision.extraUsd, counts: decision.counts === null ? null : { ...decision.counts, canary: { ...decision.counts.canary, latency: undefined }, control: { ...decision.counts.control, latency: undefined } },
        guardrails: decision.guardrails,
      });
      metrics.record(route, decision, s.percent);
      options.onDecision?.(route, decision, applied);
      out.push({ route, decision, applied });
    }
    return out;
  }

  /**
   * Every look, the timer's and `tick()`'s, runs after the one before it: two looks at once would decide from
   * the same state and the later write could undo the earlier (a rollback overwritten by a stale advance).
   */
  function look(): ReturnType<typeof tick> {
    const p = running.then(() => tick());
    running = p.catch(async (error: unknown) => {
      await audit.write({ at: new Date(now()).toISOString(), event: 'look-failed', error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
      try {
        options.onError?.(error);
      } catch {
        // A throwing error callback must not stop the looks that follow.
      }
    });
    return p;
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => {
      look().catch(() => undefined); // reported by look()
      void running.finally(schedule);
    }, interval);
  }
  schedule();

  return {
    tick: look,
    registry,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
      await lock?.release();
    },
  };
}
