import type { ConfigProblem } from '../events.js';
import { checkRollout } from './check-rollout.js';
import { deepFreeze } from './deep-freeze.js';
import { DEFAULT_PRICES } from './default-prices.js';
import { scanJson } from './json-syntax.js';
import type { RolloutConfig, RouteConfig } from './rollout-config.js';
import { rolloutSchema, type RolloutInput } from './schema.js';
import { resolveShadow } from './shadow-schema.js';
import { problemsFromZod } from './zod-problems.js';

export type ParseResult =
  | { readonly ok: true; readonly config: RolloutConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export interface ParseOptions {
  /** Routes the app uses: a config without one of them is rejected. */
  readonly declaredRoutes?: readonly string[] | undefined;
}

/** Validates the text of a rollout file: syntax (with line/column), empty or truncated files, then the object. */
export function parseRolloutText(text: string, options: ParseOptions = {}): ParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, problems: [{ path: '', message: 'the file is empty' }] };
  const scan = scanJson(body);
  const duplicates: ConfigProblem[] = scan.duplicates.map(({ path, message, line, column }) => ({
    path,
    message: `line ${line}, column ${column}: ${message}`,
    line,
    column,
  }));
  if (scan.error !== null) {
    const { path, message, line, column } = scan.error;
    return {
      ok: false,
      problems: [...duplicates, { path, message: `JSON syntax error at line ${line}, column ${column}: ${message}`, line, column }],
    };
  }
  const result = parseRolloutValue(JSON.parse(body) as unknown, options);
  if (duplicates.length === 0) return result;
  return { ok: false, problems: [...duplicates, ...(result.ok ? [] : result.problems)] };
}

/** Validates a parsed rollout object and resolves it (defaults, aliases, merged prices) into a frozen config. */
export function parseRolloutValue(value: unknown, options: ParseOptions = {}): ParseResult {
  const shape = rolloutSchema.safeParse(value, { reportInput: true });
  const problems = [
    ...(shape.success ? [] : problemsFromZod(shape.error.issues)),
    ...checkRollout(value, { pricedModels: Object.keys(DEFAULT_PRICES.models), declaredRoutes: options.declaredRoutes }),
  ];
  if (!shape.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, config: deepFreeze(resolveRollout(shape.data)) };
}

function resolveRollout(input: RolloutInput): RolloutConfig {
  const models: Record<string, string> = { ...input.models };
  const routes: Record<string, RouteConfig> = {};
  for (const [name, route] of Object.entries(input.routes)) {
    routes[name] = {
      salt: route.salt ?? name,
      enabled: route.enabled ?? true,
      ...(route.maxPercent === undefined ? {} : { maxPercent: route.maxPercent }),
      ...(route.fallback === undefined ? {} : { fallback: route.fallback }),
      ...(route.ramp === undefined ? {} : { ramp: route.ramp }),
      ...(route.shadow === undefined ? {} : { shadow: resolveShadow(name, route.shadow, models) }),
      arms: route.arms.map((arm) => ({ name: arm.name, model: models[arm.model] ?? arm.model, percent: arm.percent ?? null })),
    };
  }
  return {
    routes,
    models,
    prices: {
      asOf: input.prices?.asOf ?? DEFAULT_PRICES.asOf,
      models: { ...DEFAULT_PRICES.models, ...input.prices?.models },
    },
  };
}

/** An empty config (no routes, built-in prices): what a router without any usable config reports. */
export function emptyRollout(): RolloutConfig {
  return deepFreeze({ routes: {}, models: {}, prices: { asOf: DEFAULT_PRICES.asOf, models: { ...DEFAULT_PRICES.models } } });
}
