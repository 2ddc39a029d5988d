import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTROLLER_METRIC_NAMES } from '@model-canary/controller';
import { describe, expect, it } from 'vitest';

// DESIGN.md's arrows, checked on what ships (`pnpm build` first): router and simulator import none of ours, metrics
// may import the router, the controller the router, the simulator and the report (for its charts). Each package owns its names.
const PACKAGES = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages');
const ALLOWED: Record<string, string[]> = {
  router: [],
  simulator: [],
  metrics: ['@model-canary/router'],
  report: [],
  controller: ['@model-canary/report', '@model-canary/router', '@model-canary/simulator'],
};

async function jsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.js')).map((e) => join(e.parentPath, e.name));
}

async function runtimeImports(pkg: string): Promise<string[]> {
  const found = new Set<string>();
  for (const file of await jsFiles(join(PACKAGES, pkg, 'dist'))) {
    const text = await readFile(file, 'utf8');
    for (const [, name] of text.matchAll(/(?:from|import\()\s*['"](@model-canary\/[\w-]+)/g)) found.add(name!);
  }
  return [...found].sort();
}

const exportsOf = async (pkg: string): Promise<string[]> => Object.keys((await import(join(PACKAGES, pkg, 'dist', 'index.js'))) as object);

describe('layering', () => {
  it.each(Object.entries(ALLOWED))('%s imports at run time only what DESIGN.md allows, and declares it as a dependency or peer', async (pkg, allowed) => {
    for (const name of await runtimeImports(pkg)) expect(allowed).toContain(name);
    const manifest = JSON.parse(await readFile(join(PACKAGES, pkg, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = Object.keys({ ...manifest['dependencies'], ...manifest['peerDependencies'] }).filter((n) => n.startsWith('@model-canary/'));
    expect(declared.sort()).toEqual(allowed);
  });

  it('the router traces through @opentelemetry/api alone (never an OpenTelemetry SDK), its only dependency beside seedrandom and zod', async () => {
    const manifest = JSON.parse(await readFile(join(PACKAGES, 'router', 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(Object.keys(manifest['dependencies'] ?? {}).sort()).toEqual(['@opentelemetry/api', 'seedrandom', 'zod']);
    for (const file of await jsFiles(join(PACKAGES, 'router', 'dist'))) {
      const otel = [...(await readFile(file, 'utf8')).matchAll(/(?:from|import\()\s*['"](@opentelemetry\/[\w-]+)/g)].map((m) => m[1]);
      expect(otel.filter((name) => name !== '@opentelemetry/api'), file).toEqual([]);
    }
  });

  it('no cycle among the packages, dev dependencies included (pnpm install warns of one)', async () => {
    const edges = new Map<string, string[]>();
    for (const pkg of Object.keys(ALLOWED)) {
      const manifest = JSON.parse(await readFile(join(PACKAGES, pkg, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const all = Object.keys({ ...manifest['dependencies'], ...manifest['devDependencies'], ...manifest['peerDependencies'] });
      edges.set(pkg, all.filter((n) => n.startsWith('@model-canary/')).map((n) => n.slice('@model-canary/'.length)));
    }
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      (edges.get(from) ?? []).some((next) => next === to || (!seen.has(next) && (seen.add(next), reaches(next, to, seen))));
    expect([...edges.keys()].filter((pkg) => reaches(pkg, pkg))).toEqual([]);
  });

  it.each([['router'], ['metrics']])("%s exports none of the controller's names (its ramp rules and buckets are the controller's)", async (pkg) => {
    const controller = new Set(await exportsOf('controller'));
    expect((await exportsOf(pkg)).filter((name) => controller.has(name))).toEqual([]);
  });

  it("the metrics package's code names none of the controller's series (its dashboard reads them from the controller)", async () => {
    for (const file of await jsFiles(join(PACKAGES, 'metrics', 'dist'))) {
      const text = await readFile(file, 'utf8');
      expect(CONTROLLER_METRIC_NAMES.filter((name) => text.includes(name)), file).toEqual([]);
    }
  });

  it("no library carries a copy of the example's booking tool schema", async () => {
    for (const pkg of Object.keys(ALLOWED)) {
      for (const file of await jsFiles(join(PACKAGES, pkg, 'dist'))) expect(await readFile(file, 'utf8'), file).not.toMatch(/dropoffDate|Break a travel booking request/);
    }
  });
});
