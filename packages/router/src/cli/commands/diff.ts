import { parseArgs } from 'node:util';
import { armShares } from '../../assignment/arm-shares.js';
import { movedUnits, type MovedUnits } from '../../assignment/moved-units.js';
import type { RouteConfig } from '../../config/rollout-config.js';
import type { CommandIo } from '../command-io.js';
import { loadRolloutFile } from '../load-file.js';

interface RouteDiff {
  readonly route: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly changes: readonly string[];
  readonly moved: MovedUnits | null;
}

const pct = (n: number): string => `${n.toFixed(2)}%`;

export function diffCommand(args: string[], io: CommandIo): number {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length !== 2) return io.usage('diff takes two files: canary diff <old> <new>');
  const [oldFile, newFile] = positionals as [string, string];
  const before = loadRolloutFile(oldFile);
  const after = loadRolloutFile(newFile);
  if (!before.ok || !after.ok) {
    if (!before.ok) io.err(before.report);
    if (!after.ok) io.err(after.report);
    return 1;
  }
  const names = [...new Set([...Object.keys(before.config.routes), ...Object.keys(after.config.routes)])];
  const diffs = names.map((route) => diffRoute(route, before.config.routes[route], after.config.routes[route]));
  if (values.json === true) {
    io.out(JSON.stringify(diffs));
    return 0;
  }
  for (const d of diffs) io.out(formatDiff(d));
  return 0;
}

function diffRoute(route: string, a: RouteConfig | undefined, b: RouteConfig | undefined): RouteDiff {
  if (a === undefined) return { route, status: 'added', changes: [], moved: null };
  if (b === undefined) return { route, status: 'removed', changes: [], moved: null };
  const changes: string[] = [];
  if (a.salt !== b.salt) changes.push(`salt ${a.salt} -> ${b.salt} (every unit is re-hashed)`);
  if (a.enabled !== b.enabled) changes.push(b.enabled ? 'switched on' : 'switched off (everyone on the default arm)');
  if (a.maxPercent !== b.maxPercent) changes.push(`maxPercent ${String(a.maxPercent ?? 'none')} -> ${String(b.maxPercent ?? 'none')}`);
  if (a.fallback !== b.fallback) changes.push(`fallback ${String(a.fallback ?? false)} -> ${String(b.fallback ?? false)}`);
  const sa = armShares(a);
  const sb = armShares(b);
  for (const arm of new Set([...sa.keys(), ...sb.keys()])) {
    const x = sa.get(arm);
    const y = sb.get(arm);
    if (x === undefined) changes.push(`arm ${arm} added at ${String(y)}%`);
    else if (y === undefined) changes.push(`arm ${arm} removed (was ${String(x)}%)`);
    else if (x !== y) changes.push(`${arm} ${String(x)}% -> ${String(y)}%`);
    const ma = a.arms.find((r) => r.name === arm)?.model;
    const mb = b.arms.find((r) => r.name === arm)?.model;
    if (ma !== undefined && mb !== undefined && ma !== mb) changes.push(`${arm} model ${ma} -> ${mb}`);
    const da = a.arms.find((r) => r.name === arm)?.percent === null;
    const db = b.arms.find((r) => r.name === arm)?.percent === null;
    if (x !== undefined && y !== undefined && da !== db) changes.push(`default arm is now ${db ? arm : 'another arm'}`);
  }
  const moved = movedUnits(a, b);
  return { route, status: changes.length === 0 && moved.movedArm === 0 ? 'unchanged' : 'changed', changes, moved };
}

function formatDiff(d: RouteDiff): string {
  if (d.status === 'added') return `${d.route}: added (new route; its units start on it)`;
  if (d.status === 'removed') return `${d.route}: removed (calls to it fail unless the app stops using it)`;
  const moved = d.moved as MovedUnits;
  const what = d.changes.length === 0 ? 'no change' : d.changes.join('; ');
  const flows = moved.flows.map((f) => `${f.from} -> ${f.to} ${pct(f.percent)}`).join(', ');
  const movedText = moved.exact
    ? `${pct(moved.movedArm)} of units move arm${flows === '' ? '' : ` (${flows})`}`
    : `about ${pct(moved.movedArm)} of units move arm (expected; the salt changed)`;
  const modelText = moved.changedModel !== moved.movedArm ? `; ${pct(moved.changedModel)} change model` : '';
  return `${d.route}: ${what}; ${movedText}${modelText}`;
}
