/**
 * Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere
 * (Press, Teukolsky, Vetterling & Flannery, "Numerical Recipes", 3rd ed., §6.2, `erfccheb`'s
 * predecessor `erfcc`). Enough for p-values down to 1e-12, which is all a threshold of 0.001 needs.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Upper tail of the chi-square distribution with one degree of freedom: P(χ²₁ ≥ x) = erfc(√(x/2)). */
export function chiSquare1Sf(x: number): number {
  if (!(x > 0)) return 1;
  return erfc(Math.sqrt(x / 2));
}
