import { chromium, type BrowserContext } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Debian's Chromium (`scripts/ensure-tools.sh` installs it): no browser is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/** What a report page showed in a real browser. */
export interface OpenedReport {
  /** Every console error and uncaught page error. */
  readonly errors: readonly string[];
  /** Every request other than the report file itself (must stay empty: the page is offline). */
  readonly requests: readonly string[];
  readonly charts: readonly {
    readonly id: string;
    /** The series the report says the chart shows (`data-series`). */
    readonly series: readonly string[];
    /** Width and height of the chart's SVG as laid out. */
    readonly width: number;
    readonly height: number;
    /** Drawn marks: paths, lines and symbols inside the chart's mark groups. */
    readonly marks: number;
    /** Every text of the SVG (titles, axis labels, legend entries). */
    readonly texts: readonly string[];
  }[];
}

/**
 * Opens an HTML report from disk in headless Chromium (a fresh, empty profile, no network), reads what every
 * chart drew, and saves screenshots: the whole page as `<screenshot>.png`, each section as `<screenshot>-<id>.png`.
 */
export async function openReport(file: string, screenshot: string, { width = 1360 }: { width?: number } = {}): Promise<OpenedReport> {
  const profile = await mkdtemp(join(tmpdir(), 'report-chromium-'));
  let browser: BrowserContext | undefined;
  try {
    // An empty profile of its own (Playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    const charts = await page.$$eval('figure[data-chart]', (figures) => figures.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        id: f.getAttribute('data-chart') ?? '',
        series: (f.getAttribute('data-series') ?? '').split('|').filter((s: string) => s !== ''),
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks: svg === null ? 0 : svg.querySelectorAll('g.role-mark path, g.role-mark line, g.role-mark rect, g.role-mark text').length,
        texts: svg === null ? [] : [...svg.querySelectorAll('text')].map((t) => t.textContent ?? ''),
      };
    }));
    await page.screenshot({ path: `${screenshot}.png`, fullPage: true });
    for (const section of await page.locator('section[id]').all()) {
      await section.screenshot({ path: `${screenshot}-${await section.getAttribute('id')}.png` });
    }
    return { errors, requests, charts };
  } finally {
    await browser?.close();
    await rm(profile, { recursive: true, force: true });
  }
}
