// `npx model-canary` in a project that installed the router and the controller (which brings the simulator and
// the SDK as its peer): every command's --help, a rehearsal, a dry-run look, the simulator and unknown flags.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync } from 'node:fs';

const npx = (...args) => spawnSync('npx', ['--no', '--', 'model-canary', ...args], { encoding: 'utf8', timeout: 120_000 });
const lines = (text) => text.split('\n').filter(Boolean);

for (const command of ['validate', 'decide', 'diff', 'schema', 'rehearse', 'ramp', 'simulator']) {
  const r = npx(command, '--help');
  assert.equal(r.status, 0, `${command} --help: ${r.stderr}`);
  assert.match(r.stdout, new RegExp(`model-canary ${command}`));
}

// The controller ships an example rollout file with a ramp plan.
const example = 'node_modules/@model-canary/controller/rollout.example.json';
const rehearsal = npx('rehearse', '--config', example, '--scenario', 'aa', '--runs', '2', '--calibration-calls', '20', '--json');
assert.equal(rehearsal.status, 0, rehearsal.stderr);
assert.equal(JSON.parse(rehearsal.stdout).scenario, 'aa');

// One look without a Prometheus to read: no data, so it holds.
copyFileSync(example, 'rollout.json');
const look = npx('ramp', '--config', 'rollout.json', '--prometheus', 'http://127.0.0.1:9', '--dry-run', '--once');
assert.equal(look.status, 0, look.stderr);
assert.deepEqual(lines(look.stdout).map((l) => JSON.parse(l)).map(({ route, decided, reason }) => ({ route, decided, reason })), [
  { route: 'orchestrator', decided: 'hold', reason: 'no-data' },
]);

for (const args of [['rehearse', '--bogus'], ['ramp', '--bogus'], ['simulator', '--bogus']]) {
  const r = npx(...args);
  assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
  assert.equal(lines(r.stderr).length, 1, r.stderr);
}

// The simulator serves on 127.0.0.1 until SIGTERM.
const sim = spawn(process.execPath, ['node_modules/.bin/model-canary', 'simulator', '--port', '0', '--seed', 'consumer'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [chunk] = await once(sim.stdout, 'data');
const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(String(chunk))?.[1];
assert.ok(url, String(chunk));
const stats = await (await fetch(`${url}/_sim/stats`)).json();
assert.equal(stats.seed, 'consumer');
sim.kill('SIGTERM');
const [code] = await once(sim, 'exit');
assert.equal(code, 0);
