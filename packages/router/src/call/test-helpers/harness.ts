import Anthropic, { type ClientOptions } from '@anthropic-ai/sdk';
import { startSimulator, type Simulator, type SimulatorOptions } from '@model-canary/simulator';
import { createRouter } from '../../create-router.js';
import type { Router, RouterOptions } from '../../router.js';
import type { RouterEventMap, RouterEventName } from '../../events.js';

// The SDK must never find real credentials or endpoints in the environment during tests.
for (const name of Object.keys(process.env)) {
  if (name.startsWith('ANTHROPIC_')) delete process.env[name];
}

export const CANARY_MODEL = 'claude-sonnet-4-6';
export const CONTROL_MODEL = 'claude-haiku-4-5';

/** The design's plan: 10% of orchestrator units on Sonnet 4.6, the rest on Haiku 4.5; specialists all on Haiku. */
export function rollout({ percent = 10, fallback = false }: { percent?: number; fallback?: boolean } = {}) {
  return {
    routes: {
      orchestrator: {
        salt: 'orchestrator-sonnet-4-6',
        fallback,
        arms: [
          { name: 'canary', model: CANARY_MODEL, percent },
          { name: 'control', model: CONTROL_MODEL },
        ],
      },
      specialist: { arms: [{ name: 'control', model: CONTROL_MODEL }] },
    },
  };
}

export const PARAMS = { max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Book a table for two in Lyon.' }] };

/** A simulator with no random faults (a test sees only the faults it asks for) and no delays unless told. */
export function quietSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ seed: 'router-call', timeScale: 0, baselineFaults: false, ...options });
}

export function sdk(baseURL: string, options: Partial<ClientOptions> = {}): Anthropic {
  return new Anthropic({ apiKey: 'test', baseURL, maxRetries: 2, ...options });
}

export interface Recorder {
  readonly events: { [E in RouterEventName]: RouterEventMap[E][] };
  stop(): void;
}

/** Records every event of a router, by type. */
export function record(router: Router): Recorder {
  const events = { decision: [], callStart: [], attempt: [], call: [], unit: [], unitAssignment: [], config: [], shadow: [], judgement: [], error: [] } as Recorder['events'];
  const offs = (Object.keys(events) as RouterEventName[]).map((name) =>
    router.on(name, (e) => (events[name] as unknown[]).push(e)),
  );
  return { events, stop: () => offs.forEach((off) => off()) };
}

export function routerOn(client: Anthropic, options: Partial<RouterOptions> = {}): Router {
  return createRouter({ config: rollout(), client, ...options });
}

/** Waits until `check` holds (events arrive after a stream's `end`), polling on the event loop. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
