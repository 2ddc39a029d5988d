import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '../harness/index.js';
import { exampleRolloutFile } from './package-assets.js';
import { CANARY } from './rollout-file.js';

interface RolloutJson {
  $schema?: string;
  routes: Record<string, { arms: Array<{ name: string; model: string; percent?: number | null }>; ramp?: unknown }>;
}

/**
 * A ramp scaled down for tests: tiny step minimums, and margins and caps wide enough that a few hundred
 * bookings decide (the confidence sequences, α split and SRM test are the shipped ones). The latency
 * guardrail is the slowest to pass: its p95 sequence needs about 200 calls per arm, hence a first step of 40%.
 */
export const TEST_RAMP = {
  steps: [40, 60, 80, 100],
  minBookingsPerArm: 20,
  minDurationMinutes: 0.02,
  alpha: 0.2,
  guardrails: {
    bookingSuccess: { margin: 0.25 },
    behaviourErrors: { margin: 0.25 },
    latencyP95Ratio: { max: 50 },
    costPerSuccessRatio: { max: 50 },
  },
  budgetUsd: 100,
} as const;

export interface RampRolloutFile {
  readonly path: string;
  readonly auditFile: string;
  readonly lockFile: string;
  text(): Promise<string>;
  /** The orchestrator canary's percent in the file now. */
  canaryPercent(): Promise<number>;
  /**
   * A person's edit: the canary at `percent`, saved by rename like an editor, in a layout (four-space
   * indent) the controller never writes, so that a later rewrite by the controller would show.
   */
  personSets(percent: number): Promise<string>;
  /** Audit lines written by the controller so far. */
  audit(): Promise<Array<Record<string, unknown>>>;
  remove(): Promise<void>;
}

/** A copy of the example's rollout.json with a ramp on the orchestrator route, the canary at `percent`. */
export async function createRampRollout(percent: number, ramp: object = TEST_RAMP): Promise<RampRolloutFile> {
  const template = JSON.parse(await readFile(exampleRolloutFile(), 'utf8')) as RolloutJson;
  delete template.$schema;
  const route = template.routes[CANARY.route];
  const arm = route?.arms.find((a) => a.name === CANARY.arm);
  if (route === undefined || arm === undefined) throw new Error(`the example rollout has no ${CANARY.route}/${CANARY.arm} arm`);
  route.ramp = ramp;
  const dir = await makeTempDir('ramp-rollout');
  const path = join(dir, 'rollout.json');
  let saves = 0;
  const save = async (text: string): Promise<void> => {
    const temp = join(dir, `.person.${saves++}.tmp`);
    await writeFile(temp, text);
    await rename(temp, path);
  };
  const render = (p: number, indent: number): string => {
    arm.percent = p;
    return `${JSON.stringify(template, null, indent)}\n`;
  };
  await save(render(percent, 2));
  const text = (): Promise<string> => readFile(path, 'utf8');
  const auditFile = join(dir, 'ramp.audit.jsonl');
  return {
    path,
    auditFile,
    lockFile: `${path}.lock`,
    text,
    canaryPercent: async () => {
      const json = JSON.parse(await text()) as RolloutJson;
      return json.routes[CANARY.route]?.arms.find((a) => a.name === CANARY.arm)?.percent ?? Number.NaN;
    },
    personSets: async (p) => {
      const edited = render(p, 4);
      await save(edited);
      return edited;
    },
    audit: async () =>
      (await readFile(auditFile, 'utf8').catch(() => ''))
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    remove: () => removeTempDir(dir),
  };
}
