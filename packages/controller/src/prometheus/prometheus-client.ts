import { ControllerError } from '../errors.js';

/** One sample of an instant vector. */
export interface VectorSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusClient {
  /** Instant query; throws ControllerError('PROMETHEUS') when Prometheus does not answer or errors. */
  query(promql: string, atMs?: number): Promise<VectorSample[]>;
}

/** A minimal client of Prometheus' HTTP API (`/api/v1/query`), with a timeout per query. */
export function createPrometheusClient({ url, timeoutMs = 5_000, fetch: fetchImpl = fetch }: { url: string; timeoutMs?: number; fetch?: typeof fetch }): PrometheusClient {
  const base = url.replace(/\/+$/, '');
  return {
    async query(promql, atMs) {
      const params = new URLSearchParams({ query: promql });
      if (atMs !== undefined) params.set('time', (atMs / 1000).toFixed(3));
      let body: unknown;
      try {
        const res = await fetchImpl(`${base}/api/v1/query?${params.toString()}`, { signal: AbortSignal.timeout(timeoutMs) });
        body = await res.json();
        if (!res.ok) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
      } catch (cause) {
        throw new ControllerError('PROMETHEUS', `Prometheus query failed: ${promql}`, { cause });
      }
      const data = body as { status?: string; data?: { resultType?: string; result?: { metric: Record<string, string>; value: [number, string] }[] } };
      if (data.status !== 'success' || data.data?.resultType !== 'vector' || !Array.isArray(data.data.result)) {
        throw new ControllerError('PROMETHEUS', `unexpected Prometheus answer to ${promql}: ${JSON.stringify(body).slice(0, 200)}`);
      }
      return data.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
  };
}
