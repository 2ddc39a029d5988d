import type { SimulatedJudge } from './answer-quality.js';
import type { FaultRule } from './faults.js';
import type { ModelProfileOverride } from './profiles.js';

export interface SimulatorOptions {
  /** Port to listen on; 0 picks a free one. */
  readonly port?: number;
  /** Interface to bind; loopback unless told otherwise. */
  readonly host?: string;
  /** Seed of every random draw; without it a random seed is chosen (and reported in stats()). */
  readonly seed?: string | number;
  /** Profile overrides per model id; unknown ids add a model (starting from the Sonnet profile). */
  readonly models?: Readonly<Record<string, ModelProfileOverride>>;
  /** Fault rules in force from the start (see setFaults). */
  readonly faults?: readonly FaultRule[];
  /** Multiplies every simulated delay: 0.01 runs a hundred times faster, 0 removes all delays. */
  readonly timeScale?: number;
  /** If set, only these keys are accepted (401 otherwise); by default any non-empty key is. */
  readonly apiKeys?: readonly string[];
  /** Request bodies above this many bytes get 413 (the real API's limit is 32 MB). */
  readonly maxBodyBytes?: number;
  /** Whether the profiles' own random error rates apply; false leaves only the faults you ask for. */
  readonly baselineFaults?: boolean;
  /** Clock for prompt-cache TTLs (epoch ms). */
  readonly now?: () => number;
  /** Bound on prompt-cache entries (oldest evicted first). */
  readonly cacheEntries?: number;
  /** How a simulated judge compares two answers it generated (noise, position bias, tie margin). */
  readonly judge?: Partial<SimulatedJudge>;
  /** Bound on remembered answer qualities (oldest forgotten first). Default 100000. */
  readonly qualityMemory?: number;
}
