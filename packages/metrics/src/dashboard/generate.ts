// Writes the dashboard built by model-canary-dashboard.ts to dashboards/model-canary.json.
// Run: pnpm --filter @model-canary/metrics generate
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dashboardJson } from './dashboard-json.js';

const target = fileURLToPath(new URL('../../dashboards/model-canary.json', import.meta.url));
await writeFile(target, dashboardJson());
console.log(`wrote ${target}`);
