import { describe, expect, it } from 'vitest';
import { createFaultBook, parseFaultHeader } from './faults.js';

describe('parseFaultHeader', () => {
  it.each([
    ['overloaded', { fault: 'overloaded', plan: undefined }],
    ['invalid_plan', { fault: undefined, plan: 'invalid' }],
    ['rate_limit, incomplete_plan', { fault: 'rate_limit', plan: 'incomplete' }],
    ['nonsense', { fault: undefined, plan: undefined }],
    [undefined, { fault: undefined, plan: undefined }],
  ])('reads %s', (value, expected) => {
    expect(parseFaultHeader(value)).toEqual(expected);
  });
});

describe('createFaultBook', () => {
  it('spends count rules in order, per model, then falls through to rate rules', () => {
    const book = createFaultBook([
      { model: 'a', kind: 'overloaded', count: 2 },
      { kind: 'server', rate: 0.5 },
    ]);
    expect(book.take('b', false, 0.9)).toBeUndefined();
    expect(book.take('a', false, 0.9)).toBe('overloaded');
    expect(book.take('a', false, 0.9)).toBe('overloaded');
    expect(book.take('a', false, 0.9)).toBeUndefined();
    expect(book.take('a', false, 0.1)).toBe('server');
    expect(book.list()).toEqual([{ kind: 'server', rate: 0.5 }]);
  });

  it('applies rate-based stream_error only to streaming calls', () => {
    const book = createFaultBook([{ kind: 'stream_error', rate: 1 }]);
    expect(book.take('a', false, 0)).toBeUndefined();
    expect(book.take('a', true, 0)).toBe('stream_error');
  });
});
