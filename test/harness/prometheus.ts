import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createPrometheusApi, type PrometheusApi } from './prometheus-api.js';
import { startReadyServer } from './ready-server.js';
import { makeTempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';

export interface PrometheusConfigOptions {
  /** `host:port` of every `/metrics` endpoint to scrape (job `model-canary`). */
  readonly scrapeTargets?: readonly string[];
  readonly metricsPath?: string;
  /** Absolute paths of rule files to load. */
  readonly ruleFiles?: readonly string[];
  /** Base URL of the Alertmanager to notify, e.g. `http://127.0.0.1:9093`. */
  readonly alertmanagerUrl?: string;
}

export interface StartPrometheusOptions extends PrometheusConfigOptions {
  readonly scrapeInterval?: string;
  readonly evaluationInterval?: string;
  readonly binary?: string;
}

export interface PrometheusServer extends PrometheusApi {
  readonly url: string;
  readonly pid: number;
  readonly port: number;
  /** Its temporary config and data directory, removed by `stop()`. */
  readonly dir: string;
  /** Rewrites the config with these options merged in and reloads it through `/-/reload`. */
  configure(options: PrometheusConfigOptions): Promise<void>;
  /** Re-reads the config and rule files; throws with Prometheus's message when it rejects them. */
  reload(): Promise<void>;
  /** Resolves once every target has been scraped successfully after this call was made. */
  waitForFreshScrape(timeoutMs?: number): Promise<void>;
  /** Resolves once every loaded rule has been evaluated without error. */
  waitForHealthyRules(timeoutMs?: number): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * A real Prometheus on a loopback port it picks itself, with temporary config and data directories,
 * the lifecycle API on (for reloads) and alerts re-sent every second instead of every minute.
 */
export async function startPrometheus({
  scrapeInterval = '1s',
  evaluationInterval = '1s',
  binary = 'prometheus',
  ...initial
}: StartPrometheusOptions = {}): Promise<PrometheusServer> {
  const dir = await makeTempDir('prometheus');
  const configFile = join(dir, 'prometheus.yml');
  let current: PrometheusConfigOptions = initial;
  const writeConfig = (): Promise<void> =>
    writeFile(configFile, renderConfig(current, { scrapeInterval, evaluationInterval }));
  await writeConfig();

  const { child, url, port } = await startReadyServer({
    name: 'prometheus',
    command: binary,
    marker: dir,
    tempDir: dir,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
      '--web.enable-lifecycle',
      '--rules.alert.resend-delay=1s',
      '--log.level=info',
    ],
  });
  const stop = async (): Promise<void> => {
    await child.stop();
  };
  const api = createPrometheusApi(url);

  const reload = async (): Promise<void> => {
    const before = child.output().length;
    const response = await fetch(`${url}/-/reload`, { method: 'POST' });
    if (response.ok) return;
    // The HTTP answer is generic; the log says which file and line were wrong.
    const logged = child
      .output()
      .slice(before)
      .split('\n')
      .filter((line) => line.includes('level=error'));
    throw new Error(`Prometheus rejected its config: ${(await response.text()).trim()}\n${logged.join('\n')}`);
  };

  const waitForFreshScrape = async (timeoutMs = 10_000): Promise<void> => {
    const since = Date.now();
    await waitFor(
      async () => {
        const targets = await api.targets();
        const fresh = targets.every((t) => t.health === 'up' && Date.parse(t.lastScrape) > since);
        return targets.length > 0 && fresh ? true : undefined;
      },
      { timeoutMs, what: 'a fresh scrape of every target' },
    );
  };

  const waitForHealthyRules = async (timeoutMs = 10_000): Promise<void> => {
    await waitFor(
      async () => {
        const rules = (await api.ruleGroups()).flatMap((g) => g.rules);
        const bad = rules.filter((r) => r.health !== 'ok');
        if (bad.length > 0) throw new Error(bad.map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`).join('; '));
        return rules.length > 0 ? true : undefined;
      },
      { timeoutMs, what: 'every rule evaluated without error' },
    );
  };

  return {
    ...api,
    url,
    pid: child.pid,
    port,
    dir,
    configure: async (options) => {
      current = { ...current, ...options };
      await writeConfig();
      await reload();
    },
    reload,
    waitForFreshScrape,
    waitForHealthyRules,
    output: child.output,
    stop,
  };
}

function renderConfig(
  { scrapeTargets = [], metricsPath = '/metrics', ruleFiles = [], alertmanagerUrl }: PrometheusConfigOptions,
  { scrapeInterval, evaluationInterval }: { scrapeInterval: string; evaluationInterval: string },
): string {
  const config: Record<string, unknown> = {
    global: { scrape_interval: scrapeInterval, scrape_timeout: scrapeInterval, evaluation_interval: evaluationInterval },
    rule_files: [...ruleFiles],
    scrape_configs: [
      { job_name: 'model-canary', metrics_path: metricsPath, static_configs: [{ targets: [...scrapeTargets] }] },
    ],
  };
  if (alertmanagerUrl !== undefined) {
    const { host, protocol } = new URL(alertmanagerUrl);
    config['alerting'] = {
      alertmanagers: [{ scheme: protocol.replace(':', ''), timeout: '2s', static_configs: [{ targets: [host] }] }],
    };
  }
  return stringify(config);
}
