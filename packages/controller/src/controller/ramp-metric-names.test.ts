import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { RampDecision } from '../decision/types.js';
import { CONTROLLER_METRICS } from './ramp-metric-names.js';
import { createRampMetrics } from './ramp-metrics.js';

// The metrics package's dashboard reads these series by name from CONTROLLER_METRICS: the list must say what this
// controller really registers, or the dashboard's "Rollout controller" row goes blank without any test noticing.
const DECISION: RampDecision = {
  decision: 'advance',
  reason: 'guardrails-passed',
  fromPercent: 5,
  toPercent: 10,
  at: 0,
  stepIndex: 2,
  guardrails: [{ name: 'bookingSuccess', verdict: 'pass', estimate: 0.01, lower: -0.01, upper: 0.03, threshold: -0.02, pValue: 0.2, alpha: 0.01, detail: '' }],
  // record() reads only mixedBookings of the counts.
  counts: { mixedBookings: 3 } as unknown as RampDecision['counts'],
  extraUsd: 1.5,
  summary: '',
};

describe("the controller's metrics", () => {
  it("are the ones CONTROLLER_METRICS lists for the dashboard: names, types and labels", async () => {
    const registry = new Registry();
    createRampMetrics(registry).record('orchestrator', DECISION, DECISION.toPercent);
    const registered = (await registry.getMetricsAsJSON()).map((m) => ({
      name: m.name,
      type: String(m.type),
      labels: [...new Set(m.values.flatMap((v) => Object.keys(v.labels)))].sort(),
    }));
    const expected = CONTROLLER_METRICS.map((m) => ({ name: m.name, type: m.type, labels: [...m.labels].sort() }));
    expect(registered.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
  });
});
