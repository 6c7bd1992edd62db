/**
 * Third-party content loaded before any interaction (R-TRK-03 remote Google Fonts, R-TRK-04
 * embeds) in the real extension, on a municipal fixture site with a Google Fonts theme, a Google
 * map embed and a click-to-load video; and the user's own observations ticked in the export panel
 * of the sites page, kept for the site and carried into the complaint.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import type { Browser } from 'wxt/browser';
import type { Report } from '@/lib/verdict/report';
import { reportSchemaErrors } from '../report-schema';
import { expect, test } from './fixtures';

declare const chrome: typeof Browser;

const SITE = 'www.gemeinde-beispielheim.de';

async function reportOf(popup: Page, tabId: number): Promise<Report> {
  const response = (await popup.evaluate(
    (id) => chrome.runtime.sendMessage({ type: 'get-visit', tabId: id }),
    tabId,
  )) as { report: Report | null };
  if (!response.report) throw new Error('no report');
  expect(reportSchemaErrors(response.report)).toEqual([]);
  return response.report;
}

const finding = (report: Report, id: string) => report.findings.find((f) => f.id === id);

test('a municipal site with remote Google Fonts and a Google map is yellow with both findings; a click-to-load video is not one', async ({
  ext,
  loads,
}) => {
  const page = await ext.context.newPage();
  const load = await loads.open(`${SITE}/`);
  await page.goto(load.httpsUrl(SITE, '/'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await popup.getByTestId('lang').selectOption('en');
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'yellow', { timeout: 20_000 });
  await expect(popup.getByTestId('authority-state')).toHaveAttribute('data-authority', 'true');

  // Both among the top reasons, each with its legal hook and "observed".
  const fonts = popup.locator('[data-testid="reasons"] [data-finding="google-fonts-remote"]');
  const embeds = popup.locator('[data-testid="reasons"] [data-finding="embeds-without-click"]');
  await expect(fonts).toHaveAttribute('data-severity', 'yellow');
  await expect(fonts.locator('.legal')).toContainText('LG Muenchen I 3 O 17493/20');
  await expect(fonts).toHaveAttribute('data-certainty', 'observed');
  await expect(fonts).toContainText('Google Fonts');
  await expect(embeds.locator('.legal')).toContainText('Art. 6(1) GDPR');
  await expect(embeds).toContainText('Google Maps');

  let report = await reportOf(popup, tabId);
  expect(
    report.findings
      .filter((f) => f.severity !== 'info')
      .map((f) => f.id)
      .sort(),
  ).toEqual(['embeds-without-click', 'google-fonts-remote']);
  expect(finding(report, 'google-fonts-remote')?.evidence).toMatch(
    /^fonts\.googleapis\.com \+\d+\.\d s, fonts\.gstatic\.com \+\d+\.\d s$/,
  );
  expect(finding(report, 'embeds-without-click')?.evidence).toMatch(
    /^Google Maps \(maps, US\): maps\.googleapis\.com, maps\.gstatic\.com \+\d+\.\d s$/,
  );

  // The visitor asks for the video: it loads now, after the first interaction, and is no finding.
  await page.getByRole('button', { name: 'Video laden' }).click();
  await expect
    .poll(async () => (await reportOf(popup, tabId)).requests.thirdPartyHosts.map((h) => h.host), { timeout: 10_000 })
    .toContain('www.youtube-nocookie.com');
  report = await reportOf(popup, tabId);
  expect(report.firstInteractionAt).not.toBeNull();
  expect(finding(report, 'embeds-without-click')?.evidence).not.toContain('youtube');
  expect(report.verdict).toBe('yellow');
  await loads.check(ext, load, page, tabId);
});

async function downloadText(page: Page, click: () => Promise<void>): Promise<string> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync(await download.path(), 'utf8');
}

test('an observation ticked in the export panel is kept for the site and enters the complaint as a user-reported finding', async ({
  ext,
  loads,
}) => {
  const page = await ext.context.newPage();
  const load = await loads.open(`${SITE}/observations`);
  await page.goto(load.httpsUrl(SITE, '/'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'yellow', { timeout: 20_000 });
  await popup.close();
  await loads.check(ext, load, page, tabId);

  const sites = await ext.context.newPage();
  const url = `chrome-extension://${ext.extensionId}/sites.html?lang=en&site=gemeinde-beispielheim.de`;
  await sites.goto(url);
  const box = sites.locator('[data-testid="observations"] input[data-observation="staff-whatsapp-case"]');
  await expect(async () => {
    await sites.reload();
    await expect(box).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(sites.getByTestId('observations')).toContainText('Staff offered to discuss my case over WhatsApp.');
  await expect(box).not.toBeChecked();
  await box.check();
  // Kept for the site: still ticked after the page is opened again.
  await sites.goto(url);
  await expect(box).toBeChecked();
  await expect(sites.locator('[data-testid="observations"] input:checked')).toHaveCount(1);

  const md = await downloadText(sites, () => sites.getByTestId('export-md').click());
  const assessment = md.slice(md.indexOf('## 6.'), md.indexOf('## 7.'));
  expect(assessment).toContain('User report: staff discuss cases over WhatsApp.');
  expect(assessment).toContain('§ 35 SGB I');
  expect(assessment).toContain('own statement');
  expect(md.slice(md.indexOf('## 7.'), md.indexOf('## 8.'))).toContain(
    'Staff offered to discuss my case over WhatsApp.',
  );

  // Unticked: gone from the next complaint.
  await box.uncheck();
  await sites.goto(url);
  await expect(box).not.toBeChecked();
  const again = await downloadText(sites, () => sites.getByTestId('export-md').click());
  expect(again).not.toContain('WhatsApp');
});
