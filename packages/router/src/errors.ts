import type { ConfigProblem } from './events.js';

/** Codes of every error this package throws, for callers that branch on `error.code`. */
export const ERROR_CODES = {
  invalidConfig: 'INVALID_CONFIG',
  configMissing: 'CONFIG_MISSING',
  unknownRoute: 'UNKNOWN_ROUTE',
  noConfig: 'NO_CONFIG',
  invalidOptions: 'INVALID_OPTIONS',
  closed: 'ROUTER_CLOSED',
  // the call path (issue 4)
  unpricedModel: 'UNPRICED_MODEL',
  unitEnded: 'UNIT_ENDED',
  deadlineExceeded: 'DEADLINE_EXCEEDED',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Base of every error thrown by @model-canary/router (never of the model call's own errors, which pass unchanged). */
export class ModelCanaryError extends Error {
  override readonly name: string = 'ModelCanaryError';
  readonly code: ErrorCode;

  /** The shape of every package's base error: `(code, message, { cause })`. */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A rollout config was rejected; `problems` lists every problem with its JSON path, not only the first. */
export class InvalidConfigError extends ModelCanaryError {
  override readonly name = 'InvalidConfigError';
  readonly problems: readonly ConfigProblem[];
  /** Where the config came from: a file path, `inline` or `defaultConfig`. */
  readonly source: string;

  constructor(source: string, problems: readonly ConfigProblem[], options: { cause?: unknown } = {}) {
    super(ERROR_CODES.invalidConfig, `invalid rollout config (${source}):\n${formatProblems(problems)}`, options);
    this.problems = problems;
    this.source = source;
  }
}

/** `decide` was asked about a route that no config has and the app did not declare: a programming error. */
export class UnknownRouteError extends ModelCanaryError {
  override readonly name = 'UnknownRouteError';
  readonly route: string;

  constructor(route: string, knownRoutes: readonly string[]) {
    const known = knownRoutes.length === 0 ? 'no route is configured' : `configured routes: ${knownRoutes.join(', ')}`;
    super(ERROR_CODES.unknownRoute, `unknown route "${route}" (${known}); declare the routes your app uses with createRouter({ routes })`);
    this.route = route;
  }
}

/**
 * A routed call passed its deadline (`deadlineMs`): every attempt, retry wait and fallback of the call
 * together took longer. The message never says "timed out" on purpose: the SDK retries errors that read
 * like its own timeouts, and this one must end the call.
 */
export class DeadlineExceededError extends ModelCanaryError {
  override readonly name = 'DeadlineExceededError';
  readonly deadlineMs: number;

  constructor(route: string, deadlineMs: number) {
    super(ERROR_CODES.deadlineExceeded, `the call on route "${route}" passed its deadline of ${deadlineMs} ms (attempts, retry waits and fallback included)`);
    this.deadlineMs = deadlineMs;
  }
}

/** One problem per line, `path: message`, the way the CLI and error messages show them. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `  ${p.path === '' ? '(file)' : p.path}: ${p.message}`).join('\n');
}
