/**
 * The core journeys in real Firefox, each as the Chromium suite checks them: an authority site
 * whose imprint and privacy notice are fetched and analysed, a consent banner detected and never
 * touched, the popup for a tab, and the history page with a recorded visit and its evidence
 * export, saved by Firefox's own download manager.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import type { verifyBundle as VerifyBundle } from '@/lib/export/bundle';
import { RESOURCE_REQUEST } from '@/lib/tally/resource-timing';
import { reportSchemaErrors } from '../../report-schema';
import {
  SITES_PAGE,
  attributeOf,
  reloadExtensionPage,
  expect,
  test,
  testIdText,
  type FirefoxHarness,
} from './fixtures';

/** In an add-on page of the MV2 build (only what this spec calls). */
declare const browser: {
  browserAction: { getPopup(details: { tabId: number }): Promise<string> };
  storage: { session: { get(key: string): Promise<Record<string, unknown>> } };
};

async function settledReport(ff: FirefoxHarness, tabId: number, verdict: string) {
  // Legal pages are fetched in the background: the verdict settles within a few seconds.
  await expect
    .poll(
      async () => {
        const { report } = await ff.visitOf(tabId);
        return report && [report.imprint.status, report.privacyNotice.status].includes('not-checked')
          ? 'pending'
          : report?.verdict;
      },
      { timeout: 30_000 },
    )
    .toBe(verdict);
  const { report } = await ff.visitOf(tabId);
  expect(reportSchemaErrors(report)).toEqual([]);
  return report!;
}

test('an authority site: imprint and privacy notice fetched and analysed, WhatsApp found, the popup shows it', async ({
  ff,
  web,
}) => {
  const url = web.url('www.jobcenter-musterstadt.de', '/');
  await ff.open(url);
  const tabId = await ff.tabIdOf(url);
  const report = await settledReport(ff, tabId, 'red');
  expect(report.authority.isAuthority).toBe(true);
  expect(report.imprint.status).toBe('found');
  expect(report.imprint.url).toBe(web.url('www.jobcenter-musterstadt.de', '/impressum.html'));
  for (const element of [
    'address',
    'email',
    'phone',
    'representative',
    'supervisory-authority',
    'responsible-for-content',
  ])
    expect(report.imprint.elements[element], element).toBe(true);
  expect(report.imprint.elements['vat-id']).toBe(false);
  expect(report.privacyNotice.status).toBe('found');
  for (const element of ['controller', 'dpo', 'legal-basis', 'rights', 'complaint-right'])
    expect(report.privacyNotice.elements[element], element).toBe(true);
  expect(report.messengers.map((m) => m.kind)).toContain('whatsapp');

  const popup = await ff.openPopup(tabId);
  await expect.poll(() => attributeOf(popup, '[data-testid="imprint-check"]', 'data-status')).toBe('found');
  await expect.poll(() => attributeOf(popup, '[data-testid="privacy-check"]', 'data-status')).toBe('found');
  await expect.poll(() => attributeOf(popup, '[data-testid="verdict"]', 'data-verdict')).toBe('red');
  await expect.poll(() => attributeOf(popup, '[data-testid="authority-state"]', 'data-authority')).toBe('true');
  expect(await testIdText(popup, 'page-url')).toBe(url);

  // The toolbar button's popup (MV2 browserAction) names the tab, and the popup starts from the
  // tab's first view in storage.session (lib/toolbar/popup-start.ts) without asking first.
  expect(await ff.inExtension((id) => browser.browserAction.getPopup({ tabId: id }), tabId)).toMatch(
    new RegExp(`/popup\\.html\\?tabId=${tabId}$`),
  );
  // Stored once the tab's report has been unchanged for a second (entrypoints/background/verdict-hub.ts).
  const stored = () =>
    ff.inExtension(async (key) => (await browser.storage.session.get(key))[key] !== undefined, `firstView:${tabId}`);
  await expect.poll(stored).toBe(true);
  const again = await ff.openPopup(tabId);
  await expect.poll(() => attributeOf(again, '[data-testid="verdict"]', 'data-verdict')).toBe('red');
  expect(await again.evaluate(() => performance.getEntriesByName('dsa-stored').length)).toBe(1);
  expect((await ff.diagnostics()).errors).toBe(0);
});

test('a OneTrust banner is detected as shown and left untouched', async ({ ff, web }) => {
  const url = web.httpsUrl('www.shop-beispiel.de', '/banner.html');
  const page = await ff.open(url);
  const tabId = await ff.tabIdOf(url);
  await expect
    .poll(async () => (await ff.visitOf(tabId)).report?.consent?.status, { timeout: 20_000 })
    .toBe('banner-shown');
  const { report } = await ff.visitOf(tabId);
  expect(report?.consent?.cmp).toBe('Onetrust');
  const popup = await ff.openPopup(tabId);
  await expect.poll(() => attributeOf(popup, '[data-testid="consent"]', 'data-cmp')).toBe('Onetrust');
  // Detection only: the banner is still visible and none of its buttons was clicked.
  expect(await page.evaluate(() => Boolean(document.querySelector('#onetrust-banner-sdk')?.checkVisibility()))).toBe(
    true,
  );
  expect(await page.evaluate(() => document.body.dataset.clicked ?? '')).toBe('');
});

// lib/export imports rules.json without an import attribute: load it through tsx (as history.spec.ts).
async function verifyBundle(bundle: unknown): ReturnType<typeof VerifyBundle> {
  const mod = (await tsImport('../../../lib/export/bundle.ts', import.meta.url)) as {
    verifyBundle: typeof VerifyBundle;
  };
  return mod.verifyBundle(bundle);
}

test('the history page lists a recorded visit, and its evidence export is saved by Firefox and verifies', async ({
  ff,
  web,
}) => {
  const url = web.httpsUrl('www.stadt-musterstadt.de', '/');
  await ff.open(url);
  await settledReport(ff, await ff.tabIdOf(url), 'green');

  const history = await ff.openPage(`${SITES_PAGE}?lang=en`);
  const row = '[data-testid="site-row"][data-site="stadt-musterstadt.de"]';
  // The background records on every settled verdict; the page reads the store when it opens.
  await expect
    .poll(
      async () => {
        await reloadExtensionPage(history);
        return attributeOf(history, row, 'data-verdict');
      },
      { timeout: 30_000 },
    )
    .toBe('green');

  const timeline = await ff.openPage(`${SITES_PAGE}?site=stadt-musterstadt.de&lang=en`);
  await expect.poll(() => timeline.evaluate(() => document.querySelectorAll('[data-testid="visit"]').length)).toBe(1);
  const statement = 'Seen in Firefox.';
  await timeline.type('[data-testid="statement"]', statement);
  await timeline.click('[data-testid="export-json"]');
  // Firefox creates the file under its final name first and fills it from a .part file: poll
  // until it parses.
  type Bundle = { site: string; reports: { url: string }[]; userStatements: { text: string }[] };
  const saved = (): { name: string; bundle: Bundle } | undefined => {
    const name = readdirSync(ff.downloadDir).find((f) => f.endsWith('.bundle.json'));
    if (!name || readdirSync(ff.downloadDir).some((f) => f.endsWith('.part'))) return undefined;
    try {
      return { name, bundle: JSON.parse(readFileSync(path.join(ff.downloadDir, name), 'utf8')) as Bundle };
    } catch {
      return undefined;
    }
  };
  await expect
    .poll(() => saved()?.name)
    .toMatch(/^datenschutz-ampel-stadt-musterstadt\.de-\d{4}-\d{2}-\d{2}\.bundle\.json$/);
  const { bundle } = saved()!;
  expect(bundle.reports.map((r) => r.url)).toEqual([url]);
  expect(bundle.userStatements[0]?.text).toBe(statement);
  expect(await verifyBundle(bundle)).toMatchObject({ ok: true, mismatches: [] });
});

// The document_start script answers the background's Resource Timing question through the
// browser's own messaging (no webextension-polyfill in it): its list of cookies the page changed
// since it started, from the Cookie Store's change events where Firefox has them, else from two
// document.cookie readings (lib/tally/resource-timing.ts `watchCookieChanges`).
for (const scheme of ['https', 'http'] as const) {
  test(`the document_start script answers in Firefox and names the cookies a page changed (${scheme})`, async ({
    ff,
    web,
  }) => {
    const changedCookies = async (visit: string) => {
      const base =
        scheme === 'https'
          ? web.httpsUrl('www.shop-beispiel.de', '/kekse.html')
          : web.url('www.shop-beispiel.de', '/kekse.html');
      const url = `${base}?${visit}`;
      const page = await ff.open(url);
      await expect.poll(() => page.evaluate(() => document.body.dataset.done ?? '')).toBe('1');
      const tabId = await ff.tabIdOf(url);
      const answer = (await ff.inExtension(
        ({ id, type }) =>
          (
            browser as unknown as {
              tabs: { sendMessage(id: number, m: unknown, o: { frameId: number }): Promise<unknown> };
            }
          ).tabs.sendMessage(id, { type }, { frameId: 0 }),
        { id: tabId, type: RESOURCE_REQUEST.type },
      )) as { documentUrl: string; changedCookies: string[] };
      expect(answer.documentUrl).toBe(url);
      await page.close();
      return answer.changedCookies.sort();
    };
    await changedCookies('first');
    expect(await changedCookies('second')).toEqual(['besuch', 'spaet']);
  });
}
