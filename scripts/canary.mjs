#!/usr/bin/env node
// `pnpm canary <command>`: `ramp`, `rehearse` and `report` are the rollout controller's, every other command is
// the router's CLI. The chosen CLI runs in this process (imported with argv rewritten), so stdio,
// signals and the exit code are its own, with nothing to forward. Run `pnpm build` first.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROUTER = fileURLToPath(new URL('../packages/router/dist/cli/main.js', import.meta.url));
const CONTROLLER = fileURLToPath(new URL('../packages/controller/dist/cli/main.js', import.meta.url));
const CONTROLLER_COMMANDS = new Set(['ramp', 'rehearse', 'report']);

const args = process.argv.slice(2);
const [command] = args;

if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  // One help for both: the router's, then the controller's commands under the same `canary` name.
  const router = spawnSync(process.execPath, [ROUTER, ...args], { encoding: 'utf8' });
  const controller = spawnSync(process.execPath, [CONTROLLER, '--help'], { encoding: 'utf8' });
  process.stdout.write(router.stdout);
  process.stderr.write(router.stderr);
  const usage = `${controller.stdout}${controller.stderr}`.replace(/^usage:\n/, '').replaceAll('canary-controller ', 'canary ').replace(/^ {11}(?= {14})/gm, '').trimEnd();
  process.stdout.write(`\nRollout controller (@model-canary/controller):\n${usage}\n`);
  process.exitCode = router.status ?? 1;
} else {
  const target = CONTROLLER_COMMANDS.has(command) ? CONTROLLER : ROUTER;
  process.argv = [process.argv[0], target, ...args];
  await import(target);
}
