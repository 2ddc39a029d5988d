import {
  makeTempDir,
  removeTempDir,
  shortenRuleFiles,
  startAlertmanager,
  startPrometheus,
  startWebhookReceiver,
  type AlertmanagerServer,
  type PrometheusServer,
  type WebhookReceiver,
} from '../harness/index.js';
import { metricsRuleFiles } from './package-assets.js';

export interface Observability {
  readonly prometheus: PrometheusServer;
  readonly alertmanager: AlertmanagerServer;
  readonly webhook: WebhookReceiver;
  /** Each shipped alert's original `for`, replaced by 1 s in the loaded copies. */
  readonly originalFor: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Prometheus (1 s scrape and evaluation) loaded with @model-canary/metrics's shipped rule files, with
 * the documented test rewrite of `for:` to 1 s (see shortenRuleFiles), notifying a real Alertmanager
 * that posts to a webhook receiver of the test. Stops everything it started, also on a failed start.
 */
export async function startObservability(scrapeTargets: readonly string[]): Promise<Observability> {
  const started: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const close of started.reverse()) await close();
  };
  try {
    const rulesDir = await makeTempDir('rules');
    started.push(() => removeTempDir(rulesDir));
    const { files, originalFor } = await shortenRuleFiles({ files: metricsRuleFiles(), outDir: rulesDir, forDuration: '1s' });
    const webhook = await startWebhookReceiver();
    started.push(() => webhook.close());
    const alertmanager = await startAlertmanager({ webhookUrl: webhook.url });
    started.push(() => alertmanager.stop());
    const prometheus = await startPrometheus({ scrapeTargets, ruleFiles: files, alertmanagerUrl: alertmanager.url });
    started.push(() => prometheus.stop());
    return { prometheus, alertmanager, webhook, originalFor, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
