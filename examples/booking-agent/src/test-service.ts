import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { SimulatorOptions as SimulatorSettings } from '@model-canary/simulator';
import { createLogger } from './logging.js';
import { startService, type RunningService } from './service.js';
import { loadSettings } from './settings.js';

type SimulatorOptions = Omit<SimulatorSettings, 'seed' | 'timeScale'>;

/** A rollout with the orchestrator's canary at `canaryPercent` (Sonnet 4.6) and control on Haiku 4.5. */
export function rolloutWith(canaryPercent: number): Record<string, unknown> {
  return {
    routes: {
      orchestrator: {
        salt: 'orchestrator-sonnet-4-6',
        arms: [
          { name: 'canary', model: 'claude-sonnet-4-6', percent: canaryPercent },
          { name: 'control', model: 'claude-haiku-4-5' },
        ],
      },
      specialist: { arms: [{ name: 'control', model: 'claude-haiku-4-5' }] },
      verifier: { arms: [{ name: 'control', model: 'claude-opus-4-7' }] },
    },
  };
}

/**
 * Simulator profiles whose plans are always well-formed, for tests that need deterministic successes
 * (never empty either: the simulator honours plan_booking's `minProperties: 1`).
 */
export const PERFECT_PLANS: NonNullable<SimulatorOptions['models']> = {
  'claude-haiku-4-5': { planQuality: { invalidRate: 0, incompleteRate: 0 } },
  'claude-sonnet-4-6': { planQuality: { invalidRate: 0, incompleteRate: 0 } },
  'claude-opus-4-7': { planQuality: { invalidRate: 0, incompleteRate: 0 } },
};

export interface TestService extends RunningService {
  readonly rolloutFile: string;
  readonly auditFile: string;
  /** Every JSON log line written so far. */
  readonly logLines: string[];
  /** Replaces the rollout file atomically (write then rename), as an editor or a ConfigMap would. */
  writeRollout(config: unknown): void;
  stop(): Promise<void>;
}

export interface TestServiceOptions {
  rollout?: unknown;
  simulator?: SimulatorOptions;
  env?: Record<string, string>;
  newId?: () => string;
}

/** The whole service on 127.0.0.1:0 with its simulator, a temp rollout file and captured logs. */
export async function startTestService({ rollout = rolloutWith(10), simulator = {}, env = {}, newId }: TestServiceOptions = {}): Promise<TestService> {
  const dir = mkdtempSync(path.join(tmpdir(), 'booking-agent-test-'));
  const rolloutFile = path.join(dir, 'rollout.json');
  const writeRollout = (config: unknown): void => {
    const temp = `${rolloutFile}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(config, null, 2)}\n`);
    renameSync(temp, rolloutFile);
  };
  writeRollout(rollout);
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      callback();
    },
  });
  const settings = loadSettings({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    MODEL_BACKEND: 'simulator',
    AUDIT_FILE: path.join(dir, 'config.audit.jsonl'),
    SIM_SEED: 'booking-agent-test',
    SIM_TIME_SCALE: '0.01',
    MODEL_MAX_RETRIES: '2',
    ...env,
    ROLLOUT_FILE: rolloutFile,
  });
  const logger = createLogger({ level: settings.logLevel, destination });
  const service = await startService({
    settings,
    logger,
    simulator: { baselineFaults: false, ...simulator },
    ...(newId === undefined ? {} : { newId }),
  });
  return {
    ...service,
    rolloutFile,
    auditFile: settings.auditFile,
    logLines,
    writeRollout,
    async stop() {
      await service.close(5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postBooking(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: ResponseBody }> {
  const response = await fetch(new URL('/bookings', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text === '' ? {} : JSON.parse(text)) as ResponseBody };
}

/** A JSON response body, loosely typed for assertions. */
export type ResponseBody = Record<string, unknown> & {
  error?: { type: string; message: string; [key: string]: unknown };
};
