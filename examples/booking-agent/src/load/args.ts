import { parseArgs } from 'node:util';
import { z } from 'zod';

export interface LoadArgs {
  url: string;
  total: number;
  concurrency: number;
  seed: string;
  route: string;
  json: boolean;
  /** Exit 1 unless every booking was answered, every refusal had retry-after and /metrics equals the driver per arm. */
  check: boolean;
}

export const LOAD_USAGE = `Usage: pnpm load [--url http://127.0.0.1:3000] [-n 300] [-c 16] [--seed S] [--route orchestrator] [--json] [--check]

Sends N generated bookings with C in flight to a running booking service, then prints the
per-arm comparison read back from its /metrics (this run only). --check exits 1 unless every
booking was answered (refusals with retry-after) and /metrics counts equal the driver's per arm.`;

const schema = z.object({
  url: z.url(),
  total: z.coerce.number().int().min(1).max(1_000_000),
  concurrency: z.coerce.number().int().min(1).max(10_000),
  seed: z.string().min(1),
  route: z.string().min(1),
  json: z.boolean(),
  check: z.boolean(),
});

export class UsageError extends Error {
  readonly code = 'usage';
  constructor(message: string) {
    super(`${message}\n\n${LOAD_USAGE}`);
    this.name = 'UsageError';
  }
}

/** Parses the load CLI's arguments; a bad value throws a UsageError naming it. */
export function parseLoadArgs(argv: readonly string[]): LoadArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:3000' },
        n: { type: 'string', short: 'n', default: '300' },
        c: { type: 'string', short: 'c', default: '16' },
        seed: { type: 'string', default: '1' },
        route: { type: 'string', default: 'orchestrator' },
        json: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const parsed = schema.safeParse({ ...values, total: values.n, concurrency: values.c });
  if (!parsed.success) {
    const names: Record<string, string> = { total: '-n', concurrency: '-c' };
    throw new UsageError(
      parsed.error.issues.map((i) => `${names[String(i.path[0])] ?? `--${String(i.path[0])}`}: ${i.message}`).join('\n'),
    );
  }
  return parsed.data;
}
