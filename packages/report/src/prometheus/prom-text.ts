import { ReportError } from '../errors.js';

/** One sample line of the Prometheus text exposition format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  /** Metric family name → type (`counter`, `gauge`, `histogram`, `summary`, `untyped`). */
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
}

/** A line of the exposition that cannot be read: a `ReportError` with code `BAD_EXPOSITION` naming the line. */
function parseError(message: string, line: number): ReportError {
  return new ReportError('BAD_EXPOSITION', `${message} (line ${line})`);
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string, line: number): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
  }
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw parseError(`bad sample value ${JSON.stringify(text)}`, line);
  return value;
}

function parseLabels(text: string, start: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, end: i + 1 };
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (name === undefined) throw parseError('bad label name', line);
    i += name.length;
    while (text[i] === ' ') i++;
    if (text[i] !== '=' || text[i + 1] !== '"') throw parseError(`expected ="…" after label ${name}`, line);
    i += 2;
    let value = '';
    for (;;) {
      const ch = text[i];
      if (ch === undefined) throw parseError(`unterminated value of label ${name}`, line);
      i++;
      if (ch === '"') break;
      if (ch === '\\') {
        const escaped = text[i++];
        value += escaped === 'n' ? '\n' : (escaped ?? '');
      } else {
        value += ch;
      }
    }
    labels[name] = value;
  }
}

/** Parses the text format prom-client's `registry.metrics()` produces (version 0.0.4). */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const parts = line.split(/\s+/);
      if (parts[1] === 'TYPE' && parts[2] !== undefined && parts[3] !== undefined) types.set(parts[2], parts[3]);
      return;
    }
    const name = NAME.exec(line)?.[0];
    if (name === undefined) throw parseError('bad metric name', lineNo);
    let rest = name.length;
    let labels: Record<string, string> = {};
    if (line[rest] === '{') {
      const parsed = parseLabels(line, rest + 1, lineNo);
      labels = parsed.labels;
      rest = parsed.end;
    }
    const [valueText = ''] = line.slice(rest).trim().split(/\s+/);
    samples.push({ name, labels, value: parseValue(valueText, lineNo) });
  });
  return { types, samples };
}

/** The family a sample belongs to: `x_bucket`, `x_sum`, `x_count` of histogram `x` belong to `x`. */
export function familyOf(exposition: Exposition, sampleName: string): string {
  for (const suffix of ['_bucket', '_sum', '_count', '_total']) {
    if (sampleName.endsWith(suffix)) {
      const base = sampleName.slice(0, -suffix.length);
      if (exposition.types.has(base)) return base;
    }
  }
  return sampleName;
}

function seriesId(sample: Sample): string {
  const labels = Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${sample.name}${JSON.stringify(labels)}`;
}

/**
 * What happened between two scrapes: counters and histograms are subtracted series by series,
 * gauges keep their latest value. A series that went down (process restart) is taken as is.
 */
export function diffExpositions(before: Exposition, after: Exposition): Exposition {
  const previous = new Map(before.samples.map((s) => [seriesId(s), s.value]));
  const samples = after.samples.map((sample) => {
    const type = after.types.get(familyOf(after, sample.name));
    if (type === 'gauge') return sample;
    const old = previous.get(seriesId(sample)) ?? 0;
    return sample.value >= old ? { ...sample, value: sample.value - old } : sample;
  });
  return { types: after.types, samples };
}

export type LabelFilter = Readonly<Record<string, string>>;

export function select(exposition: Exposition, name: string, filter: LabelFilter = {}): Sample[] {
  return exposition.samples.filter(
    (s) => s.name === name && Object.entries(filter).every(([k, v]) => s.labels[k] === v),
  );
}

export function sumOf(exposition: Exposition, name: string, filter: LabelFilter = {}): number {
  return select(exposition, name, filter).reduce((total, s) => total + s.value, 0);
}
