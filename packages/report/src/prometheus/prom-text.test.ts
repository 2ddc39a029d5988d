import { describe, expect, it } from 'vitest';
import { diffExpositions, parseExposition, sumOf } from './prom-text.js';

const TEXT = `# HELP model_canary_units_total Units by outcome.
# TYPE model_canary_units_total counter
model_canary_units_total{route="orchestrator",arm="canary",outcome="success"} 3
model_canary_units_total{route="orchestrator",arm="control",outcome="success"} 25
model_canary_units_total{route="orchestrator",arm="control",outcome="failure"} 2
# TYPE model_canary_arm_percent gauge
model_canary_arm_percent{route="orchestrator",arm="canary",model="claude-sonnet-4-6"} 10
# TYPE d histogram
d_bucket{le="0.5",odd="a \\"quoted\\" \\\\ value\\nnext"} 1
d_bucket{le="+Inf",odd="x"} 4 1700000000000
d_sum 2.5e0
d_count 4
untyped_metric NaN
`;

describe('parseExposition', () => {
  it('reads types, labels with escapes, exponents, +Inf/NaN values and timestamps', () => {
    const parsed = parseExposition(TEXT);
    expect(parsed.types.get('model_canary_units_total')).toBe('counter');
    expect(parsed.types.get('d')).toBe('histogram');
    expect(parsed.samples[4]).toEqual({ name: 'd_bucket', labels: { le: '0.5', odd: 'a "quoted" \\ value\nnext' }, value: 1 });
    expect(parsed.samples[5]?.value).toBe(4);
    expect(parsed.samples[6]?.value).toBe(2.5);
    expect(parsed.samples[8]?.value).toBeNaN();
  });

  it('sums series matching a label filter', () => {
    const parsed = parseExposition(TEXT);
    expect(sumOf(parsed, 'model_canary_units_total', { arm: 'control' })).toBe(27);
    expect(sumOf(parsed, 'model_canary_units_total', { outcome: 'success' })).toBe(28);
    expect(sumOf(parsed, 'model_canary_units_total', { arm: 'nope' })).toBe(0);
  });

  it.each([
    ['a bad value', 'x 12abc', /bad sample value/],
    ['an unterminated label', 'x{a="b} 1', /unterminated/],
    ['a missing quote', 'x{a=b} 1', /expected/],
    ['a bad name', '9x 1', /bad metric name/],
  ])('rejects %s with the line number', (_what, text, message) => {
    expect(() => parseExposition(`# TYPE x counter\n${text}`)).toThrow(expect.objectContaining({ name: 'ReportError', code: 'BAD_EXPOSITION' }));
    expect(() => parseExposition(`# TYPE x counter\n${text}`)).toThrow(message);
    expect(() => parseExposition(`# TYPE x counter\n${text}`)).toThrow(/line 2/);
  });
});

describe('diffExpositions', () => {
  it('subtracts counters and histogram series but keeps gauges', () => {
    const before = parseExposition(TEXT);
    const after = parseExposition(
      TEXT.replace('outcome="success"} 3', 'outcome="success"} 10')
        .replace('model="claude-sonnet-4-6"} 10', 'model="claude-sonnet-4-6"} 25')
        .replace('d_count 4', 'd_count 9'),
    );
    const diff = diffExpositions(before, after);
    expect(sumOf(diff, 'model_canary_units_total', { arm: 'canary' })).toBe(7);
    expect(sumOf(diff, 'model_canary_units_total', { arm: 'control' })).toBe(0);
    expect(sumOf(diff, 'model_canary_arm_percent')).toBe(25);
    expect(sumOf(diff, 'd_count')).toBe(5);
  });

  it('takes a counter that went down (a restart) as counted from zero', () => {
    const before = parseExposition('# TYPE c counter\nc 50\n');
    const after = parseExposition('# TYPE c counter\nc 7\n');
    expect(sumOf(diffExpositions(before, after), 'c')).toBe(7);
  });
});
