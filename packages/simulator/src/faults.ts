import { FAULT_KINDS, type FaultKind } from './profiles.js';
import type { PlanQuality } from './schema-input.js';

/**
 * A fault rule. With `count`, the next `count` matching calls get the fault (then the rule is spent);
 * with `rate`, each matching call gets it with that probability. Without `model` it matches every model.
 */
export interface FaultRule {
  readonly kind: FaultKind;
  readonly model?: string;
  readonly count?: number;
  readonly rate?: number;
}

/** Values of the `x-sim-fault` request header: a fault kind, or a forced tool-use plan quality. */
export const FAULT_HEADER = 'x-sim-fault';
export const PLAN_HEADER_VALUES = { valid_plan: 'valid', incomplete_plan: 'incomplete', invalid_plan: 'invalid' } as const satisfies Record<string, PlanQuality>;

export interface HeaderFaults {
  readonly fault: FaultKind | undefined;
  readonly plan: PlanQuality | undefined;
}

const KIND_SET = new Set<string>(FAULT_KINDS);

/** Reads `x-sim-fault` (comma-separated allowed, e.g. `overloaded` or `invalid_plan`); unknown values are ignored. */
export function parseFaultHeader(value: string | string[] | undefined): HeaderFaults {
  let fault: FaultKind | undefined;
  let plan: PlanQuality | undefined;
  const raw = Array.isArray(value) ? value.join(',') : (value ?? '');
  for (const token of raw.split(',')) {
    const t = token.trim();
    if (KIND_SET.has(t)) fault = t as FaultKind;
    else if (t in PLAN_HEADER_VALUES) plan = PLAN_HEADER_VALUES[t as keyof typeof PLAN_HEADER_VALUES];
  }
  return { fault, plan };
}

export interface FaultBook {
  set(rules: readonly FaultRule[]): void;
  /** The rule-driven fault for this call, if any: count rules first (consumed), then rate rules (drawn with u). */
  take(model: string, streaming: boolean, u: number): FaultKind | undefined;
  list(): readonly FaultRule[];
}

function applies(rule: FaultRule, model: string, streaming: boolean): boolean {
  return (rule.model === undefined || rule.model === model) && (rule.kind !== 'stream_error' || streaming || rule.count !== undefined);
}

export function createFaultBook(initial: readonly FaultRule[] = []): FaultBook {
  let counted: Array<{ rule: FaultRule; left: number }> = [];
  let rated: FaultRule[] = [];
  const book: FaultBook = {
    set(rules) {
      counted = rules.filter((r) => r.count !== undefined).map((rule) => ({ rule, left: rule.count ?? 0 }));
      rated = rules.filter((r) => r.count === undefined && r.rate !== undefined);
    },
    take(model, streaming, u) {
      for (const slot of counted) {
        if (slot.left > 0 && applies(slot.rule, model, streaming)) {
          slot.left -= 1;
          return slot.rule.kind;
        }
      }
      // One uniform against the cumulative rates keeps the draw count fixed (determinism).
      let acc = 0;
      for (const rule of rated) {
        if (!applies(rule, model, streaming)) continue;
        acc += rule.rate ?? 0;
        if (u < acc) return rule.kind;
      }
      return undefined;
    },
    list() {
      return [...counted.filter((s) => s.left > 0).map((s) => ({ ...s.rule, count: s.left })), ...rated];
    },
  };
  book.set(initial);
  return book;
}
