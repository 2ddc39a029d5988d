#!/usr/bin/env node
// `pnpm simulator [--port N] [--seed S] [--time-scale X] [--host H]`: runs the simulator until Ctrl-C / SIGTERM.
import { parseArgs } from 'node:util';
import { startSimulator } from './server.js';

const USAGE = 'usage: simulator [--port N] [--host H] [--seed S] [--time-scale X]';

/** A bad command line: one line naming the problem, the usage, exit code 2 (never a stack). */
function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: { port: string; host: string; seed?: string | undefined; 'time-scale': string; help: boolean };
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  usageError(error instanceof Error ? error.message : String(error));
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = Number(values.port);
const timeScale = Number(values['time-scale']);
if (!Number.isInteger(port) || port < 0 || port > 65535) usageError(`--port must be an integer in [0, 65535], got ${values.port}`);
if (!Number.isFinite(timeScale) || timeScale < 0) usageError(`--time-scale must be a number >= 0, got ${values['time-scale']}`);

const sim = await startSimulator({ port, host: values.host, timeScale, ...(values.seed === undefined ? {} : { seed: values.seed }) });
console.log(`simulator listening on ${sim.url} (seed ${sim.stats().seed}, time scale ${timeScale})`);
console.log(`  ANTHROPIC_BASE_URL=${sim.url}   stats: ${sim.url}/_sim/stats`);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: closing`);
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
