import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait-for.js';

/** One alert of an Alertmanager webhook notification (payload version 4). */
export interface NotifiedAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
}

export interface Notification {
  /** Epoch ms at which the receiver got it. */
  readonly receivedAt: number;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly alerts: readonly NotifiedAlert[];
}

export interface WebhookReceiver {
  readonly url: string;
  readonly notifications: readonly Notification[];
  /** Every alert received so far, with the time its notification arrived. */
  alerts(): Array<NotifiedAlert & { receivedAt: number }>;
  /** Resolves with the first received alert matching `predicate`. */
  waitForAlert(
    predicate: (alert: NotifiedAlert) => boolean,
    timeoutMs?: number,
  ): Promise<NotifiedAlert & { receivedAt: number }>;
  close(): Promise<void>;
}

/** A node:http server on a kernel-chosen loopback port that records Alertmanager's webhook posts. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: Notification[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<Notification, 'receivedAt'>;
        notifications.push({ ...body, receivedAt: Date.now() });
        response.writeHead(200).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const alerts = (): Array<NotifiedAlert & { receivedAt: number }> =>
    notifications.flatMap((n) => n.alerts.map((a) => ({ ...a, receivedAt: n.receivedAt })));

  return {
    url: `http://127.0.0.1:${port}/alerts`,
    notifications,
    alerts,
    waitForAlert: (predicate, timeoutMs = 20_000) =>
      waitFor(() => alerts().find(predicate), { timeoutMs, what: 'an alert notification on the webhook' }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
