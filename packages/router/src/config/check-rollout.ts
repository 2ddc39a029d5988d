import type { ConfigProblem } from '../events.js';
import { pricedModelId } from './dated-model-id.js';
import { formatJsonPath } from './json-path.js';
import { rampRouteIssues } from './ramp-schema.js';

// Cross-field rules, checked on the parsed JSON as it is (defensively: a value of the wrong type is the shape
// check's problem, not ours), so that they are listed together with every shape problem of the file.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPercent = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const round2 = (n: number): number => Math.round(n * 100) / 100;

export interface CheckOptions {
  /** Built-in priced model ids (merged with the file's `prices.models`). */
  readonly pricedModels: readonly string[];
  /** Routes the app uses: each must be in the config. */
  readonly declaredRoutes?: readonly string[] | undefined;
}

export function checkRollout(input: unknown, options: CheckOptions): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isObject(input)) return problems;
  const problem = (path: (string | number)[], message: string): void => {
    problems.push({ path: formatJsonPath(path), message });
  };

  const priced = new Set(options.pricedModels);
  const prices = isObject(input['prices']) ? input['prices'] : {};
  if (isObject(prices['models'])) for (const id of Object.keys(prices['models'])) priced.add(id);

  const aliases = new Map<string, string>();
  const aliasTable: Json = isObject(input['models']) ? input['models'] : {};
  {
    for (const [alias, target] of Object.entries(aliasTable)) {
      if (typeof target !== 'string' || target === '') continue;
      if (priced.has(alias)) problem(['models', alias], `alias "${alias}" is also a priced model id; pick another alias name`);
      else if (pricedModelId(target, (m) => priced.has(m)) === undefined)
        problem(['models', alias], `alias target "${target}" is not a priced model${suggest(target, priced)}; add it under prices.models`);
      else aliases.set(alias, target);
    }
  }

  const routes = isObject(input['routes']) ? input['routes'] : null;
  if (routes !== null) {
    for (const [name, route] of Object.entries(routes)) {
      if (isObject(route)) checkRoute(name, route);
    }
    for (const declared of options.declaredRoutes ?? []) {
      if (!(declared in routes)) problem(['routes'], `route "${declared}" is used by the app (declared in routes) but missing from the config`);
    }
  }
  return problems;

  function checkRoute(name: string, route: Json): void {
    for (const issue of rampRouteIssues(route)) problem(['routes', name, ...issue.path], issue.message);
    const arms = route['arms'];
    if (!Array.isArray(arms)) return;
    const names = new Map<string, number>();
    let defaults = 0;
    let total = 0;
    arms.forEach((arm: unknown, index) => {
      if (!isObject(arm)) return;
      const at = ['routes', name, 'arms', index];
      const armName = arm['name'];
      if (typeof armName === 'string' && armName !== '') {
        const first = names.get(armName);
        if (first !== undefined) problem([...at, 'name'], `duplicate arm name "${armName}" (also arms[${first}])`);
        else names.set(armName, index);
      }
      const percent = arm['percent'];
      if (percent === undefined || percent === null) defaults++;
      else if (isPercent(percent)) total += percent;
      checkModel(arm['model'], [...at, 'model']);
    });
    const shadow = route['shadow'];
    if (isObject(shadow)) checkModel(shadow['model'], ['routes', name, 'shadow', 'model']);
    const armsPath = ['routes', name, 'arms'];
    if (arms.length > 0 && defaults === 0)
      problem(armsPath, 'has no default arm: leave out "percent" on exactly one arm (it takes the rest)');
    if (defaults > 1) problem(armsPath, `has ${defaults} arms without "percent"; exactly one arm is the default`);
    total = round2(total);
    if (total > 100) problem(armsPath, `percents add up to ${total}, more than 100`);
    const cap = route['maxPercent'];
    if (isPercent(cap) && total > cap)
      problem(armsPath, `non-default arms take ${total}%, above this route's maxPercent of ${cap}%`);
  }

  function checkModel(model: unknown, at: (string | number)[]): void {
    // an alias that is itself broken is reported once, at models.<alias>
    const declaredAlias = typeof model === 'string' && Object.hasOwn(aliasTable, model);
    if (typeof model === 'string' && model !== '' && pricedModelId(model, (m) => priced.has(m)) === undefined && !declaredAlias) {
      problem(at, unknownModel(model));
    }
  }

  function unknownModel(model: string): string {
    const known = [...priced, ...aliases.keys()];
    return `unknown model "${model}"${suggest(model, known)}: use a priced model id or an alias from "models"`;
  }
}

/** ` (did you mean "x"?)` when a known name is within a small edit distance. */
function suggest(name: string, known: Iterable<string>): string {
  let best: string | null = null;
  let bestDistance = Math.max(3, Math.floor(name.length / 4)) + 1;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === null ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
