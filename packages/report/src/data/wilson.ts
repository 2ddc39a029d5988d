/** The 95% Wilson score interval of a proportion (display only: the controller's own intervals are sequential). */
export function wilson95(successes: number, trials: number): { lower: number; upper: number } {
  if (trials <= 0) return { lower: Number.NaN, upper: Number.NaN };
  const z = 1.959963984540054;
  const p = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / denominator;
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}
