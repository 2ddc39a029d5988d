import { describe, expect, it } from 'vitest';
import { cascadeOf, cascadeSplit } from './cascade.js';
import { parseExposition } from './prom-text.js';
import { renderCascadeTable } from './table.js';

// Canary: 4 bookings, $0.04 orchestrator, $0.02 specialists, $0.02 verifier; control: 2 bookings, $0.01, $0.01, $0.
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
model_canary_unit_agent_cost_usd_total{route="orchestrator",arm="control",agent_route="specialist"} 0.01
model_canary_unit_agent_cost_usd_total{route="orchestrator",arm="control",agent_route="verifier"} 0
model_canary_unit_agent_cost_usd_total{route="specialist",arm="control",agent_route="orchestrator"} 0.05
# TYPE model_canary_unit_agent_calls_total counter
model_canary_unit_agent_calls_total{route="orchestrator",arm="canary",agent_route="specialist",outcome="success"} 8
model_canary_unit_agent_calls_total{route="orchestrator",arm="canary",agent_route="specialist",outcome="error"} 2
model_canary_unit_agent_calls_total{route="orchestrator",arm="canary",agent_route="specialist",outcome="cancelled"} 2
`);

describe('the cascade of an arm (its arithmetic: @model-canary/report)', () => {
  it('splits the cost difference into the orchestrator call itself and the rest of the cascade', () => {
    const canary = { arm: 'canary', agents: cascadeOf(EXPOSITION, 'orchestrator', 'canary') };
    const control = { arm: 'control', agents: cascadeOf(EXPOSITION, 'orchestrator', 'control') };
    // Per booking: canary 0.01 + 0.005 + 0.005, control 0.005 + 0.005 + 0: +0.005 orchestrator, +0.005 verifier.
    expect(cascadeSplit('orchestrator', canary, control)).toBe(
      'of the +$0.0100 per booking of canary over control, the orchestrator call itself is +$0.0050 (50%) and the cascade +$0.0050 (50%: specialist +$0.0000, verifier +$0.0050)',
    );
    expect(cascadeSplit('orchestrator', { arm: 'a', agents: [] }, { arm: 'b', agents: [] })).toBeNull();
  });

  it('renders one line per arm and agent type', () => {
    const table = renderCascadeTable([{ arm: 'canary', agents: cascadeOf(EXPOSITION, 'orchestrator', 'canary') }]);
    expect(table.split('\n')).toHaveLength(5);
    expect(table).toMatch(/canary\s+specialist\s+\$0\.0050\s+25\.0%\s+3\.00\s+80\.0%/);
  });
});
