/**
 * The history page (entrypoints/sites/) in the real extension, on the fixture web: sites with
 * their verdicts, filters and search, a site's timeline with what changed since the previous
 * visit, the three exports (Markdown, printable HTML, hashed JSON bundle, checked with
 * verifyBundle here in Node), deleting, import of a bad file, and a hostile page whose title and
 * cookie name are markup (must stay text on the page and in the exports).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import type { verifyBundle as VerifyBundle } from '@/lib/export/bundle';
import { type ExtensionHarness, expect, test } from './fixtures';
import { visitAndSettle } from './settle';

// lib/export imports rules.json without an import attribute (fine for Vite, not for Playwright's
// loader): load it through tsx, as audit.spec.ts does.
async function verifyBundle(bundle: unknown): ReturnType<typeof VerifyBundle> {
  const mod = (await tsImport('../../lib/export/bundle.ts', import.meta.url)) as { verifyBundle: typeof VerifyBundle };
  return mod.verifyBundle(bundle);
}

const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');

async function openHistory(ext: ExtensionHarness, query = ''): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/sites.html?lang=en${query}`);
  return page;
}

const row = (page: Page, site: string) => page.locator(`[data-testid="site-row"][data-site="${site}"]`);

async function downloadText(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(file, 'utf8') };
}

test('history: sites with verdicts, filters, search, timeline diff, exports, delete and import', async ({
  ext,
  loads,
}) => {
  test.setTimeout(180_000);
  await visitAndSettle(ext, loads, 'www.instagram.com', '/jobcenter_musterstadt/', 'red');
  // Kept to close it before its site is deleted: an open tab's visit is recorded again.
  const stadt = await visitAndSettle(ext, loads, 'www.stadt-musterstadt.de', '/', 'green');
  const shop = await visitAndSettle(ext, loads, 'www.shop-beispiel.de', '/', 'red');

  const history = await openHistory(ext);
  // The background records on every settled verdict; reload until all three show their final one.
  await expect(async () => {
    await history.reload();
    await expect(row(history, 'instagram.com')).toHaveAttribute('data-verdict', 'red', { timeout: 1_000 });
    await expect(row(history, 'stadt-musterstadt.de')).toHaveAttribute('data-verdict', 'green', { timeout: 1_000 });
    await expect(row(history, 'shop-beispiel.de')).toHaveAttribute('data-verdict', 'red', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(history.getByTestId('site-count')).toHaveText('3 of 3 sites');
  // Colour, icon and word; the authority flag; the third-party count.
  await expect(row(history, 'instagram.com').getByTestId('site-verdict')).toHaveText(/✖\s*Red/);
  await expect(row(history, 'stadt-musterstadt.de').getByTestId('site-verdict')).toHaveText(/✔\s*Green/);
  await expect(row(history, 'instagram.com').getByTestId('site-authority')).toContainText('Authority');
  await expect(row(history, 'shop-beispiel.de').getByTestId('site-authority')).not.toContainText('Authority');
  await expect(row(history, 'stadt-musterstadt.de').getByTestId('site-third-parties')).toHaveText('0');
  expect(
    Number(await row(history, 'shop-beispiel.de').getByTestId('site-third-parties').textContent()),
  ).toBeGreaterThan(0);

  mkdirSync(ARTIFACTS, { recursive: true });
  await history.screenshot({ path: path.join(ARTIFACTS, 'history-en.png'), fullPage: true });

  // German, switchable.
  await history.getByTestId('lang').selectOption('de');
  await expect(history.getByTestId('site-count')).toHaveText('3 von 3 Websites');
  await expect(row(history, 'instagram.com').getByTestId('site-verdict')).toHaveText(/Rot/);
  await history.getByTestId('lang').selectOption('en');

  // Filter: red only.
  await history.getByTestId('filter-verdict').selectOption('red');
  await expect(history.getByTestId('site-count')).toHaveText('2 of 3 sites');
  await expect(row(history, 'stadt-musterstadt.de')).toHaveCount(0);
  await expect(row(history, 'instagram.com')).toHaveCount(1);
  await history.getByTestId('filter-authority').selectOption('true');
  await expect(history.locator('[data-testid="site-row"]')).toHaveCount(1);
  await expect(row(history, 'instagram.com')).toHaveCount(1);
  await history.getByTestId('filter-authority').selectOption('');
  await history.getByTestId('filter-kind').selectOption('social-profile');
  await expect(history.locator('[data-testid="site-row"]')).toHaveCount(1);
  await history.getByTestId('filter-kind').selectOption('');
  await history.getByTestId('filter-verdict').selectOption('');
  // Search by site and by title.
  await history.getByTestId('search').fill('shop');
  await expect(history.locator('[data-testid="site-row"]')).toHaveCount(1);
  await expect(row(history, 'shop-beispiel.de')).toHaveCount(1);
  await history.getByTestId('search').fill('Tassen');
  await expect(history.locator('[data-testid="site-row"]')).toHaveCount(1);
  await history.getByTestId('search').fill('nothing-like-this');
  await expect(history.getByTestId('no-match')).toBeVisible();
  await history.getByTestId('search').fill('');
  await expect(history.locator('[data-testid="site-row"]')).toHaveCount(3);

  // Keyboard: Tab reaches the active row's link, arrows move, Enter opens.
  await history.getByTestId('site-link').first().focus();
  await history.keyboard.press('End');
  await expect(history.locator('[data-testid="site-row"]').last().getByTestId('site-link')).toBeFocused();

  // Second visit of the shop: its imprint page, without Google Analytics.
  const imprint = await loads.open('www.shop-beispiel.de/impressum.html');
  await shop.goto(imprint.httpsUrl('www.shop-beispiel.de', '/impressum.html'), { waitUntil: 'load' });
  await loads.check(ext, imprint, shop);
  await row(history, 'shop-beispiel.de').getByTestId('site-link').click();
  await expect(history).toHaveURL(/\?site=shop-beispiel\.de/);
  await expect(history.getByTestId('timeline-site')).toHaveText('shop-beispiel.de');
  await expect(async () => {
    await history.reload();
    await expect(history.getByTestId('visit')).toHaveCount(2, { timeout: 1_000 });
    await expect(history.getByTestId('visit').first().getByTestId('diff-goneThirdParties')).toContainText(
      'www.google-analytics.com',
      { timeout: 1_000 },
    );
  }).toPass({ timeout: 30_000 });
  const newest = history.getByTestId('visit').first();
  await expect(newest.getByTestId('visit-url')).toContainText('/impressum.html');
  await expect(newest.getByTestId('diff-goneThirdParties')).toContainText('No longer contacted');
  await expect(history.getByTestId('visit').last().getByTestId('diff')).toHaveText('First stored visit.');
  await expect(history.locator('[data-testid="chart"] circle')).toHaveCount(2);
  await expect(history.getByTestId('chart-summary')).toContainText('over 2 visits');
  await history.screenshot({ path: path.join(ARTIFACTS, 'history-timeline-en.png'), fullPage: true });

  // Exports with the user's own statement.
  const statement = 'I was asked to send my case number by direct message.';
  await history.getByTestId('statement').fill(statement);
  const md = await downloadText(history, () => history.getByTestId('export-md').click());
  expect(md.name).toMatch(/^datenschutz-ampel-shop-beispiel\.de-\d{4}-\d{2}-\d{2}\.summary\.md$/);
  // Escaped so that no GFM renderer turns it into a link (tests/unit/export/markdown-gfm.test.ts).
  expect(md.text).toContain('shop-beispiel\\.de');
  expect(md.text).toContain(statement);
  const html = await downloadText(history, () => history.getByTestId('export-html').click());
  expect(html.name).toMatch(/\.html$/);
  expect(html.text).toMatch(/^<!DOCTYPE html>/);
  expect(html.text).toContain(statement);
  const json = await downloadText(history, () => history.getByTestId('export-json').click());
  expect(json.name).toMatch(/\.bundle\.json$/);
  const bundle = JSON.parse(json.text) as {
    format: string;
    site: string;
    reports: unknown[];
    userStatements: { text: string }[];
  };
  expect(bundle.format).toBe('datenschutz-ampel/evidence-bundle');
  expect(bundle.reports).toHaveLength(2);
  expect(bundle.userStatements[0]?.text).toBe(statement);
  // The bundle's own parts verify; the files it lists (summaries, tables) were not handed in here.
  expect(await verifyBundle(bundle)).toMatchObject({ ok: true, mismatches: [] });
  // A changed byte is caught.
  const tampered = JSON.parse(json.text) as { userStatements: { text: string }[] };
  tampered.userStatements[0]!.text += '!';
  expect((await verifyBundle(tampered)).mismatches).toContain('userStatements.0');
  await expect(history.getByTestId('export-status')).toContainText('Downloaded');

  // Delete one visit.
  await history.getByTestId('visit').last().getByTestId('delete-visit').click();
  await expect(history.getByTestId('visit')).toHaveCount(1);
  await expect(history.getByTestId('notice')).toHaveText('Visit deleted.');

  // Delete a whole site (with confirmation; cancel first). Its tab is closed first: the background
  // re-records open tabs' visits when their report changes, which would bring the site back.
  await stadt.close();
  await history.goto(`chrome-extension://${ext.extensionId}/sites.html?lang=en&site=stadt-musterstadt.de`);
  await expect(history.getByTestId('visit')).toHaveCount(1);
  await history.getByTestId('delete-site').click();
  await expect(history.getByTestId('confirm-site-yes')).toBeFocused();
  await history.getByTestId('confirm-site-no').click();
  await expect(history.getByTestId('visit')).toHaveCount(1);
  await history.getByTestId('delete-site').click();
  await history.getByTestId('confirm-site-yes').click();
  await expect(history.getByTestId('notice')).toHaveText('Deleted 1 visit of stadt-musterstadt.de.');
  await expect(history.getByTestId('no-visits')).toBeVisible();
  await history.getByTestId('back').click();
  await expect(history.getByTestId('site-count')).toHaveText('2 of 2 sites');
  await expect(row(history, 'stadt-musterstadt.de')).toHaveCount(0);

  // Import a bad file: a clear message, nothing lost.
  await history
    .getByTestId('import-file')
    .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{ not json') });
  await expect(history.getByTestId('import-status')).toHaveText('The file is not valid JSON. Nothing was imported.');
  await expect(history.getByTestId('import-status')).toHaveAttribute('data-error', 'true');
  await history.getByTestId('import-file').setInputFiles({
    name: 'other.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format":"something-else","visits":[]}'),
  });
  await expect(history.getByTestId('import-status')).toHaveText(
    'The file is not a Datenschutz-Ampel history export. Nothing was imported.',
  );
  await history.reload();
  await expect(history.getByTestId('site-count')).toHaveText('2 of 2 sites');

  // Export everything and import it again: counts, nothing duplicated.
  const all = await downloadText(history, () => history.getByTestId('export-all').click());
  const exported = JSON.parse(all.text) as { format: string; visits: unknown[] };
  expect(exported.format).toBe('datenschutz-ampel-history');
  expect(exported.visits).toHaveLength(2);
  await history
    .getByTestId('import-file')
    .setInputFiles({ name: 'history.json', mimeType: 'application/json', buffer: Buffer.from(all.text) });
  await expect(history.getByTestId('import-status')).toHaveText(
    'Imported: 0 new, 0 updated, 2 unchanged (2 entries in the file).',
  );
  await expect(history.getByTestId('site-count')).toHaveText('2 of 2 sites');

  // Settings: retention and pause are on the options page, linked from here, and stored.
  await expect(history.getByTestId('options-link')).toHaveAttribute('href', /\/options\.html$/);
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await options.getByTestId('retention').fill('30');
  await options.getByTestId('save-retention').click();
  await expect(options.getByTestId('settings-status')).toHaveText('Saved.');
  await options.getByTestId('pause').check();
  await expect(options.getByTestId('paused-note')).toBeVisible();
  await options.reload();
  await expect(options.getByTestId('retention')).toHaveValue('30');
  await expect(options.getByTestId('pause')).toBeChecked();
  await options.close();

  // Delete everything (with confirmation).
  await history.getByTestId('delete-all').click();
  await history.getByTestId('confirm-all-yes').click();
  await expect(history.getByTestId('empty')).toBeVisible();
});

test('history: markup in a page title and a cookie name stays text on the page and in the exports', async ({
  ext,
  loads,
}) => {
  test.setTimeout(120_000);
  const payload = '<img src=x onerror="window.__pwned=1">Shop';
  const page = await ext.context.newPage();
  const load = await loads.open('xss.ampel-test.de/');
  await page.goto(load.httpsUrl('xss.ampel-test.de', '/'), { waitUntil: 'load' });
  expect(await page.title()).toBe(payload);
  await loads.check(ext, load, page);

  const history = await openHistory(ext);
  await expect(async () => {
    await history.reload();
    await expect(row(history, 'ampel-test.de').getByTestId('site-title')).toHaveText(payload, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  expect(await history.locator('[data-testid="site-list"] img').count()).toBe(0);
  expect(await history.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();

  await row(history, 'ampel-test.de').getByTestId('site-link').click();
  await expect(async () => {
    await history.reload();
    await expect(history.getByTestId('visit-cookies').first()).toContainText('<b>x</b>', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(history.getByTestId('visit-title').first()).toHaveText(payload);
  expect(await history.locator('[data-testid="timeline"] b, [data-testid="timeline"] img').count()).toBe(0);
  expect(await history.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();

  const md = await downloadText(history, () => history.getByTestId('export-md').click());
  expect(md.text).toContain('\\<img src=x');
  expect(md.text).not.toMatch(/(^|[^\\])<img/);
  expect(md.text).not.toMatch(/(^|[^\\])<b>/);
  const html = await downloadText(history, () => history.getByTestId('export-html').click());
  expect(html.text).toContain('&lt;img');
  expect(html.text).not.toContain('<img src=x');
  expect(html.text).not.toContain('<b>x</b>');
  const json = await downloadText(history, () => history.getByTestId('export-json').click());
  expect(await verifyBundle(JSON.parse(json.text))).toMatchObject({ ok: true, mismatches: [] });
  expect(await history.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
});

test('history: a long timeline paginates, coalesced reloads say how often, titles show no bidi controls', async ({
  ext,
}) => {
  // Seeded through the import (the page's own data flow), no page loads: nothing for the counts fixture to check.
  const { makeReport } = (await tsImport(
    '../unit/helpers/reports.ts',
    import.meta.url,
  )) as typeof import('../unit/helpers/reports');
  const { recordOfReport } = (await tsImport(
    '../../lib/history/schema.ts',
    import.meta.url,
  )) as typeof import('../../lib/history/schema');
  const now = Date.now() - 60_000;
  const records = Array.from({ length: 120 }, (_, i) =>
    recordOfReport(makeReport({ url: `https://www.example.de/p${i}`, visitedAt: now - (i + 1) * 3_600_000 })),
  );
  const newest = recordOfReport(
    makeReport({ url: 'https://www.example.de/', visitedAt: now - 300_000, title: 'Amt \u202Efdp.exe\u202C Start' }),
  )!;
  const file = JSON.stringify({
    format: 'datenschutz-ampel-history',
    version: 1,
    exportedAt: new Date(now).toISOString(),
    visits: [...records, { ...newest, loads: [now - 240_000, now - 180_000] }],
  });
  const history = await openHistory(ext);
  await history
    .getByTestId('import-file')
    .setInputFiles({ name: 'history.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(history.getByTestId('import-status')).toHaveText(
    'Imported: 121 new, 0 updated, 0 unchanged (121 entries in the file).',
  );
  await history.goto(`chrome-extension://${ext.extensionId}/sites.html?lang=en&site=example.de`);
  const visits = history.getByTestId('visit');
  await expect(visits).toHaveCount(50);
  await expect(visits.first().getByTestId('visit-loads')).toHaveText('loaded 3 times');
  await expect(visits.first().getByTestId('visit-title')).toHaveText('Amt fdp.exe Start');
  await expect(history.getByTestId('visit-loads')).toHaveCount(1);
  await history.getByTestId('more-visits').click();
  await expect(visits).toHaveCount(100);
  await expect(history.getByTestId('more-visits')).toHaveText('Show older visits (21 more)');
  await history.getByTestId('more-visits').click();
  await expect(visits).toHaveCount(121);
  await expect(history.getByTestId('more-visits')).toHaveCount(0);
});
