import type { Lognormal } from '@model-canary/simulator';
import type { Uniform } from '../stats/binomial.js';

const Z95 = 1.6448536269514722;

/** A draw from the simulator's lognormal shape (median and p95): σ = ln(p95/median)/z₀.₉₅. */
export function sampleLognormal({ median, p95 }: Lognormal, random: Uniform): number {
  const sigma = Math.log(p95 / median) / Z95;
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return median * Math.exp(sigma * z);
}
