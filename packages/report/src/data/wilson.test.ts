import { describe, expect, it } from 'vitest';
import { wilson95 } from './wilson.js';

describe('wilson95', () => {
  it.each([
    // Values from the closed form, checked against R's prop.test(correct = FALSE).
    [9, 10, 0.5958, 0.9821],
    [0, 20, 0, 0.1611],
    [50, 100, 0.4038, 0.5962],
  ])('%i of %i lies in [%f, %f]', (successes, trials, lower, upper) => {
    const ci = wilson95(successes, trials);
    expect(ci.lower).toBeCloseTo(lower, 4);
    expect(ci.upper).toBeCloseTo(upper, 4);
  });

  it('is NaN without trials', () => {
    expect(wilson95(0, 0)).toEqual({ lower: NaN, upper: NaN });
  });
});
