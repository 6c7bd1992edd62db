/**
 * The seed case in the real extension, as the rule book judges it (docs/findings.md): the
 * Jobcenter's Instagram profile says comments are off "for data protection" while it invites DMs
 * (R-AUTH-08, info among the further findings) and links a notice for its Instagram account that
 * says nothing on the joint controllership with Meta for the account's statistics (R-PRV-11:
 * Art. 26 GDPR, CJEU C-210/16 Wirtschaftsakademie); the Jobcenter's website links its Instagram profile
 * and its notice does not name it (R-AUTH-07). Both profile findings reach the complaint.
 * Fixtures: tests/fixtures/sites/www.instagram.com/jobcenter.musterstadt.u25/,
 * tests/fixtures/sites/www.jobcenter-musterstadt.de/.
 */
import { expect, test } from './fixtures';
import { complaintOf, reportOf } from './report-of';

test("the Jobcenter's profile: comments off for data protection with DMs open (R-AUTH-08), and a notice without the Insights information (R-PRV-11) — in the popup and the complaint", async ({
  ext,
  loads,
}) => {
  const path = '/jobcenter.musterstadt.u25/';
  const load = await loads.open(`www.instagram.com${path}`);
  const page = await ext.context.newPage();
  await page.goto(load.httpsUrl('www.instagram.com', path), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await popup.getByTestId('lang').selectOption('en');
  await expect(popup.getByTestId('authority-state')).toHaveAttribute('data-authority', 'true', { timeout: 20_000 });
  await expect(popup.getByTestId('page-kind')).toHaveAttribute('data-platform', 'instagram');
  // The account's notice, read in full, covers the platform: the gap is the joint-control part only.
  await expect(popup.getByTestId('privacy-check')).toHaveAttribute('data-status', 'found', { timeout: 20_000 });
  await expect(popup.getByTestId('privacy-url')).toContainText('/datenschutz-instagram.html');

  const insights = popup.getByTestId('verdict').locator('[data-finding="privacy-no-joint-control"]');
  // Yellow by the rule, red here: the account addresses young people (rules.json ESC-MINORS).
  await expect(insights).toHaveAttribute('data-severity', 'red', { timeout: 20_000 });
  await expect(insights).toHaveAttribute('data-certainty', 'heuristic');
  await expect(insights).toContainText('joint controllership');
  await expect(insights.locator('.legal')).toContainText('C-210/16');
  await expect(insights).toContainText('instagram – https://www.jobcenter-musterstadt.de');

  const comments = popup.locator('[data-testid="more-findings"] [data-finding="comments-off-dms-open"]');
  await expect(comments).toHaveAttribute('data-certainty', 'heuristic');
  await expect(comments).toContainText('Kommentare sind aus Datenschutzgründen deaktiviert.');
  await expect(popup.locator('[data-testid="reasons"] [data-finding="comments-off-dms-open"]')).toHaveCount(0);

  const report = await reportOf(popup, tabId);
  expect(report.privacyNotice.status).toBe('found');
  expect(report.findings.find((f) => f.id === 'privacy-no-joint-control')?.escalatedBy).toBe('ESC-MINORS');
  expect(report.findings.map((f) => f.id)).toEqual(
    expect.arrayContaining(['privacy-no-joint-control', 'comments-off-dms-open']),
  );
  // Nothing says the notice is missing or misses the platform: the gap is what it leaves out.
  expect(report.findings.map((f) => f.id)).not.toContain('privacy-missing');
  expect(report.findings.map((f) => f.id)).not.toContain('privacy-no-platform-notice');

  const complaint = await complaintOf(report, 'instagram.com/jobcenter.musterstadt.u25');
  const inComplaint = complaint.findings.map((f) => f.id);
  expect(inComplaint).toContain('privacy-no-joint-control');
  expect(inComplaint).toContain('comments-off-dms-open');
  expect(complaint.findings.find((f) => f.id === 'privacy-no-joint-control')?.evidence).toContain('instagram');
  await loads.check(ext, load, page, tabId);
  expect((await ext.diagnostics()).errors).toBe(0);
});

test("the Jobcenter's website links its Instagram profile and its notice does not name it: R-AUTH-07", async ({
  ext,
  loads,
}) => {
  const load = await loads.open('www.jobcenter-musterstadt.de/');
  const page = await ext.context.newPage();
  await page.goto(load.httpsUrl('www.jobcenter-musterstadt.de', '/'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await popup.getByTestId('lang').selectOption('en');
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', 'red', { timeout: 20_000 });
  const channels = popup.locator('[data-testid="reasons"] [data-finding="authority-channels-not-in-notice"]');
  await expect(channels).toHaveAttribute('data-severity', 'red', { timeout: 20_000 });
  await expect(channels).toContainText('instagram: https://www.instagram.com/jobcenter_musterstadt/');
  await expect(channels.locator('.legal')).toContainText('Art. 13(1)(e)');
  const report = await reportOf(popup, tabId);
  expect(report.ownChannels?.find((c) => c.id === 'instagram')).toEqual({
    id: 'instagram',
    url: 'https://www.instagram.com/jobcenter_musterstadt/',
    namedInNotice: false,
  });
  await loads.check(ext, load, page, tabId);
});
