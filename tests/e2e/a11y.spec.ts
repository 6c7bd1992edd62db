/**
 * Accessibility and layout of the extension's pages in the real built extension:
 * - an axe-core scan (https://github.com/dequelabs/axe-core, WCAG 2.x A/AA rules) of popup,
 *   history page, print view and about page, in light and dark (prefers-color-scheme emulated):
 *   no serious or critical violation;
 * - the popup at 400 × 600 px (Chrome's popups stop at 800 × 600:
 *   https://developer.chrome.com/docs/extensions/reference/api/action#popup) on a link-in-bio page
 *   with many third parties, German and English: verdict, three reasons and every section header
 *   inside the viewport without scrolling; screenshots (de/en, light/dark) as test artifacts;
 * - keyboard only: every section and button of the popup reached by Tab, a section opened with
 *   Enter; in the history page a site found, its timeline opened and an export started.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { type ExtensionHarness, type Loads, expect, test } from './fixtures';

const POPUP = { width: 400, height: 600 };
const LINK_PAGE = { host: 'linktr.ee', path: '/stadtfest_musterstadt/' };

/** Visits the link-in-bio page and opens its popup at the browser's maximum popup size. */
async function linkPagePopup(
  ext: ExtensionHarness,
  loads: Loads,
): Promise<{ popup: Page; finish: () => Promise<void> }> {
  const page = await ext.context.newPage();
  const load = await loads.open(`${LINK_PAGE.host}${LINK_PAGE.path}`);
  await page.goto(load.httpsUrl(LINK_PAGE.host, LINK_PAGE.path), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await popup.setViewportSize(POPUP);
  // Legal pages are fetched in the background: the verdict settles within a few seconds.
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'red', { timeout: 20_000 });
  return { popup, finish: () => loads.check(ext, load, page, tabId).then(() => undefined) };
}

const SECTIONS = ['recipients', 'legal', 'consent', 'counts', 'cookies'];

test('popup at 400 × 600: verdict, three reasons and every section header without scrolling (de, en, light, dark)', async ({
  ext,
  loads,
}, testInfo) => {
  test.setTimeout(120_000);
  const { popup, finish } = await linkPagePopup(ext, loads);
  // The page really has many third parties (companies and unknown hosts).
  await expect(popup.getByTestId('section-recipients').locator('li.company')).not.toHaveCount(0);
  expect(await popup.getByTestId('section-recipients').locator('li.company').count()).toBeGreaterThanOrEqual(15);
  for (const lang of ['de', 'en'] as const) {
    await popup.getByTestId('lang').selectOption(lang);
    await expect(popup.getByTestId('verdict-word')).toHaveText(lang === 'de' ? /Rot/ : /Red/);
    const reasons = popup.locator('[data-testid="reasons"] > li');
    await expect(reasons).toHaveCount(3);
    // Screenshots first, so a failing layout is there to look at.
    for (const colorScheme of ['light', 'dark'] as const) {
      await popup.emulateMedia({ colorScheme });
      const file = testInfo.outputPath(`popup-${lang}-${colorScheme}.png`);
      await popup.screenshot({ path: file });
      await testInfo.attach(`popup-${lang}-${colorScheme}`, { path: file, contentType: 'image/png' });
    }
    await popup.emulateMedia({ colorScheme: null });
    const mustSee = [
      popup.getByTestId('verdict-word'),
      reasons.nth(0),
      reasons.nth(1),
      reasons.nth(2),
      ...SECTIONS.map((id) => popup.locator(`[data-testid="section-${id}"] > summary`)),
    ];
    for (const locator of mustSee) {
      const box = await locator.boundingBox();
      expect(box, `${lang}: ${locator.toString()} is rendered`).not.toBeNull();
      expect(box!.y + box!.height, `${lang}: ${locator.toString()} ends inside 600 px`).toBeLessThanOrEqual(
        POPUP.height,
      );
    }
    expect(await popup.evaluate(() => window.scrollY)).toBe(0);
    testInfo.annotations.push({
      type: 'popup height',
      description: `${lang}: ${await popup.evaluate(() => document.documentElement.scrollHeight)} px (all sections closed)`,
    });
  }
  // Dark mode is really applied: the page background follows the scheme.
  await popup.emulateMedia({ colorScheme: 'dark' });
  const dark = await popup.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await popup.emulateMedia({ colorScheme: 'light' });
  const light = await popup.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(light).toBe('rgb(255, 255, 255)');
  expect(dark).not.toBe(light);
  await finish();
});

test('each recipient company links its privacy policy from the tracker data; the popup passes axe and Tab reaches every section and button', async ({
  ext,
  loads,
}, testInfo) => {
  // Two axe scans, one Tab per focusable element and the counts check: slow on a loaded machine.
  test.setTimeout(150_000);
  const { popup, finish } = await linkPagePopup(ext, loads);
  // Ground truth: the organisation's privacy_policy_url in @ghostery/trackerdb, the package the
  // shipped data is built from (scripts/build-data.ts).
  // The package's `exports` hides dist/: read it from its folder, as scripts/build-data.ts does.
  const file = path.resolve(import.meta.dirname, '../../node_modules/@ghostery/trackerdb/dist/trackerdb.json');
  const db = JSON.parse(readFileSync(file, 'utf8')) as {
    organizations: Record<string, { name: string; privacy_policy_url?: string }>;
  };
  const byName = new Map(Object.values(db.organizations).map((o) => [o.name, o.privacy_policy_url ?? null]));
  const companies = popup.locator('li.company');
  let linked = 0;
  for (const item of await companies.all()) {
    const name = (await item.getAttribute('data-company')) ?? '';
    const want = byName.get(name);
    const link = item.getByTestId('company-policy');
    if (want) {
      await expect(link, name).toHaveAttribute('href', want);
      linked++;
    } else if (want === null || !name) await expect(link, name).toHaveCount(0);
  }
  expect(linked).toBeGreaterThanOrEqual(5);

  await expectAccessible(popup, 'popup', testInfo);

  // Keyboard only: from the top, Tab reaches every section header, button, link and field shown.
  // Each focusable element is named by its test id (a section header by its section's).
  const reachable = await popup.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main summary, main button, main select, main input, main a[href]')]
      // Closed sections hide their content (content-visibility: hidden): not reachable, rightly.
      .filter((el) => el.checkVisibility())
      .map((el) =>
        el.tagName === 'SUMMARY'
          ? `summary:${el.parentElement?.dataset.testid ?? ''}`
          : `${el.tagName.toLowerCase()}:${el.dataset.testid ?? el.textContent ?? ''}`,
      ),
  );
  expect(reachable).toEqual(expect.arrayContaining(SECTIONS.map((id) => `summary:section-${id}`)));
  await popup.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen: string[] = [];
  for (let i = 0; i < reachable.length + 5; i++) {
    await popup.keyboard.press('Tab');
    const name = await popup.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return '';
      return el.tagName === 'SUMMARY'
        ? `summary:${el.parentElement?.dataset.testid ?? ''}`
        : `${el.tagName.toLowerCase()}:${el.dataset.testid ?? el.textContent ?? ''}`;
    });
    if (seen.includes(name)) break;
    seen.push(name);
  }
  expect(seen).toEqual(expect.arrayContaining(reachable));
  // A section opens with Enter on its header.
  await popup.locator('[data-testid="section-cookies"] > summary').focus();
  await popup.keyboard.press('Enter');
  await expect(popup.getByTestId('section-cookies')).toHaveAttribute('open', '');
  await expect(popup.getByTestId('section-cookies').locator('tr[data-cookie="_fbp"]')).toBeVisible();
  await finish();
});

/** Extension pages scanned as they open, in both schemes. Add a page with one line. */
const PAGES: { name: string; path: string }[] = [
  { name: 'about', path: '/about.html' },
  { name: 'options', path: '/options.html' },
  { name: 'first-run', path: '/welcome.html' },
];

for (const { name, path: pagePath } of PAGES)
  test(`axe: the ${name} page has no serious or critical violations (light, dark)`, async ({ ext }, testInfo) => {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}${pagePath}`);
    await page.waitForLoadState('load');
    await expect(page.locator('h1').first()).toBeVisible();
    await expectAccessible(page, name, testInfo);
  });

test('history page by keyboard: find a site, open its timeline, start an export; history and print view pass axe', async ({
  ext,
  loads,
}, testInfo) => {
  test.setTimeout(180_000);
  const { popup, finish } = await linkPagePopup(ext, loads);
  await popup.close();
  await finish();
  const history = await ext.context.newPage();
  await history.goto(`chrome-extension://${ext.extensionId}/sites.html?lang=en`);
  // The background records the visit on its settled verdict: reload until it is listed.
  await expect(async () => {
    await history.reload();
    await expect(history.locator('[data-testid="site-row"][data-site="linktr.ee"]')).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expectAccessible(history, 'history', testInfo);

  // Find the site: Tab to the search field, type, Tab on to the list's link, Enter.
  const search = history.getByTestId('search');
  for (let i = 0; i < 20 && !(await search.evaluate((el) => el === document.activeElement)); i++)
    await history.keyboard.press('Tab');
  await expect(search).toBeFocused();
  await history.keyboard.type('linktr');
  await expect(history.getByTestId('site-row')).toHaveCount(1);
  const link = history.getByTestId('site-link');
  for (let i = 0; i < 20 && !(await link.evaluate((el) => el === document.activeElement)); i++)
    await history.keyboard.press('Tab');
  await expect(link).toBeFocused();
  await history.keyboard.press('Enter');
  await expect(history.getByTestId('timeline-site')).toHaveText('linktr.ee');
  await expectAccessible(history, 'timeline', testInfo);

  // Start an export: Tab to the Markdown download and press Enter.
  const md = history.getByTestId('export-md');
  for (let i = 0; i < 60 && !(await md.evaluate((el) => el === document.activeElement)); i++)
    await history.keyboard.press('Tab');
  await expect(md).toBeFocused();
  const [download] = await Promise.all([history.waitForEvent('download'), history.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toMatch(/\.md$/);

  // The print view ("Save as PDF"), also by keyboard; the printable document itself stays light.
  const pdf = history.getByTestId('export-pdf');
  await pdf.focus();
  await history.keyboard.press('Enter');
  await expect(history.getByTestId('print-view')).toBeVisible();
  await expect(history.getByTestId('print-close')).toBeFocused();
  await expectAccessible(history, 'print-view', testInfo);
  await history.emulateMedia({ colorScheme: 'dark' });
  const frame = history.frameLocator('[data-testid="print-frame"]');
  await expect(frame.locator('body')).toHaveCSS('color', 'rgb(17, 17, 17)');
  await history.keyboard.press('Escape');
  await expect(history.getByTestId('print-view')).toHaveCount(0);
});
