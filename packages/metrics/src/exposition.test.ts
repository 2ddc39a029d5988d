import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, type RegistryContentType } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ExposedCounter, ExposedGauge, ExposedHistogram } from './exposition.js';

/** One sample line, its labels sorted: label order within a line carries no meaning in the exposition format. */
function parse(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      lines.push(line);
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const labels = [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}="${m[2]}"`).sort();
    lines.push(`${match[1]}{${labels.join(',')}} ${match[3]}`);
  }
  return lines;
}

type Classes = { Counter: typeof Counter; Gauge: typeof Gauge; Histogram: typeof Histogram };
const PLAIN: Classes = { Counter, Gauge, Histogram };
const EXPOSED: Classes = { Counter: ExposedCounter, Gauge: ExposedGauge, Histogram: ExposedHistogram };

/** The same metrics and the same updates, on plain prom-client classes or on the exposed ones. */
function build(classes: Classes, registry: Registry<RegistryContentType>) {
  const registers = [registry];
  const counter = new classes.Counter({ name: 'calls_total', help: 'Calls.', labelNames: ['route', 'arm'], registers });
  const bare = new classes.Counter({ name: 'errors_total', help: 'Errors.', registers });
  const gauge = new classes.Gauge({ name: 'in_flight', help: 'In flight.', labelNames: ['route'], registers });
  const collected = new classes.Gauge({
    name: 'collected',
    help: 'Set at scrape time.',
    labelNames: ['route'],
    registers,
    collect() {
      this.set({ route: 'orchestrator' }, 7);
    },
  });
  const histogram = new classes.Histogram({ name: 'duration_seconds', help: 'Duration.', labelNames: ['route', 'arm'], buckets: [0.1, 1, 10], registers });
  return {
    counter,
    gauge,
    histogram,
    first() {
      counter.inc({ route: 'orchestrator', arm: 'canary' });
      counter.inc({ route: 'orchestrator', arm: 'control' }, 3);
      counter.inc({ route: 'a "quoted" \\ route\nwith a newline', arm: 'canary' });
      bare.inc(0);
      gauge.set({ route: 'orchestrator' }, 2);
      histogram.zero({ route: 'specialist', arm: 'control' });
      histogram.observe({ route: 'orchestrator', arm: 'canary' }, 0.05);
      histogram.observe({ route: 'orchestrator', arm: 'canary' }, 2.5);
      histogram.observe({ route: 'orchestrator', arm: 'canary' }, 99);
      void collected;
    },
    then() {
      counter.inc({ route: 'orchestrator', arm: 'canary' }, 0.25);
      counter.inc({ route: 'verifier', arm: 'canary' });
      bare.inc();
      gauge.set({ route: 'orchestrator' }, 1);
      gauge.set({ route: 'specialist' }, 4);
      histogram.observe({ route: 'orchestrator', arm: 'canary' }, 0.5);
      histogram.observe({ route: 'specialist', arm: 'control' }, 1);
      histogram.remove({ route: 'specialist', arm: 'control' });
      histogram.observe({ route: 'verifier', arm: 'canary' }, 0.01);
    },
    /** One change each: a scrape after every one shows whether the exposed metrics noticed it. */
    steps: [
      () => counter.labels('specialist', 'control').inc(2),
      () => counter.remove({ route: 'orchestrator', arm: 'control' }),
      () => histogram.labels('verifier', 'control').observe(4),
      () => histogram.zero({ route: 'orchestrator', arm: 'canary' }),
      () => histogram.remove({ route: 'verifier', arm: 'canary' }),
      () => histogram.observe({ route: 'verifier', arm: 'canary' }, 0.2),
      () => gauge.set({ route: 'verifier' }, 9),
      () => counter.reset(),
      () => counter.inc({ route: 'orchestrator', arm: 'canary' }),
    ],
  };
}

function pair(contentType: RegistryContentType = Registry.PROMETHEUS_CONTENT_TYPE, defaultLabels: Record<string, string> = {}) {
  const registry = () => {
    const r = new Registry<RegistryContentType>();
    r.setContentType(contentType);
    r.setDefaultLabels(defaultLabels);
    return r;
  };
  const plainRegistry = registry();
  const exposedRegistry = registry();
  return { plainRegistry, exposedRegistry, plain: build(PLAIN, plainRegistry), exposed: build(EXPOSED, exposedRegistry) };
}

describe('exposed metrics', () => {
  it('write the same samples as prom-client, scrape after scrape', async () => {
    const { plainRegistry, exposedRegistry, plain, exposed } = pair();
    plain.first();
    exposed.first();
    const before = parse(await plainRegistry.metrics());
    expect(before.filter((line) => line.startsWith('duration_seconds_bucket'))).toHaveLength(8);
    expect(parse(await exposedRegistry.metrics())).toEqual(before);
    // Values and series change between scrapes: the cached label strings must not freeze them.
    plain.then();
    exposed.then();
    const after = parse(await plainRegistry.metrics());
    expect(after).not.toEqual(before);
    expect(parse(await exposedRegistry.metrics())).toEqual(after);
    for (const [i, step] of plain.steps.entries()) {
      step();
      exposed.steps[i]?.();
      expect(parse(await exposedRegistry.metrics()), `after step ${i}`).toEqual(parse(await plainRegistry.metrics()));
    }
  });

  it('escape label values as prom-client does', async () => {
    const { exposedRegistry, exposed } = pair();
    exposed.first();
    expect(await exposedRegistry.metrics()).toContain('route="a \\"quoted\\" \\\\ route\\nwith a newline"');
  });

  it('keep the registry default labels and the OpenMetrics format', async () => {
    const { plainRegistry, exposedRegistry, plain, exposed } = pair(Registry.OPENMETRICS_CONTENT_TYPE, { replica: 'r1' });
    plain.first();
    exposed.first();
    const text = await exposedRegistry.metrics();
    expect(text).toMatch(/^calls_total\{.*replica="r1".*\} 1$/m);
    expect(parse(text)).toEqual(parse(await plainRegistry.metrics()));
  });

  it('give getMetricsAsJSON the same values, and reading it leaves the next scrape intact', async () => {
    const { plainRegistry, exposedRegistry, plain, exposed } = pair();
    plain.first();
    exposed.first();
    const sorted = (json: Awaited<ReturnType<Registry<RegistryContentType>['getMetricsAsJSON']>>) =>
      json.map((metric) => ({ ...metric, values: metric.values.map((v) => JSON.stringify({ ...v, labels: Object.fromEntries(Object.entries(v.labels).sort()) })).sort() }));
    expect(sorted(await exposedRegistry.getMetricsAsJSON())).toEqual(sorted(await plainRegistry.getMetricsAsJSON()));
    expect(parse(await exposedRegistry.metrics())).toEqual(parse(await plainRegistry.metrics()));
  });

  it('aggregate across cluster workers as prom-client does', async () => {
    const workers = [pair(), pair()];
    for (const { plain, exposed } of workers) {
      plain.first();
      exposed.first();
    }
    workers[1]?.plain.then();
    workers[1]?.exposed.then();
    const aggregate = async (pick: 'plainRegistry' | 'exposedRegistry') =>
      parse(await AggregatorRegistry.aggregate(await Promise.all(workers.map((w) => w[pick].getMetricsAsJSON()))).metrics());
    expect(await aggregate('exposedRegistry')).toEqual(await aggregate('plainRegistry'));
  });
});

describe('series handles', () => {
  const LABELS = { route: 'orchestrator', arm: 'canary' };

  it('count into the same series as inc, and an existing series keeps its count', async () => {
    const registry = new Registry();
    const counter = new ExposedCounter({ name: 'calls_total', help: 'Calls.', labelNames: ['route', 'arm'], registers: [registry] });
    counter.inc(LABELS, 2);
    const series = counter.series({ ...LABELS });
    series.add();
    series.add(0.5);
    counter.series({ route: 'specialist', arm: 'control' });
    expect((await counter.get()).values.map((v) => [v.labels.route, v.value])).toEqual([
      ['orchestrator', 3.5],
      ['specialist', 0],
    ]);
    expect(() => series.add(-1)).toThrow(/not possible to decrease/);
  });

  it('bucket as prom-client observe does, bounds included, and an existing series keeps its observations', async () => {
    const plain = new Histogram({ name: 'd', help: 'd', labelNames: ['route', 'arm'], buckets: [0.1, 1, 10], registers: [] });
    const exposed = new ExposedHistogram({ name: 'd', help: 'd', labelNames: ['route', 'arm'], buckets: [0.1, 1, 10], registers: [] });
    plain.observe(LABELS, 3);
    exposed.observe(LABELS, 3);
    const series = exposed.series(LABELS);
    for (const value of [0, 0.05, 0.1, 0.10001, 1, 9.99, 10, 11, 1e9]) {
      plain.observe(LABELS, value);
      series.observe(value);
    }
    expect((await exposed.get()).values).toEqual(expect.arrayContaining((await plain.get()).values));
    expect((await exposed.get()).values).toHaveLength(6);
    expect(() => series.observe(Number.NaN)).toThrow(/not a valid number/);
  });

  /** A registry with a counter and a histogram, and a handle on one series of each. */
  function handles() {
    const registry = new Registry();
    const counter = new ExposedCounter({ name: 'calls_total', help: 'Calls.', labelNames: ['route', 'arm'], registers: [registry] });
    const histogram = new ExposedHistogram({ name: 'd', help: 'd', labelNames: ['route', 'arm'], buckets: [1], registers: [registry] });
    return { registry, histogram, count: counter.series(LABELS), duration: histogram.series(LABELS) };
  }

  it('show in the next scrape what they recorded since the last one', async () => {
    const { registry, count, duration } = handles();
    expect(parse(await registry.metrics())).toContain('calls_total{arm="canary",route="orchestrator"} 0');
    for (let scrape = 1; scrape <= 3; scrape += 1) {
      count.add(2);
      duration.observe(0.5);
      const text = parse(await registry.metrics());
      expect(text).toContain(`calls_total{arm="canary",route="orchestrator"} ${2 * scrape}`);
      expect(text).toContain(`d_bucket{arm="canary",le="1",route="orchestrator"} ${scrape}`);
      expect(text).toContain(`d_sum{arm="canary",route="orchestrator"} ${0.5 * scrape}`);
    }
  });

  it('create their series again after a reset or remove, so no count is lost', async () => {
    const { registry, histogram, count, duration } = handles();
    count.add(5);
    duration.observe(0.5);
    registry.resetMetrics();
    count.add();
    duration.observe(2);
    histogram.remove(LABELS);
    duration.observe(0.5);
    count.add();
    const text = parse(await registry.metrics()).join('\n');
    expect(text).toContain('calls_total{arm="canary",route="orchestrator"} 2');
    expect(text).toContain('d_bucket{arm="canary",le="1",route="orchestrator"} 1');
    expect(text).toContain('d_count{arm="canary",route="orchestrator"} 1');
  });
});
