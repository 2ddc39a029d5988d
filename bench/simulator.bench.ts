// Simulator throughput (timeScale 0, non-streaming, small request) vs a bare node:http server returning a fixed
// body, same run, same load generator. Each server runs in its own child process so the load generator (this
// process) does not share its event loop; the generator is a raw keep-alive socket client (one request in flight
// per connection) so it costs far less per request than either server. Goal: simulator >= 0.5x the bare server.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const CONNECTIONS = 32;
const WARMUP_MS = 1000;
const MEASURE_MS = 4000;

const BODY = JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Book a table for two.' }] });

function request(port: number): Buffer {
  return Buffer.from(
    `POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-api-key: sk-bench\r\nanthropic-version: 2023-06-01\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(BODY)}\r\nconnection: keep-alive\r\n\r\n${BODY}`,
  );
}

// The child: starts one kind of server on port 0 and sends its port back.
const SERVER_SOURCE = `
const kind = process.argv[1];
if (kind === 'bare') {
  const { createServer } = await import('node:http');
  const body = JSON.stringify({ id: 'msg_bench', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'ok' }] });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 30000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
} else {
  const { startSimulator } = await import(process.argv[2]);
  const sim = await startSimulator({ seed: 'bench', timeScale: 0, baselineFaults: false });
  process.send({ port: Number(new URL(sim.url).port) });
}
`;

async function startServer(kind: 'bare' | 'simulator'): Promise<{ port: number; child: ChildProcess }> {
  const simulatorUrl = import.meta.resolve('@model-canary/simulator');
  const child = spawn(process.execPath, ['--input-type=module', '-e', SERVER_SOURCE, kind, simulatorUrl], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { port: message.port, child };
}

/** Runs CONNECTIONS keep-alive sockets for `ms`, each sending the next request as soon as a response is complete. */
async function load(port: number, ms: number): Promise<number> {
  const payload = request(port);
  let done = 0;
  let stopping = false;
  const sockets = await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const socket = connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      await once(socket, 'connect');
      return socket;
    }),
  );
  const finished = sockets.map(
    (socket) =>
      new Promise<void>((resolve, reject) => {
        let buffer: Buffer = Buffer.alloc(0);
        socket.on('error', reject);
        socket.on('data', (chunk: Buffer) => {
          buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
          for (;;) {
            const headerEnd = buffer.indexOf('\r\n\r\n');
            if (headerEnd < 0) return;
            const head = buffer.subarray(0, headerEnd).toString('latin1');
            if (!head.startsWith('HTTP/1.1 200')) {
              reject(new Error(`unexpected response: ${head.split('\r\n')[0] ?? ''}`));
              return;
            }
            const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? NaN);
            const end = headerEnd + 4 + length;
            if (buffer.length < end) return;
            buffer = buffer.subarray(end);
            done += 1;
            if (stopping) {
              socket.end();
              resolve();
              return;
            }
            socket.write(payload);
          }
        });
        socket.write(payload);
      }),
  );
  const started = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  stopping = true;
  const elapsed = performance.now() - started;
  const count = done;
  await Promise.all(finished);
  return count / (elapsed / 1000);
}

async function measure(kind: 'bare' | 'simulator'): Promise<number> {
  const { port, child } = await startServer(kind);
  try {
    await load(port, WARMUP_MS);
    return await load(port, MEASURE_MS);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

export async function run(): Promise<void> {
  const bare = await measure('bare');
  const simulator = await measure('simulator');
  const ratio = simulator / bare;
  console.log(`bare node:http      ${bare.toFixed(0).padStart(8)} req/s  (${CONNECTIONS} keep-alive connections, ${MEASURE_MS / 1000}s)`);
  console.log(`simulator (scale 0) ${simulator.toFixed(0).padStart(8)} req/s`);
  console.log(`ratio               ${ratio.toFixed(2).padStart(8)}x  (goal >= 0.50) ${ratio >= 0.5 ? 'ok' : 'BELOW GOAL'}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
