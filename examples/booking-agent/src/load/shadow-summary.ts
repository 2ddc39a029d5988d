// The shadow summary's arithmetic lives in @model-canary/report (its report charts it); the demo prints the same.
import type { ShadowSummary } from '@model-canary/report';

export { shadowSummary } from '@model-canary/report';
export type { ShadowSummary } from '@model-canary/report';

export function formatShadowSummary(s: ShadowSummary, route = 'orchestrator'): string {
  const skipped = Object.entries(s.skips).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`).join(', ');
  const verdicts = s.candidateBetter + s.servedBetter + s.tie;
  const rate = verdicts === 0
    ? 'no verdicts yet'
    : `canary win rate ${s.winRate.toFixed(3)} [${s.low.toFixed(3)}, ${s.high.toFixed(3)}] (95%, ties as halves) over ${verdicts} verdicts: ${s.candidateBetter} better, ${s.servedBetter} worse, ${s.tie} ties${s.judgeErrors > 0 ? `, ${s.judgeErrors} judge errors` : ''}`;
  return [
    `Shadow (${route}, judged blind by Claude Opus 4.7 on the plan rubric): ${rate}`,
    `  shadow calls ${s.shadowCalls}${skipped === '' ? '' : ` (skipped: ${skipped})`}, shadow spend $${s.shadowUsd.toFixed(4)} of $${s.budgetUsd} budget, judge spend $${s.judgeUsd.toFixed(4)}`,
  ].join('\n');
}
