import { describe, expect, it } from 'vitest';
import { UnitLedger } from './unit-ledger.js';

describe('UnitLedger', () => {
  it('sums calls and cost per route and keeps the first arm of each route', () => {
    const ledger = new UnitLedger();
    for (const [route, arm, cost, outcome] of [
      ['orchestrator', 'canary', 0.01, 'success'],
      ['specialist', 'control', 0.002, 'success'],
      ['specialist', 'control', 0.003, 'error'],
    ] as const) {
      ledger.callStarted();
      ledger.callFinished(route, arm, cost, outcome);
    }
    expect(ledger.calls).toBe(3);
    expect(ledger.costUsd).toBeCloseTo(0.015, 12);
    expect(ledger.inFlight).toBe(0);
    expect(ledger.summary()).toEqual([
      { route: 'orchestrator', arm: 'canary', calls: 1, costUsd: 0.01, mixedArms: false, outcomes: { success: 1, error: 0, fallback: 0, cancelled: 0 } },
      { route: 'specialist', arm: 'control', calls: 2, costUsd: 0.005, mixedArms: false, outcomes: { success: 1, error: 1, fallback: 0, cancelled: 0 } },
    ]);
  });

  it('flags a route whose calls landed on more than one arm', () => {
    const ledger = new UnitLedger();
    ledger.callStarted();
    ledger.callFinished('orchestrator', 'control', 0.001, 'success');
    ledger.callStarted();
    ledger.callFinished('orchestrator', 'canary', 0.004, 'cancelled');
    expect(ledger.summary()).toEqual([
      { route: 'orchestrator', arm: 'control', calls: 2, costUsd: 0.005, mixedArms: true, outcomes: { success: 1, error: 0, fallback: 0, cancelled: 1 } },
    ]);
  });

  it('counts an unknown cost as nothing and reports activity on every start and finish', () => {
    let touched = 0;
    const ledger = new UnitLedger(() => touched++);
    ledger.callStarted();
    expect(ledger.inFlight).toBe(1);
    ledger.callFinished('orchestrator', 'canary', null, 'success');
    expect(ledger.costUsd).toBe(0);
    expect(touched).toBe(2);
  });
});
