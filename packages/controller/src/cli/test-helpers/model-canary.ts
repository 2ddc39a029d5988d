import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The `model-canary` command as installed: the router's bin, which hands `ramp` and `rehearse` to this package. */
export const MODEL_CANARY = join(dirname(require.resolve('@model-canary/router/package.json')), 'bin/model-canary.js');

/** This package's directory: run from there, `model-canary` finds this package the way a project's command finds its dependency. */
export const PACKAGE_DIR = fileURLToPath(new URL('../../../', import.meta.url));
