#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { parseArgs } from 'node:util';
import { formatProblems, parseRolloutText } from '@model-canary/router';
import { rampedRoutes } from '../config/ramp-plan.js';
import { createRampController } from '../controller/ramp-controller.js';
import { calibrate } from '../rehearsal/calibrate.js';
import { rehearsalRoute, rehearse } from '../rehearsal/rehearse.js';
import { SCENARIOS, type ScenarioName } from '../rehearsal/scenarios.js';
import { formatPlan, formatRehearsalTable, REHEARSAL_LEGEND } from './format-table.js';
import { parseDuration } from './parse-duration.js';

const USAGE = `usage:
  canary-controller ramp --config <rollout.json> --prometheus <url> [--interval 30s] [--dry-run] [--once]
                         [--lock-file <path>] [--audit-file <path>] [--metrics-port <port>]
  canary-controller rehearse --config <rollout.json> --scenario <${SCENARIOS.join('|')}|all> [--runs 200] [--json]
                         [--route <name>] [--seed <s>] [--bookings-per-minute 1000 | --bookings-per-day N] [--booking-seconds S]
                         [--interval 30s] [--scrape-interval 15s] [--max-minutes 720]
                         [--calibration-calls 300]  (0: skip measuring plan tokens through the real router + simulator)
      --bookings-per-day plans a ramp at your traffic: how long each step and the whole ramp take (median, p90),
      looking every 10m at 5m scrapes and for up to 90 days unless --interval, --scrape-interval, --max-minutes say otherwise.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `canary-controller rehearse --help` asks for help, not an unknown option (parseArgs would throw).
  if (command === '--help' || command === '-h' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (command === 'rehearse') return await rehearseCommand(rest);
    if (command === 'ramp') return await rampCommand(rest);
  } catch (error) {
    if (error instanceof FlagError) return usage(error.message);
    throw error;
  }
  process.stderr.write(`${USAGE}\n`);
  return command === undefined ? 0 : 2;
}

function loadConfig(path: string): ReturnType<typeof parseRolloutText> {
  return parseRolloutText(readFileSync(path, 'utf8'));
}

async function rehearseCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' }, scenario: { type: 'string', default: 'all' }, runs: { type: 'string', default: '200' }, json: { type: 'boolean', default: false },
      route: { type: 'string' }, seed: { type: 'string', default: 'rehearsal' }, 'bookings-per-minute': { type: 'string' }, 'bookings-per-day': { type: 'string' },
      'booking-seconds': { type: 'string' }, interval: { type: 'string' }, 'scrape-interval': { type: 'string' }, 'max-minutes': { type: 'string' },
      'calibration-calls': { type: 'string', default: '300' },
    },
  });
  if (values.config === undefined) return usage('--config is required');
  const parsed = loadConfig(values.config);
  if (!parsed.ok) return fail(`invalid config ${values.config}:\n${formatProblems(parsed.problems)}`);
  const scenarios: ScenarioName[] = values.scenario === 'all' ? [...SCENARIOS] : (values.scenario.split(',') as ScenarioName[]);
  for (const s of scenarios) if (!(SCENARIOS as readonly string[]).includes(s)) return usage(`unknown scenario "${s}"`);
  const runs = numberFlag('runs', values.runs, { min: 1, integer: true });
  const perDay = values['bookings-per-day'] === undefined ? undefined : numberFlag('bookings-per-day', values['bookings-per-day'], { min: 1 });
  if (perDay !== undefined && values['bookings-per-minute'] !== undefined) return usage('--bookings-per-day and --bookings-per-minute are two ways to say one thing: give one');
  const bookingsPerMinute = perDay !== undefined ? perDay / 1440 : values['bookings-per-minute'] === undefined ? undefined : numberFlag('bookings-per-minute', values['bookings-per-minute'], { min: 0.001 });
  const bookingSeconds = values['booking-seconds'] === undefined ? undefined : numberFlag('booking-seconds', values['booking-seconds'], { min: 0 });
  const planning = perDay !== undefined;
  const maxMinutes = numberFlag('max-minutes', values['max-minutes'] ?? (planning ? String(90 * 1440) : '720'), { min: 1 });
  const intervalSeconds = durationFlag('interval', values.interval ?? (planning ? '10m' : '30s'), 1000) / 1000;
  const scrapeSeconds = values['scrape-interval'] === undefined ? Math.min(planning ? 300 : 15, intervalSeconds) : durationFlag('scrape-interval', values['scrape-interval'], 1000) / 1000;
  if (scrapeSeconds > intervalSeconds) return usage('--scrape-interval must not be longer than --interval (a look reads the last scrape)');
  const calls = numberFlag('calibration-calls', values['calibration-calls'], { min: 0, integer: true });
  const { canaryModel, controlModel } = rehearsalRoute(parsed.config, values.route);
  const calibration = calls > 0 ? await calibrate({ models: [...new Set([controlModel, canaryModel])], calls, seed: values.seed }) : undefined;
  const progress = !values.json && process.stderr.isTTY === true;
  const rows = scenarios.map((scenario, i) => {
    const onRun = (done: number): void => {
      if (done === 1 || done % 10 === 0 || done === runs) process.stderr.write(`\r\x1b[Krehearsing ${scenario} (scenario ${i + 1} of ${scenarios.length}): ${done}/${runs} runs`);
    };
    const { summary } = rehearse({
      config: parsed.config, scenario, runs, seed: values.seed, intervalSeconds, scrapeSeconds, maxMinutes,
      ...(bookingsPerMinute === undefined ? {} : { bookingsPerMinute }), ...(bookingSeconds === undefined ? {} : { bookingSeconds }),
      ...(values.route === undefined ? {} : { route: values.route }), ...(calibration === undefined ? {} : { calibration }),
      ...(progress ? { onRun } : {}),
    });
    if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    return summary;
  });
  if (progress) process.stderr.write('\r\x1b[K');
  if (!values.json) process.stdout.write(`${formatRehearsalTable(rows)}\n\n${REHEARSAL_LEGEND}\n`);
  if (!values.json && planning) process.stdout.write(`\n${formatPlan(rows, perDay)}\n`);
  return 0;
}

async function rampCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' }, prometheus: { type: 'string' }, interval: { type: 'string', default: '30s' }, 'dry-run': { type: 'boolean', default: false },
      once: { type: 'boolean', default: false }, 'lock-file': { type: 'string' }, 'audit-file': { type: 'string' }, 'metrics-port': { type: 'string' },
    },
  });
  if (values.config === undefined || values.prometheus === undefined) return usage('--config and --prometheus are required');
  const prometheus = urlFlag('prometheus', values.prometheus);
  const interval = durationFlag('interval', values.interval, 1000);
  const metricsPort = values['metrics-port'] === undefined ? null : numberFlag('metrics-port', values['metrics-port'], { min: 0, max: 65_535, integer: true });
  // The file must be one the router accepts, with at least one ramp plan: else there is nothing to do.
  const parsed = loadConfig(values.config);
  if (!parsed.ok) return fail(`invalid config ${values.config}:\n${formatProblems(parsed.problems)}`);
  if (rampedRoutes(parsed.config.routes).length === 0) return fail(`no route of ${values.config} has a "ramp" plan: nothing to ramp`);
  const controller = await createRampController({
    prometheus, configFile: values.config, interval, dryRun: values['dry-run'],
    ...(values['lock-file'] === undefined ? {} : { lockFile: values['lock-file'] }), ...(values['audit-file'] === undefined ? {} : { auditFile: values['audit-file'] }),
    onDecision: (route, d, applied) => {
      const verb = values['dry-run'] && d.toPercent !== d.fromPercent ? 'would' : applied ? 'applied' : 'decided';
      process.stdout.write(`${JSON.stringify({ at: new Date(d.at).toISOString(), route, [verb]: d.decision, reason: d.reason, from: d.fromPercent, to: d.toPercent, summary: d.summary })}\n`);
    },
    onError: (error) => process.stderr.write(`look failed: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  let server: Server | null = null;
  // Whatever happens from here, the timer stops and the lock is released: the process can exit.
  try {
    if (metricsPort !== null) {
      const metricsServer = createServer((_req, res) => {
        void controller.registry.metrics().then((text) => res.writeHead(200, { 'content-type': controller.registry.contentType }).end(text));
      });
      server = metricsServer;
      await new Promise<void>((resolve, reject) => {
        metricsServer.once('error', reject);
        metricsServer.listen(metricsPort, '127.0.0.1', () => resolve());
      });
    }
    if (values.once) {
      await controller.tick();
      return 0;
    }
    // Listen for the stop signal before the first look, so a Ctrl-C at any moment releases the lock.
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await controller.tick();
    await stopped;
    return 0;
  } finally {
    server?.close();
    await controller.close();
  }
}

/** A bad flag value: the command answers with the flag's name, the usage, and exit code 2. */
class FlagError extends Error {}

/** A number flag: plain decimal, within [min, max], an integer when asked. */
function numberFlag(flag: string, text: string, { min, max = Number.MAX_SAFE_INTEGER, integer = false }: { min: number; max?: number; integer?: boolean }): number {
  const value = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new FlagError(`--${flag} must be ${integer ? 'an integer' : 'a number'} from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, got "${text}"`);
  }
  return value;
}

/** A duration flag (30s, 2m, 500ms), at least `minMs`. */
function durationFlag(flag: string, text: string, minMs: number): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    throw new FlagError(`--${flag}: ${(error as Error).message}`);
  }
  if (ms < minMs) throw new FlagError(`--${flag} must be at least ${minMs} ms, got "${text}"`);
  return ms;
}

function urlFlag(flag: string, text: string): string {
  const ok = URL.canParse(text) && ['http:', 'https:'].includes(new URL(text).protocol);
  if (!ok) throw new FlagError(`--${flag} must be an http(s) URL such as http://127.0.0.1:9090, got "${text}"`);
  return text;
}

function usage(message: string): number {
  process.stderr.write(`${message}\n${USAGE}\n`);
  return 2;
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
