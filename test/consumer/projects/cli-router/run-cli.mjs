// `npx model-canary` in a project that installed only @model-canary/router: its own commands work, each --help
// answers, the README's examples run as printed, and the commands of packages it lacks name the package to install.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';

const npx = (...args) => spawnSync('npx', ['--no', '--', 'model-canary', ...args], { encoding: 'utf8', input: 'booking-1\nbooking-2\n' });
const lines = (text) => text.split('\n').filter(Boolean);

const help = npx('--help');
assert.equal(help.status, 0, help.stderr);
for (const command of ['validate', 'decide', 'diff', 'schema', 'rehearse', 'ramp', 'simulator']) assert.match(help.stdout, new RegExp(`^  model-canary ${command}\\b`, 'm'));
for (const command of ['validate', 'decide', 'diff', 'schema']) {
  const r = npx(command, '--help');
  assert.equal(r.status, 0, `${command} --help: ${r.stderr}`);
  assert.match(r.stdout, /^Usage:/m);
}

// The help's examples, as printed.
copyFileSync('node_modules/@model-canary/router/rollout.sample.json', 'rollout.json');
assert.equal(npx('validate', 'rollout.json').status, 0);
const decided = npx('decide', '--config', 'rollout.json', '--route', 'orchestrator');
assert.equal(decided.status, 0, decided.stderr);
assert.deepEqual(lines(decided.stdout).map((l) => JSON.parse(l).route), ['orchestrator', 'orchestrator']);
assert.equal(JSON.parse(npx('schema').stdout).type, 'object');
assert.equal(npx('diff', 'rollout.json', 'rollout.json').status, 0);

for (const [command, pkg] of [['rehearse', '@model-canary/controller'], ['ramp', '@model-canary/controller'], ['simulator', '@model-canary/simulator']]) {
  const r = npx(command, '--help');
  assert.equal(r.status, 1, `${command} --help: ${r.stdout}${r.stderr}`);
  assert.deepEqual(lines(r.stderr), [`model-canary: "${command}" is a command of ${pkg}, which is not installed here (npm install ${pkg})`]);
}

const bogus = npx('validate', 'rollout.json', '--bogus');
assert.equal(bogus.status, 2);
assert.equal(lines(bogus.stderr).length, 1);
