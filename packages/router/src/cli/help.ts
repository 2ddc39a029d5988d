export const USAGE = `model-canary: check, query and compare model-canary rollout configs; rehearse and run a rollout

Usage:
  model-canary validate <file> [--routes a,b]
      Validates a rollout file. Exit 0 with one line per route, or exit 1 listing every problem.
  model-canary decide --config <file> --route <name> [--key <key>] [--force <arm>] [--seed <s>]
      One decision as one JSON line. Without --key, reads unit keys from stdin, one per line, and writes
      one JSON line per key (blank lines are skipped). --keyless [--count N] draws N keyless decisions
      from the stream seeded by --seed instead.
  model-canary diff <old> <new> [--json]
      Per route, what changed and the exact percent of units that move arm (same salt), or the
      expected percent (salt changed).
  model-canary schema
      Prints the JSON Schema of rollout files.
  model-canary rehearse --config <file> [--scenario all] [--runs 200] ...   (@model-canary/controller)
      The rollout controller's decisions rehearsed on the simulator's models: false rollbacks, delays.
  model-canary ramp --config <file> --prometheus <url> [--dry-run] ...      (@model-canary/controller)
      The rollout controller: advance, hold or roll back the canary from Prometheus.
  model-canary report --audit <ramp.audit.jsonl> --out <report.html>        (@model-canary/controller)
      The controller's evidence after a ramp, as charts in one HTML file that opens offline.
  model-canary simulator [--port 4010] [--seed S] [--time-scale X]          (@model-canary/simulator)
      A local Messages API server for tests and demos, until Ctrl-C.

The last four run when their package is installed next to @model-canary/router;
"model-canary <command> --help" shows each command's options.

Options:
  -h, --help     Show this help (also: model-canary <command> --help).
  --version      Print the version.

Exit codes: 0 ok, 1 invalid config, 2 bad usage.
Examples (in a project that installed @model-canary/router):
  cp node_modules/@model-canary/router/rollout.sample.json rollout.json
  npx model-canary validate rollout.json
  printf 'booking-1\\nbooking-2\\n' | npx model-canary decide --config rollout.json --route orchestrator
  npx model-canary schema > rollout.schema.json
`;
