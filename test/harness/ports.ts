import { createConnection, createServer } from 'node:net';

/**
 * A loopback port the kernel has just handed out. Prefer letting the process itself listen on port 0
 * (Prometheus and Alertmanager do, see `listenAddressFrom`); this is for tools that cannot.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port from the kernel'));
      });
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The `host:port` a Prometheus-family binary logs once it listens (`msg="Listening on" address=…`). */
export function listenAddressFrom(line: string): string | undefined {
  return /msg="Listening on" address=(\S+)/.exec(line)?.[1];
}
