import type { z } from 'zod';
import type { ConfigProblem } from '../events.js';
import { formatJsonPath } from './json-path.js';

/** What a value is, in words, without echoing it (a misplaced secret must not reach logs or the audit trail). */
function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'object') return 'an object';
  if (typeof input === 'string') return 'a string';
  if (typeof input === 'number') return 'a number';
  if (typeof input === 'boolean') return 'a boolean';
  return typeof input;
}

const article = (zodType: string): string => {
  const type = zodType === 'record' ? 'object' : zodType;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
};

/** Turns zod issues into plain sentences, one problem per unknown key. */
export function problemsFromZod(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = formatJsonPath(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          problems.push({ path: formatJsonPath([...issue.path, key]), message: `unknown key "${key}" (unknown keys are errors; check the spelling)` });
        }
        break;
      case 'invalid_type':
        problems.push({
          path,
          message:
            issue.input === undefined
              ? `is required (${article(issue.expected)})`
              : `must be ${article(issue.expected)}, not ${describe(issue.input)}`,
        });
        break;
      case 'too_small':
        problems.push({
          path,
          message:
            issue.origin === 'string'
              ? 'must not be empty'
              : issue.origin === 'array'
                ? `must have at least ${String(issue.minimum)} item(s)`
                : `must be at least ${String(issue.minimum)}`,
        });
        break;
      case 'too_big':
        problems.push({ path, message: `must be at most ${String(issue.maximum)}` });
        break;
      case 'invalid_key':
        problems.push({ path, message: 'is not a valid name (names must not be empty)' });
        break;
      case 'invalid_format':
        problems.push({ path, message: issue.message });
        break;
      default:
        problems.push({ path, message: issue.message });
    }
  }
  return problems;
}
