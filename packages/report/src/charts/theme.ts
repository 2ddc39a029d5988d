import type { Config } from 'vega-lite';

/** Fonts Chromium finds on a bare Debian (DejaVu ships with it) before the generic family. */
export const FONT = 'system-ui, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif';

/** Colour-blind safe (Okabe–Ito): the canary orange, control blue, any further arm after them. */
const ARM_PALETTE = ['#D55E00', '#0072B2', '#009E73', '#CC79A7', '#56B4E9', '#E69F00'] as const;

export const COLOURS = {
  advance: '#009E73',
  hold: '#9CA3AF',
  rollback: '#C0392B',
  threshold: '#374151',
  evidence: '#0072B2',
  interval: '#56B4E9',
  budget: '#374151',
} as const;

/**
 * One colour per arm for the whole report: `canary` always orange and `control` always blue, whatever their
 * order; other arms take the next colours in the order given.
 */
export function armColours(arms: readonly string[]): { domain: string[]; range: string[] } {
  const named: Record<string, string> = { canary: ARM_PALETTE[0], control: ARM_PALETTE[1] };
  const rest = ARM_PALETTE.slice(2);
  const domain = [...new Set(arms)].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  let next = 0;
  return { domain, range: domain.map((arm) => named[arm] ?? rest[next++ % rest.length]!) };
}

const order = (arm: string): number => (arm === 'canary' ? 0 : arm === 'control' ? 1 : 2);

/** The look of every chart: quiet grid, readable labels, titles left-aligned like a report's. */
export const THEME: Config = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: null },
  title: { anchor: 'start', fontSize: 14, fontWeight: 600, color: '#111827', subtitleColor: '#4B5563', subtitleFontSize: 11, offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 500, titleColor: '#374151', labelColor: '#374151', gridColor: '#E5E7EB', domainColor: '#9CA3AF', tickColor: '#9CA3AF' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 500, orient: 'top', direction: 'horizontal', labelLimit: 240, symbolOpacity: 1, columnPadding: 14, gridAlign: 'none' },
  header: { labelFontSize: 12, titleFontSize: 12 },
  text: { fontSize: 11 },
};
