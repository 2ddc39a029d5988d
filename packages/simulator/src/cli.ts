#!/usr/bin/env node
// `pnpm simulator [--port N] [--seed S] [--time-scale X] [--host H]`: runs the simulator until Ctrl-C / SIGTERM.
import { parseArgs } from 'node:util';
import { startSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string' },
    'time-scale': { type: 'string', default: '1' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: simulator [--port N] [--host H] [--seed S] [--time-scale X]');
  process.exit(0);
}

const port = Number(values.port);
const timeScale = Number(values['time-scale']);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer in [0, 65535], got ${values.port}`);
  process.exit(2);
}
if (!Number.isFinite(timeScale) || timeScale < 0) {
  console.error(`--time-scale must be a number >= 0, got ${values['time-scale']}`);
  process.exit(2);
}

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
