import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkProblems, formatReport, runLoadAndReport } from './report.js';

const EXPOSITION = [
  '# TYPE model_canary_units_total counter',
  'model_canary_units_total{route="orchestrator",arm="control",outcome="success"} 0',
  '',
].join('\n');

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A stand-in service on 127.0.0.1:0: books every request on control; /metrics answers once, then fails. */
async function flakyMetricsService(): Promise<string> {
  let scrapes = 0;
  server = createServer((req, res) => {
    if (req.url === '/metrics') {
      scrapes++;
      if (scrapes === 1) res.writeHead(200, { 'content-type': 'text/plain' }).end(EXPOSITION);
      else res.writeHead(500).end('scrape broke');
      return;
    }
    req.resume();
    req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ arm: 'control' })));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('runLoadAndReport', () => {
  it("keeps the driver's counts when the final /metrics scrape fails, and says why", async () => {
    const url = await flakyMetricsService();
    const report = await runLoadAndReport({ url, total: 12, concurrency: 4 });
    expect(report.counts).toMatchObject({ sent: 12, answered: { 201: 12 }, byArm: { control: 12 } });
    expect(report.scrapeError).toBe('GET /metrics answered 500');
    expect(report.arms).toEqual([]);
    expect(formatReport(report)).toContain('/metrics could not be read after the run (GET /metrics answered 500)');
    expect(checkProblems(report)).toEqual(['GET /metrics answered 500']);
  });
});
