import { defineConfig } from 'vitest/config';

// scripts/version-matrix.sh points the peers at other installed versions (the lowest each package supports). The SDK
// is aliased to its ESM files, root and subpaths alike, so that one copy of its classes is loaded.
const sdkDir = process.env.MC_SDK_DIR;
const promClientDir = process.env.MC_PROM_CLIENT_DIR;
const alias = [
  ...(sdkDir === undefined
    ? []
    : [
        { find: /^@anthropic-ai\/sdk$/, replacement: `${sdkDir}/index.mjs` },
        { find: /^@anthropic-ai\/sdk\/(.*)$/, replacement: `${sdkDir}/$1` },
      ]),
  ...(promClientDir === undefined
    ? []
    : [
        { find: /^prom-client$/, replacement: promClientDir },
        { find: /^prom-client\/(.*)$/, replacement: `${promClientDir}/$1` },
      ]),
];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
