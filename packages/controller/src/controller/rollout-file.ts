import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseRolloutText, type ConfigProblem, type RolloutConfig } from '@model-canary/router';
import { ControllerError } from '../errors.js';

export interface RolloutFileRead {
  readonly text: string;
  readonly hash: string;
  readonly config: RolloutConfig | null;
  readonly problems: readonly ConfigProblem[];
}

export const hashText = (text: string): string => createHash('sha256').update(text).digest('hex');

export async function readRolloutFile(path: string): Promise<RolloutFileRead> {
  const text = await readFile(path, 'utf8');
  const parsed = parseRolloutText(text);
  return { text, hash: hashText(text), config: parsed.ok ? parsed.config : null, problems: parsed.ok ? [] : parsed.problems };
}

/**
 * The file's text with one arm's percent changed, everything else kept (the JSON is re-serialised
 * with two-space indentation; keys and their order, and a leading byte-order mark, are preserved).
 */
export function withPercent(text: string, route: string, arm: string, percent: number): string {
  // A byte-order mark (which the router accepts) is kept, not fed to JSON.parse.
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const json = JSON.parse(text.slice(bom.length)) as { routes: Record<string, { arms: { name: string; percent?: number | null }[] }> };
  const target = json.routes[route]?.arms.find((a) => a.name === arm);
  if (target === undefined) throw new ControllerError('INVALID_CONFIG', `no arm ${arm} on route ${route}`);
  target.percent = percent;
  return `${bom}${JSON.stringify(json, null, 2)}\n`;
}
