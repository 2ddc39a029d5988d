import { describe, expect, it } from 'vitest';
import { parseExposition } from '../prometheus/prom-text.js';
import { cascadeOf } from './cascade.js';

// Canary: 4 bookings, $0.04 orchestrator, $0.02 specialists, $0.02 verifier; control: 2 bookings.
const EXPOSITION = parseExposition(`
# TYPE model_canary_units_total counter
model_canary_units_total{route="orchestrator",arm="canary",outcome="success"} 3
model_canary_units_total{route="orchestrator",arm="canary",outcome="failure"} 1
model_canary_units_total{route="orchestrator",arm="control",outcome="success"} 2
# TYPE model_canary_unit_agent_cost_usd_total counter
model_canary_unit_agent_cost_usd_total{route="orchestrator",arm="canary",agent_route="orchestrator"} 0.04
model_canary_unit_agent_cost_usd_total{route="orchestrator",arm="canary",agent_route="specialist"} 0.02
model_canary_unit_agent_cost_usd_total{route="orchestrator",arm="canary",agent_route="verifier"} 0.02
model_canary_unit_agent_cost_usd_total{route="orchestrator",arm="control",agent_route="orchestrator"} 0.01
model_canary_unit_agent_cost_usd_total{route="specialist",arm="control",agent_route="orchestrator"} 0.05
# TYPE model_canary_unit_agent_calls_total counter
model_canary_unit_agent_calls_total{route="orchestrator",arm="canary",agent_route="specialist",outcome="success"} 8
model_canary_unit_agent_calls_total{route="orchestrator",arm="canary",agent_route="specialist",outcome="error"} 2
model_canary_unit_agent_calls_total{route="orchestrator",arm="canary",agent_route="specialist",outcome="cancelled"} 2
`);

describe('cascadeOf', () => {
  it('gives each agent route its cost and calls per booking of the arm, and its call success without cancelled calls', () => {
    const canary = cascadeOf(EXPOSITION, 'orchestrator', 'canary');
    expect(canary.map((a) => a.agent)).toEqual(['orchestrator', 'specialist', 'verifier']);
    const specialist = canary.find((a) => a.agent === 'specialist');
    expect(specialist?.costPerBooking).toBeCloseTo(0.005, 12);
    expect(specialist?.callsPerBooking).toBe(3);
    expect(specialist?.callSuccessRate).toBe(0.8);
    expect(canary.find((a) => a.agent === 'verifier')?.callSuccessRate).toBeNaN();
  });

  it('reads only the arm of the route asked for, under the prefix given', () => {
    expect(cascadeOf(EXPOSITION, 'orchestrator', 'control').map((a) => [a.agent, a.costPerBooking])).toEqual([['orchestrator', 0.005]]);
    expect(cascadeOf(EXPOSITION, 'orchestrator', 'canary', { prefix: 'other_' })).toEqual([]);
    expect(cascadeOf(parseExposition(''), 'orchestrator', 'canary')).toEqual([]);
  });
});
