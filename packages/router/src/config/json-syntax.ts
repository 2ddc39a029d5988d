import { formatJsonPath } from './json-path.js';

export interface JsonSyntaxFinding {
  readonly path: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Finds the first JSON syntax error (with its line and column, which `JSON.parse` messages do not give on
 * every Node version) and every duplicate object key (which `JSON.parse` silently resolves to the last one).
 */
export function scanJson(text: string): { error: JsonSyntaxFinding | null; duplicates: JsonSyntaxFinding[] } {
  const duplicates: JsonSyntaxFinding[] = [];
  const path: (string | number)[] = [];
  let i = 0;

  const at = (offset: number, message: string, where: readonly (string | number)[] = path): JsonSyntaxFinding => {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < offset && k < text.length; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    return { path: formatJsonPath(where), message, line, column: offset - lineStart + 1 };
  };
  class Stop extends Error {
    constructor(readonly finding: JsonSyntaxFinding) {
      super(finding.message);
    }
  }
  const fail = (message: string): never => {
    if (i >= text.length) throw new Stop(at(i, `the file ends early (truncated?): ${message}`));
    throw new Stop(at(i, `unexpected ${JSON.stringify(text[i])}: ${message}`));
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('string not closed');
      const c = text[i] as string;
      if (c === '"') break;
      if (c === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape');
          i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('bad escape in string');
      } else if (c.charCodeAt(0) < 0x20) fail('control character in string (escape it)');
      i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') {
      string();
      return;
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal === null) fail('expected a value');
    i += (literal as RegExpExecArray)[0].length;
  };
  /** After an item: a comma means another follows (false), `close` ends the container (true). */
  const closes = (close: '}' | ']', expected: string): boolean => {
    skipSpace();
    if (text[i] === ',') {
      i++;
      return false;
    }
    if (text[i] !== close) fail(expected);
    i++;
    return true;
  };
  const object = (): void => {
    i++;
    const seen = new Set<string>();
    skipSpace();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[i] === '}' && seen.size > 0) fail('a trailing comma before "}" is not allowed in JSON');
      if (text[i] !== '"') fail('expected a "quoted" key');
      const keyAt = i;
      const key = string();
      if (seen.has(key)) duplicates.push(at(keyAt, `duplicate key "${key}" (JSON.parse would keep only the last one)`, [...path, key]));
      seen.add(key);
      skipSpace();
      if (text[i] !== ':') fail('expected ":" after a key');
      i++;
      path.push(key);
      value();
      path.pop();
      if (closes('}', 'expected "," or "}" (a missing comma?)')) return;
    }
  };
  const array = (): void => {
    i++;
    skipSpace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (let n = 0; ; n++) {
      path.push(n);
      value();
      path.pop();
      if (closes(']', 'expected "," or "]"')) return;
    }
  };

  try {
    value();
    skipSpace();
    if (i < text.length) fail('extra content after the end of the JSON value');
    return { error: null, duplicates };
  } catch (error) {
    if (error instanceof Stop) return { error: error.finding, duplicates };
    throw error;
  }
}
