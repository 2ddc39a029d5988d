// The simulator in a child process, so that a benchmark's own process measures only the client's side.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const SIMULATOR_SOURCE = `
const { startSimulator } = await import(process.argv[1]);
const sim = await startSimulator({ seed: 'bench', timeScale: Number(process.argv[2] ?? 0), baselineFaults: false });
process.send({ url: sim.url });
`;

/** Starts a simulator (seed `bench`, no random faults, zero latency unless `timeScale`) in a child process; kill `child` when done. */
export async function startSimulatorChild(timeScale = 0): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SIMULATOR_SOURCE, import.meta.resolve('@model-canary/simulator'), String(timeScale)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await once(child, 'message')) as [{ url: string }];
  return { url: message.url, child };
}
