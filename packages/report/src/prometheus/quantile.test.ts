import { describe, expect, it } from 'vitest';
import { parseExposition } from './prom-text.js';
import { bucketsOf, histogramQuantile, type Bucket } from './quantile.js';

const INF = Number.POSITIVE_INFINITY;
// 10 observations: 2 <= 0.1, 6 more <= 0.5, 1 more <= 1, 1 above.
const buckets: Bucket[] = [
  { le: 0.1, count: 2 },
  { le: 0.5, count: 8 },
  { le: 1, count: 9 },
  { le: INF, count: 10 },
];

describe('histogramQuantile (as PromQL histogram_quantile)', () => {
  it.each([
    [0.1, 0.05], // rank 1 in the first bucket: 0 + 0.1 * 1/2
    [0.5, 0.3], // rank 5: 0.1 + 0.4 * (5-2)/(8-2)
    [0.8, 0.5], // rank 8: exactly the top of the second bucket
    [0.85, 0.75], // rank 8.5: 0.5 + 0.5 * 0.5
    [0.95, 1], // rank 9.5 falls in +Inf: the highest finite bound
  ])('q=%s is %s', (q, expected) => {
    expect(histogramQuantile(q, buckets)).toBeCloseTo(expected, 10);
  });

  it('is NaN without observations or without a +Inf bucket', () => {
    expect(histogramQuantile(0.5, [{ le: 1, count: 0 }, { le: INF, count: 0 }])).toBeNaN();
    expect(histogramQuantile(0.5, [{ le: 1, count: 3 }])).toBeNaN();
    expect(histogramQuantile(0.5, [])).toBeNaN();
  });

  it('does not depend on bucket order', () => {
    expect(histogramQuantile(0.5, [...buckets].reverse())).toBeCloseTo(0.3, 10);
  });

  it('merges bucket series across other labels', () => {
    const text = `# TYPE h histogram
h_bucket{arm="a",outcome="success",le="0.1"} 1
h_bucket{arm="a",outcome="success",le="+Inf"} 2
h_bucket{arm="a",outcome="error",le="0.1"} 1
h_bucket{arm="a",outcome="error",le="+Inf"} 3
h_bucket{arm="b",outcome="error",le="0.1"} 100
h_bucket{arm="b",outcome="error",le="+Inf"} 100
`;
    expect(bucketsOf(parseExposition(text), 'h', { arm: 'a' })).toEqual([
      { le: 0.1, count: 2 },
      { le: INF, count: 5 },
    ]);
  });
});
