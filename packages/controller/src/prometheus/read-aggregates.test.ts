import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePrometheus, type FakePrometheus } from '../controller/test-helpers/fake-prometheus.js';
import { createPrometheusClient } from './prometheus-client.js';
import { readRouteAggregates } from './read-aggregates.js';

let prom: FakePrometheus;
beforeAll(async () => {
  prom = await startFakePrometheus();
});
afterAll(async () => {
  await prom.close();
});

const window = { route: 'orchestrator', canaryArm: 'canary', controlArm: 'control', rampStartedAt: 0, stepStartedAt: 3_000_000, now: 3_600_000 };

describe('readRouteAggregates over Prometheus HTTP', () => {
  it('sums per arm since the ramp and the step began, keeping capacity errors apart from behaviour errors', async () => {
    prom.set({
      canary: { success: 90, failure: 5, invalid: 5, costPerBooking: 0.003, latencySeconds: 1.5, overloaded: 7 },
      control: { success: 850, failure: 100, invalid: 50, costPerBooking: 0.001, latencySeconds: 0.8 },
    });
    prom.queries.length = 0;
    const a = await readRouteAggregates(createPrometheusClient({ url: prom.url }), window);
    expect(a?.cumulative.canary).toMatchObject({ bookings: 100, successes: 90, calls: 100, behaviourErrors: 5, capacityErrors: 7 });
    expect(a?.cumulative.canary.costUsd).toBeCloseTo(0.3, 10);
    expect(a?.cumulative.control.latency.count).toBe(1000);
    expect(a?.step).toEqual({ canaryBookings: 100, controlBookings: 1000, otherBookings: 1000 });
    expect(a?.mixedBookings).toBe(2);
    expect(prom.queries.some((q) => q.includes('[3600s]') && q.startsWith('sum by (arm, outcome) (increase(model_canary_units_total{route="orchestrator"}'))).toBe(true);
    expect(prom.queries.some((q) => q.includes('[600s]'))).toBe(true);
  });

  it('answers null when there is no series at all', async () => {
    prom.set({});
    expect(await readRouteAggregates(createPrometheusClient({ url: prom.url }), window)).toBeNull();
  });

  it('throws a PROMETHEUS error when Prometheus does not answer', async () => {
    prom.set(null);
    await expect(readRouteAggregates(createPrometheusClient({ url: prom.url }), window)).rejects.toMatchObject({ code: 'PROMETHEUS' });
  });
});
