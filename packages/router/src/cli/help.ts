export const USAGE = `canary: check, query and compare model-canary rollout configs

Usage:
  canary validate <file> [--routes a,b]
      Validates a rollout file. Exit 0 with one line per route, or exit 1 listing every problem.
  canary decide --config <file> --route <name> [--key <key>] [--force <arm>] [--seed <s>]
      One decision as one JSON line. Without --key, reads unit keys from stdin, one per line, and writes
      one JSON line per key (blank lines are skipped). --keyless [--count N] draws N keyless decisions
      from the stream seeded by --seed instead.
  canary diff <old> <new> [--json]
      Per route, what changed and the exact percent of units that move arm (same salt), or the
      expected percent (salt changed).
  canary schema
      Prints the JSON Schema of rollout files.

Options:
  -h, --help     Show this help (also: canary <command> --help).
  --version      Print the version.

Exit codes: 0 ok, 1 invalid config, 2 bad usage.
Example:
  canary validate packages/router/rollout.sample.json
  printf 'booking-1\\nbooking-2\\n' | canary decide --config packages/router/rollout.sample.json --route orchestrator
`;
