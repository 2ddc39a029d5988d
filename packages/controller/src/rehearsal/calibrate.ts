import Anthropic from '@anthropic-ai/sdk';
import { createRouter, type CallEvent } from '@model-canary/router';
import { startSimulator } from '@model-canary/simulator';
import { DEFAULT_CALIBRATION_REQUEST, type CalibrationRequest } from './calibration-request.js';

/** What one model's orchestrator calls look like through the real router and simulator. */
export interface ModelCalibration {
  readonly model: string;
  /** Input tokens of one orchestrator call (system + tool + request), as the simulator counted them. */
  readonly inputTokens: number;
  /** Output tokens of successful orchestrator calls (the plan), one per call: the rehearsal resamples them. */
  readonly outputTokens: readonly number[];
  /** Share of calls the simulator answered with a capacity fault (one attempt each, no retries). */
  readonly capacityErrorRate: number;
  /** Plan qualities the simulator served. */
  readonly plans: Readonly<Record<string, number>>;
}

export type Calibration = Readonly<Record<string, ModelCalibration>>;

/**
 * Sends `calls` orchestrator requests per model through the real router (`createRouter` + the SDK)
 * to an in-process simulator at timeScale 0, and keeps what the rehearsal needs: token counts per
 * plan, the capacity error rate and the plan qualities served. Seeded, so reproducible. `request` is the
 * application's orchestrator call (its system prompt and plan tool); the default is a generic planning call.
 */
export async function calibrate({
  models, calls = 300, seed = 'calibration', request = DEFAULT_CALIBRATION_REQUEST,
}: { models: readonly string[]; calls?: number; seed?: string; request?: CalibrationRequest }): Promise<Calibration> {
  const sim = await startSimulator({ seed, timeScale: 0 });
  // The simulator holds a `timeout` fault's connection open; at timeScale 0 every real answer is immediate.
  const client = new Anthropic({ apiKey: 'rehearsal', baseURL: sim.url, maxRetries: 0, timeout: 1_000 });
  const routes = Object.fromEntries(models.map((m, i) => [`m${i}`, { arms: [{ name: 'control', model: m }] }]));
  const router = createRouter({ config: { routes }, client, seed });
  const events: CallEvent[] = [];
  const off = router.on('call', (e) => events.push(e));
  try {
    const out: Record<string, ModelCalibration> = {};
    for (const [i, model] of models.entries()) {
      events.length = 0;
      for (let c = 0; c < calls; c++) {
        await router.messages
          .create(
            {
              max_tokens: 2048, system: request.system, messages: [{ role: 'user', content: request.requests[c % request.requests.length]! }],
              tools: [request.tool], tool_choice: { type: 'tool', name: request.tool.name },
            },
            { route: `m${i}`, key: `${seed}-${model}-${c}` },
          )
          .catch(() => undefined);
      }
      const ok = events.filter((e) => e.outcome === 'success');
      const stats = sim.stats().byModel[model];
      const faults = Object.values(stats?.faults ?? {}).reduce((a, b) => a + (b ?? 0), 0);
      out[model] = {
        model,
        inputTokens: ok.length > 0 ? Math.round(ok.reduce((a, e) => a + e.tokens.input, 0) / ok.length) : 0,
        outputTokens: ok.map((e) => e.tokens.output),
        capacityErrorRate: faults / calls,
        plans: { ...(stats?.plans ?? {}) },
      };
    }
    return out;
  } finally {
    off();
    await router.close();
    await sim.close();
  }
}
