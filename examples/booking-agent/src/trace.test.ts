import { describe, expect, it } from 'vitest';
import { childTraceparent, traceFromHeader } from './trace.js';

const fixed = (n: number) => Buffer.alloc(n, 0xab);

describe('traceFromHeader', () => {
  it('keeps the trace id and parent of a valid traceparent', () => {
    expect(traceFromHeader('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentId: '00f067aa0ba902b7',
      sampled: true,
    });
  });

  it.each([
    ['absent', undefined],
    ['garbage', 'hello'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01'],
  ])('starts a new trace when the header is %s', (_what, header) => {
    expect(traceFromHeader(header, fixed)).toEqual({ traceId: 'ab'.repeat(16), parentId: null, sampled: true });
  });

  it('writes a child traceparent with the same trace id and a new span id', () => {
    const trace = traceFromHeader('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');
    expect(childTraceparent(trace, fixed)).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${'ab'.repeat(8)}-00`);
  });
});
