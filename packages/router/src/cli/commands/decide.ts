import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { createRouter } from '../../create-router.js';
import type { Decision } from '../../decision.js';
import { InvalidConfigError, ModelCanaryError, formatProblems } from '../../errors.js';
import type { Router } from '../../router.js';
import type { CommandIo } from '../command-io.js';

const FLUSH_AT = 64 * 1024;

export async function decideCommand(
  args: string[],
  io: CommandIo,
  stdin: NodeJS.ReadableStream,
  stdout: NodeJS.WritableStream,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      route: { type: 'string' },
      key: { type: 'string' },
      force: { type: 'string' },
      seed: { type: 'string' },
      keyless: { type: 'boolean' },
      count: { type: 'string' },
    },
  });
  if (positionals.length > 0) return io.usage(`unexpected argument ${String(positionals[0])}`);
  if (values.config === undefined || values.route === undefined) return io.usage('decide needs --config <file> and --route <name>');
  const count = values.count === undefined ? 1 : Number(values.count);
  if (!Number.isInteger(count) || count < 1) return io.usage('--count must be a positive integer');

  let router: Router;
  try {
    router = createRouter({ configFile: values.config, strict: true, watch: false, ...(values.seed === undefined ? {} : { seed: values.seed }) });
  } catch (error) {
    if (error instanceof InvalidConfigError) io.err(`${values.config}: invalid\n${formatProblems(error.problems)}`);
    else io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const route = values.route;
  const force = values.force;
  const decide = (key: string | undefined): Decision => router.decide({ route, key, forceArm: force });
  try {
    decide(undefined === values.key ? '' : values.key); // unknown route: fail before reading any input
  } catch (error) {
    io.err(error instanceof ModelCanaryError ? error.message : String(error));
    await router.close();
    return 1;
  }

  if (values.key !== undefined) io.out(line(values.key, decide(values.key)));
  else if (values.keyless === true) for (let i = 0; i < count; i++) io.out(line(undefined, decide(undefined)));
  else await streamKeys(stdin, stdout, fastLine(decide));
  await router.close();
  return 0;
}

function line(key: string | undefined, d: Decision): string {
  return JSON.stringify(key === undefined ? d : { key, ...d });
}

/**
 * The same JSON as `line`, built from cached fragments: per key only the key, the bucket and the arm vary,
 * and JSON.stringify of a fresh object per key would be most of the cost of a million keys.
 */
function fastLine(decide: (key: string) => Decision): (key: string) => string {
  // per arm: the reason the fragments were built for, the part before the bucket, the part after it
  const fragments = new Map<string, [string, string, string]>();
  // the 10000 possible buckets, formatted once as JSON.stringify formats them
  const bucketText = Array.from({ length: 10_000 }, (_, n) => String(n / 10_000));
  return (key) => {
    const d = decide(key);
    let parts = fragments.get(d.arm);
    if (parts === undefined || parts[0] !== d.reason) {
      const json = JSON.stringify({ route: d.route, arm: d.arm, model: d.model, bucket: 0, reason: d.reason, keyed: d.keyed, configVersion: d.configVersion });
      const at = json.indexOf(',"bucket":0,');
      parts = [d.reason, `,${json.slice(1, at)},"bucket":`, json.slice(at + ',"bucket":0'.length)];
      fragments.set(d.arm, parts);
    }
    return `{"key":${JSON.stringify(key)}${parts[1]}${bucketText[Math.round(d.bucket * 10_000)] as string}${parts[2]}`;
  };
}

/** One JSON line per stdin line, written in large chunks, waiting for `drain` when the reader is slower. */
async function streamKeys(stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, format: (key: string) => string): Promise<void> {
  stdin.setEncoding('utf8');
  let rest = '';
  let out = '';
  const emit = (raw: string): void => {
    const key = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (key !== '') out += `${format(key)}\n`;
  };
  for await (const chunk of stdin) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      emit(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
    if (out.length >= FLUSH_AT) {
      const ok = stdout.write(out);
      out = '';
      if (!ok) await once(stdout, 'drain');
    }
  }
  emit(rest);
  if (out !== '' && !stdout.write(out)) await once(stdout, 'drain');
}
