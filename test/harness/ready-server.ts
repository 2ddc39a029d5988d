import { spawnManaged, type ManagedProcess, type SpawnManagedOptions } from './children.js';
import { listenAddressFrom } from './ports.js';
import { waitFor } from './wait-for.js';

export interface ReadyServer {
  readonly child: ManagedProcess;
  readonly url: string;
  readonly port: number;
}

/**
 * Starts a Prometheus-family server (it logs its listen address and serves `/-/ready`) on a port the kernel
 * chose, and waits until it is ready. A server that never gets ready is stopped before the error is thrown.
 */
export async function startReadyServer(options: SpawnManagedOptions): Promise<ReadyServer> {
  const child = spawnManaged(options);
  try {
    const address = await child.waitForLine(listenAddressFrom);
    const url = `http://${address}`;
    await waitFor(async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), {
      timeoutMs: 20_000,
      what: `${options.name} /-/ready`,
    });
    return { child, url, port: Number(address.split(':').pop()) };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
