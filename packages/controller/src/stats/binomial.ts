/** A source of uniform numbers in [0, 1), e.g. `seedrandom.alea(seed)`. */
export type Uniform = () => number;

/**
 * Exact Binomial(n, p) draw by geometric waiting times (Devroye 1986, "Non-Uniform Random Variate
 * Generation", §X.4.3, second waiting time method): O(n·min(p, 1−p) + 1) uniforms.
 * Used to simulate thousands of rollouts from counts without one draw per booking.
 */
export function sampleBinomial(n: number, p: number, random: Uniform): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(n, 1 - p, random);
  const logQ = Math.log1p(-p);
  let successes = 0;
  let position = 0;
  for (;;) {
    // Trials up to and including the next success: Geometric(p) ≥ 1.
    position += Math.floor(Math.log(1 - random()) / logQ) + 1;
    if (position > n) return successes;
    successes += 1;
  }
}
