import { parseRolloutText } from '../config/parse-rollout.js';
import type { RolloutConfig } from '../config/rollout-config.js';
import { formatProblems } from '../errors.js';
import { readConfigFileSync } from '../reload/read-config-file.js';

/** Reads and validates a rollout file for a CLI command; on failure returns the text to print (exit 1). */
export function loadRolloutFile(
  file: string,
  declaredRoutes?: readonly string[],
): { ok: true; config: RolloutConfig; hash: string } | { ok: false; report: string } {
  const read = readConfigFileSync(file);
  if (read.kind === 'missing') return { ok: false, report: `${file}: no such file` };
  if (read.kind === 'unreadable') return { ok: false, report: `${file}: cannot read: ${String(read.error)}` };
  const parsed = parseRolloutText(read.text, { declaredRoutes });
  if (!parsed.ok) {
    const n = parsed.problems.length;
    return { ok: false, report: `${file}: invalid (${n} problem${n === 1 ? '' : 's'})\n${formatProblems(parsed.problems)}` };
  }
  return { ok: true, config: parsed.config, hash: read.hash };
}
