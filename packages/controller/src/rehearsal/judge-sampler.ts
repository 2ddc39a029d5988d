import { DEFAULT_SIMULATED_JUDGE, drawVerdict, type ModelProfile } from '@model-canary/simulator';
import type { Uniform } from '../stats/binomial.js';
import type { JudgementCounts } from '../stats/judged-quality.js';

/** What a plan that was invalid or incomplete loses in latent quality (the simulator: 2 and 1; here their mean). */
const FLAWED_PLAN_PENALTY = 1.5;

function quality(profile: ModelProfile, flawed: boolean, random: Uniform): number {
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return profile.answerQuality.mean + profile.answerQuality.sd * z - (flawed ? FLAWED_PLAN_PENALTY : 0);
}

/**
 * One judgement of a shadow call, as the router's judge gets it from the simulator: the served (control) answer
 * and the candidate's (the canary model's answer to the same request) each carry a latent quality from their
 * profile, and the simulator's judge (Bradley–Terry with ties and position bias, DEFAULT_SIMULATED_JUDGE) rules on
 * both orders; orders that disagree are a tie, as `createJudge` counts them.
 */
export function sampleJudgement(served: { profile: ModelProfile; flawed: boolean }, candidate: ModelProfile, random: Uniform): keyof JudgementCounts {
  const candidateFlawed = random() < candidate.planQuality.invalidRate + candidate.planQuality.incompleteRate;
  const qs = quality(served.profile, served.flawed, random);
  const qc = quality(candidate, candidateFlawed, random);
  const first = drawVerdict(qs, qc, DEFAULT_SIMULATED_JUDGE, random); // served shown as A
  const second = drawVerdict(qc, qs, DEFAULT_SIMULATED_JUDGE, random); // candidate shown as A
  const v1 = first === 'tie' ? 'tie' : first === 'A' ? 'servedBetter' : 'candidateBetter';
  const v2 = second === 'tie' ? 'tie' : second === 'A' ? 'candidateBetter' : 'servedBetter';
  return v1 === v2 ? v1 : 'tie';
}
