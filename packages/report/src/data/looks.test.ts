import { describe, expect, it } from 'vitest';
import { looksFromAudit, toLook } from './looks.js';

// An audit line as the controller writes it (non-finite numbers as strings), with a field this report does not know.
const LINE = {
  at: '2026-12-04T16:46:47.000Z', route: 'orchestrator', decision: 'advance', reason: 'guardrails-passed', fromPercent: 40, toPercent: 60,
  applied: true, dryRun: false, conflict: false, percent: 60, stepStartedAt: 1, rampStartedAt: 0, summary: 'advance 40% → 60%', extraUsd: 0.5,
  counts: null, perStep: [{ percent: 40 }],
  guardrails: [{ name: 'bookingSuccess', verdict: 'pass', estimate: 0.01, lower: '-Infinity', upper: 'Infinity', threshold: -0.02, pValue: 'NaN', alpha: 0.01, detail: '…', oneSided: true }],
};

describe('toLook / looksFromAudit', () => {
  it('reads an audit line, its non-finite numbers and the percent after the look, ignoring fields it does not know', () => {
    const look = toLook(LINE);
    expect(look).toMatchObject({ route: 'orchestrator', at: Date.parse(LINE.at), decision: 'advance', fromPercent: 40, toPercent: 60, percentAfter: 60, applied: true, extraUsd: 0.5 });
    expect(look?.guardrails[0]).toEqual({ name: 'bookingSuccess', verdict: 'pass', estimate: 0.01, lower: -Infinity, upper: Infinity, threshold: -0.02, pValue: NaN, alpha: 0.01 });
  });

  it('reads a rehearsal decision (epoch-less ms, no route, no applied flag): a change always took effect', () => {
    const look = toLook({ decision: 'rollback', reason: 'guardrail-failed', fromPercent: 5, toPercent: 0, at: 90_000, guardrails: [], extraUsd: 1, summary: '' }, 'orchestrator');
    expect(look).toMatchObject({ route: 'orchestrator', at: 90_000, applied: true, percentAfter: 0 });
  });

  it('keeps the percent when a change was not written (a conflict or a dry run)', () => {
    expect(toLook({ ...LINE, applied: false, percent: undefined })?.percentAfter).toBe(40);
  });

  it('skips event lines, torn lines and blank lines of an audit file', () => {
    const text = [
      JSON.stringify({ at: LINE.at, event: 'config-invalid', problems: [] }),
      JSON.stringify(LINE),
      JSON.stringify({ at: LINE.at, event: 'look-failed', error: 'x' }),
      '',
      JSON.stringify(LINE).slice(0, 40),
    ].join('\n');
    expect(looksFromAudit(text).map((l) => l.decision)).toEqual(['advance']);
  });
});
