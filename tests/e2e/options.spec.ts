/**
 * The options page holds every setting and every page follows it; the first-run page opens once on
 * install and its fetch switch is the same setting. Screenshots of the options page (light and
 * dark) land in tests/e2e/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'wxt/browser';
import { expect, test } from './fixtures';

declare const chrome: typeof Browser;
const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');

test('the options page stores the language and the fetch setting; popup, history page and gear follow', async ({
  ext,
}) => {
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  // Nothing stored yet: the browser's language (English here), shown as the automatic choice.
  await expect(options.getByTestId('options-lang')).toHaveValue('');
  await expect(options.locator('h1')).toHaveText('Settings');
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await options.emulateMedia({ colorScheme: scheme });
    await options.screenshot({ path: path.join(ARTIFACTS, `options-${scheme}.png`), fullPage: true });
  }
  // Dark mode reaches the page through the shared tokens: the background really changes.
  const background = () => options.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await options.emulateMedia({ colorScheme: 'light' });
  const light = await background();
  await options.emulateMedia({ colorScheme: 'dark' });
  expect(await background()).not.toBe(light);

  await options.getByTestId('options-lang').selectOption('de');
  await expect(options.locator('h1')).toHaveText('Einstellungen');
  await options.getByTestId('setting-fetch').uncheck();
  await expect
    .poll(() => ext.worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings))
    .toEqual({ language: 'de', fetchLegalPages: false });

  // Other pages read the stored language; the history page links back here.
  const history = await ext.context.newPage();
  await history.goto(`chrome-extension://${ext.extensionId}/sites.html`);
  await expect(history.locator('html')).toHaveAttribute('lang', 'de');
  await expect(history.getByTestId('options-link')).toHaveText('Einstellungen öffnen');
  const popup = await ext.openPopup(0);
  await expect(popup.locator('html')).toHaveAttribute('lang', 'de');
  // A choice in the popup is stored too (it was forgotten when the popup closed).
  await popup.getByTestId('lang').selectOption('en');
  await expect(options.locator('h1')).toHaveText('Settings');

  // The gear opens the options page (runtime.openOptionsPage: options_ui opens in a tab).
  await options.close();
  const opened = ext.context.waitForEvent('page');
  await popup.getByTestId('open-options').click();
  const page = await opened;
  await expect(page).toHaveURL(new RegExp(`^chrome-extension://${ext.extensionId}/options\\.html`));
  await expect(page.getByTestId('setting-fetch')).not.toBeChecked();

  // An old stored value (only the fetch setting, as before the language existed) still reads.
  await page.evaluate(() => chrome.storage.local.set({ settings: { fetchLegalPages: true } }));
  await page.reload();
  await expect(page.getByTestId('setting-fetch')).toBeChecked();
  await expect(page.getByTestId('options-lang')).toHaveValue('');
});

test('the first-run page opens once on install, explains the extension and switches the fetch setting', async ({
  ext,
}) => {
  // The fixture closed the tab the install opened: exactly one, and no other appears later.
  expect(ext.firstRunPagesClosed).toBe(1);
  await new Promise((r) => setTimeout(r, 500));
  expect(ext.context.pages().filter((p) => p.url().endsWith('/welcome.html'))).toEqual([]);

  const welcome = await ext.context.newPage();
  await welcome.goto(`chrome-extension://${ext.extensionId}/welcome.html`);
  await expect(welcome.getByTestId('welcome')).toContainText('toolbar');
  await expect(welcome.getByTestId('welcome')).toContainText('without cookies');
  await expect(welcome.getByTestId('setting-fetch')).toBeChecked();
  await welcome.getByTestId('setting-fetch').uncheck();
  await expect
    .poll(() => ext.worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings))
    .toEqual({ fetchLegalPages: false });
  const opened = ext.context.waitForEvent('page');
  await welcome.getByTestId('welcome-options').click();
  await expect(await opened).toHaveURL(/\/options\.html/);
});
