import type { ModelPrice, RolloutConfig } from '@model-canary/router';
import { DEFAULT_PROFILES, type ModelProfile } from '@model-canary/simulator';
import seedrandom from 'seedrandom';
import { ControllerError } from '../errors.js';
import { sampleBooking } from './booking-sampler.js';
import type { Calibration, ModelCalibration } from './calibrate.js';

export const SCENARIOS = ['aa', 'aa-long-bookings', 'shared-incident', 'canary-worse', 'canary-flaky-provider', 'canary-better', 'canary-expensive', 'canary-worse-quality', 'canary-better-quality'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const SCENARIO_DESCRIPTIONS: Readonly<Record<ScenarioName, string>> = {
  aa: 'both arms serve the control model',
  'aa-long-bookings': 'A/A with bookings that last about 60 s (lognormal, σ 0.3) at 800 bookings/min: many in flight across every step change',
  'shared-incident': 'A/A, and for 20 min after the advance to 25% 10% more bookings fail on both arms (a provider incident), then recover',
  'canary-worse': "control's model with 5 pp more invalid plans (5 pp lower booking success)",
  'canary-flaky-provider': "control's model, same quality, 5% of canary attempts answered 529 overloaded",
  'canary-better': "the config's canary model with its own simulator profile and price",
  'canary-expensive': "control's model, same quality, priced so that a booking costs 4x",
  'canary-worse-quality': "control's model with plans as valid but worse (latent answer quality 0.5 lower): booking success barely sees it, a judge does",
  'canary-better-quality': "control's model with plans as valid but better (latent answer quality 0.5 higher)",
};

/** How far the quality scenarios move the canary's latent answer quality (the simulator's sd is 1). */
const QUALITY_SHIFT = 0.5;

export interface ArmBehaviour {
  readonly model: string;
  readonly profile: ModelProfile;
  readonly price: ModelPrice;
  /** Token counts measured through the real router and simulator, when calibrated. */
  readonly calibration?: ModelCalibration | undefined;
}

export interface ScenarioArms {
  readonly canary: ArmBehaviour;
  readonly control: ArmBehaviour;
  /** Specialist calls (same on both arms): the control model. */
  readonly specialist: ArmBehaviour;
  /** Traffic the scenario is about (overrides the rehearsal's defaults unless the caller sets them). */
  readonly bookingSeconds?: number;
  readonly bookingsPerMinute?: number;
  /** A change that hits both arms: from the first advance to `atPercent`, for `minutes`, bookings fail with `extraFailure` more. */
  readonly incident?: { readonly atPercent: number; readonly minutes: number; readonly extraFailure: number };
}

function behaviour(config: RolloutConfig, model: string, calibration: Calibration | undefined): ArmBehaviour {
  const profile = DEFAULT_PROFILES[model];
  const price = config.prices.models[model];
  if (profile === undefined) throw new ControllerError('USAGE', `the simulator has no profile for model "${model}" (known: ${Object.keys(DEFAULT_PROFILES).join(', ')})`);
  if (price === undefined) throw new ControllerError('USAGE', `no price for model "${model}"`);
  return { model, profile, price, calibration: calibration?.[model] };
}

/**
 * What each arm serves in a scenario: simulator profiles (DEFAULT_PROFILES of
 * @model-canary/simulator) with the scenario's change applied, and prices from the config.
 */
export function scenarioArms(scenario: ScenarioName, config: RolloutConfig, canaryModel: string, controlModel: string, calibration?: Calibration): ScenarioArms {
  const control = behaviour(config, controlModel, calibration);
  const same = { ...control };
  switch (scenario) {
    case 'aa':
      return { canary: same, control, specialist: control };
    case 'aa-long-bookings':
      return { canary: same, control, specialist: control, bookingSeconds: 60, bookingsPerMinute: 800 };
    case 'shared-incident':
      return { canary: same, control, specialist: control, incident: { atPercent: 25, minutes: 20, extraFailure: 0.1 } };
    case 'canary-worse':
      return {
        canary: { ...control, profile: { ...control.profile, planQuality: { ...control.profile.planQuality, invalidRate: control.profile.planQuality.invalidRate + 0.05 } } },
        control,
        specialist: control,
      };
    case 'canary-flaky-provider':
      return { canary: { ...control, profile: { ...control.profile, errorRates: { ...control.profile.errorRates, overloaded: 0.05 } } }, control, specialist: control };
    case 'canary-better':
      return { canary: behaviour(config, canaryModel, calibration), control, specialist: control };
    case 'canary-worse-quality':
    case 'canary-better-quality': {
      const shift = scenario === 'canary-worse-quality' ? -QUALITY_SHIFT : QUALITY_SHIFT;
      const q = control.profile.answerQuality;
      return { canary: { ...control, profile: { ...control.profile, answerQuality: { ...q, mean: q.mean + shift } } }, control, specialist: control };
    }
    case 'canary-expensive': {
      const m = expensiveFactor(control);
      const p = control.price;
      return {
        canary: { ...control, price: { input: p.input * m, output: p.output * m, cacheWrite5m: p.cacheWrite5m * m, cacheWrite1h: p.cacheWrite1h * m, cacheRead: p.cacheRead * m } },
        control,
        specialist: control,
      };
    }
  }
}

/**
 * Price multiplier on the orchestrator call that makes a whole booking (orchestrator + specialists
 * at control prices) cost 4x: m·o + s = 4(o + s) ⇒ m = 4 + 3s/o, with o and s measured on 20,000
 * seeded bookings of the control profile.
 */
function expensiveFactor(control: ArmBehaviour): number {
  const zero = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
  const mean = (specialistPrice: ArmBehaviour['price']): number => {
    const random = seedrandom.alea('expensive-factor');
    let total = 0;
    for (let i = 0; i < 20_000; i++) total += sampleBooking(control, { ...control, price: specialistPrice }, random).costUsd;
    return total / 20_000;
  };
  const o = mean(zero);
  const s = mean(control.price) - o;
  return 4 + (3 * s) / o;
}
