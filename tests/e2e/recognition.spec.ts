/**
 * Recognition in the real extension, on pages no evaluation case resembles (tests/fixtures/sites,
 * the "Musterstadt" web): one account page per platform with the popup's verdict, platform line
 * and authority line; a login wall is grey; a Jobcenter profile that links only its homepage is
 * recognised by reading that site's imprint — exactly two requests, no cookie, no referrer — and
 * its complaint names the BfDI; an authority's website lists its unnamed own channels in
 * `unmentionedServices` and is red with R-AUTH-07 (popup and complaint), a company's "follow us"
 * links are a fact without a finding. Every load is a marked load with its count check (counts.ts).
 */
import type { Page, Request } from '@playwright/test';
import type { Browser } from 'wxt/browser';
import { type ExtensionHarness, type Loads, expect, test } from './fixtures';
import { complaintOf, reportOf } from './report-of';

declare const chrome: typeof Browser;

/** A marked page load (tests/e2e/counts.ts) with its popup in English; `check` is the load's differential count check. */
async function open(
  ext: ExtensionHarness,
  loads: Loads,
  host: string,
  pathname: string,
): Promise<{ popup: Page; tabId: number; check: () => Promise<unknown> }> {
  const load = await loads.open(`${host}${pathname}`);
  const page = await ext.context.newPage();
  await page.goto(load.httpsUrl(host, pathname), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await popup.getByTestId('lang').selectOption('en');
  return { popup, tabId, check: () => loads.check(ext, load, page, tabId) };
}

interface ProfileCase {
  platform: string;
  host: string;
  path: string;
  verdict: 'yellow' | 'green' | 'red';
  line: string;
}

// Every profile is the city's (or, on TikTok, the Jobcenter's); all but Mastodon on the city's own
// server count as commercial platforms (R-AUTH-01/01B): yellow with imprint and notice complete.
const PROFILES: ProfileCase[] = [
  {
    platform: 'instagram',
    host: 'www.instagram.com',
    path: '/stadt_musterstadt/',
    verdict: 'yellow',
    line: 'Instagram profile',
  },
  {
    platform: 'facebook',
    host: 'www.facebook.com',
    path: '/stadtmusterstadt/',
    verdict: 'yellow',
    line: 'Facebook profile',
  },
  { platform: 'x', host: 'x.com', path: '/StadtMusterstadt/', verdict: 'yellow', line: 'X profile' },
  {
    platform: 'youtube',
    host: 'www.youtube.com',
    path: '/@stadtmusterstadt/',
    verdict: 'yellow',
    line: 'YouTube profile',
  },
  {
    platform: 'linkedin',
    host: 'www.linkedin.com',
    path: '/company/stadt-musterstadt/',
    verdict: 'yellow',
    line: 'LinkedIn profile',
  },
  {
    platform: 'threads',
    host: 'www.threads.com',
    path: '/@stadt.musterstadt/',
    verdict: 'yellow',
    line: 'Threads profile',
  },
  {
    platform: 'bluesky',
    host: 'bsky.app',
    path: '/profile/stadt-musterstadt.de/',
    verdict: 'yellow',
    line: 'Bluesky profile',
  },
  {
    platform: 'mastodon',
    host: 'mastodon.stadt-musterstadt.de',
    path: '/@stadt/',
    verdict: 'green',
    line: 'Mastodon profile',
  },
  {
    platform: 'whatsapp',
    host: 'whatsapp.com',
    path: '/channel/0029VaMusterstadtKanal01/',
    verdict: 'yellow',
    line: 'WhatsApp channel',
  },
  { platform: 'telegram', host: 't.me', path: '/s/stadt_musterstadt/', verdict: 'yellow', line: 'Telegram channel' },
];

test('one account page per platform: verdict, platform line and authority line in the popup', async ({
  ext,
  web,
  loads,
}) => {
  test.setTimeout(240_000);
  for (const c of PROFILES) {
    await test.step(c.platform, async () => {
      const { popup, tabId, check } = await open(ext, loads, c.host, c.path);
      await expect(popup.getByTestId('verdict'), c.platform).toHaveAttribute('data-verdict', c.verdict, {
        timeout: 20_000,
      });
      await expect(popup.getByTestId('page-kind')).toHaveAttribute('data-platform', c.platform);
      await expect(popup.getByTestId('page-kind')).toHaveText(c.line);
      await expect(popup.getByTestId('authority-state')).toHaveAttribute('data-authority', 'true');
      await expect(popup.getByTestId('authority-why')).not.toBeEmpty();
      const report = await reportOf(popup, tabId);
      expect(report.pageKind).toBe('social-profile');
      // The account's own legal pages, never the platform's footer.
      expect(report.imprint.url, c.platform).toMatch(/^https:\/\/www\.stadt-musterstadt\.de:\d+\/social-media\.html/);
      expect([report.imprint.status, report.privacyNotice.status], c.platform).toEqual(['found', 'found']);
      const ids = report.findings.map((f) => f.id);
      expect(ids.includes('authority-on-platform'), c.platform).toBe(c.platform !== 'mastodon');
      // A channel page's own links to its platform are no messenger contact (one finding, not two).
      expect(ids).not.toContain('authority-messenger');
      await check();
      await popup.close();
    });
  }
});

test('X: a t.co link whose text is cut off gives no signal; the grey check is the government badge', async ({
  ext,
  web,
  loads,
}) => {
  const { popup, tabId, check } = await open(ext, loads, 'x.com', '/StadtMusterstadt/');
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'yellow', { timeout: 20_000 });
  const report = await reportOf(popup, tabId);
  expect(report.bioLinks.map((b) => b.url).some((u) => u.includes('t.co') || u.includes('arch'))).toBe(false);
  expect(report.authority.signals.map((s) => s.id)).toContain('x-government-badge');
  await check();
});

test('a login wall at a profile URL is grey with a named reason, never red from the platform footer', async ({
  ext,
  web,
  loads,
}) => {
  const { popup, tabId, check } = await open(ext, loads, 'www.instagram.com', '/cafe_musterstadt/');
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'grey', { timeout: 20_000 });
  await expect(popup.getByTestId('page-kind')).toHaveAttribute('data-platform', 'instagram');
  await expect(popup.getByTestId('verdict')).toContainText('no account page we can read');
  const report = await reportOf(popup, tabId);
  expect(report.findings).toEqual([]);
  expect(report.imprint.status).toBe('missing');
  await check();
});

/** The extension worker's requests from now on, with the headers that went on the wire (privacy.spec.ts explains the method). */
function workerRequests(
  ext: ExtensionHarness,
): { url: string; method: string; headers: Promise<Record<string, string>> }[] {
  const seen: { url: string; method: string; headers: Promise<Record<string, string>> }[] = [];
  ext.context.on('request', (r: Request) => {
    if (!r.serviceWorker() || !/^https?:/.test(r.url())) return;
    seen.push({ url: r.url(), method: r.method(), headers: r.allHeaders().catch(() => r.headers()) });
  });
  return seen;
}

test("a gE Jobcenter's profile that links only its homepage: its imprint is read (two requests, no cookie, no referrer) and the complaint names the BfDI", async ({
  ext,
  web,
  loads,
}) => {
  await ext.context.addCookies([
    { name: 'jar_probe', value: 'must-not-leak', domain: 'www.jobcenter-musterstadt.de', path: '/' },
  ]);
  const seen = workerRequests(ext);
  const from = web.log.length;
  const { popup, tabId, check } = await open(ext, loads, 'www.tiktok.com', '/@jobcenter.musterstadt/');
  await expect(popup.getByTestId('authority-state')).toHaveAttribute('data-authority', 'true', { timeout: 20_000 });
  // No imprint and no notice of its own reachable from the profile: red for an authority.
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'red');
  await expect(popup.getByTestId('page-kind')).toHaveAttribute('data-platform', 'tiktok');
  // The name alone can make it an authority before the linked imprint is read: wait for that signal.
  await expect
    .poll(async () => (await reportOf(popup, tabId)).authority.signals.map((s) => s.id), { timeout: 20_000 })
    .toContain('linked-imprint-public-law');
  const report = await reportOf(popup, tabId);
  const linked = report.authority.signals.find((s) => s.id === 'linked-imprint-public-law');
  expect(linked?.evidence).toContain('gemeinsame Einrichtung');
  expect(report.authority.jobcenterType).toBe('gemeinsame-einrichtung');
  expect(report.authority.isSocialBenefitBody).toBe(true);

  // Exactly what the fixture server got from the extension for that site: the homepage, then its imprint.
  const jobcenter = web.log.slice(from).filter((e) => e.host === 'www.jobcenter-musterstadt.de');
  expect(jobcenter.map((e) => `${e.method} ${e.path}`)).toEqual(['GET /', 'GET /impressum.html']);
  const fetched = seen.filter((s) => s.url.includes('jobcenter-musterstadt.de'));
  expect(fetched.map((s) => new URL(s.url).pathname)).toEqual(['/', '/impressum.html']);
  for (const s of fetched) {
    const headers = await s.headers;
    expect(headers.cookie, s.url).toBeUndefined();
    expect(headers.referer, s.url).toBeUndefined();
  }

  // The complaint from this one visit: a gE Jobcenter (§ 44b SGB II) → the BfDI.
  const complaint = await complaintOf(report, 'tiktok.com/@jobcenter.musterstadt');
  expect(complaint.controller.jobcenterType).toBe('gemeinsame-einrichtung');
  expect(complaint.authority.primary.short).toBe('BfDI');
  expect(complaint.authority.askUser).toBe(false);
  await check();
});

test('with fetching turned off, a profile causes no request to the website it links', async ({ ext, web, loads }) => {
  const settings = await ext.context.newPage();
  await settings.goto(`chrome-extension://${ext.extensionId}/about.html`);
  await settings.evaluate(() => chrome.storage.local.set({ settings: { fetchLegalPages: false } }));
  await expect
    .poll(() => ext.worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings))
    .toEqual({ fetchLegalPages: false });
  const from = web.log.length;
  const { popup, tabId, check } = await open(ext, loads, 'www.tiktok.com', '/@jobcenter.musterstadt/');
  await expect(popup.getByTestId('page-kind')).toHaveAttribute('data-platform', 'tiktok', { timeout: 20_000 });
  const report = await reportOf(popup, tabId);
  expect(report.authority.signals.map((s) => s.id)).not.toContain('linked-imprint-public-law');
  await new Promise((r) => setTimeout(r, 1000));
  expect(web.log.slice(from).filter((e) => e.host === 'www.jobcenter-musterstadt.de')).toEqual([]);
  await check();
});

test('an authority\'s website whose notice omits own channels is red with R-AUTH-07 in the popup and the complaint; a company\'s "follow us" links are a fact, no finding', async ({
  ext,
  web,
  loads,
}) => {
  const kreis = await open(ext, loads, 'www.kreis-musterkreis.de', '/');
  await expect(kreis.popup.getByTestId('authority-state')).toHaveAttribute('data-authority', 'true', {
    timeout: 20_000,
  });
  await expect(kreis.popup.getByTestId('page-kind')).toHaveAttribute('data-page-kind', 'website');
  await expect
    .poll(async () => (await reportOf(kreis.popup, kreis.tabId)).privacyNotice.status, { timeout: 15_000 })
    .toBe('found');
  const authority = await reportOf(kreis.popup, kreis.tabId);
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  expect([...(authority.ownChannels ?? [])].sort(byId)).toEqual([
    { id: 'instagram', url: 'https://www.instagram.com/landkreis_musterkreis/', namedInNotice: true },
    { id: 'mastodon', url: 'https://mastodon.kreis-musterkreis.de/@landkreis', namedInNotice: true },
    { id: 'tiktok', url: 'https://www.tiktok.com/@landkreis.musterkreis', namedInNotice: false },
    { id: 'whatsapp', url: 'https://whatsapp.com/channel/0029VaMusterkreisInfo001', namedInNotice: false },
  ]);
  expect([...authority.privacyNotice.unmentionedServices].sort()).toEqual(['tiktok', 'whatsapp']);
  // The finding for them is R-AUTH-07's (rule book); R-SVC-01 stays about observed services, and a
  // channel to follow is no messenger contact (R-AUTH-05).
  expect(authority.findings.map((f) => f.id)).not.toContain('privacy-unmentioned-service');
  expect(authority.findings.map((f) => f.id)).not.toContain('authority-messenger');
  // R-AUTH-07: red, first among the reasons, naming the two channels with its hook.
  await expect(kreis.popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'red');
  const reason = kreis.popup.locator('[data-testid="reasons"] li').first();
  await expect(reason).toHaveAttribute('data-finding', 'authority-channels-not-in-notice');
  await expect(reason).toHaveAttribute('data-severity', 'red');
  await expect(reason).toHaveAttribute('data-certainty', 'heuristic');
  await expect(reason).toContainText('does not mention');
  await expect(reason).toContainText('tiktok: https://www.tiktok.com/@landkreis.musterkreis');
  await expect(reason).toContainText('whatsapp: https://whatsapp.com/channel/0029VaMusterkreisInfo001');
  await expect(reason.locator('.legal')).toContainText('Art. 13(1)(e), 12(1) GDPR');
  expect(
    (await reportOf(kreis.popup, kreis.tabId)).findings.filter((f) => f.severity !== 'info').map((f) => f.id),
  ).toEqual(['authority-channels-not-in-notice']);
  const complaint = await complaintOf(authority, 'kreis-musterkreis.de');
  expect(complaint.findings.find((f) => f.id === 'authority-channels-not-in-notice')?.evidence).toContain(
    'tiktok: https://www.tiktok.com/@landkreis.musterkreis',
  );

  const shop = await open(ext, loads, 'www.baeckerei-musterstadt.de', '/');
  await expect(shop.popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'green', { timeout: 20_000 });
  const company = await reportOf(shop.popup, shop.tabId);
  expect(company.authority.isAuthority).toBe(false);
  expect([...(company.ownChannels ?? [])].sort(byId)).toEqual([
    { id: 'facebook', url: 'https://www.facebook.com/baeckereimusterstadt/', namedInNotice: false },
    { id: 'instagram', url: 'https://www.instagram.com/baeckerei_musterstadt/', namedInNotice: false },
  ]);
  expect(company.privacyNotice.unmentionedServices).toEqual([]);
  expect(company.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  await kreis.check();
  await shop.check();
});
