// Measuring sides of a comparison in the same run on a shared, noisy machine: rounds of one batch per side with
// the order rotating, CPU time of this process per call, and robust summaries of the rounds.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

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

/** V8's collector, exposed at runtime when the process was not started with `--expose-gc`. */
export function collector(): (options?: { type: 'minor' | 'major' }) => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const newSpaceUsed = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;

/**
 * `interleavedSides` without the collector: each batch starts right after a minor GC, and a round in which the
 * collector ran on its own is dropped. A bare SDK call allocates tens of KB, so a scavenge of a few ms lands in a
 * batch or not by chance; that lump, not the code compared, dominates the rounds' spread. Also returns the bytes
 * each side allocates per call (new space, median over kept rounds): the GC cost each side will pay, in a unit
 * that does not depend on the machine's noise.
 */
export async function interleavedSidesBetweenGcs<K extends string>(
  rounds: number,
  batch: number,
  sides: Record<K, (i: number) => Promise<unknown>>,
): Promise<{ cpu: Record<K, number[]>; bytes: Record<K, number>; dropped: number }> {
  const gc = collector();
  let collections = 0;
  const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const names = Object.keys(sides) as K[];
  const cpu = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  const bytes = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  let key = 0;
  let dropped = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      const round: { name: K; cpu: number; bytes: number }[] = [];
      const before = collections;
      for (let k = 0; k < names.length; k++) {
        const name = names[(r + k) % names.length] as K;
        const fn = sides[name];
        gc({ type: 'minor' });
        const used = newSpaceUsed();
        const start = cpuMicros();
        for (let i = 0; i < batch; i++) await fn(key++);
        const spent = (cpuMicros() - start) / batch;
        round.push({ name, cpu: spent, bytes: (newSpaceUsed() - used) / batch });
      }
      // GC entries are delivered after a turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      if (collections - before > names.length) dropped++;
      else {
        for (const side of round) {
          cpu[side.name].push(side.cpu);
          bytes[side.name].push(side.bytes);
        }
      }
    }
  } finally {
    observer.disconnect();
  }
  const bytesMedian = Object.fromEntries(names.map((n) => [n, median(bytes[n])])) as Record<K, number>;
  return { cpu, bytes: bytesMedian, dropped };
}
