import { parseArgs } from 'node:util';
import { describeRoute } from '../describe-route.js';
import { loadRolloutFile } from '../load-file.js';
import type { CommandIo } from '../command-io.js';

export function validateCommand(args: string[], io: CommandIo): number {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { routes: { type: 'string' } } });
  if (positionals.length !== 1) return io.usage('validate takes exactly one file: canary validate <file>');
  const declared = values.routes?.split(',').map((r) => r.trim()).filter((r) => r !== '');
  const loaded = loadRolloutFile(positionals[0] as string, declared);
  if (!loaded.ok) {
    io.err(loaded.report);
    return 1;
  }
  for (const [name, route] of Object.entries(loaded.config.routes)) io.out(describeRoute(name, route));
  return 0;
}
