// Runs every `*.bench.ts` in this folder (or those whose name contains an argument) and prints their figures.
// Benchmarks are not tests: they print ratios measured in one run, since the machine is shared and noisy.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

interface BenchModule {
  run(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = (await readdir(here))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}`);
  process.exitCode = 1;
}
for (const file of files) {
  console.log(`\n== ${file.replace('.bench.ts', '')} ==`);
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as BenchModule;
  await mod.run();
}
