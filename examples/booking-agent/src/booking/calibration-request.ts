import { createBookingGenerator } from '../load/generate.js';
import { ORCHESTRATOR_SYSTEM } from './orchestrate.js';
import { planBookingTool } from './plan-tool.js';

/**
 * The orchestrator call as this service makes it (its system prompt and plan tool, with requests like the load
 * driver's), for `model-canary rehearse --calibration-request calibration-request.json`: the rehearsal then prices
 * this service's plans, not a generic planning tool's. `calibration-request.json` is this object; a test keeps
 * them equal (`pnpm --filter @model-canary/booking-agent calibration-request > calibration-request.json`).
 */
export function buildCalibrationRequest(): { system: string; tool: typeof planBookingTool; requests: string[] } {
  const next = createBookingGenerator('calibration');
  return { system: ORCHESTRATOR_SYSTEM, tool: planBookingTool, requests: Array.from({ length: 6 }, () => next().request) };
}
