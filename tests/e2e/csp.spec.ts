/**
 * The extension pages and the service worker do everything they need under the strict CSP of
 * wxt.config.ts (`default-src 'self'` plus connect-src http(s) and img-src data:): the worker
 * loads its data and fetches a legal page, the popup renders the verdict, the sites page shows
 * the export screenshot (a data: URL), the about page reads its data sources — and Chromium
 * reports no CSP violation on any of them. (tests/e2e/manifest.spec.ts checks the policy itself.)
 */
import type { ConsoleMessage } from '@playwright/test';
import { expect, test } from './fixtures';

declare const chrome: { storage: { session: { set(items: object): Promise<void> } } };

/** A 2x1 PNG (red, green). */
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAD0lEQVR4nGP4z8DA8J8BAAf/Af8Bf4mnAAAAAElFTkSuQmCC';

test('popup, sites and about pages and the worker run under the CSP without a violation', async ({ ext, loads }) => {
  const violations: string[] = [];
  const watch = (message: ConsoleMessage) => {
    if (/Content Security Policy/i.test(message.text()))
      violations.push(`${message.location().url}: ${message.text()}`);
  };
  ext.context.on('console', watch);

  const load = await loads.open('www.shop-beispiel.de/');
  const page = await ext.context.newPage();
  await page.goto(load.httpsUrl('www.shop-beispiel.de', '/'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  // The imprint was fetched over http(s) by the worker (connect-src) and analysed.
  await expect(popup.getByTestId('imprint-check')).toHaveAttribute('data-status', 'found', { timeout: 20_000 });
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'red', { timeout: 20_000 });
  await loads.check(ext, load, page, tabId);

  // The export screenshot, as the popup leaves it in storage.session, shown as a data: image.
  await ext.worker.evaluate(
    (dataUrl) =>
      chrome.storage.session.set({
        pendingScreenshot: { site: 'shop-beispiel.de', url: 'x', dataUrl, takenAt: new Date().toISOString() },
      }),
    PNG,
  );
  const sites = await ext.context.newPage();
  await expect(async () => {
    await sites.goto(`chrome-extension://${ext.extensionId}/sites.html?lang=en&site=shop-beispiel.de&export=1`);
    await expect(sites.getByTestId('visit')).not.toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const thumb = sites.locator('img.shot-thumb');
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);

  // The site list positions its virtualised rows with inline style objects (CSSOM, not style-src).
  await sites.goto(`chrome-extension://${ext.extensionId}/sites.html?lang=en`);
  const row = sites.locator('[data-testid="site-row"][data-site="shop-beispiel.de"]');
  await expect(row).toBeVisible();
  expect(await row.evaluate((el) => getComputedStyle(el).transform)).not.toBe('none');

  const about = await ext.context.newPage();
  await about.goto(`chrome-extension://${ext.extensionId}/about.html`);
  // sources.json comes from the package (connect-src 'self').
  await expect(about.getByTestId('data-sources').locator('tbody tr')).not.toHaveCount(0);

  expect(violations).toEqual([]);
});
