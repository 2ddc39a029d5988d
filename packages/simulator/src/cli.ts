// `model-canary simulator [--port N] [--seed S] [--time-scale X] [--host H]`: runs the simulator until Ctrl-C / SIGTERM.
import { parseArgs } from 'node:util';
import { startSimulator } from './server.js';

const USAGE = `usage: model-canary simulator [--port 4010] [--host 127.0.0.1] [--seed S] [--time-scale 1]
  A local Messages API server that the real SDK accepts (point ANTHROPIC_BASE_URL at it), until Ctrl-C.
  --port 0 picks a free port; --time-scale 0 answers at once, 0.1 ten times faster than the model profiles.

Example (in a project that installed @model-canary/router and @model-canary/simulator):
  npx model-canary simulator --port 4010 --seed demo`;

/** A usage error: one line on stderr, exit code 2. */
function usage(message: string): number {
  process.stderr.write(`model-canary: ${message} (model-canary simulator --help shows the usage)\n`);
  return 2;
}

/** `model-canary simulator …`: `argv` starts with the command; resolves to the exit code once stopped. */
export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv.slice(1),
      options: {
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string' },
        'time-scale': { type: 'string', default: '1' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    // parseArgs reports unknown or malformed options by throwing
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) return usage(error.message);
    throw error;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = Number(values.port);
  const timeScale = Number(values['time-scale']);
  if (!/^\d+$/.test(values.port) || port > 65535) return usage(`--port must be an integer in [0, 65535], got ${values.port}`);
  if (values['time-scale'].trim() === '' || !Number.isFinite(timeScale) || timeScale < 0) return usage(`--time-scale must be a number >= 0, got ${values['time-scale']}`);

  const sim = await startSimulator({ port, host: values.host, timeScale, ...(values.seed === undefined ? {} : { seed: values.seed }) });
  console.log(`simulator listening on ${sim.url} (seed ${sim.stats().seed}, time scale ${timeScale})`);
  console.log(`  ANTHROPIC_BASE_URL=${sim.url}   stats: ${sim.url}/_sim/stats`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log(`\n${signal}: closing`);
  await sim.close();
  return 0;
}
