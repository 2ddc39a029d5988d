/** How a guardrail reads on a chart: its title, unit, which way is harm, and how its threshold is named. */
export interface GuardrailDisplay {
  readonly title: string;
  readonly axis: string;
  /** Multiplies estimate, bounds and threshold (100 for a difference of proportions shown in points). */
  readonly scale: number;
  /** The value of "no difference". */
  readonly neutral: number;
  readonly harm: 'below' | 'above';
  readonly threshold: (t: number) => string;
}

/** Percentage points with a real minus sign. */
const pp = (t: number): string => `${t < 0 ? '−' : '+'}${Math.abs(100 * t).toFixed(1)} pp`;

const DISPLAY: Record<string, GuardrailDisplay> = {
  bookingSuccess: {
    title: 'Booking success: canary − control', axis: 'difference (percentage points)', scale: 100, neutral: 0, harm: 'below',
    threshold: (t) => `margin ${pp(t)}`,
  },
  behaviourErrors: {
    title: 'Model-behaviour errors per call: canary − control', axis: 'difference (percentage points)', scale: 100, neutral: 0, harm: 'above',
    threshold: (t) => `margin ${pp(t)}`,
  },
  latencyP95Ratio: {
    title: 'p95 call latency: canary ÷ control', axis: 'ratio (×)', scale: 1, neutral: 1, harm: 'above',
    threshold: (t) => `cap ${t}×`,
  },
  costPerSuccessRatio: {
    title: 'Cost per successful booking: canary ÷ control', axis: 'ratio (×)', scale: 1, neutral: 1, harm: 'above',
    threshold: (t) => `cap ${t}×`,
  },
  judgedQuality: {
    title: 'Judged win rate of the canary (blind judge, ties as halves)', axis: 'win rate (percent)', scale: 100, neutral: 50, harm: 'below',
    threshold: (t) => `margin: win rate ≥ ${(100 * t).toFixed(1)}%`,
  },
};

/** A guardrail this report does not know yet (a newer controller's) still gets a chart, on its raw scale. */
export function guardrailDisplay(name: string): GuardrailDisplay {
  return DISPLAY[name] ?? { title: name, axis: 'estimate', scale: 1, neutral: 0, harm: 'above', threshold: (t) => `threshold ${t}` };
}
