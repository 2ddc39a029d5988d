// Writes a `.d.cts` twin of every `.d.ts` in a package's dist, for its `require` condition.
//
// The packages are ESM, and Node >= 20.19 lets CommonJS `require` them. A CommonJS TypeScript project then
// resolves a package's types through `require`: its types must import the peers (@anthropic-ai/sdk) the same
// way, or the project sees two copies of the SDK's classes (its own CommonJS one and the package's ESM one) and
// rejects its own `Anthropic` client (TS2741, `#private`). The twins differ only in their relative specifiers.
// The `require` condition's JavaScript is `dist/index.cjs`, a real CommonJS module that re-exports the ESM entry
// (Node >= 20.19 requires ESM synchronously): CommonJS types then describe a CommonJS file, and both conditions
// share one module instance (no dual-package hazard).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const RELATIVE_JS = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\.js\2/g;

function* declarations(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* declarations(file);
    else if (entry.name.endsWith('.d.ts')) yield file;
  }
}

for (const pkg of process.argv.slice(2)) {
  for (const file of declarations(path.join(pkg, 'dist'))) {
    const text = readFileSync(file, 'utf8')
      .replace(RELATIVE_JS, '$1$2$3.cjs$2')
      .replace(/\/\/# sourceMappingURL=.*\n?$/, '');
    writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), text);
  }
  writeFileSync(path.join(pkg, 'dist', 'index.cjs'), "'use strict';\n// CommonJS entry: the ESM build itself, through Node's require(esm).\nmodule.exports = require('./index.js');\n");
}
