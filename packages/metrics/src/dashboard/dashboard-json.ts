import { buildModelCanaryDashboard } from './model-canary-dashboard.js';

/** The committed file's exact text: two-space JSON and a final newline. */
export function dashboardJson(): string {
  return `${JSON.stringify(buildModelCanaryDashboard().build(), null, 2)}\n`;
}
