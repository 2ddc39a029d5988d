import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { looksFromAudit, renderReport } from '@model-canary/report';
import { pino } from 'pino';
import { describeCounts } from './load/driver.js';
import { formatReport, runLoadAndReport, scrape } from './load/report.js';
import { formatShadowSummary, shadowSummary } from './load/shadow-summary.js';
import { createLogger } from './logging.js';
import { startService } from './service.js';
import { loadSettings, SettingsError } from './settings.js';

const USAGE = `Usage: pnpm demo [-n 300] [-c 16] [--seed S] [--keep] [--report report.html [--audit ramp.audit.jsonl]]

Starts the simulator and the booking service in process, sends N bookings, prints the per-arm
comparison, and exits (or keeps the service running with --keep). --report writes the comparison as
charts to one HTML file that opens offline, with the rollout controller's evidence when --audit names
its audit file (canary ramp --audit-file).`;

/** The repository root, where the printed `pnpm canary` commands run. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A path as typed from the repository root (absolute when it lies outside). */
const fromRoot = (file: string): string => {
  const relative = path.relative(REPO_ROOT, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
};

/** `pnpm demo`: the whole story on the simulator, in well under 30 seconds. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      n: { type: 'string', short: 'n', default: '300' },
      c: { type: 'string', short: 'c', default: '16' },
      seed: { type: 'string', default: 'demo' },
      keep: { type: 'boolean', default: false },
      report: { type: 'string' },
      audit: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.audit !== undefined && values.report === undefined) throw new SettingsError(`--audit needs --report <file>\n\n${USAGE}`, []);
  const total = Number(values.n);
  const concurrency = Number(values.c);
  if (!Number.isInteger(total) || total < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new SettingsError(`-n and -c must be positive integers\n\n${USAGE}`, []);
  }
  // The demo always runs on the simulator, even when a real key is in the environment.
  const { ANTHROPIC_API_KEY: _ignored, ...env } = process.env;
  // 50x faster than real (the SDK's default timeout shrinks with it, see settings.ts). Logs and the config
  // audit trail go to a temporary directory, unless AUDIT_FILE says otherwise.
  const outDir = mkdtempSync(path.join(tmpdir(), 'booking-agent-demo-'));
  const settings = loadSettings({ PORT: '0', SIM_TIME_SCALE: '0.02', AUDIT_FILE: path.join(outDir, 'config.audit.jsonl'), ...env, MODEL_BACKEND: 'simulator' });
  const logFile = path.join(outDir, 'service.log');
  const logger = createLogger({ level: settings.logLevel, destination: pino.destination({ dest: logFile, sync: false }) });

  const started = Date.now();
  const service = await startService({ settings, logger });
  process.stdout.write(`model-canary demo: ${total} bookings, ${concurrency} in flight, simulator at timeScale ${settings.simTimeScale}\n\n`);
  try {
    const report = await runLoadAndReport({ url: service.url, total, concurrency, seed: values.seed });
    const speed = settings.simTimeScale > 0 && settings.simTimeScale < 1 ? ` (simulated ${Math.round(1 / settings.simTimeScale)}x faster than real)` : '';
    process.stdout.write(`${formatReport(report)}\nDriver: ${describeCounts(report.counts)}${speed}\n\n`);
    process.stdout.write(`${formatShadowSummary(await settledShadowSummary(service.url))}\n\n`);
    if (values.report !== undefined) {
      await writeHtmlReport({ file: values.report, audit: values.audit, url: service.url, subtitle: `pnpm demo: ${total} bookings on the simulator${speed}, seed ${values.seed}` });
      process.stdout.write(`Report: ${values.report} (one HTML file, opens offline)\n\n`);
    }
  } catch (error) {
    await service.close(1000);
    throw error;
  }
  const rollout = fromRoot(settings.rolloutFile);
  const lines = [
    `Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Where to look next:`,
    `  service    ${service.url}  (POST /bookings, GET /rollout, GET /metrics, GET /healthz)`,
    `  simulator  ${service.simulatorUrl ?? '-'}  (GET /_sim/stats)`,
    `  rollout    ${settings.rolloutFile}`,
    '             edit routes.orchestrator.arms[0].percent; the router reloads it without a restart',
    `  logs       ${logFile}  (JSON lines, one traceId per booking)`,
    `  audit      ${settings.auditFile}  (every applied or rejected rollout config)`,
    values.keep ? `  load again pnpm load --url ${service.url} -n 300 -c 16` : '  (service and simulator stop as the demo exits: add --keep to keep them up)',
    '',
    'Try, from the repository root:',
    `  pnpm canary validate ${rollout}`,
    `  printf 'booking-1\\nbooking-2\\n' | pnpm -s canary decide --config ${rollout} --route orchestrator`,
    `  pnpm canary rehearse --config ${rollout} --scenario aa --runs 20 --report rehearsal.html`,
    `  pnpm canary ramp --config ${rollout} --prometheus http://127.0.0.1:9090 --dry-run`,
    '             (the ramp controller reads a Prometheus that scrapes /metrics: examples/booking-agent/README.md, "Ramp")',
  ];
  if (values.keep) {
    lines.push('', 'Running until Ctrl-C.');
    process.stdout.write(`${lines.join('\n')}\n`);
    const stop = (): void => {
      void service.close(5000).then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  await service.close(5000);
}

/** The service's whole `/metrics` (this process's service saw only the demo's bookings) and the audit, as charts. */
async function writeHtmlReport({ file, audit, url, subtitle }: { file: string; audit: string | undefined; url: string; subtitle: string }): Promise<void> {
  const looks = audit === undefined ? undefined : looksFromAudit(await readFile(audit, 'utf8'));
  const html = await renderReport({
    title: 'Booking demo: Sonnet 4.6 canary vs Haiku 4.5',
    subtitle,
    metrics: { exposition: await scrape(url), source: `${url}/metrics` },
    ...(looks === undefined || audit === undefined ? {} : { audit: { looks, source: audit } }),
  });
  await writeFile(file, html);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof SettingsError ? 2 : 1;
});

/**
 * The shadow summary once the run's last shadow calls have been judged (they finish in the background and never
 * delay a booking): polled for up to 5 s.
 */
async function settledShadowSummary(url: string): Promise<ReturnType<typeof shadowSummary>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const summary = shadowSummary(await scrape(url), 'orchestrator');
    const judged = summary.candidateBetter + summary.servedBetter + summary.tie + summary.judgeErrors;
    if (judged >= summary.shadowCalls || Date.now() > deadline) return summary;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
