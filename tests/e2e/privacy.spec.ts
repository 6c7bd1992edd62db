/**
 * What the extension itself sends over the network, during a whole browsing session across the
 * fixture web (docs/security.md, "What the tests prove").
 *
 * Method (measured in Chromium 156 with Playwright 1.65):
 *  - Playwright attaches to the extension's service worker and reports its fetches through
 *    `context.on('request')` with `request.serviceWorker()` set; `request.allHeaders()` gives the
 *    headers that went on the wire, Cookie and Referer included (a positive control below proves
 *    that a Cookie header *would* be seen). Extension pages (popup, about) are ordinary pages.
 *  - Ground truth from the other side: with `--host-resolver-rules=MAP * 127.0.0.1` every hostname
 *    reaches the fixture server, whose log holds every request the browser made. Every logged
 *    request must be one Playwright saw from a web page or from the extension — so there is no
 *    request the recording missed.
 *  - Every fixture host gets a cookie in the jar before the session, so "no Cookie header" means
 *    `credentials: 'omit'` works, not that there was nothing to send; the pages' own requests
 *    carry that cookie (checked).
 */
import type { Page, Request } from '@playwright/test';
import type { Browser } from 'wxt/browser';
import type { FixtureServer, PageLoad } from './fixture-server';
import { type ExtensionHarness, type Loads, expect, test } from './fixtures';

declare const chrome: typeof Browser;

type Origin = 'worker' | 'extension-page' | 'web-page';
interface Seen {
  origin: Origin;
  method: string;
  url: string;
  headers: Promise<Record<string, string>>;
}

/** Records every request of the context from now on, with the page or worker it came from. */
function recordRequests(ext: ExtensionHarness): Seen[] {
  const seen: Seen[] = [];
  const extensionOrigin = `chrome-extension://${ext.extensionId}/`;
  ext.context.on('request', (request: Request) => {
    let origin: Origin;
    if (request.serviceWorker()) origin = 'worker';
    else {
      let pageUrl = '';
      try {
        pageUrl = request.frame().page().url();
      } catch {
        // No frame: not a page request (reported as such below, never silently dropped).
      }
      origin =
        pageUrl.startsWith(extensionOrigin) || request.url().startsWith(extensionOrigin)
          ? 'extension-page'
          : 'web-page';
      if (!pageUrl && !request.url().startsWith(extensionOrigin)) origin = 'worker';
    }
    // allHeaders() waits for the wire headers; a request that never got that far has none.
    const headers = Promise.race([
      request.allHeaders(),
      new Promise<Record<string, string>>((resolve) => setTimeout(() => resolve(request.headers()), 5000)),
    ]).catch(() => request.headers());
    seen.push({ origin, method: request.method(), url: request.url(), headers });
  });
  return seen;
}

const isHttp = (url: string) => /^https?:/i.test(url);
const hostPath = (url: string) => {
  const u = new URL(url);
  return `${u.hostname} ${u.pathname}${u.search}`;
};

/** Every request the fixture server received since `from` was seen by Playwright (as host + path + method). */
function expectServerLogExplained(web: FixtureServer, from: number, seen: Seen[]): void {
  const observed = new Map<string, number>();
  for (const s of seen.filter((x) => isHttp(x.url))) {
    const key = `${s.method} ${hostPath(s.url)}`;
    observed.set(key, (observed.get(key) ?? 0) + 1);
  }
  const unexplained: string[] = [];
  for (const entry of web.log.slice(from)) {
    const key = `${entry.method} ${entry.host} ${entry.path}`;
    const left = observed.get(key) ?? 0;
    if (left > 0) observed.set(key, left - 1);
    else unexplained.push(key);
  }
  expect(unexplained, 'requests the server got that no page and no extension context reported').toEqual([]);
}

const SITES = [
  'www.ampel-test.de',
  'www.jobcenter-musterstadt.de',
  'www.instagram.com',
  'www.stadt-musterstadt.de',
  'www.shop-beispiel.de',
];

async function visit(
  ext: ExtensionHarness,
  loads: Loads,
  scheme: 'http' | 'https',
  host: string,
  pathname: string,
): Promise<{ page: Page; tabId: number; load: PageLoad }> {
  const page = await ext.context.newPage();
  const load = await loads.open(`${host}${pathname}`);
  await page.goto(scheme === 'https' ? load.httpsUrl(host, pathname) : load.url(host, pathname), { waitUntil: 'load' });
  return { page, tabId: await ext.tabIdOf(page), load };
}

test('a whole session: the extension only GETs the linked imprint and privacy pages, without cookies or referrer', async ({
  ext,
  web,
  loads,
}) => {
  const from = web.log.length;
  const seen = recordRequests(ext);
  await ext.context.addCookies(
    SITES.map((domain) => ({ name: 'jar_probe', value: 'must-not-leak', domain, path: '/' })),
  );

  const visits = [
    await visit(ext, loads, 'http', 'www.ampel-test.de', '/counts.html'),
    await visit(ext, loads, 'http', 'www.jobcenter-musterstadt.de', '/'),
    await visit(ext, loads, 'https', 'www.instagram.com', '/jobcenter_musterstadt/'),
    await visit(ext, loads, 'https', 'www.stadt-musterstadt.de', '/'),
  ];
  const shop = await visit(ext, loads, 'https', 'www.shop-beispiel.de', '/');
  visits.push(shop);
  const lastVisit = Date.now();
  const [, jobcenter, instagram, stadt] = visits.map((v) => v.load);

  // What the pages link to (tests/fixtures/sites/*): counts.html has no legal links; Instagram's
  // own privacy policy is not the account's and is never fetched.
  const expected = [
    jobcenter!.url('www.jobcenter-musterstadt.de', '/impressum.html'),
    jobcenter!.url('www.jobcenter-musterstadt.de', '/datenschutz.html'),
    instagram!.httpsUrl('www.instagram.com', '/stories/highlights/17890/'),
    stadt!.httpsUrl('www.stadt-musterstadt.de', '/impressum.html'),
    stadt!.httpsUrl('www.stadt-musterstadt.de', '/datenschutz.html'),
    shop.load.httpsUrl('www.shop-beispiel.de', '/impressum.html'),
    shop.load.httpsUrl('www.shop-beispiel.de', '/datenschutz.html'),
  ].sort();
  const fromExtension = () => seen.filter((s) => s.origin !== 'web-page' && isHttp(s.url));
  await expect
    .poll(
      () =>
        fromExtension()
          .map((s) => s.url)
          .sort(),
      { timeout: 20_000 },
    )
    .toEqual(expected);

  // The popup and the about page: only chrome-extension:// loads.
  const popup = await ext.openPopup(shop.tabId);
  await expect(popup.getByTestId('verdict')).toBeVisible({ timeout: 15_000 });
  const about = await ext.context.newPage();
  await about.goto(`chrome-extension://${ext.extensionId}/about.html`);
  await expect(about.getByTestId('data-sources')).toBeVisible();

  // The content script reports a second time 3 s after idle (late-rendered bios): a fetch it
  // caused would come right after. Absence cannot be polled for; wait out that window once.
  await new Promise((r) => setTimeout(r, Math.max(0, lastVisit + 4000 - Date.now())));

  const extensionRequests = seen.filter((s) => s.origin !== 'web-page');
  expect(extensionRequests.length).toBeGreaterThan(expected.length);
  for (const s of extensionRequests) {
    if (!isHttp(s.url)) {
      expect(s.url, `${s.origin} loads only its own resources`).toMatch(
        new RegExp(`^chrome-extension://${ext.extensionId}/`),
      );
      continue;
    }
    expect(s.origin, s.url).toBe('worker');
    expect(s.method, s.url).toBe('GET');
    const headers = await s.headers;
    expect(headers.cookie, `${s.url} carries no cookie`).toBeUndefined();
    expect(headers.referer, `${s.url} carries no referrer`).toBeUndefined();
    expect(headers.authorization, s.url).toBeUndefined();
  }
  // Exactly the expected URLs, each once (the worker does not re-fetch on the second report).
  expect(
    extensionRequests
      .filter((s) => isHttp(s.url))
      .map((s) => s.url)
      .sort(),
  ).toEqual(expected);

  // The jar did have cookies for these hosts: the pages' own requests sent them.
  const pageDoc = seen.find(
    (s) => s.origin === 'web-page' && s.url === shop.load.httpsUrl('www.shop-beispiel.de', '/'),
  );
  expect((await pageDoc!.headers).cookie).toContain('jar_probe=must-not-leak');
  expectServerLogExplained(web, from, seen);
  // The pages' own counts equal the server's log, the extension's legal-page fetches left out.
  for (const v of visits) await loads.check(ext, v.load, v.page, v.tabId);

  // Positive control of the method: a worker fetch that does send cookies is seen with them.
  const probeLoad = await loads.open('worker fetch probe');
  loads.skip(probeLoad, 'a fetch this test makes from the worker itself, not a page load');
  const probe = probeLoad.url('www.jobcenter-musterstadt.de', '/impressum.html?probe');
  await ext.worker.evaluate((u) => fetch(u, { credentials: 'include' }).then((r) => r.status), probe);
  const control = seen.find((s) => s.url === probe);
  expect(control?.origin).toBe('worker');
  expect((await control!.headers).cookie).toContain('jar_probe=must-not-leak');
});

test('with fetching turned off, a new page visit causes no request from the extension at all', async ({
  ext,
  web,
  loads,
}) => {
  const settings = await ext.context.newPage();
  await settings.goto(`chrome-extension://${ext.extensionId}/about.html`);
  await settings.evaluate(() => chrome.storage.local.set({ settings: { fetchLegalPages: false } }));
  await expect
    .poll(() => ext.worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings))
    .toEqual({ fetchLegalPages: false });

  const from = web.log.length;
  const seen = recordRequests(ext);
  const { tabId, load, page } = await visit(ext, loads, 'http', 'www.jobcenter-musterstadt.de', '/');
  // Once the background has the page facts, a fetch would have started synchronously with them.
  await expect
    .poll(
      async () => {
        const response = (await settings.evaluate(
          (id) => chrome.runtime.sendMessage({ type: 'get-visit', tabId: id }),
          tabId,
        )) as {
          checks: { imprint: { status: string }; privacy: { status: string } } | null;
        };
        return [response.checks?.imprint.status, response.checks?.privacy.status];
      },
      { timeout: 15_000 },
    )
    .toEqual(['not-checked', 'not-checked']);
  await new Promise((r) => setTimeout(r, 500));

  expect(seen.filter((s) => s.origin !== 'web-page' && isHttp(s.url)).map((s) => s.url)).toEqual([]);
  const legal = web.log.slice(from).filter((e) => /impressum|datenschutz/.test(e.path));
  expect(legal, 'the server never saw a legal-page request').toEqual([]);
  expectServerLogExplained(web, from, seen);
  await loads.check(ext, load, page, tabId);
});
