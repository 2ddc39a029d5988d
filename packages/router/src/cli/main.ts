#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import type { CommandIo } from './command-io.js';
import { decideCommand } from './commands/decide.js';
import { DELEGATED_COMMANDS, isDelegated, loadPackageCli } from './delegate.js';
import { diffCommand } from './commands/diff.js';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { USAGE } from './help.js';

// A reader that goes away (`model-canary decide … | head`) is a normal end, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const io: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  usage(message) {
    process.stderr.write(`model-canary: ${message} (model-canary --help shows the usage)\n`);
    return 2;
  },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command !== undefined && isDelegated(command)) {
    const pkg = DELEGATED_COMMANDS[command];
    const cli = await loadPackageCli(pkg);
    if (cli !== null) return cli.run(argv);
    io.err(`model-canary: "${command}" is a command of ${pkg}, which is not installed here (npm install ${pkg})`);
    return 1;
  }
  if (command === undefined || command === '-h' || command === '--help' || command === 'help' || args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    io.out(pkg.version);
    return 0;
  }
  try {
    switch (command) {
      case 'validate':
        return validateCommand(args, io);
      case 'decide':
        return await decideCommand(args, io, process.stdin, process.stdout);
      case 'diff':
        return diffCommand(args, io);
      case 'schema':
        return schemaCommand(args, io);
      default:
        return io.usage(`unknown command "${command}"`);
    }
  } catch (error) {
    // parseArgs reports unknown or malformed options by throwing
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) return io.usage(error.message);
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
