import { rolloutJsonSchema } from '../../config/json-schema.js';
import type { CommandIo } from '../command-io.js';

export function schemaCommand(args: string[], io: CommandIo): number {
  if (args.length > 0) return io.usage('schema takes no arguments');
  io.out(`${JSON.stringify(rolloutJsonSchema(), null, 2)}`);
  return 0;
}
