/** One series of an instant vector. */
export interface PromSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One series of a range query. */
export interface PromSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: ReadonlyArray<readonly [number, number]>;
}

/** An alert as Prometheus's `/api/v1/alerts` lists it. */
export interface PromAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: 'pending' | 'firing' | 'inactive';
  readonly activeAt?: string;
  readonly value: string;
}

export interface PromTarget {
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastScrape: string;
  readonly lastError: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface PromRuleGroup {
  readonly name: string;
  readonly file: string;
  readonly rules: ReadonlyArray<{
    readonly name: string;
    readonly type: 'alerting' | 'recording';
    readonly health: string;
    readonly lastError?: string;
    readonly state?: string;
  }>;
}

/** Raised for an HTTP or PromQL error; `message` carries Prometheus's own words. */
export class PrometheusApiError extends Error {
  override readonly name = 'PrometheusApiError';
  constructor(
    message: string,
    readonly errorType: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

interface ApiEnvelope<T> {
  readonly status: 'success' | 'error';
  readonly data?: T;
  readonly errorType?: string;
  readonly error?: string;
  readonly warnings?: readonly string[];
}

/** A thin client of Prometheus's HTTP API v1 (queries through POST so long expressions fit). */
export interface PrometheusApi {
  /** Instant vector or scalar query; a scalar comes back as one sample without labels. */
  query(expr: string, time?: number): Promise<PromSample[]>;
  queryRange(expr: string, range: { start: number; end: number; step: number }): Promise<PromSeries[]>;
  alerts(): Promise<PromAlert[]>;
  targets(): Promise<PromTarget[]>;
  ruleGroups(): Promise<PromRuleGroup[]>;
  /** Values of one label, optionally among the series matching `match` (Grafana's `label_values`). */
  labelValues(label: string, match?: string): Promise<string[]>;
}

export function createPrometheusApi(baseUrl: string): PrometheusApi {
  const call = async <T>(path: string, form?: Record<string, string>): Promise<T> => {
    const init: RequestInit =
      form === undefined
        ? {}
        : {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(form).toString(),
          };
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    let body: ApiEnvelope<T>;
    try {
      body = JSON.parse(text) as ApiEnvelope<T>;
    } catch (cause) {
      throw new PrometheusApiError(`${path}: HTTP ${response.status}: ${text.slice(0, 200)}`, 'http', { cause });
    }
    if (body.status !== 'success' || body.data === undefined) {
      throw new PrometheusApiError(`${path}: ${body.error ?? `HTTP ${response.status}`}`, body.errorType ?? 'unknown');
    }
    return body.data;
  };

  const query = async (expr: string, time?: number): Promise<PromSample[]> => {
    const form: Record<string, string> = { query: expr };
    if (time !== undefined) form['time'] = String(time);
    const data = await call<{ resultType: string; result: unknown }>('/api/v1/query', form);
    if (data.resultType === 'scalar') {
      const [, value] = data.result as [number, string];
      return [{ metric: {}, value: Number(value) }];
    }
    if (data.resultType !== 'vector') throw new PrometheusApiError(`unexpected ${data.resultType} for ${expr}`, 'type');
    return (data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((s) => ({
      metric: s.metric,
      value: Number(s.value[1]),
    }));
  };

  const queryRange = async (
    expr: string,
    { start, end, step }: { start: number; end: number; step: number },
  ): Promise<PromSeries[]> => {
    const data = await call<{ resultType: string; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> }>(
      '/api/v1/query_range',
      { query: expr, start: String(start), end: String(end), step: String(step) },
    );
    return data.result.map((s) => ({ metric: s.metric, values: s.values.map(([t, v]) => [t, Number(v)] as const) }));
  };

  return {
    query,
    queryRange,
    alerts: async () => (await call<{ alerts: PromAlert[] }>('/api/v1/alerts')).alerts,
    targets: async () => (await call<{ activeTargets: PromTarget[] }>('/api/v1/targets')).activeTargets,
    ruleGroups: async () => (await call<{ groups: PromRuleGroup[] }>('/api/v1/rules')).groups,
    labelValues: (label, match) =>
      call<string[]>(
        `/api/v1/label/${encodeURIComponent(label)}/values${match === undefined ? '' : `?match[]=${encodeURIComponent(match)}`}`,
      ),
  };
}
