/** One guardrail's evidence at one look, as the controller wrote it. */
export interface GuardrailPoint {
  readonly name: string;
  readonly verdict: string;
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly threshold: number;
  readonly pValue: number;
  readonly alpha: number;
}

/** One look of the controller at one route: its decision and its evidence. */
export interface Look {
  readonly route: string;
  /** Epoch ms (an audit line's `at`), or ms since the start of a rehearsal run. */
  readonly at: number;
  readonly decision: string;
  readonly reason: string;
  readonly fromPercent: number;
  readonly toPercent: number;
  /** The canary's percent after this look: `toPercent` when the change was applied (or rehearsed), else `fromPercent`. */
  readonly percentAfter: number;
  readonly applied: boolean;
  readonly guardrails: readonly GuardrailPoint[];
  readonly extraUsd: number;
  readonly summary: string;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A number as the audit trail writes it: non-finite numbers are the strings "NaN", "Infinity", "-Infinity". */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number.NaN;
}

function toTime(v: unknown): number {
  if (typeof v === 'number') return v;
  return typeof v === 'string' ? Date.parse(v) : Number.NaN;
}

/**
 * A look from one audit line (`ramp --audit-file`) or one `RampDecision` (a rehearsal), or null for any other
 * line (a rejected config, a refused write, a failed look). Fields it does not know are ignored, so a newer
 * controller's lines read too.
 */
export function toLook(record: unknown, route?: string): Look | null {
  if (!isObject(record)) return null;
  const r = typeof record.route === 'string' ? record.route : route;
  const at = toTime(record.at);
  if (r === undefined || typeof record.decision !== 'string' || !Number.isFinite(at)) return null;
  const fromPercent = toNumber(record.fromPercent);
  const toPercent = toNumber(record.toPercent);
  // An audit line says whether the change was written; a rehearsal's decision always takes effect.
  const applied = typeof record.applied === 'boolean' ? record.applied : toPercent !== fromPercent;
  const guardrails = Array.isArray(record.guardrails) ? record.guardrails.filter(isObject).map((g): GuardrailPoint => ({
    name: String(g.name), verdict: String(g.verdict), estimate: toNumber(g.estimate), lower: toNumber(g.lower), upper: toNumber(g.upper),
    threshold: toNumber(g.threshold), pValue: toNumber(g.pValue), alpha: toNumber(g.alpha),
  })) : [];
  return {
    route: r, at, decision: record.decision, reason: typeof record.reason === 'string' ? record.reason : '', fromPercent, toPercent,
    percentAfter: typeof record.percent === 'number' ? record.percent : applied ? toPercent : fromPercent,
    applied, guardrails, extraUsd: toNumber(record.extraUsd), summary: typeof record.summary === 'string' ? record.summary : '',
  };
}

/** The looks of an audit file's text (JSON lines), torn or foreign lines skipped. */
export function looksFromAudit(text: string): Look[] {
  const looks: Look[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const look = toLook(JSON.parse(line));
      if (look !== null) looks.push(look);
    } catch {
      // A torn last line (a crash mid-append) is not a look.
    }
  }
  return looks;
}
