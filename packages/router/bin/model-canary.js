#!/usr/bin/env node
// The `model-canary` command. The CLI itself is compiled to dist/ (in the repository: `pnpm build` first).
import '../dist/cli/main.js';
