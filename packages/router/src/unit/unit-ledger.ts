import type { CallOutcome, UnitRouteSummary } from '../events.js';
import type { CallSink } from '../call/call-tracker.js';

interface RouteTally {
  arm: string;
  calls: number;
  costUsd: number;
  mixedArms: boolean;
  outcomes: Record<CallOutcome, number>;
}

/** Calls, cost and arms of one unit, per route. Holds nothing per call, so a long unit stays small. */
export class UnitLedger implements CallSink {
  calls = 0;
  costUsd = 0;
  inFlight = 0;
  private readonly routes = new Map<string, RouteTally>();

  constructor(private readonly onActivity: () => void = () => {}) {}

  callStarted(): void {
    this.inFlight++;
    this.onActivity();
  }

  /** An unknown cost (unpriced model, already reported) adds nothing rather than poisoning the total. */
  callFinished(route: string, arm: string, costUsd: number | null, outcome: CallOutcome): void {
    this.inFlight--;
    this.calls++;
    const cost = costUsd ?? 0;
    this.costUsd += cost;
    const tally = this.routes.get(route);
    if (tally === undefined) {
      const outcomes = { success: 0, error: 0, fallback: 0, cancelled: 0 };
      outcomes[outcome] = 1;
      this.routes.set(route, { arm, calls: 1, costUsd: cost, mixedArms: false, outcomes });
    } else {
      tally.calls++;
      tally.costUsd += cost;
      tally.outcomes[outcome]++;
      if (tally.arm !== arm) tally.mixedArms = true;
    }
    this.onActivity();
  }

  /** One entry per route, in first-call order; `arm` is the arm of the route's first call. */
  summary(): UnitRouteSummary[] {
    return [...this.routes].map(([route, t]) => ({ route, arm: t.arm, calls: t.calls, costUsd: t.costUsd, mixedArms: t.mixedArms, outcomes: { ...t.outcomes } }));
  }
}
