/**
 * The two scripts that read a page (consent detection, page facts) are injected by the background
 * once the page's `load` is over (entrypoints/background/page-scripts.ts): the browser compiles and
 * starts them after `load`, not at document_idle, which Chromium reaches up to 200 ms after
 * DOMContentLoaded however far away `load` is (docs/ARCHITECTURE.md, "Page-load overhead"). Seen
 * from DevTools' protocol: `Debugger.scriptParsed` names every script a page's renderer compiles,
 * our isolated world's included.
 */
import type { Browser } from 'wxt/browser';
import { RESOURCE_REQUEST } from '@/lib/tally/resource-timing';
import { expect, test } from './fixtures';

declare const chrome: typeof Browser;

test('the page-reading scripts are compiled only after the page has loaded, and still read it', async ({
  ext,
  loads,
}) => {
  const page = await ext.context.newPage();
  const cdp = await ext.context.newCDPSession(page);
  // The renderer's events in the order it sent them: the page's DOMContentLoaded and load, and
  // each of our scripts when compiled.
  const seen: string[] = [];
  cdp.on('Page.domContentEventFired', () => seen.push('DOMContentLoaded'));
  cdp.on('Page.loadEventFired', () => seen.push('load'));
  cdp.on('Debugger.scriptParsed', (e) => {
    const file = /\/content-scripts\/([\w-]+\.js)$/.exec(e.url)?.[1];
    if (file && e.url.startsWith(`chrome-extension://${ext.extensionId}/`)) seen.push(file);
  });
  await cdp.send('Page.enable');
  await cdp.send('Debugger.enable');
  // One image answers after 2 s: DOMContentLoaded early, `load` about 2 s later.
  const load = await loads.open('www.stadt-musterstadt.de/langsam.html');
  await page.goto(load.url('www.stadt-musterstadt.de', '/langsam.html'), { waitUntil: 'load' });
  const gap = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return n.loadEventStart - n.domContentLoadedEventStart;
  });
  expect(gap).toBeGreaterThan(1000);
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  // They ran: the facts named the imprint, which was fetched; the detection finished.
  await expect(popup.getByTestId('imprint-check')).toHaveAttribute('data-status', 'found', { timeout: 20_000 });
  await expect(popup.getByTestId('consent')).toHaveAttribute('data-status', 'none-found', { timeout: 15_000 });
  // The document_start script was compiled at the start, the page-reading ones after `load`
  // (as document_idle scripts they were compiled within 200 ms of DOMContentLoaded, long before `load`).
  const at = (name: string) => seen.indexOf(name);
  expect(seen.filter((x) => x.endsWith('.js')).sort()).toEqual(['consent.js', 'content.js', 'resource-timing.js']);
  expect(at('resource-timing.js')).toBeLessThan(at('DOMContentLoaded'));
  expect(at('consent.js'), seen.join(' ')).toBeGreaterThan(at('load'));
  expect(at('content.js'), seen.join(' ')).toBeGreaterThan(at('load'));
  await loads.check(ext, load, page, tabId);
});

// The reconciliation after a stopped worker takes only cookies the visit demonstrably set; for
// cookies written by the page's scripts the evidence is the document_start script's list of names
// that are new or changed since the page started (lib/tally/resource-timing.ts
// `watchCookieChanges`): from the Cookie Store's change events where the page has them (https),
// from two document.cookie readings elsewhere (http). Both must leave out a cookie rewritten with
// the value it already had.
for (const scheme of ['https', 'http'] as const) {
  test(`the document_start script names the cookies a page changed since it started (${scheme})`, async ({
    ext,
    loads,
  }) => {
    const page = await ext.context.newPage();
    const changedCookies = async (visit: string) => {
      const load = await loads.open(`www.shop-beispiel.de/kekse.html ${visit}`);
      const url =
        scheme === 'https'
          ? load.httpsUrl('www.shop-beispiel.de', '/kekse.html')
          : load.url('www.shop-beispiel.de', '/kekse.html');
      await page.goto(url, { waitUntil: 'load' });
      await expect(page.locator('body')).toHaveAttribute('data-done', '1');
      const tabId = await ext.tabIdOf(page);
      const answer = (await ext.worker.evaluate(
        ({ id, type }) => chrome.tabs.sendMessage(id, { type }, { frameId: 0 }),
        { id: tabId, type: RESOURCE_REQUEST.type },
      )) as { documentUrl: string; changedCookies: string[] };
      expect(answer.documentUrl).toBe(url);
      await loads.check(ext, load, page, tabId);
      return answer.changedCookies.sort();
    };
    // The path under test: the Cookie Store exists only in a secure context.
    await changedCookies('first');
    expect(await page.evaluate(() => 'cookieStore' in window)).toBe(scheme === 'https');
    // The first visit set all three; the second changed two of them.
    expect(await changedCookies('second')).toEqual(['besuch', 'spaet']);
  });
}
