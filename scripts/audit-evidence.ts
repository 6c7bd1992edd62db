/**
 * The audit CLI's evidence files (docs/audit.md): `--pdf` (the summary printed by the same
 * browser that measured), `--har` (HAR 1.2 of the audited page load, from Chromium's own network
 * events) and `--csv` (third parties and cookies), written next to the report and summary from
 * one export package (lib/export/package.ts), so every hash a file names matches its neighbour.
 *
 * HAR, which requests: the audited page's requests as Chromium's DevTools protocol reports them
 * (Playwright's `page.on('request')`), which are the requests sent to the network — the same set
 * the report counts (docs/ARCHITECTURE.md "The tally"): the final document and everything it
 * loaded, each redirect hop of a subresource, failures. Left out, as the report leaves them out:
 * the document's own redirect hops before the page the audit ended on, and Chrome's "307 Internal
 * Redirect" (HSTS upgrade, no request on the wire). Kept but flagged `_notSent`, as the report
 * counts them apart (`requests.notSent`): answers from the HTTP cache (CDP
 * `Network.requestServedFromCache` or a response `fromDiskCache` — after `--consent`'s reload) and
 * cache-only probes (net::ERR_CACHE_MISS; CDP shows none for fonts, should one come it is flagged).
 */
import type { Browser as PlaywrightBrowser, CDPSession, Page, Request } from '@playwright/test';
import type { Browser as PuppeteerBrowser } from 'puppeteer-core';
import type { BrowserName } from '../lib/cli/audit-args';
import { type Har, type HarHeader, type HarPage, type HarRow, buildHar } from '../lib/export/har';
import type { Report } from '../lib/verdict/report';

// ---------------------------------------------------------------------------------------------
// HAR: Chromium's network events of the audited page

/** Collects the audited page's requests from the moment it is attached; `snapshot` builds the rows. */
export interface RequestCollector {
  /** The rows of every request seen so far (waits briefly for responses still under way). */
  rows(): Promise<HarRow[]>;
}

const RESPONSE_WAIT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return Promise.race([promise.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms))]);
}

/** The document's own redirect hops before the page the audit ended on: the report does not count them. */
function isEarlierDocumentHop(request: Request, page: Page): boolean {
  return request.isNavigationRequest() && request.frame() === page.mainFrame() && request.redirectedTo() !== null;
}

async function rowOf(request: Request, fromCache: boolean): Promise<HarRow | null> {
  const response = await withTimeout(request.response(), RESPONSE_WAIT_MS, null);
  if (response && response.status() === 307 && /internal redirect/i.test(response.statusText())) return null;
  const t = request.timing();
  const startedAt = Number.isFinite(t.startTime) && t.startTime > 0 ? t.startTime : Date.now();
  const span = (from: number, to: number) => (from >= 0 && to >= from ? to - from : -1);
  const [requestHeaders, responseHeaders, server, httpVersion] = await Promise.all([
    withTimeout(request.headersArray(), RESPONSE_WAIT_MS, [] as HarHeader[]),
    response ? withTimeout(response.headersArray(), RESPONSE_WAIT_MS, [] as HarHeader[]) : ([] as HarHeader[]),
    response ? withTimeout(response.serverAddr(), RESPONSE_WAIT_MS, null) : null,
    response ? withTimeout(response.httpVersion(), RESPONSE_WAIT_MS, '') : '',
  ]);
  const error = request.failure()?.errorText;
  const redirect = request.redirectedTo();
  return {
    pageref: 'page_1',
    startedAt,
    method: request.method(),
    url: request.url(),
    status: response?.status() ?? 0,
    statusText: response?.statusText() ?? '',
    httpVersion: httpVersion.toUpperCase().replace(/^H2$/, 'HTTP/2').replace(/^H3$/, 'HTTP/3'),
    requestHeaders,
    responseHeaders,
    serverIp: server?.ipAddress,
    resourceType: request.resourceType(),
    timings: {
      dns: span(t.domainLookupStart, t.domainLookupEnd),
      connect: span(t.connectStart, t.connectEnd),
      ssl: span(t.secureConnectionStart, t.connectEnd),
      send: 0,
      wait: span(t.requestStart, t.responseStart),
      receive: span(t.responseStart, t.responseEnd),
    },
    ...(redirect ? { redirectUrl: redirect.url() } : {}),
    ...(error ? { error } : {}),
    ...(fromCache ? { fromCache: true } : {}),
    ...(fromCache || (error && /ERR_CACHE_MISS/.test(error)) ? { notSent: true } : {}),
  };
}

/**
 * Which requests Chromium answered from its cache, from the DevTools protocol (Playwright does not
 * say): per URL, the n-th request seen and whether it was a cache answer. Playwright's request
 * events come from the same CDP events in the same order, so the n-th request of a URL is the same
 * request on both sides.
 */
async function cacheAnswers(page: Page): Promise<(url: string, nth: number) => boolean> {
  const order = new Map<string, string[]>();
  const cached = new Set<string>();
  let cdp: CDPSession | null = null;
  try {
    cdp = await page.context().newCDPSession(page);
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
      const ids = order.get(e.request.url) ?? [];
      ids.push(`${e.requestId} ${ids.length}`);
      order.set(e.request.url, ids);
    });
    cdp.on('Network.requestServedFromCache', (e: { requestId: string }) => cached.add(e.requestId));
    cdp.on(
      'Network.responseReceived',
      (e: { requestId: string; response: { fromDiskCache?: boolean; fromPrefetchCache?: boolean } }) => {
        if (e.response.fromDiskCache || e.response.fromPrefetchCache) cached.add(e.requestId);
      },
    );
    await cdp.send('Network.enable');
  } catch {
    // No CDP (should not happen in Chromium): nothing is flagged.
  }
  return (url, nth) => {
    const id = order.get(url)?.[nth]?.split(' ')[0];
    return id !== undefined && cached.has(id);
  };
}

/** Starts collecting on the audited page (before its navigation). */
export async function collectRequests(page: Page): Promise<RequestCollector> {
  const seen: { request: Request; nth: number }[] = [];
  const perUrl = new Map<string, number>();
  page.on('request', (request) => {
    const url = request.url();
    if (!/^https?:/i.test(url)) return;
    const nth = perUrl.get(url) ?? 0;
    perUrl.set(url, nth + 1);
    seen.push({ request, nth });
  });
  const fromCache = await cacheAnswers(page);
  return {
    async rows() {
      const taken = seen.filter(({ request }) => !isEarlierDocumentHop(request, page));
      const rows = await Promise.all(taken.map(({ request, nth }) => rowOf(request, fromCache(request.url(), nth))));
      return rows.filter((r): r is HarRow => r !== null);
    },
  };
}

/**
 * The HAR of an audit: one page for the load, or — after `--consent` answered the banner — two,
 * the first load up to the decision and everything from the decision on (the rest of the page and
 * the reload).
 */
export function auditHar(report: Report, rows: HarRow[], browser: { name: string; version: string } | null): Har {
  const decided = report.consent?.afterDecision?.decidedAt ?? report.consent?.answer?.decidedAt ?? null;
  const decidedAt = decided ? Date.parse(decided) : Number.NaN;
  const visitedAt = Date.parse(report.visitedAt);
  const first = rows.length ? Math.min(...rows.map((r) => r.startedAt)) : visitedAt;
  const pages: HarPage[] = [
    { id: 'page_1', title: report.url, startedAt: Number.isFinite(visitedAt) ? Math.min(visitedAt, first) : first },
  ];
  if (Number.isFinite(decidedAt))
    pages.push({
      id: 'page_2',
      title: `${report.url} (${report.consent?.decision ?? 'decision'})`,
      startedAt: decidedAt,
      comment: 'after the audit answered the consent banner: the rest of the page, then a reload',
    });
  return buildHar({
    creator: { name: report.tool.name, version: report.tool.version },
    browser,
    pages,
    rows: rows.map((r) => ({
      ...r,
      pageref: Number.isFinite(decidedAt) && r.startedAt >= decidedAt ? 'page_2' : 'page_1',
    })),
    comment:
      'Datenschutz-Ampel audit CLI: the requests the report counts; no bodies; values of Cookie, Set-Cookie and Authorization headers and of credential URL parameters redacted.',
  });
}

// ---------------------------------------------------------------------------------------------
// PDF: the print rendering of the summary, by the browser that measured

/** What Playwright's and puppeteer's pages and browsers have in common for printing. */
interface PrintPage {
  setContent(html: string, options: { waitUntil: 'load' }): Promise<unknown>;
  pdf(options: { format: 'A4'; printBackground: true; preferCSSPageSize: true }): Promise<Uint8Array>;
  close(): Promise<unknown>;
}
interface PrintBrowser {
  newPage(): Promise<PrintPage>;
  close(): Promise<unknown>;
}

/**
 * Prints HTML to PDF with one browser for the whole run, started on first use, of the kind that
 * measured: Chromium's `Page.printToPDF` through Playwright, Firefox's WebDriver BiDi
 * `browsingContext.print` through puppeteer (checked with Firefox ESR 153: a valid PDF).
 */
export class PdfPrinter {
  private started: Promise<PrintBrowser> | null = null;

  constructor(
    private readonly browser: BrowserName,
    private readonly executablePath: string,
  ) {}

  private launch(): Promise<PrintBrowser> {
    if (this.browser === 'firefox')
      return import('puppeteer-core').then(
        (p) =>
          p.default.launch({
            browser: 'firefox',
            executablePath: this.executablePath,
            headless: true,
          }) as Promise<PuppeteerBrowser>,
      );
    return import('@playwright/test').then(
      ({ chromium }) =>
        chromium.launch({
          executablePath: this.executablePath,
          headless: true,
          args: ['--no-sandbox', '--disable-gpu'],
        }) as Promise<PlaywrightBrowser>,
    );
  }

  /** A4, backgrounds printed, the page's own @page margins (lib/export/html.ts). */
  async print(html: string): Promise<Uint8Array> {
    this.started ??= this.launch();
    const page = await (await this.started).newPage();
    try {
      await page.setContent(html, { waitUntil: 'load' });
      return new Uint8Array(await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.started?.then((b) => b.close()).catch(() => undefined);
  }
}
