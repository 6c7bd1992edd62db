/**
 * Single-page apps in real Firefox, on the made-up platform app (tests/fixtures/sites/www.instagram.com/,
 * index.html + app.js): a profile opened client-side — by the app itself right after loading, or by
 * a click in the feed — is a visit of its own (navigation "history") with the profile's report,
 * popup and badge; each of the tab's two visits equals its part of the server's log, split by the
 * view each request was started in, which the app writes into it. A post opened over the profile
 * stays in the profile's visit; going back gives the feed's visit again. The Chromium twins are in
 * tests/e2e/spa.spec.ts.
 */
import type { Page } from 'puppeteer-core';
import type { LogLine } from '../fixture-server';
import { isExtensionLine, serverCounts } from '../counts';
import { ledgerUrl, ledgerUrlCount } from '../../../lib/tally/ledger';
import { urlHash } from '../../../lib/tally/resource-timing';
import type { Visit } from '@/lib/tally/types';
import { type FirefoxHarness, attributeOf, expect, test } from './fixtures';

const viewOf = (line: LogLine) => /[?&]view=([^&]+)/.exec(line.path)?.[1] ?? 'document';

/** The server's log lines of the page (not the extension's) started in these views, counted per host. */
const partOf = (entries: readonly LogLine[], views: string[]) =>
  serverCounts(
    entries.filter((l) => !isExtensionLine(l) && views.includes(viewOf(l))),
    'instagram.com',
  );

/** The tab's current visit and the one before, as host → requests tables (hosts with requests only). */
async function visitTables(ff: FirefoxHarness, tabId: number) {
  const { visit } = await ff.visitOf(tabId);
  const table = (v: { hosts: { host: string; requests: number }[] } | undefined | null) =>
    Object.fromEntries(
      (v?.hosts ?? [])
        .filter((h) => h.requests > 0)
        .map((h) => [h.host, h.requests])
        .sort(),
    );
  return { current: table(visit), previous: table(visit?.previous) };
}

/**
 * Where the tab's visits put each of the page's requests the server logged, by the ledger's URL key
 * (lib/tally/ledger.ts): "<view> <path> → current|previous|both|none". Shown when a split is off,
 * so a failure names the request that landed on the wrong side.
 */
function placements(
  visit: Visit | null,
  entries: readonly LogLine[],
  web: { url(host: string, path: string): string },
) {
  const sides = { current: visit?.ledger, previous: visit?.previous?.ledger };
  return entries
    .filter((l) => !isExtensionLine(l))
    .map((l) => {
      // The log has no scheme: the key is the one of the two forms a ledger knows.
      const keys = [web.url(l.host, l.path), web.url(l.host, l.path).replace(/^http:/, 'https:')].map((u) =>
        urlHash(ledgerUrl(u.replace(/:\d+\//, `:${l.port}/`))),
      );
      const on = Object.entries(sides)
        .filter(([, ledger]) => ledger && keys.some((k) => ledgerUrlCount(ledger, k) > 0))
        .map(([side]) => side);
      return `${viewOf(l)} ${l.path} → ${on.length === 2 ? 'both' : (on[0] ?? 'none')}`;
    });
}

/**
 * Polls until the two visits equal the server's log split by view (the app's last requests may
 * still be arriving on either side), then asserts it, showing the last try and where each request went.
 */
async function expectSplit(
  ff: FirefoxHarness,
  web: { url(host: string, path: string): string },
  tabId: number,
  entries: () => readonly LogLine[],
  views: { current: string[]; previous: string[] },
) {
  let last: unknown[] = [];
  await expect
    .poll(async () => {
      last = [
        await visitTables(ff, tabId),
        { current: partOf(entries(), views.current).hosts, previous: partOf(entries(), views.previous).hosts },
      ];
      return JSON.stringify(last[0]) === JSON.stringify(last[1]);
    })
    .toBe(true)
    .catch(() => undefined);
  const where = placements((await ff.visitOf(tabId)).visit, entries(), web);
  expect(last[0], `the two visits (left) vs the server log split by view (right):\n${where.join('\n')}`).toEqual(
    last[1],
  );
}

const popupVerdict = (popup: Page) => attributeOf(popup, '[data-testid="verdict"]', 'data-verdict');

test.describe('moving on by itself', () => {
  // Known race (docs/ARCHITECTURE.md, "Soft navigations", Limit): in 1 of 4 full-suite runs here
  // Firefox's history event was not applied (the visit never split: the page before came out empty),
  // while 3 of 3 runs of this spec alone passed. Retried until the order of the webNavigation and
  // webRequest events in Firefox is understood; a retry is reported by Playwright as "flaky".
  test.describe.configure({ retries: 2 });

  test('a profile opened client-side right after loading: the profile’s report, requests split between the two visits as the server saw them', async ({
    ff,
    web,
    accessLog,
  }) => {
    await ff.open(web.url('www.instagram.com', '/?open=/jobcenter_musterstadt/'));
    const profileUrl = web.url('www.instagram.com', '/jobcenter_musterstadt/');
    const tabId = await ff.tabIdOf(profileUrl);
    // The feed's pixel fires in the profile's view; once the server has it, the page is done.
    await expect.poll(() => accessLog.entries().some((l) => l.path.startsWith('/g/collect'))).toBe(true);
    await expectSplit(ff, web, tabId, () => accessLog.entries(), {
      current: ['1-profile'],
      previous: ['document', '0-feed'],
    });
    await expect.poll(async () => (await ff.visitOf(tabId)).report?.verdict, { timeout: 20_000 }).toBe('red');
    const { report } = await ff.visitOf(tabId);
    expect(report?.url).toBe(profileUrl);
    expect(report?.navigation).toBe('history');
    expect(report?.platform).toBe('instagram');
    expect(report?.authority.isAuthority).toBe(true);
    expect(report?.requests.total).toBe(partOf(accessLog.entries(), ['1-profile']).total);
    await expect.poll(() => ff.badgeText(tabId)).toBe('1');
    expect((await ff.diagnostics()).errors).toBe(0);
  });
});

/**
 * The feed, loaded, with its own requests out (the pixel follows the timeline) before the user
 * moves on; `toProfile` is the user's tap on the Jobcenter's profile, done once its view is rendered.
 */
async function openFeed(ff: FirefoxHarness, web: { url(host: string, path: string): string }, log: AccessLogOf) {
  const feedUrl = web.url('www.instagram.com', '/');
  const profileUrl = web.url('www.instagram.com', '/jobcenter_musterstadt/');
  const page = await ff.open(feedUrl);
  const tabId = await ff.tabIdOf(feedUrl);
  await expect.poll(() => log.entries().some((l) => l.path.startsWith('/g/collect'))).toBe(true);
  const toProfile = async () => {
    await page.click('[data-testid="open-profile"]');
    await page.waitForFunction(() => document.querySelector('main header h1')?.textContent === 'Jobcenter Musterstadt');
    expect(page.url()).toBe(profileUrl);
  };
  return { page, tabId, feedUrl, profileUrl, toProfile };
}
type AccessLogOf = { entries(): readonly LogLine[] };

test('a profile opened by a click in the feed: popup, badge and report of the profile, with the requests after the move only', async ({
  ff,
  web,
  accessLog,
}) => {
  const { tabId, profileUrl, toProfile } = await openFeed(ff, web, accessLog);
  // The feed is no account page: grey, and its one third party (the pixel) is on the badge.
  await expect.poll(async () => (await ff.visitOf(tabId)).report?.verdict, { timeout: 20_000 }).toBe('grey');
  const feed = await ff.visitOf(tabId);
  expect(feed.report?.navigation).toBe('document');
  expect(feed.report?.platform).toBe('instagram');
  await expect.poll(() => ff.badgeText(tabId)).toBe('1');

  await toProfile();

  const popup = await ff.openPopup(tabId);
  await expect.poll(() => popupVerdict(popup), { timeout: 20_000 }).toBe('red');
  expect(await attributeOf(popup, '[data-testid="page-kind"]', 'data-platform')).toBe('instagram');
  expect(await attributeOf(popup, '[data-testid="authority-state"]', 'data-authority')).toBe('true');
  await expect.poll(() => ff.badgeText(tabId)).toBe('0');
  const profile = await ff.visitOf(tabId);
  expect(profile.report?.url).toBe(profileUrl);
  expect(profile.report?.navigation).toBe('history');
  expect(profile.visit?.visitId).not.toBe(feed.visit?.visitId);

  // The feed's visit holds the document, the feed's requests and the one still in flight at the
  // click (/__slow, answered 600 ms later); the profile's visit only what the profile view started.
  await expectSplit(ff, web, tabId, () => accessLog.entries(), {
    current: ['1-profile'],
    previous: ['document', '0-feed'],
  });
  expect(partOf(accessLog.entries(), ['document', '0-feed']).hosts['www.google-analytics.com']).toBe(1);
  expect(accessLog.entries().some((l) => l.path.startsWith('/__slow') && viewOf(l) === '0-feed')).toBe(true);
  expect((await ff.diagnostics()).errors).toBe(0);
});

test('a post opened over the profile stays in its visit; going back gives the feed again', async ({
  ff,
  web,
  accessLog,
}) => {
  const { page, tabId, feedUrl, profileUrl, toProfile } = await openFeed(ff, web, accessLog);
  await toProfile();
  await expect.poll(async () => (await ff.visitOf(tabId)).report?.verdict, { timeout: 20_000 }).toBe('red');
  const profile = await ff.visitOf(tabId);
  expect(profile.report?.url).toBe(profileUrl);

  // Instagram's rule (lib/page/soft-navigation.ts): /p/<code>/ is a dialog over the page behind.
  await page.click('article a[href="/p/C0ffee/"]');
  await page.waitForSelector('[data-testid="post-dialog"]');
  await expect.poll(() => accessLog.entries().some((l) => l.path.startsWith('/api/post'))).toBe(true);
  const overlay = await ff.visitOf(tabId);
  expect(overlay.visit?.visitId).toBe(profile.visit?.visitId);
  expect(overlay.report?.url).toBe(profileUrl);

  // Back, as the browser's back button does it (BiDi browsingContext.traverseHistory).
  await page.goBack();
  await page.waitForFunction(() => !document.querySelector('[data-testid="post-dialog"]'));
  expect((await ff.visitOf(tabId)).visit?.visitId).toBe(profile.visit?.visitId);

  await page.goBack();
  await page.waitForSelector('[data-testid="open-profile"]');
  expect(page.url()).toBe(feedUrl);
  await expect.poll(async () => (await ff.visitOf(tabId)).report?.url, { timeout: 20_000 }).toBe(feedUrl);
  const popup = await ff.openPopup(tabId);
  // Grey comes first while the feed's page facts are being read again: the platform line says they are in.
  await expect
    .poll(() => attributeOf(popup, '[data-testid="page-kind"]', 'data-platform'), { timeout: 20_000 })
    .toBe('instagram');
  expect(await popupVerdict(popup)).toBe('grey');
  const back = await ff.visitOf(tabId);
  expect(back.report?.navigation).toBe('history');
  expect(back.visit?.visitId).not.toBe(profile.visit?.visitId);
  await expect.poll(() => ff.badgeText(tabId)).toBe('1');

  // The profile's visit (now the previous one) holds the post's requests; the feed's new visit its own.
  await expect
    .poll(() => accessLog.entries().some((l) => l.path.startsWith('/g/collect') && viewOf(l) === '2-feed'))
    .toBe(true);
  await expectSplit(ff, web, tabId, () => accessLog.entries(), { current: ['2-feed'], previous: ['1-profile'] });
  expect((await ff.diagnostics()).errors).toBe(0);
});
