/**
 * The history page with a large history, in Debian's headless Chromium with the built extension
 * (.output/chrome-mv3):
 *
 * - fill: 10,000 synthetic visits (2,000 sites; one site with 50 visits) are imported through the
 *   history page's own import (HistoryStore.importAll: validation + one transaction);
 * - first render: sites.html's navigation start to the list rendered with data (performance
 *   mark 'dsa-history-rendered', set by History.tsx; 'dsa-history-loaded' when the store's
 *   site summaries arrived, i.e. the part spent reading IndexedDB); also how many rows are in the DOM
 *   (virtualised list: only the visible ones);
 * - filter change: selecting a verdict filter to the filtered list rendered ('dsa-history-filtered');
 * - site export: clicking an export button on the 50-visit site's timeline to the download being
 *   started ('dsa-history-exported'), for Markdown, HTML and the JSON evidence bundle.
 * Medians of RUNS. Timings on a loaded machine are noisy.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { type HistoryRecord, recordOfReport } from '@/lib/history/schema';
import { EXPORT_FORMAT, EXPORT_VERSION } from '@/lib/history/transfer';
import type { Report } from '@/lib/verdict/report';
import { browserBenchSkipReason, launchWithExtension } from './chromium';

export interface HistoryBenchResult {
  visits: number;
  sites: number;
  runs: number;
  fillMs: number;
  firstRender: { medianMs: number; maxMs: number; domRows: number; loadedMedianMs: number };
  filterChange: { medianMs: number; maxMs: number };
  siteExport: { visits: number; markdownMs: number; htmlMs: number; jsonMs: number };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number) => Math.round(x * 10) / 10;

const VERDICTS: Report['verdict'][] = ['red', 'yellow', 'green', 'grey'];
const BIG_SITE = 'grosse-behoerde.example';

/** A small but structurally complete report (the history's checks plus what the exports read). */
export function syntheticReport(site: string, i: number, visitedAt: number): Report {
  const hosts = Array.from({ length: 1 + (i % 7) }, (_, k) => ({
    host: `cdn${(i + k) % 40}.tracker${k}.example`,
    requests: 1 + ((i * 7 + k) % 13),
    owner: k % 2 ? 'Tracker Inc.' : null,
    country: k % 3 ? 'US' : 'DE',
    serverCountries: ['US'],
    category: k % 2 ? 'advertising' : 'analytics',
    service: null,
    firstSeenAt: new Date(visitedAt + 100).toISOString(),
  }));
  const thirdParty = hosts.reduce((n, h) => n + h.requests, 0);
  const iso = new Date(visitedAt).toISOString();
  const authority = i % 5 === 0;
  return {
    schemaVersion: 2,
    tool: { name: 'Datenschutz-Ampel', version: '0.1.0', rulesVersion: 'bench' },
    url: `https://www.${site}/seite/${i % 10}`,
    visitedAt: iso,
    analysedAt: new Date(visitedAt + 2_000).toISOString(),
    pageKind: i % 11 === 0 ? 'social-profile' : 'website',
    platform: null,
    page: { title: `Seite ${i} von ${site}`, profileName: null, handle: null },
    authority: {
      isAuthority: authority,
      score: authority ? 5 : 0,
      isSocialBenefitBody: false,
      audienceMinors: false,
      userOverride: null,
      signals: [],
    },
    verdict: VERDICTS[i % 4]!,
    greyReason: null,
    findings:
      i % 3 === 0
        ? [
            {
              id: 'cookies-before-consent',
              severity: 'red',
              certainty: 'observed',
              legal: ['§ 25 TDDDG'],
              evidence: '_ga',
              text: { de: 'Cookies vor Einwilligung', en: 'Cookies before consent' },
            },
          ]
        : [],
    requests: { total: thirdParty + 10, firstParty: 10, thirdParty, failed: 0, thirdPartyHosts: hosts },
    companies: [],
    thirdParties: { requests: thirdParty, hosts: hosts.length, companies: 1, unknownHosts: 0, countries: ['US'] },
    selfHostedTools: [],
    cookies: {
      total: 2,
      thirdParty: 1,
      items: [
        {
          name: '_ga',
          domain: `.${site}`,
          thirdParty: false,
          session: false,
          lifetimeSeconds: 63_072_000,
          attemptedOnly: false,
          beforeInteraction: true,
        },
        {
          name: `id${i % 3}`,
          domain: '.tracker0.example',
          thirdParty: true,
          session: true,
          lifetimeSeconds: null,
          attemptedOnly: false,
          beforeInteraction: true,
        },
      ],
    },
    imprint: { status: 'found', url: `https://www.${site}/impressum`, elements: {}, evidence: {}, reason: null },
    privacyNotice: {
      status: 'found',
      url: `https://www.${site}/datenschutz`,
      elements: {},
      evidence: {},
      reason: null,
      unmentionedServices: [],
      vendorOnlyServices: [],
    },
    messengers: [],
    dmInvitations: [],
    bioLinks: [],
    firstInteractionAt: null,
    truncated: false,
  } as unknown as Report;
}

/** The export file of `visits` synthetic visits over `sites` sites (plus 50 visits of BIG_SITE). */
export function syntheticExport(visits: number, sites: number): string {
  const records: HistoryRecord[] = [];
  // Recent enough that the default retention (180 days) keeps them all.
  const start = Date.now() - 60 * 86_400_000;
  for (let i = 0; i < 50; i++) records.push(recordOfReport(syntheticReport(BIG_SITE, i, start + i * 86_400_000))!);
  for (let i = 0; records.length < visits; i++) {
    const site = `site${i % (sites - 1)}.example`;
    records.push(recordOfReport(syntheticReport(site, i, start + i * 60_000))!);
  }
  return JSON.stringify({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    visits: records,
  });
}

// No named functions inside evaluate(): tsx (esbuild keepNames) would wrap them in a __name()
// helper that does not exist in the page.
async function waitForMark(page: Page, name: string): Promise<number> {
  return page.evaluate(async (n) => {
    const started = performance.now();
    for (;;) {
      const e = performance.getEntriesByName(n, 'mark')[0];
      if (e) return e.startTime;
      if (performance.now() - started > 60_000) throw new Error(`no mark ${n}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }, name);
}

/** Clicks/changes inside the page and returns the time from just before it to the mark. */
async function timeAction(
  page: Page,
  mark: string,
  action: { select?: [string, string]; click?: string },
): Promise<number> {
  return page.evaluate(
    async ({ mark: m, action: a }) => {
      performance.clearMarks(m);
      const t0 = performance.now();
      if (a.select) {
        const el = document.querySelector<HTMLSelectElement>(`[data-testid="${a.select[0]}"]`)!;
        el.value = a.select[1];
        el.dispatchEvent(new Event('change', { bubbles: true }));
      } else if (a.click) document.querySelector<HTMLButtonElement>(`[data-testid="${a.click}"]`)!.click();
      for (;;) {
        const e = performance.getEntriesByName(m, 'mark')[0];
        if (e) return e.startTime - t0;
        if (performance.now() - t0 > 60_000) throw new Error(`no mark ${m}`);
        await new Promise((r) => setTimeout(r, 2));
      }
    },
    { mark, action },
  );
}

export async function measureHistory(
  runs = 5,
  visits = 10_000,
  sites = 2_000,
): Promise<HistoryBenchResult | { skipped: string }> {
  const skip = browserBenchSkipReason();
  if (skip) return { skipped: skip };
  const browser = await launchWithExtension('dsa-bench-history-', [], { acceptDownloads: true });
  const { context, worker } = browser;
  try {
    const base = `chrome-extension://${new URL(worker.url()).host}/sites.html?lang=en`;
    const page = await context.newPage();
    page.on('download', () => undefined);

    // Fill through the page's import (the store's importAll).
    await page.goto(base);
    await page.getByTestId('import-file').waitFor();
    const file = syntheticExport(visits, sites);
    const t0 = Date.now();
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'bench.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await page
      .getByTestId('import-status')
      .filter({ hasText: /Imported|invalid|Nothing/ })
      .waitFor({ timeout: 300_000 });
    const fillMs = Date.now() - t0;
    const status = (await page.getByTestId('import-status').textContent()) ?? '';
    if (!status.startsWith('Imported')) throw new Error(`import refused: ${status}`);

    // First render of the list, from navigation start.
    const render: number[] = [];
    const loaded: number[] = [];
    let domRows = 0;
    let siteCount = 0;
    for (let i = 0; i < runs; i++) {
      await page.goto(base);
      render.push(await waitForMark(page, 'dsa-history-rendered'));
      loaded.push(await waitForMark(page, 'dsa-history-loaded'));
      domRows = await page.locator('[data-testid="site-row"]').count();
      siteCount = Number(await page.getByTestId('site-count').getAttribute('data-total'));
    }

    // Filter changes (red only / all, alternating).
    const filter: number[] = [];
    for (let i = 0; i < runs * 2; i++)
      filter.push(await timeAction(page, 'dsa-history-filtered', { select: ['filter-verdict', i % 2 ? '' : 'red'] }));

    // Exports of the 50-visit site. A real click (Playwright's, with user activation), timed in
    // the page from the click event to the mark. The page is reloaded before each export: Chrome
    // holds back the third and later downloads a page starts ("download multiple files?"), which
    // a headless browser never answers.
    const exp = { md: [] as number[], html: [] as number[], json: [] as number[] };
    for (let i = 0; i < runs; i++) {
      for (const kind of ['md', 'html', 'json'] as const) {
        await page.goto(`${base}&site=${BIG_SITE}`);
        await page.getByTestId('statement').fill('Eigene Angabe für den Benchmark.');
        await page.evaluate(() => document.addEventListener('click', () => performance.mark('dsa-bench-click'), true));
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByTestId(`export-${kind}`).click(),
        ]);
        await download.path();
        const clickAt = await waitForMark(page, 'dsa-bench-click');
        exp[kind].push((await waitForMark(page, 'dsa-history-exported')) - clickAt);
      }
    }
    const exportVisits = await page.getByTestId('visit').count();

    return {
      visits,
      sites: siteCount,
      runs,
      fillMs,
      firstRender: {
        medianMs: round(median(render)),
        maxMs: round(Math.max(...render)),
        domRows,
        loadedMedianMs: round(median(loaded)),
      },
      filterChange: { medianMs: round(median(filter)), maxMs: round(Math.max(...filter)) },
      siteExport: {
        visits: exportVisits,
        markdownMs: round(median(exp.md)),
        htmlMs: round(median(exp.html)),
        jsonMs: round(median(exp.json)),
      },
    };
  } finally {
    await browser.close();
  }
}

export function historyTable(r: HistoryBenchResult): string {
  const rows: [string, string][] = [
    [`fill: import ${r.visits} visits (${r.sites} sites)`, `${r.fillMs} ms`],
    [
      `first render (nav start → list), median of ${r.runs}`,
      `${r.firstRender.medianMs} ms (max ${r.firstRender.maxMs}; ${r.firstRender.domRows} rows in DOM)`,
    ],
    [`  of which: store.sites() resolved at`, `${r.firstRender.loadedMedianMs} ms`],
    [`filter change, median of ${r.runs * 2}`, `${r.filterChange.medianMs} ms (max ${r.filterChange.maxMs})`],
    [`site export Markdown (${r.siteExport.visits} visits)`, `${r.siteExport.markdownMs} ms`],
    [`site export HTML (${r.siteExport.visits} visits)`, `${r.siteExport.htmlMs} ms`],
    [`site export JSON bundle (${r.siteExport.visits} visits)`, `${r.siteExport.jsonMs} ms`],
  ];
  const w = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${a.padEnd(w)}  ${b}`).join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const result = await measureHistory();
  if ('skipped' in result) console.log(`history bench skipped: ${result.skipped}`);
  else {
    console.log(historyTable(result));
    console.log(JSON.stringify(result));
  }
}
