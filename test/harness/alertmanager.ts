import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startReadyServer } from './ready-server.js';
import { makeTempDir } from './temp-dir.js';

export interface StartAlertmanagerOptions {
  /** Where every notification goes (a {@link WebhookReceiver}'s url). */
  readonly webhookUrl: string;
  /** group_wait and group_interval: short, so a test sees a notification within seconds. */
  readonly groupWait?: string;
  readonly binary?: string;
}

/** An alert as Alertmanager's `/api/v2/alerts` lists it. */
export interface AlertmanagerAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly status: { readonly state: string };
}

export interface AlertmanagerServer {
  readonly url: string;
  readonly pid: number;
  readonly port: number;
  /** Its temporary config and data directory, removed by `stop()`. */
  readonly dir: string;
  alerts(): Promise<AlertmanagerAlert[]>;
  output(): string;
  stop(): Promise<void>;
}

/** A real Alertmanager, clustering off, on a loopback port it picks itself, routing everything to one webhook. */
export async function startAlertmanager({
  webhookUrl,
  groupWait = '1s',
  binary = 'prometheus-alertmanager',
}: StartAlertmanagerOptions): Promise<AlertmanagerServer> {
  const dir = await makeTempDir('alertmanager');
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(
    configFile,
    stringify({
      route: {
        receiver: 'test-webhook',
        group_by: ['alertname'],
        group_wait: groupWait,
        group_interval: groupWait,
        repeat_interval: '1h',
      },
      receivers: [{ name: 'test-webhook', webhook_configs: [{ url: webhookUrl, send_resolved: true }] }],
    }),
  );
  const { child, url, port } = await startReadyServer({
    name: 'alertmanager',
    command: binary,
    marker: dir,
    tempDir: dir,
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
      '--cluster.listen-address=',
      '--log.level=info',
    ],
  });
  const stop = async (): Promise<void> => {
    await child.stop();
  };
  return {
    url,
    pid: child.pid,
    port,
    dir,
    alerts: async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as AlertmanagerAlert[],
    output: child.output,
    stop,
  };
}
