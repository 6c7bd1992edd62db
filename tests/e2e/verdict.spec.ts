/**
 * The verdict in the real extension: traffic light, reasons, authority recognition and the
 * user's authority toggle, on the fixture web. Every report seen here is validated against
 * docs/report-schema.json. Popup screenshots (German and English) land in tests/e2e/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Browser } from 'wxt/browser';
import type { Report } from '@/lib/verdict/report';
import { reportSchemaErrors } from '../report-schema';
import { expect, test } from './fixtures';

declare const chrome: typeof Browser;
const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');

async function reportOf(popup: Page, tabId: number): Promise<Report> {
  const response = (await popup.evaluate(
    (id) => chrome.runtime.sendMessage({ type: 'get-visit', tabId: id }),
    tabId,
  )) as { report: Report | null };
  if (!response.report) throw new Error('no report');
  expect(reportSchemaErrors(response.report)).toEqual([]);
  return response.report;
}

async function settledVerdict(popup: Page, want: string) {
  // Legal pages are fetched in the background: the verdict settles within a few seconds.
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', want, { timeout: 15_000 });
}

test("an authority's Instagram-like profile is red, recognised as an authority, with the story's reasons", async ({
  ext,
  loads,
}) => {
  const page = await ext.context.newPage();
  const load1 = await loads.open('www.instagram.com/jobcenter_musterstadt/');
  await page.goto(load1.httpsUrl('www.instagram.com', '/jobcenter_musterstadt/'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await popup.setViewportSize({ width: 480, height: 900 });
  await popup.getByTestId('lang').selectOption('en');
  await settledVerdict(popup, 'red');
  await expect(popup.getByTestId('verdict-word')).toHaveText(/Red/);
  await expect(popup.getByTestId('authority-state')).toHaveAttribute('data-authority', 'true');
  for (const id of ['authority-on-platform', 'imprint-empty', 'link-in-bio-tracking', 'authority-dm-invitation'])
    await expect(popup.locator(`[data-testid="verdict"] [data-finding="${id}"]`), id).toHaveCount(1);
  // Every reason shows its legal hook and how sure it is.
  const first = popup.locator('[data-testid="reasons"] li').first();
  await expect(first.locator('.legal')).not.toBeEmpty();
  await expect(first.locator('.certainty')).not.toBeEmpty();

  const report = await reportOf(popup, tabId);
  expect(report.pageKind).toBe('social-profile');
  expect(report.authority.isAuthority).toBe(true);
  expect(report.authority.isSocialBenefitBody).toBe(true);

  mkdirSync(ARTIFACTS, { recursive: true });
  await popup.screenshot({ path: path.join(ARTIFACTS, 'popup-en.png'), fullPage: true });
  await popup.getByTestId('lang').selectOption('de');
  await expect(popup.getByTestId('verdict-word')).toHaveText(/Rot/);
  await popup.screenshot({ path: path.join(ARTIFACTS, 'popup-de.png'), fullPage: true });
  await expect
    .poll(() => ext.worker.evaluate((id) => chrome.action.getBadgeBackgroundColor({ tabId: id }), tabId))
    .toEqual([198, 40, 40, 255]);
  await loads.check(ext, load1, page, tabId);
});

test('a model municipal site with complete imprint and notice and no third parties is green', async ({
  ext,
  loads,
}) => {
  const page = await ext.context.newPage();
  const load2 = await loads.open('www.stadt-musterstadt.de/');
  await page.goto(load2.httpsUrl('www.stadt-musterstadt.de', '/'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await settledVerdict(popup, 'green');
  const report = await reportOf(popup, tabId);
  expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  expect(report.imprint.status).toBe('found');
  expect(report.privacyNotice.status).toBe('found');
  expect(report.requests.thirdParty).toBe(0);
  await loads.check(ext, load2, page, tabId);
});

test('a shop loading Google Analytics before any consent gets cookies-before-consent', async ({ ext, loads }) => {
  const page = await ext.context.newPage();
  const load3 = await loads.open('www.shop-beispiel.de/');
  await page.goto(load3.httpsUrl('www.shop-beispiel.de', '/'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await settledVerdict(popup, 'red');
  const finding = popup.locator('[data-testid="verdict"] [data-finding="cookies-before-consent"]');
  await expect(finding).toHaveAttribute('data-certainty', 'observed');
  await expect(finding).toContainText('_ga');
  const report = await reportOf(popup, tabId);
  expect(report.cookies.items.find((c) => c.name === '_ga')?.beforeInteraction).toBe(true);
  await loads.check(ext, load3, page, tabId);
});

test('the authority toggle changes the verdict and is remembered for the site', async ({ ext, loads }) => {
  const page = await ext.context.newPage();
  const load4 = await loads.open('www.jobcenter-musterstadt.de/');
  await page.goto(load4.httpsUrl('www.jobcenter-musterstadt.de', '/'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await settledVerdict(popup, 'red');
  await expect(popup.getByTestId('authority-state')).toHaveAttribute('data-authority', 'true');
  await expect(popup.locator('[data-testid="verdict"] [data-finding="authority-messenger"]')).toHaveAttribute(
    'data-severity',
    'red',
  );

  await popup.getByTestId('authority-unmark').click();
  await expect(popup.getByTestId('authority-state')).toHaveAttribute('data-authority', 'false');
  await expect(popup.locator('[data-testid="verdict"] [data-finding="authority-messenger"]')).toHaveCount(0);
  const unmarked = await popup.getByTestId('verdict').getAttribute('data-verdict');
  expect(unmarked).not.toBe('red');
  await loads.check(ext, load4, page, tabId);

  // Remembered: a new visit of the same site, a new popup.
  const load5 = await loads.open('www.jobcenter-musterstadt.de/');
  await page.goto(load5.httpsUrl('www.jobcenter-musterstadt.de', '/'), { waitUntil: 'load' });
  const again = await ext.openPopup(tabId);
  await expect(again.getByTestId('authority-state')).toHaveAttribute('data-authority', 'false', { timeout: 15_000 });
  await expect(again.getByTestId('authority-reset')).toBeVisible();
  await again.getByTestId('authority-reset').click();
  await expect(again.getByTestId('authority-state')).toHaveAttribute('data-authority', 'true');
  await loads.check(ext, load5, page, tabId);
});
