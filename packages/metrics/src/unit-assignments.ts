import { Counter, type Registry } from 'prom-client';

/**
 * `<prefix>unit_assignments_total{route,arm}`: units counted when they get their arm on a route (their first call
 * there), not when they end. A sample-ratio test and a step's minimums need this count: a booking assigned at
 * the old percent and ended after a step change belongs to the old split. Plain prom-client (a `Counter` with
 * `labels().inc()`), registered on the caller's registry.
 */
export interface UnitAssignments {
  /** Series at 0 for one configured arm (idempotent). */
  zero(route: string, arm: string): void;
  inc(route: string, arm: string): void;
}

export function createUnitAssignments(registry: Registry, prefix: string): UnitAssignments {
  const counter = new Counter({
    name: `${prefix}unit_assignments_total`,
    help: 'Units (bookings) by the arm they got on a route, counted at their first call on the route (not when they end).',
    labelNames: ['route', 'arm'] as const,
    registers: [registry],
  });
  return {
    zero: (route, arm) => counter.labels({ route, arm }).inc(0),
    inc: (route, arm) => counter.labels({ route, arm }).inc(),
  };
}
