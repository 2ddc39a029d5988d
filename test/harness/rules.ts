import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';

interface RuleFile {
  groups: Array<{ name: string; interval?: string; rules: Array<Record<string, unknown>> }>;
}

export interface ShortenRulesOptions {
  /** Files to copy (the package's shipped rule files). */
  readonly files: readonly string[];
  /** Directory for the copies (e.g. a Prometheus temp dir or a test's own). */
  readonly outDir: string;
  /** Replaces every alert's `for:` (the shipped values are minutes). */
  readonly forDuration?: string;
}

/**
 * The documented test rewrite of shipped rule files: the copies are identical except that every
 * alerting rule's `for:` becomes `forDuration` and a group `interval:` is dropped (so the global 1 s
 * evaluation interval applies). Expressions, labels and annotations are untouched, so what fires in
 * the test is the shipped rule, only sooner. Returns the copies' paths and each alert's original `for`.
 */
export async function shortenRuleFiles({
  files,
  outDir,
  forDuration = '1s',
}: ShortenRulesOptions): Promise<{ files: string[]; originalFor: Record<string, string> }> {
  const originalFor: Record<string, string> = {};
  const out: string[] = [];
  for (const [index, file] of files.entries()) {
    const doc = parse(await readFile(file, 'utf8')) as RuleFile;
    for (const group of doc.groups) {
      delete group.interval;
      for (const rule of group.rules) {
        if (typeof rule['alert'] !== 'string') continue;
        if (typeof rule['for'] === 'string') originalFor[rule['alert']] = rule['for'];
        rule['for'] = forDuration;
      }
    }
    const target = join(outDir, `${index}-${basename(file)}`);
    await writeFile(target, stringify(doc));
    out.push(target);
  }
  return { files: out, originalFor };
}
