import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePids, sleep, waitFor, type PromAlert } from './harness/index.js';
import { scrapeTarget, startBookingService, type RunningService } from './support/booking-service.js';
import { startTraffic } from './support/drive-bookings.js';
import { startObservability, type Observability } from './support/observability.js';
import { CANARY, createRolloutFile, type RolloutFile } from './support/rollout-file.js';
import { switchableIds } from './support/switchable-ids.js';

const ERROR_RATE_ALERT = 'ModelCanaryErrorRateAboveControl';
const RELOAD_ALERT = 'ModelCanaryConfigReloadFailed';
const QUIET_SECONDS = 12;

interface Timings {
  pendingMs: number;
  firingMs: number;
  webhookMs: number;
}

// Proof 4 of issue 7: the shipped alert rules (for: shortened to 1 s, see shortenRuleFiles) on live traffic.
describe('alerts of the shipped rules through a real Alertmanager', () => {
  let rollout: RolloutFile;
  let service: RunningService;
  let observability: Observability;

  beforeAll(async () => {
    rollout = await createRolloutFile(10);
    // At 10% the canary needs a few hundred bookings per 5 minutes to pass the rule's 20-call floor quickly.
    service = await startBookingService({
      rolloutFile: rollout.path,
      newId: switchableIds('alert').newId,
      baselineFaults: false,
      planMistakes: false,
    });
    observability = await startObservability([scrapeTarget(service)]);
    await observability.prometheus.waitForFreshScrape(15_000);
    await observability.prometheus.waitForHealthyRules();
  });

  afterAll(async () => {
    await observability?.stop();
    await service?.close(5_000);
    await rollout?.remove();
    expect(livePids()).toEqual([]);
  });

  const active = async (name: string): Promise<PromAlert | undefined> =>
    (await observability.prometheus.alerts()).find((a) => a.labels['alertname'] === name);

  /** Polls Prometheus and the webhook from `start` and measures when the alert went pending, firing and arrived. */
  const timeAlert = async (name: string, start: number): Promise<{ timings: Timings; firing: PromAlert }> => {
    let pendingAt: number | undefined;
    const firing = await waitFor(
      async () => {
        const alert = await active(name);
        if (alert !== undefined) pendingAt ??= Date.now();
        return alert?.state === 'firing' ? alert : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 200, what: `${name} to fire` },
    );
    const firingAt = Date.now();
    // It went through pending first: Prometheus recorded it in its ALERTS series.
    const pending = await observability.prometheus.query(`max_over_time(ALERTS{alertname="${name}",alertstate="pending"}[2m])`);
    expect(pending.length).toBeGreaterThan(0);
    const delivered = await observability.webhook.waitForAlert((a) => a.labels['alertname'] === name && a.status === 'firing', 30_000);
    const timings = { pendingMs: (pendingAt ?? firingAt) - start, firingMs: firingAt - start, webhookMs: delivered.receivedAt - start };
    console.info(`${name}: pending after ${timings.pendingMs} ms, firing after ${timings.firingMs} ms, webhook after ${timings.webhookMs} ms`);
    return { timings, firing };
  };

  it(`keeps ${ERROR_RATE_ALERT} quiet for ${QUIET_SECONDS} s of traffic without faults, with enough canary calls to judge`, async () => {
    const traffic = startTraffic({ url: service.url, concurrency: 8, seed: 'quiet' });
    const seen: string[] = [];
    const deadline = Date.now() + QUIET_SECONDS * 1000;
    while (Date.now() < deadline) {
      const alert = await active(ERROR_RATE_ALERT);
      if (alert !== undefined) seen.push(alert.state);
      await sleep(250);
    }
    const results = await traffic.stop();
    await observability.prometheus.waitForFreshScrape();
    expect(seen).toEqual([]);
    expect(await observability.prometheus.query(`ALERTS{alertname="${ERROR_RATE_ALERT}"}`)).toEqual([]);
    expect(observability.webhook.alerts().filter((a) => a.labels['alertname'] === ERROR_RATE_ALERT)).toEqual([]);
    // Quiet because the canary is fine, not because the rule's floor of 20 canary calls was not reached.
    const canaryCalls = await observability.prometheus.query(
      `sum by (route, arm) (increase(model_canary_requests_total{route="${CANARY.route}",arm="${CANARY.arm}"}[5m]))`,
    );
    expect(canaryCalls[0]?.value).toBeGreaterThanOrEqual(20);
    expect(results.filter((r) => r.status !== 201 && r.errorType !== 'invalid_plan')).toEqual([]);
  });

  it(`fires ${ERROR_RATE_ALERT} on canary 529s and delivers it to the webhook with its labels and annotations`, async () => {
    const start = Date.now();
    service.simulator?.setFaults([{ kind: 'overloaded', model: CANARY.model, rate: 1 }]);
    const traffic = startTraffic({ url: service.url, concurrency: 8, seed: 'faults' });
    try {
      const { firing } = await timeAlert(ERROR_RATE_ALERT, start);
      expect(firing.labels).toMatchObject({ alertname: ERROR_RATE_ALERT, route: CANARY.route, arm: CANARY.arm, severity: 'critical' });
      const delivered = observability.webhook.alerts().find((a) => a.labels['alertname'] === ERROR_RATE_ALERT);
      expect(delivered?.labels).toMatchObject({ route: CANARY.route, arm: CANARY.arm, severity: 'critical' });
      expect(delivered?.annotations['summary']).toBe(`Canary ${CANARY.arm} of route ${CANARY.route} fails more calls than control`);
      expect(delivered?.annotations['description']).toMatch(new RegExp(`^On arm ${CANARY.arm} the share of failed calls .* exceeds the control arm's by \\d`));
      expect((await observability.alertmanager.alerts()).map((a) => a.labels['alertname'])).toContain(ERROR_RATE_ALERT);
    } finally {
      service.simulator?.setFaults([]);
      const results = await traffic.stop();
      expect(results.some((r) => r.arm === CANARY.arm && r.status >= 500)).toBe(true);
      expect(results.filter((r) => r.arm === CANARY.control && r.status !== 201 && r.errorType !== 'invalid_plan')).toEqual([]);
    }
  });

  it(`fires ${RELOAD_ALERT} when an edit of rollout.json is rejected, and resolves it once the file is fixed`, async () => {
    const start = Date.now();
    await rollout.writeRaw('{ "routes": { "orchestrator": { "arms": [ { "name": "canary", "model": "claude-sonnet-4-6", "percent": 140');
    const { firing } = await timeAlert(RELOAD_ALERT, start);
    expect(firing.labels).toMatchObject({ alertname: RELOAD_ALERT, severity: 'warning', instance: scrapeTarget(service) });
    const delivered = observability.webhook.alerts().find((a) => a.labels['alertname'] === RELOAD_ALERT);
    expect(delivered?.annotations['summary']).toBe(`The rollout config of ${scrapeTarget(service)} was rejected or is missing`);
    // The router kept serving its last good config.
    expect(service.router.snapshot().config.routes[CANARY.route]?.arms.find((a) => a.name === CANARY.arm)?.percent).toBe(10);
    await rollout.setCanaryPercent(10);
    await observability.webhook.waitForAlert((a) => a.labels['alertname'] === RELOAD_ALERT && a.status === 'resolved', 30_000);
  });
});
