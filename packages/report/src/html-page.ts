import type { Block, Section } from './section.js';
import { FONT } from './charts/theme.js';

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
  :root { color-scheme: light; }
  body { font-family: ${FONT}; margin: 0; background: #F3F4F6; color: #111827; line-height: 1.45; }
  header { background: #111827; color: #F9FAFB; padding: 20px 32px; }
  header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
  header p { margin: 0; color: #D1D5DB; font-size: 13px; }
  nav { padding: 10px 32px; background: #E5E7EB; font-size: 13px; }
  nav a { color: #1F2937; margin-right: 16px; text-decoration: none; border-bottom: 1px dotted #6B7280; }
  main { padding: 8px 32px 32px; max-width: 1480px; }
  section { background: white; border-radius: 8px; margin: 20px 0; padding: 18px 22px; box-shadow: 0 1px 2px rgb(0 0 0 / 8%); }
  section h2 { margin: 0 0 6px; font-size: 18px; font-weight: 600; }
  section > p.intro { margin: 0 0 14px; color: #4B5563; font-size: 13px; max-width: 980px; }
  .grid { display: flex; flex-wrap: wrap; gap: 18px 20px; align-items: flex-start; }
  figure { margin: 0; }
  figure svg { display: block; }
  figcaption { font-size: 12px; color: #4B5563; max-width: 560px; margin-top: 2px; }
  table { border-collapse: collapse; font-size: 12.5px; margin: 4px 0 14px; }
  th, td { padding: 5px 10px; border-bottom: 1px solid #E5E7EB; text-align: left; vertical-align: top; }
  th { background: #F9FAFB; font-weight: 600; color: #374151; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  table caption { caption-side: bottom; text-align: left; font-size: 12px; color: #4B5563; }
  p.note { font-size: 12.5px; color: #92400E; background: #FFFBEB; border-left: 3px solid #F59E0B; padding: 6px 10px; margin: 6px 0 14px; }
  footer { padding: 0 32px 24px; color: #6B7280; font-size: 12px; }
`;

function tableHtml(block: Extract<Block, { kind: 'table' }>): string {
  const numeric = new Set(block.numeric ?? []);
  const cell = (text: string, i: number, tag: 'th' | 'td'): string => `<${tag}${tag === 'td' && numeric.has(i) ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  const caption = block.caption === undefined ? '' : `<caption>${escapeHtml(block.caption)}</caption>`;
  return `<table>${caption}<thead><tr>${block.head.map((h, i) => cell(h, i, 'th')).join('')}</tr></thead>`
    + `<tbody>${block.rows.map((r) => `<tr>${r.map((c, i) => cell(c, i, 'td')).join('')}</tr>`).join('')}</tbody></table>`;
}

/** The whole page: one file, inline SVG and CSS, no script, nothing fetched. */
export function htmlPage({ title, subtitle, sections, svgs, footer }: {
  title: string;
  subtitle: string;
  sections: readonly Section[];
  /** Rendered SVG per chart id. */
  svgs: ReadonlyMap<string, string>;
  footer: string;
}): string {
  const blockHtml = (block: Block): string => {
    if (block.kind === 'note') return `<p class="note">${escapeHtml(block.text)}</p>`;
    if (block.kind === 'table') return tableHtml(block);
    return `<figure data-chart="${escapeHtml(block.id)}" data-series="${escapeHtml(block.series.join('|'))}">${svgs.get(block.id) ?? ''}`
      + `<figcaption>${escapeHtml(block.caption)}</figcaption></figure>`;
  };
  // Charts side by side; tables and notes on their own line.
  const body = (blocks: readonly Block[]): string => {
    const out: string[] = [];
    let charts: string[] = [];
    const flush = (): void => {
      if (charts.length > 0) out.push(`<div class="grid">${charts.join('')}</div>`);
      charts = [];
    };
    for (const b of blocks) {
      if (b.kind === 'chart') charts.push(blockHtml(b));
      else {
        flush();
        out.push(blockHtml(b));
      }
    }
    flush();
    return out.join('\n');
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(subtitle)}</p></header>
<nav>${sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('')}</nav>
<main>${sections.map((s) => `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2><p class="intro">${escapeHtml(s.intro)}</p>\n${body(s.blocks)}</section>`).join('\n')}</main>
<footer>${escapeHtml(footer)}</footer></body></html>
`;
}
