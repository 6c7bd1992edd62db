/**
 * Single-page apps: a profile opened inside the platform's app (History API, no new document) is a
 * visit of its own — the popup, the badge and the report follow it, its counts are the requests
 * started after the move (the server's log split by the view each request was started in), a post
 * opened over the profile stays in the profile's visit, and going back gives the feed's visit.
 * The audit CLI reports a page that moves on client-side right after loading as the page it moved to.
 * Fixture: tests/fixtures/sites/www.instagram.com/ (index.html + app.js).
 */
import type { Page } from '@playwright/test';
import type { Browser } from 'wxt/browser';
import { type ExtensionHarness, type Loads, expect, test } from './fixtures';
import type { LogLine } from './fixture-server';
import { reportSchemaErrors } from '../report-schema';
import { HOST_RULES, audit } from './audit-cli';
import type { Report } from '@/lib/verdict/report';

declare const chrome: typeof Browser;

type Answer = {
  visit: { visitId: string; url: string; navigation?: string } | null;
  report: { url: string; navigation?: string; platform: string | null; verdict: string } | null;
};
const answerOf = (popup: Page, tabId: number) =>
  popup.evaluate((id) => chrome.runtime.sendMessage({ type: 'get-visit', tabId: id }), tabId) as Promise<Answer>;

/** Lines of the document load itself (no view tag) or started in the given views. */
const inViews =
  (...views: string[]) =>
  (line: LogLine) => {
    const view = /[?&]view=([^&]+)/.exec(line.path)?.[1];
    return view === undefined ? views.includes('document') : views.includes(view);
  };

async function openFeed(ext: ExtensionHarness, loads: Loads, name: string) {
  const page = await ext.context.newPage();
  const load = await loads.open(name);
  await page.goto(load.httpsUrl('www.instagram.com', '/'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  // The feed's own requests are all out (the pixel follows the timeline) before the user moves on.
  await expect.poll(() => load.lines().some((l) => l.path.startsWith('/g/collect'))).toBe(true);
  return { page, load, tabId };
}

test('a profile opened inside the app: popup, badge and report of the profile, with the requests after the move only', async ({
  ext,
  loads,
}) => {
  const { page, load, tabId } = await openFeed(ext, loads, 'spa: www.instagram.com/ → /jobcenter_musterstadt/');
  const popup = await ext.openPopup(tabId);
  await popup.getByTestId('lang').selectOption('en');
  await expect(popup.getByTestId('page-kind')).toHaveAttribute('data-platform', 'instagram', { timeout: 15_000 });
  // The feed is no account page: grey, and its one third party (the pixel) is on the badge.
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'grey', { timeout: 15_000 });
  await expect.poll(() => ext.badgeText(tabId)).toBe('1');
  const feed = await answerOf(popup, tabId);
  expect(feed.report?.navigation).toBe('document');

  await page.getByTestId('open-profile').click();
  await expect(page.locator('main header h1')).toHaveText('Jobcenter Musterstadt');
  expect(page.url()).toBe(load.httpsUrl('www.instagram.com', '/jobcenter_musterstadt/'));

  const again = await ext.openPopup(tabId);
  await again.getByTestId('lang').selectOption('en');
  await expect(again.getByTestId('verdict')).toHaveAttribute('data-verdict', 'red', { timeout: 20_000 });
  await expect(again.getByTestId('page-kind')).toHaveAttribute('data-platform', 'instagram');
  await expect(again.getByTestId('authority-state')).toHaveAttribute('data-authority', 'true');
  await expect.poll(() => ext.badgeText(tabId)).toBe('0');
  const profile = await answerOf(again, tabId);
  expect(profile.report?.url).toBe(page.url());
  expect(profile.report?.navigation).toBe('history');
  expect(profile.visit?.visitId).not.toBe(feed.visit?.visitId);
  expect(reportSchemaErrors(profile.report)).toEqual([]);

  // The feed's visit holds the document, the feed's requests and the one still in flight at the
  // move (/__slow, answered 600 ms later); the profile's visit only what the profile view started.
  const counts = await loads.checkSplit(
    ext,
    load,
    page,
    { previous: inViews('document', '0-feed'), current: inViews('1-profile') },
    tabId,
  );
  expect(counts.previous.hosts['www.google-analytics.com']).toBe(1);
  expect(counts.current.total).toBeGreaterThanOrEqual(2);
  expect(load.lines().some((l) => l.path.startsWith('/__slow') && inViews('0-feed')(l))).toBe(true);
  expect((await ext.diagnostics()).errors).toBe(0);
});

// The same app on the other platforms' fixture hosts (www.instagram.com/app.js, symlinked): a start
// page whose link opens the account client-side.
const PLATFORMS = [
  {
    platform: 'tiktok',
    host: 'www.tiktok.com',
    start: '/foryou/',
    profile: '/@jobcenter.musterstadt/',
    verdict: 'red',
  },
  { platform: 'x', host: 'x.com', start: '/home/', profile: '/StadtMusterstadt/', verdict: 'yellow' },
  { platform: 'youtube', host: 'www.youtube.com', start: '/', profile: '/@stadtmusterstadt/', verdict: 'yellow' },
];

test('TikTok, X, YouTube: the account opened inside the app gets its own visit, verdict and counts', async ({
  ext,
  loads,
}) => {
  test.setTimeout(180_000);
  for (const c of PLATFORMS) {
    await test.step(c.platform, async () => {
      const page = await ext.context.newPage();
      const load = await loads.open(`spa: ${c.host}${c.start} → ${c.profile}`);
      await page.goto(load.httpsUrl(c.host, c.start), { waitUntil: 'load' });
      const tabId = await ext.tabIdOf(page);
      await expect.poll(() => load.lines().some((l) => l.path.startsWith('/g/collect'))).toBe(true);
      await page.getByTestId('open-profile').click();
      await expect(page).toHaveURL(load.httpsUrl(c.host, c.profile));
      const popup = await ext.openPopup(tabId);
      await expect(popup.getByTestId('verdict'), c.platform).toHaveAttribute('data-verdict', c.verdict, {
        timeout: 20_000,
      });
      await expect(popup.getByTestId('page-kind')).toHaveAttribute('data-platform', c.platform);
      await expect(popup.getByTestId('authority-state')).toHaveAttribute('data-authority', 'true');
      expect((await answerOf(popup, tabId)).report?.navigation).toBe('history');
      await loads.checkSplit(
        ext,
        load,
        page,
        { previous: inViews('document', '0-feed'), current: inViews('1-profile') },
        tabId,
      );
      await popup.close();
      await page.close();
    });
  }
});

test('a post opened over the profile stays in its visit; going back gives the feed again', async ({ ext, loads }) => {
  const { page, load, tabId } = await openFeed(ext, loads, 'spa: feed → profile → post → back, back');
  await page.getByTestId('open-profile').click();
  await expect(page.locator('main header h1')).toHaveText('Jobcenter Musterstadt');
  const popup = await ext.openPopup(tabId);
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'red', { timeout: 20_000 });
  const profile = await answerOf(popup, tabId);

  // Instagram's rule (lib/page/soft-navigation.ts): /p/<code>/ is a dialog over the page behind.
  await page.locator('article a[href="/p/C0ffee/"]').click();
  await expect(page.getByTestId('post-dialog')).toBeVisible();
  await expect.poll(() => load.lines().some((l) => l.path.startsWith('/api/post'))).toBe(true);
  const overlay = await answerOf(popup, tabId);
  expect(overlay.visit?.visitId).toBe(profile.visit?.visitId);
  expect(overlay.report?.url).toBe(load.httpsUrl('www.instagram.com', '/jobcenter_musterstadt/'));

  await page.goBack();
  await expect(page.getByTestId('post-dialog')).toHaveCount(0);
  expect((await answerOf(popup, tabId)).visit?.visitId).toBe(profile.visit?.visitId);

  await page.goBack();
  await expect(page.getByTestId('open-profile')).toBeVisible();
  const back = await ext.openPopup(tabId);
  await expect(back.getByTestId('verdict')).toHaveAttribute('data-verdict', 'grey', { timeout: 20_000 });
  await expect(back.getByTestId('page-kind')).toHaveAttribute('data-platform', 'instagram');
  const feed = await answerOf(back, tabId);
  expect(feed.report?.url).toBe(load.httpsUrl('www.instagram.com', '/'));
  expect(feed.report?.navigation).toBe('history');
  await expect.poll(() => ext.badgeText(tabId)).toBe('1');

  // The profile's visit (now the previous one) holds the post's requests; the feed's new visit its own.
  await loads.checkSplit(ext, load, page, { previous: inViews('1-profile'), current: inViews('2-feed') }, tabId);
});

test('the audit CLI reports a page that moves client-side to a profile right after loading as that profile', async ({
  loads,
}) => {
  test.setTimeout(90_000);
  const load = await loads.open('audit: www.instagram.com/?open=/jobcenter_musterstadt/');
  const given = load.httpsUrl('www.instagram.com', '/?open=/jobcenter_musterstadt/');
  const run = await audit(['--host-rules', HOST_RULES, '--insecure', '--json', '--wait', '1500', given]);
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout.trim().split('\n')[0]!) as Report;
  expect(reportSchemaErrors(report)).toEqual([]);
  expect(report.url).toBe(given);
  expect(report.page.finalUrl).toBe(load.httpsUrl('www.instagram.com', '/jobcenter_musterstadt/'));
  expect(report.navigation).toBe('history');
  expect([report.platform, report.verdict, report.authority.isAuthority]).toEqual(['instagram', 'red', true]);
  // Only what the profile's view started (its markup, its API call, the pixel that fired after the move).
  loads.checkReport(load, report, inViews('1-profile'));
  expect(report.requests.thirdPartyHosts.map((h) => h.host)).toEqual(['www.google-analytics.com']);
});
