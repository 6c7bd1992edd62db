/**
 * Our content scripts start without a word to the page. WXT's content-script context announced
 * each start with a window.postMessage and a document event named after the extension id
 * (shell/content-script-context.ts says why and what replaced it); a page listening from
 * document_start heard both and knew who runs Datenschutz-Ampel. The fixture page
 * (tests/fixtures/sites/www.shop-beispiel.de/listener.html) listens for everything it can hook;
 * all three content scripts must demonstrably have run while it heard nothing.
 */
import type { Browser } from 'wxt/browser';
import { RESOURCE_REQUEST } from '@/lib/tally/resource-timing';
import { expect, test } from './fixtures';

declare const chrome: typeof Browser;
type Heard = { how: string; type: string; data: string }[];

test('a page listening from document_start hears nothing of our three content scripts', async ({ ext, loads }) => {
  const load = await loads.open('www.shop-beispiel.de/listener.html');
  const page = await ext.context.newPage();
  await page.goto(load.httpsUrl('www.shop-beispiel.de', `/listener.html?ext=${ext.extensionId}`), {
    waitUntil: 'load',
  });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  // content.ts ran: its facts named the imprint link, which the worker fetched and analysed.
  await expect(popup.getByTestId('imprint-check')).toHaveAttribute('data-status', 'found', { timeout: 20_000 });
  // consent.content.ts ran: the banner was detected.
  await expect(popup.getByTestId('consent')).toHaveAttribute('data-status', 'banner-shown', { timeout: 15_000 });
  // resource-timing.content.ts ran from document_start: it answers with this page's own requests.
  const answer = (await ext.worker.evaluate(({ id, type }) => chrome.tabs.sendMessage(id, { type }, { frameId: 0 }), {
    id: tabId,
    type: RESOURCE_REQUEST.type,
  })) as { documentUrl: string; entries: { url: string }[] };
  expect(answer.documentUrl).toContain('/listener.html');
  expect(answer.entries.map((e) => new URL(e.url).pathname)).toContain('/tasse.gif');

  await loads.check(ext, load, page, tabId);
  expect(await page.evaluate(() => (window as unknown as { __heard: Heard }).__heard)).toEqual([]);

  // Control: the page's ears work — its own message and an id-named event are heard.
  await page.evaluate((id) => {
    postMessage({ type: `${id}:content:wxt:content-script-started` }, '*');
    document.dispatchEvent(new CustomEvent(`${id}:consent:wxt:content-script-started`));
  }, ext.extensionId);
  await expect
    .poll(() =>
      page.evaluate(() => [...new Set((window as unknown as { __heard: Heard }).__heard.map((h) => h.how))].sort()),
    )
    .toEqual(['dispatchEvent', 'listener', 'window message']);
});
