import type { ServerResponse } from 'node:http';
import type { FaultBook } from './faults.js';
import type { ModelProfile } from './profiles.js';
import type { PromptCache } from './prompt-cache.js';
import type { RequestStreams } from './random.js';
import type { StatsBook } from './stats.js';
import type { Timers } from './timers.js';
import type { SimulatedJudge, QualityBook } from './answer-quality.js';

/** Everything a request handler needs, built once per simulator (no module-level state). */
export interface SimulatorContext {
  readonly profiles: ReadonlyMap<string, ModelProfile>;
  readonly faults: FaultBook;
  readonly stats: StatsBook;
  readonly cache: PromptCache;
  readonly streams: RequestStreams;
  readonly timers: Timers;
  readonly timeScale: number;
  readonly baselineFaults: boolean;
  readonly apiKeys: ReadonlySet<string> | undefined;
  readonly maxBodyBytes: number;
  /** Responses held open by a `timeout` fault, ended by close(). */
  readonly held: Set<ServerResponse>;
  /** Latent quality of the answers generated so far (bounded), and how a simulated judge compares two. */
  readonly qualities: QualityBook;
  readonly judge: SimulatedJudge;
  nextRequestId(): string;
}
