import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '../harness/index.js';
import { exampleRolloutFile } from './package-assets.js';

interface RolloutJson {
  $schema?: string;
  routes: Record<string, { arms: Array<{ name: string; model: string; percent?: number | null }> }>;
}

export interface RolloutFile {
  readonly path: string;
  /** Sets the orchestrator canary's percent, written atomically (temp file + rename, as an editor saves). */
  setCanaryPercent(percent: number): Promise<void>;
  /** Replaces the file with any text, e.g. a broken edit. */
  writeRaw(text: string): Promise<void>;
  remove(): Promise<void>;
}

export const CANARY = { route: 'orchestrator', arm: 'canary', control: 'control', model: 'claude-sonnet-4-6' } as const;

/** A copy of the example's rollout.json in a temp dir, with the canary at `canaryPercent`. */
export async function createRolloutFile(canaryPercent = 10): Promise<RolloutFile> {
  const template = JSON.parse(await readFile(exampleRolloutFile(), 'utf8')) as RolloutJson;
  delete template.$schema;
  const dir = await makeTempDir('rollout');
  const path = join(dir, 'rollout.json');
  let saves = 0;
  const save = async (text: string): Promise<void> => {
    const temp = join(dir, `.rollout.json.${saves++}.tmp`);
    await writeFile(temp, text);
    await rename(temp, path);
  };
  const withPercent = (percent: number): string => {
    const arm = template.routes[CANARY.route]?.arms.find((a) => a.name === CANARY.arm);
    if (arm === undefined) throw new Error(`the example rollout has no ${CANARY.route}/${CANARY.arm} arm`);
    arm.percent = percent;
    return `${JSON.stringify(template, null, 2)}\n`;
  };
  await save(withPercent(canaryPercent));
  return {
    path,
    setCanaryPercent: (percent) => save(withPercent(percent)),
    writeRaw: save,
    remove: () => removeTempDir(dir),
  };
}
