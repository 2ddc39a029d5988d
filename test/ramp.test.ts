import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePids, waitFor } from './harness/index.js';
import { countByArm, valuesByArm } from './support/arm-counts.js';
import { scrapeTarget, startBookingService, type RunningService } from './support/booking-service.js';
import { dashboardQuery, substituteVariables } from './support/dashboard.js';
import { driveBookings, startTraffic, type BookingResult } from './support/drive-bookings.js';
import { startObservability, type Observability } from './support/observability.js';
import { CANARY, createRolloutFile, type RolloutFile } from './support/rollout-file.js';
import { switchableIds, type SwitchableIds } from './support/switchable-ids.js';

const BOOKINGS = 800;

// Proof 5 of issue 7: ramping the canary from 10% to 25% by editing rollout.json while bookings flow.
describe('ramp from 10% to 25% by editing rollout.json during traffic', () => {
  let rollout: RolloutFile;
  let ids: SwitchableIds;
  let service: RunningService;
  let observability: Observability;
  let before: BookingResult[];
  let replayed: BookingResult[];
  let replayWindow: string;
  let replayEnd: number;
  let rampedAt: number;

  beforeAll(async () => {
    rollout = await createRolloutFile(10);
    ids = switchableIds('ramp');
    service = await startBookingService({ rolloutFile: rollout.path, newId: ids.newId, baselineFaults: false });
    observability = await startObservability([scrapeTarget(service)]);
    await observability.prometheus.waitForFreshScrape(15_000);

    before = await driveBookings({ url: service.url, count: BOOKINGS, seed: 'before' });

    ids.use('live');
    const traffic = startTraffic({ url: service.url, concurrency: 8, seed: 'live' });
    await waitFor(() => (traffic.results.length >= 100 ? true : undefined), { what: 'live traffic' });
    await rollout.setCanaryPercent(25);
    rampedAt = Date.now();
    await waitFor(async () => {
      const percent = await valuesByArm(observability.prometheus, `max by (arm) (model_canary_arm_percent{route="${CANARY.route}"})`);
      return percent[CANARY.arm] === 25 ? true : undefined;
    }, { timeoutMs: 15_000, what: 'arm_percent 25 in Prometheus' });
    await traffic.stop();
    // A scrape between the live traffic and the replay; the replay window opens just before that sample
    // (and after the one before it), so the window's increase is exactly the replay.
    await observability.prometheus.waitForFreshScrape();
    const [lastBefore] = await observability.prometheus.query(`max(timestamp(model_canary_decisions_total{route="${CANARY.route}"}))`);

    ids.use('ramp');
    replayed = await driveBookings({ url: service.url, count: BOOKINGS, seed: 'before' });
    await observability.prometheus.waitForFreshScrape();
    replayEnd = Date.now() / 1000;
    replayWindow = `${Math.round((replayEnd - (lastBefore?.value ?? 0)) * 1000) + 500}ms`;
  }, 240_000);

  afterAll(async () => {
    await observability?.stop();
    await service?.close(5_000);
    await rollout?.remove();
    expect(livePids()).toEqual([]);
  });

  it("moves Prometheus's arm_percent from 10 to 25 without a restart", async () => {
    const end = Date.now() / 1000;
    const series = await observability.prometheus.queryRange(
      `max(model_canary_arm_percent{route="${CANARY.route}",arm="${CANARY.arm}"})`,
      { start: end - (Date.now() - rampedAt) / 1000 - 20, end, step: 1 },
    );
    const values = series[0]?.values.map(([, v]) => v) ?? [];
    expect(values[0]).toBe(10);
    expect(values.at(-1)).toBe(25);
    expect(values.filter((v, i) => i > 0 && v < (values[i - 1] ?? 0))).toEqual([]);
    expect(service.router.snapshot().lastReload?.result).toBe('applied');
  });

  it('keeps every booking that was on the canary at 10% on it at 25%, and moves others only from control to canary', () => {
    const armBefore = new Map(before.map((r) => [r.id, r.arm]));
    expect(replayed.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
    const leftCanary = replayed.filter((r) => armBefore.get(r.id) === CANARY.arm && r.arm !== CANARY.arm);
    expect(leftCanary).toEqual([]);
    const moved = replayed.filter((r) => armBefore.get(r.id) === CANARY.control && r.arm === CANARY.arm).length;
    console.info(`ramp: canary ${countByArm(before)[CANARY.arm]} of ${BOOKINGS} at 10%, ${countByArm(replayed)[CANARY.arm]} at 25% (${moved} moved from control)`);
    expect(moved).toBeGreaterThan(0);
  });

  it("shows the new split in the dashboard's split query, as the driver saw it and within tolerance of 25%", async () => {
    const expr = substituteVariables(dashboardQuery('Observed split against configured percent').expr, { route: CANARY.route, window: replayWindow });
    const observed = await valuesByArm(observability.prometheus, expr, replayEnd);
    const driverShare = (100 * (countByArm(replayed)[CANARY.arm] ?? 0)) / BOOKINGS;
    const sigma = 100 * Math.sqrt((0.25 * 0.75) / BOOKINGS);
    console.info(`ramp: observed canary split after the ramp ${observed[CANARY.arm]?.toFixed(2)}% over ${replayWindow} (driver ${driverShare.toFixed(2)}%)`);
    expect(Math.abs((observed[CANARY.arm] ?? 0) - driverShare)).toBeLessThan(0.2);
    expect(Math.abs((observed[CANARY.arm] ?? 0) - 25)).toBeLessThan(4 * sigma);
    const configured = substituteVariables(dashboardQuery('Configured percent now').expr, { route: CANARY.route, window: replayWindow });
    expect(await valuesByArm(observability.prometheus, configured)).toEqual({ [CANARY.arm]: 25, [CANARY.control]: 75 });
  });
});
