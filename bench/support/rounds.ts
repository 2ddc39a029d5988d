// Measuring sides of a comparison in the same run on a shared, noisy machine: rounds of one batch per side with
// the order rotating, CPU time of this process per call, and robust summaries of the rounds.

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
};

/** Median over rounds of (b - a): both sides of a round saw the same machine noise. */
export const pairedMedian = (a: readonly number[], b: readonly number[]): number => median(b.map((x, i) => x - (a[i] as number)));

export function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Rounds of one batch per side, the order rotating each round; per-call CPU microseconds of each side per round. */
export async function interleavedSides<K extends string>(
  rounds: number,
  batch: number,
  sides: Record<K, (i: number) => Promise<unknown>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(sides) as K[];
  const out = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  let key = 0;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length] as K;
      const fn = sides[name];
      const start = cpuMicros();
      for (let i = 0; i < batch; i++) await fn(key++);
      out[name].push((cpuMicros() - start) / batch);
    }
  }
  return out;
}
