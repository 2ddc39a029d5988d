import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// GrowthBook's own `hash` is not exported from the package entry; load its util module by file path.
type GrowthBookHash = (seed: string, value: string, version: number) => number | null;

export async function loadGrowthBookHash(): Promise<GrowthBookHash> {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('@growthbook/growthbook/package.json'));
  const mod = (await import(pathToFileURL(path.join(root, 'dist/esm/util.mjs')).href)) as { hash: GrowthBookHash };
  return mod.hash;
}
