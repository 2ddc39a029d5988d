#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { formatProblems, parseRolloutText } from '@model-canary/router';
import { createRampController } from '../controller/ramp-controller.js';
import { calibrate } from '../rehearsal/calibrate.js';
import { rehearsalRoute, rehearse } from '../rehearsal/rehearse.js';
import { SCENARIOS, type ScenarioName } from '../rehearsal/scenarios.js';
import { formatRehearsalTable } from './format-table.js';
import { parseDuration } from './parse-duration.js';

const USAGE = `usage:
  canary-controller ramp --config <rollout.json> --prometheus <url> [--interval 30s] [--dry-run] [--once]
                         [--lock-file <path>] [--audit-file <path>] [--metrics-port <port>]
  canary-controller rehearse --config <rollout.json> --scenario <${SCENARIOS.join('|')}|all> [--runs 200] [--json]
                         [--route <name>] [--seed <s>] [--bookings-per-minute 1000] [--interval 30s] [--max-minutes 720]
                         [--calibration-calls 300]  (0: skip measuring plan tokens through the real router + simulator)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `canary-controller rehearse --help` asks for help, not an unknown option (parseArgs would throw).
  if (command === '--help' || command === '-h' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'rehearse') return rehearseCommand(rest);
  if (command === 'ramp') return rampCommand(rest);
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
      route: { type: 'string' }, seed: { type: 'string', default: 'rehearsal' }, 'bookings-per-minute': { type: 'string', default: '1000' },
      interval: { type: 'string', default: '30s' }, 'max-minutes': { type: 'string', default: '720' }, 'calibration-calls': { type: 'string', default: '300' },
    },
  });
  if (values.config === undefined) return usage('--config is required');
  const parsed = loadConfig(values.config);
  if (!parsed.ok) return fail(`invalid config ${values.config}:\n${formatProblems(parsed.problems)}`);
  const scenarios: ScenarioName[] = values.scenario === 'all' ? [...SCENARIOS] : (values.scenario.split(',') as ScenarioName[]);
  for (const s of scenarios) if (!(SCENARIOS as readonly string[]).includes(s)) return usage(`unknown scenario "${s}"`);
  const { canaryModel, controlModel } = rehearsalRoute(parsed.config, values.route);
  const calls = Number(values['calibration-calls']);
  const calibration = calls > 0 ? await calibrate({ models: [...new Set([controlModel, canaryModel])], calls, seed: values.seed }) : undefined;
  const rows = scenarios.map((scenario) => {
    const { summary } = rehearse({
      config: parsed.config, scenario, runs: Number(values.runs), seed: values.seed, bookingsPerMinute: Number(values['bookings-per-minute']),
      intervalSeconds: parseDuration(values.interval) / 1000, maxMinutes: Number(values['max-minutes']), ...(values.route === undefined ? {} : { route: values.route }), ...(calibration === undefined ? {} : { calibration }),
    });
    if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    return summary;
  });
  if (!values.json) process.stdout.write(`${formatRehearsalTable(rows)}\n`);
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
  const controller = await createRampController({
    prometheus: values.prometheus, configFile: values.config, interval: parseDuration(values.interval), dryRun: values['dry-run'],
    ...(values['lock-file'] === undefined ? {} : { lockFile: values['lock-file'] }), ...(values['audit-file'] === undefined ? {} : { auditFile: values['audit-file'] }),
    onDecision: (route, d, applied) => {
      const verb = values['dry-run'] && d.toPercent !== d.fromPercent ? 'would' : applied ? 'applied' : 'decided';
      process.stdout.write(`${JSON.stringify({ at: new Date(d.at).toISOString(), route, [verb]: d.decision, reason: d.reason, from: d.fromPercent, to: d.toPercent, summary: d.summary })}\n`);
    },
  });
  const server = values['metrics-port'] === undefined ? null : createServer((_req, res) => {
    void controller.registry.metrics().then((text) => res.writeHead(200, { 'content-type': controller.registry.contentType }).end(text));
  }).listen(Number(values['metrics-port']), '127.0.0.1');
  if (values.once) {
    await controller.tick();
    server?.close();
    await controller.close();
    return 0;
  }
  // Listen for the stop signal before the first look, so a Ctrl-C at any moment releases the lock.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await controller.tick();
  await stopped;
  server?.close();
  await controller.close();
  return 0;
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
