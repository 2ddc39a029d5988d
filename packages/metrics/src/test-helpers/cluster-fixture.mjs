// Two node:cluster workers, each with its own registry and canary metrics (from the built package),
// aggregated by the primary through prom-client's AggregatorRegistry. Prints the aggregated scrape.
// Run by cluster.test.ts: node cluster-fixture.mjs
import cluster from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';
import { createCanaryMetrics } from '@model-canary/metrics';

const CONFIG = {
  routes: {
    orchestrator: {
      enabled: true,
      arms: [
        { name: 'canary', model: 'claude-sonnet-4-6', percent: 10 },
        { name: 'control', model: 'claude-haiku-4-5', percent: null },
      ],
    },
  },
};

if (cluster.isPrimary) {
  const aggregator = new AggregatorRegistry();
  const workers = [cluster.fork({ CALLS: '3' }), cluster.fork({ CALLS: '4' })];
  let ready = 0;
  for (const worker of workers) {
    worker.on('message', async (message) => {
      if (message !== 'ready' || ++ready < workers.length) return;
      try {
        process.stdout.write(await aggregator.clusterMetrics());
      } finally {
        for (const w of workers) w.kill();
      }
    });
  }
} else {
  const registry = new Registry();
  // Constructing one AggregatorRegistry is what installs the worker's reply listener;
  // setRegistries alone is not enough (prom-client 15).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const listeners = new Map();
  const router = {
    snapshot: () => ({ version: 1, config: CONFIG, lastReload: null }),
    on(event, fn) {
      listeners.set(event, fn);
      return () => listeners.delete(event);
    },
  };
  createCanaryMetrics({ registry }).attach(router);
  const calls = Number(process.env.CALLS);
  for (let i = 0; i < calls; i += 1) {
    listeners.get('call')({
      callId: `w${cluster.worker.id}-${i}`,
      route: 'orchestrator',
      arm: 'canary',
      model: 'claude-sonnet-4-6',
      durationMs: 500,
      tokens: { input: 100, output: 10, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 },
      costUsd: 0.001,
      outcome: 'success',
      errorClass: null,
    });
  }
  process.send('ready');
}
