import { createHash } from 'node:crypto';
import type { OutputBlock } from './generate.js';
import type { Random } from './random.js';

/**
 * Latent answer quality (issue 16): each answer the simulator generates carries a quality drawn from its model's
 * profile (`answerQuality`, a normal distribution), remembered by the answer's content, so that a judge request
 * comparing two of its answers can be answered from a known ground truth.
 *
 * The judge contract is the router's `createJudge`: a forced call of the tool `record_verdict` (input
 * `{ winner: 'A' | 'B' | 'tie' }`) and the two answers in `<answer_A>…</answer_A>` / `<answer_B>…</answer_B>`.
 * An answer is recognised by its content: a tool call's input (as canonical JSON, anywhere on a line of the
 * block, e.g. `[tool plan] {...}`), else its text (the whole block, or one of its lines).
 */
export const JUDGE_TOOL_NAME = 'record_verdict';

export interface SimulatedJudge {
  /** Scale of the judge's logistic noise (Bradley–Terry on the quality difference / noise). Default 1. */
  readonly noise: number;
  /** Added to A's side of the difference: > 0 favours whichever answer is shown first. Default 0.2. */
  readonly positionBias: number;
  /** Quality difference within which the judge tends to call a tie (Rao–Kupper threshold). Default 0.3. */
  readonly tieMargin: number;
}

export const DEFAULT_SIMULATED_JUDGE: SimulatedJudge = { noise: 1, positionBias: 0.2, tieMargin: 0.3 };

/** Quality of an answer, by the hash of its content; bounded (oldest forgotten first). */
export interface QualityBook {
  remember(content: readonly OutputBlock[], quality: number): void;
  /** The quality of an answer rendered in a judge prompt, or undefined for one the simulator never generated. */
  find(rendered: string): number | undefined;
  readonly size: number;
}

export function createQualityBook(maxAnswers = 100_000): QualityBook {
  const book = new Map<string, number>();
  const keyOf = (s: string): string => createHash('sha1').update(s).digest('base64');
  const lookup = (s: string): number | undefined => (s === '' ? undefined : book.get(keyOf(s)));
  return {
    remember(content, quality) {
      const tool = content.find((b) => b.type === 'tool_use');
      const text = content.filter((b) => b.type === 'text').map((b) => (b.type === 'text' ? b.text : '')).join('\n');
      const fingerprint = tool?.type === 'tool_use' ? canonicalJson(tool.input) : text.trim();
      if (fingerprint === '') return;
      book.set(keyOf(fingerprint), quality);
      if (book.size > maxAnswers) {
        const oldest = book.keys().next().value;
        if (oldest !== undefined) book.delete(oldest);
      }
    },
    find(rendered) {
      const whole = lookup(rendered.trim());
      if (whole !== undefined) return whole;
      for (const line of rendered.split('\n')) {
        const brace = line.indexOf('{');
        if (brace >= 0) {
          try {
            const found = lookup(canonicalJson(JSON.parse(line.slice(brace)) as unknown));
            if (found !== undefined) return found;
          } catch {
            // not JSON: try the line as text
          }
        }
        const found = lookup(line.trim());
        if (found !== undefined) return found;
      }
      return undefined;
    },
    get size() {
      return book.size;
    },
  };
}

/** JSON with object keys sorted, so that a re-serialised input is recognised. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A normal draw (Box–Muller) from two uniforms. */
export function normal(mean: number, sd: number, u1: number, u2: number): number {
  return mean + sd * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/** The two answer blocks of a judge request, or undefined when the request is not one. */
export function judgeAnswers(toolChoiceName: string | undefined, prompt: string): { a: string; b: string } | undefined {
  if (toolChoiceName !== JUDGE_TOOL_NAME) return undefined;
  const a = /<answer_A>\n?([\s\S]*?)\n?<\/answer_A>/.exec(prompt)?.[1];
  const b = /<answer_B>\n?([\s\S]*?)\n?<\/answer_B>/.exec(prompt)?.[1];
  return a === undefined || b === undefined ? undefined : { a, b };
}

/**
 * Bradley–Terry with ties (Rao–Kupper): with d = qA − qB + positionBias, A wins with σ((d − tieMargin) / noise),
 * B with σ((−d − tieMargin) / noise), and the rest is a tie. An answer the simulator does not know (never
 * generated, or forgotten) makes the verdict a tie: there is no ground truth to draw from.
 */
export function drawVerdict(qa: number | undefined, qb: number | undefined, judge: SimulatedJudge, rng: Random): 'A' | 'B' | 'tie' {
  if (qa === undefined || qb === undefined) return 'tie';
  const d = qa - qb + judge.positionBias;
  const pA = sigmoid((d - judge.tieMargin) / judge.noise);
  const pB = sigmoid((-d - judge.tieMargin) / judge.noise);
  const u = rng();
  return u < pA ? 'A' : u < pA + pB ? 'B' : 'tie';
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
