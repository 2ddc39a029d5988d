import { REHEARSAL_COST_BUCKETS, REHEARSAL_DURATION_BUCKETS } from '@model-canary/controller';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_BUCKETS, DEFAULT_DURATION_BUCKETS } from './buckets.js';

// The controller's rehearsal counts into its own copy of these layouts (it does not depend on this package):
// a rehearsal must see the quantile resolution that a rollout measured with the defaults sees.
describe('default buckets', () => {
  it.each([
    ['call latency', REHEARSAL_DURATION_BUCKETS, DEFAULT_DURATION_BUCKETS],
    ['cost per booking', REHEARSAL_COST_BUCKETS, DEFAULT_COST_BUCKETS],
  ])("are the controller rehearsal's %s buckets", (_name, rehearsal, metrics) => {
    expect(rehearsal).toEqual(metrics);
  });
});
