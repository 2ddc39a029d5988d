import { describe, expect, it } from 'vitest';
import { needsReview, readReview, REVIEW_TOOL_NAME } from './verifier.js';

const answer = (input: unknown, name = REVIEW_TOOL_NAME) => ({
  content: [{ type: 'tool_use' as const, id: 'toolu_1', name, input, caller: { type: 'direct' as const } }],
  stop_reason: 'tool_use' as const,
});

describe('readReview', () => {
  it.each([
    [{ verdict: 'approve' }, { verdict: 'approve' }],
    [{ verdict: 'reject', reason: ' Dates clash. ' }, { verdict: 'reject', reason: 'Dates clash.' }],
    [{ verdict: 'reject' }, { verdict: 'reject', reason: 'no reason given' }],
    [{ verdict: 'unknown' }, { verdict: 'invalid', problem: 'verdict is neither approve nor reject' }],
    [{}, { verdict: 'invalid', problem: 'verdict is neither approve nor reject' }],
  ])('reads %j as %j', (input, review) => {
    expect(readReview(answer(input) as never)).toEqual(review);
  });

  it('never takes an answer without the review tool as an approval', () => {
    expect(readReview({ content: [], stop_reason: 'max_tokens' })).toEqual({ verdict: 'invalid', problem: `no ${REVIEW_TOOL_NAME} call (stop_reason max_tokens)` });
    expect(readReview(answer({ verdict: 'approve' }, 'other_tool') as never).verdict).toBe('invalid');
  });
});

describe('needsReview (the high-stakes rule)', () => {
  const services = (n: number) => Array.from({ length: n }, () => ({ kind: 'car' as const, details: { city: 'Lisbon', pickupDate: '2027-05-01', dropoffDate: '2027-05-04' } }));
  it.each([[1, 3, false], [2, 3, false], [3, 3, true], [4, 3, true], [4, 5, false]])('%i services with the rule at %i: %s', (n, min, expected) => {
    expect(needsReview(services(n), min)).toBe(expected);
  });
});
