import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePids } from './harness/index.js';
import { countByArm, valuesByArm } from './support/arm-counts.js';
import { scrapeTarget, startBookingService, type RunningService } from './support/booking-service.js';
import { dashboardQuery, substituteVariables } from './support/dashboard.js';
import { driveBookings, figuresByArm, type BookingResult } from './support/drive-bookings.js';
import { startObservability, type Observability } from './support/observability.js';
import { CANARY, createRolloutFile, type RolloutFile } from './support/rollout-file.js';
import { switchableIds } from './support/switchable-ids.js';

const BOOKINGS_PER_REPLICA = 500;

// Proof 6 of issue 7: two instances of the service on one rollout file behind one Prometheus. Each gets the
// same booking ids (the same units), as a load balancer would spread retries of one booking.
describe('two replicas behind one Prometheus', () => {
  let rollout: RolloutFile;
  let replicas: RunningService[] = [];
  let observability: Observability;
  let results: BookingResult[][];
  let window: string;

  beforeAll(async () => {
    rollout = await createRolloutFile(10);
    replicas = await Promise.all(
      ['a', 'b'].map((name) =>
        startBookingService({ rolloutFile: rollout.path, seed: `replica-${name}`, newId: switchableIds('unit').newId, baselineFaults: false, planMistakes: false }),
      ),
    );
    observability = await startObservability(replicas.map(scrapeTarget));
    const started = Date.now();
    await observability.prometheus.waitForFreshScrape(15_000);
    results = await Promise.all(
      replicas.map((replica, i) => driveBookings({ url: replica.url, count: BOOKINGS_PER_REPLICA, concurrency: 8, seed: `replica-${i}` })),
    );
    await observability.prometheus.waitForFreshScrape();
    window = `${Math.ceil((Date.now() - started) / 1000) + 10}s`;
  }, 240_000);

  afterAll(async () => {
    await observability?.stop();
    await Promise.all(replicas.map((replica) => replica.close(5_000)));
    await rollout?.remove();
    expect(livePids()).toEqual([]);
  });

  const all = (): BookingResult[] => results.flat();
  const query = (panel: string, refId = 'A'): string => substituteVariables(dashboardQuery(panel, refId).expr, { route: CANARY.route, window });

  it('assigns every booking the same arm on both replicas', () => {
    const [a = [], b = []] = results;
    const armOnB = new Map(b.map((r) => [r.id, r.arm]));
    expect(a).toHaveLength(BOOKINGS_PER_REPLICA);
    expect(armOnB.size).toBe(BOOKINGS_PER_REPLICA);
    expect(a.filter((r) => r.arm === undefined || armOnB.get(r.id) !== r.arm)).toEqual([]);
  });

  it('has each replica report its own, identical, per-arm counts to Prometheus', async () => {
    const samples = await observability.prometheus.query(`sum by (instance, arm) (model_canary_units_total{route="${CANARY.route}"})`);
    const byInstance = Object.fromEntries(
      replicas.map((replica) => [
        scrapeTarget(replica),
        Object.fromEntries(samples.filter((s) => s.metric['instance'] === scrapeTarget(replica)).map((s) => [s.metric['arm'], s.value])),
      ]),
    );
    const expected = countByArm(results[0] ?? []);
    expect(byInstance).toEqual(Object.fromEntries(replicas.map((replica) => [scrapeTarget(replica), expected])));
  });

  it('sums bookings, decisions and calls across both replicas in the dashboard aggregation', async () => {
    const sent = countByArm(all());
    const { prometheus } = observability;
    expect(await valuesByArm(prometheus, `sum by (arm) (model_canary_units_total{route="${CANARY.route}"})`)).toEqual(sent);
    expect(await valuesByArm(prometheus, `sum by (arm) (model_canary_decisions_total{route="${CANARY.route}"})`)).toEqual(sent);
    // The dashboard's request-rate panel over the whole run, times the run, is the count (up to rate()'s extrapolation).
    const seconds = Number(window.slice(0, -1));
    const rates = await valuesByArm(prometheus, query('Request rate per arm'));
    for (const arm of [CANARY.arm, CANARY.control]) {
      expect(Math.abs((rates[arm] ?? 0) * seconds - (sent[arm] ?? 0)) / (sent[arm] ?? 1)).toBeLessThan(0.05);
    }
  });

  it("gives the dashboard's split, success rate and cost per booking across replicas as the driver computed them", async () => {
    const sent = countByArm(all());
    const figures = figuresByArm(all());
    const total = 2 * BOOKINGS_PER_REPLICA;
    const split = await valuesByArm(observability.prometheus, query('Observed split against configured percent'));
    const success = await valuesByArm(observability.prometheus, query('Booking success rate per arm'));
    const cost = await valuesByArm(observability.prometheus, query('Cost per booking'));
    console.info(`replicas: observed canary split ${split[CANARY.arm]?.toFixed(2)}% of ${total} bookings`);
    for (const arm of [CANARY.arm, CANARY.control]) {
      // Two targets are scraped at different instants, so rate() extrapolates each a little differently.
      expect(Math.abs((split[arm] ?? 0) - (100 * (sent[arm] ?? 0)) / total)).toBeLessThan(0.5);
      expect(success[arm]).toBeCloseTo(figures[arm]?.successRate ?? -1, 2);
      const driverCost = (figures[arm]?.costUsd ?? 0) / (figures[arm]?.bookings ?? 1);
      expect(Math.abs((cost[arm] ?? 0) - driverCost) / driverCost).toBeLessThan(0.01);
    }
  });
});
