/**
 * What real sites do that makes request counts drift from what the server saw, each on its own
 * fixture page (tests/fixtures/sites/www.verein-beispiel.de/): web fonts with the font loader's
 * cache-only probe, an icon font from a public CDN, preload then use, one image referenced several
 * times, a redirect chain across hosts after a top-level redirect, sendBeacon on pagehide, a
 * third-party iframe with its own subresources, a page with its own service worker, and a second
 * visit served partly from the HTTP cache. Every load is checked against the server's log
 * (loads.check, tests/e2e/counts.ts); each test also asserts the case it exercises.
 */
import type { Page } from '@playwright/test';
import type { LogLine, PageLoad } from './fixture-server';
import { type ExtensionHarness, expect, test } from './fixtures';
import { visitResponse } from './counts';

const SITE = 'www.verein-beispiel.de';

const hits = (load: PageLoad, host: string, path?: RegExp) =>
  load.lines().filter((l) => l.host === host && (!path || path.test(l.path)));

interface NotSent {
  total: number;
  cacheProbe: number;
  cache: number;
  blocked: number;
}

async function notSent(ext: ExtensionHarness, page: Page, tabId: number): Promise<NotSent | undefined> {
  return (await visitResponse(page, ext.extensionId, tabId)).report?.requests.notSent as NotSent | undefined;
}

async function open(ext: ExtensionHarness, url: string): Promise<{ page: Page; tabId: number }> {
  const page = await ext.context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  return { page, tabId: await ext.tabIdOf(page) };
}

test('Google Fonts: one request per font file, the font loader’s cache-only probes are not sent', async ({
  ext,
  loads,
}) => {
  const load = await loads.open('Google Fonts');
  const { page, tabId } = await open(ext, load.httpsUrl(SITE, '/fonts.html'));
  await expect.poll(() => hits(load, 'fonts.gstatic.com').length).toBe(2);
  const counts = await loads.check(ext, load, page, tabId);
  expect(counts.hosts['fonts.gstatic.com']).toBe(2);
  expect(counts.hosts['fonts.googleapis.com']).toBe(1);
  // Each font was first tried from the cache only (net::ERR_CACHE_MISS): not a request to the host.
  await expect.poll(() => notSent(ext, page, tabId)).toMatchObject({ cacheProbe: 2, total: 2 });
  // The popup says so too: total, then cache probes / cache / blocked.
  const popup = await ext.openPopup(tabId);
  await expect(popup.getByTestId('requests-not-sent')).toHaveText('2 (2 / 0 / 0)');
  await expect(popup.getByTestId('requests-total')).toHaveText(String(counts.total));
});

test('an icon font from a public CDN: the stylesheet and one font request, its probe not sent', async ({
  ext,
  loads,
}) => {
  const load = await loads.open('icon font');
  const { page, tabId } = await open(ext, load.httpsUrl(SITE, '/icons.html'));
  await expect.poll(() => hits(load, 'cdnjs.cloudflare.com', /\.woff2$/).length).toBe(1);
  const counts = await loads.check(ext, load, page, tabId);
  expect(counts.hosts['cdnjs.cloudflare.com']).toBe(2);
  await expect.poll(() => notSent(ext, page, tabId)).toMatchObject({ cacheProbe: 1 });
});

test('preload then use: one request each, the use is answered by the preload', async ({ ext, loads }) => {
  const load = await loads.open('preload');
  const { page, tabId } = await open(ext, load.url(SITE, '/preload.html'));
  const counts = await loads.check(ext, load, page, tabId);
  expect(hits(load, SITE, /^\/assets\/app\.js$/)).toHaveLength(1);
  expect(hits(load, 'static.verein-beispiel.de', /site\.css$/)).toHaveLength(1);
  expect(counts.total).toBe(3);
});

test('one image referenced five times is loaded, and counted, once', async ({ ext, loads }) => {
  const load = await loads.open('repeated image');
  const { page, tabId } = await open(ext, load.url(SITE, '/images.html'));
  const counts = await loads.check(ext, load, page, tabId);
  expect(hits(load, SITE, /wappen\.gif$/)).toHaveLength(1);
  expect(counts.hosts[SITE]).toBe(2);
});

test('a top-level redirect and a redirect chain across three hosts: every hop counts', async ({ ext, loads }) => {
  const load = await loads.open('redirects');
  const target = load.url(SITE, '/redirects.html');
  const { page, tabId } = await open(
    ext,
    load.url('go.kurzlink.example', `/__redirect?to=${encodeURIComponent(target)}`),
  );
  await expect(page).toHaveURL(target);
  await expect
    .poll(() => page.evaluate(() => (document.getElementById('chain') as HTMLImageElement).complete))
    .toBe(true);
  const counts = await loads.check(ext, load, page, tabId);
  expect(counts.hosts).toMatchObject({
    'go.kurzlink.example': 1,
    [SITE]: 1,
    't.anzeigen-a.example': 1,
    'sync.anzeigen-b.example': 1,
    'px.anzeigen-c.example': 1,
  });
  const { report } = await visitResponse(page, ext.extensionId, tabId);
  // The visit belongs to the page the user ended up on; the bounce host is one of its third parties.
  expect(report?.url).toBe(target);
  expect(report?.requests.thirdPartyHosts.map((h) => h.host)).toContain('go.kurzlink.example');
});

test('a beacon sent on pagehide belongs to the page that sent it, not to the next one', async ({ ext, loads }) => {
  const first = await loads.open('beacon on pagehide');
  const { page, tabId } = await open(ext, first.httpsUrl(SITE, '/beacon.html'));
  await loads.check(ext, first, page, tabId);
  const next = await loads.open('the page after the beacon');
  await page.goto(next.url(SITE, '/images.html'), { waitUntil: 'load' });
  await expect.poll(() => hits(first, 'collect.statistik-beispiel.example').length).toBe(1);
  // The next page's counts do not include the previous page's beacon …
  await loads.check(ext, next, page, tabId);
  // … and the first page's visit, as recorded in the history, does.
  const recorded = await historyReport(ext, first.httpsUrl(SITE, '/beacon.html'));
  expect(recorded.requests.thirdPartyHosts.find((h) => h.host === 'collect.statistik-beispiel.example')?.requests).toBe(
    1,
  );
  loads.checkReport(first, recorded);
});

test('a third-party iframe: its document and its own subresources count for the page', async ({ ext, loads }) => {
  const load = await loads.open('third-party iframe');
  const { page, tabId } = await open(ext, load.httpsUrl(SITE, '/iframe.html'));
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('img')).toHaveJSProperty('complete', true);
  const counts = await loads.check(ext, load, page, tabId);
  expect(counts.hosts['widget.embed-beispiel.example']).toBe(3);
  expect(counts.hosts['static.embed-beispiel.example']).toBe(1);
  expect(counts.thirdParty).toBe(4);
});

test("a page's own service worker: the worker's requests (tab −1) are the visit's", async ({ ext, loads }) => {
  const load = await loads.open('service worker');
  const { page, tabId } = await open(ext, load.httpsUrl(SITE, '/sw.html'));
  await expect(page.locator('body')).toHaveAttribute('data-sw', 'done', { timeout: 15_000 });
  const counts = await loads.check(ext, load, page, tabId);
  // The worker script, what it cached at install and the data it fetched for the page.
  expect(hits(load, SITE, /^\/sw\.js/).length).toBeGreaterThanOrEqual(1);
  expect(hits(load, SITE, /offline\.js$/)).toHaveLength(1);
  expect(hits(load, SITE, /from=sw$/)).toHaveLength(1);
  // The page's own /api/ request was answered by its worker: it never reached the server.
  expect(hits(load, SITE, /spielplan/)).toHaveLength(0);
  expect(counts.hosts[SITE]).toBe(load.lines().filter((l) => l.host === SITE).length);
});

test('a second visit partly from the HTTP cache: cached answers are not sent, revalidations (304) count', async ({
  ext,
  loads,
}) => {
  const first = await loads.open('cache, first visit');
  const { page, tabId } = await open(ext, first.url(SITE, '/cache.html'));
  await loads.check(ext, first, page, tabId);
  expect(first.lines().every((l: LogLine) => l.status === 200)).toBe(true);

  // A new tab: the first tab's renderer would answer from its memory cache, which webRequest never sees.
  await page.close();
  const second = await loads.again(first, 'cache, second visit');
  const again = await open(ext, second.url(SITE, '/cache.html'));
  const counts = await loads.check(ext, second, again.page, again.tabId);
  // Fresh resources came from the cache: the server did not see them again …
  expect(hits(second, SITE, /fresh/)).toHaveLength(0);
  expect(hits(second, 'cdn.verein-cdn.example')).toHaveLength(0);
  // … the others were revalidated and answered 304, each one request.
  expect(hits(second, SITE, /revalidate/).map((l) => l.status)).toEqual([304, 304]);
  expect(counts.total).toBe(3);
  await expect.poll(() => notSent(ext, again.page, again.tabId)).toMatchObject({ cache: 3 });
});

/** The latest history record of a page URL (IndexedDB of the extension, as the history page reads it). */
async function historyReport(ext: ExtensionHarness, url: string) {
  const probe = await ext.context.newPage();
  await probe.goto(`chrome-extension://${ext.extensionId}/about.html`);
  type Recorded = {
    url: string;
    requests: {
      total: number;
      firstParty: number;
      thirdParty: number;
      thirdPartyHosts: { host: string; requests: number }[];
    };
  };
  let report = null as Recorded | null;
  await expect
    .poll(
      async () => {
        report = await probe.evaluate(async (u) => {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const r = indexedDB.open('datenschutz-ampel-history');
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
          const all = await new Promise<{ report: { url: string; analysedAt: string } }[]>((resolve, reject) => {
            const r = db.transaction('visits').objectStore('visits').getAll();
            r.onsuccess = () => resolve(r.result as never);
            r.onerror = () => reject(r.error);
          });
          db.close();
          const mine = all
            .filter((v) => v.report.url === u)
            .sort((a, b) => (a.report.analysedAt < b.report.analysedAt ? 1 : -1));
          return (mine[0]?.report ?? null) as unknown as Recorded | null;
        }, url);
        return report?.requests.thirdPartyHosts.some((h) => h.host === 'collect.statistik-beispiel.example') ?? false;
      },
      { timeout: 15_000 },
    )
    .toBe(true)
    .catch(() => undefined);
  await probe.close();
  expect(report, `history record of ${url}`).not.toBeNull();
  return report!;
}
