/**
 * The evidence package of the history page's export panel (entrypoints/sites/ExportPanel.tsx,
 * lib/export/package.ts) in the real extension on the fixture web: "Save as PDF" opens the print
 * view of the Jobcenter fixture's complaint and calls print; the package's HAR (request rows the
 * background kept, lib/tally/request-rows.ts) validates as HAR 1.2, holds exactly the requests the
 * report counts, names the page's third parties and redacts cookie values; the CSV tables have
 * their columns and a formula in a cookie name comes out inert; every hash the bundle lists
 * matches the file downloaded.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import type { EvidenceBundle, verifyBundle as VerifyBundle } from '@/lib/export/bundle';
import type { Har } from '@/lib/export/har';
import { harSchemaErrors } from '../har-schema';
import { type ExtensionHarness, expect, test } from './fixtures';
import { visitAndSettle } from './settle';

async function verifyBundle(bundle: unknown, files: Record<string, Uint8Array>): ReturnType<typeof VerifyBundle> {
  const mod = (await tsImport('../../lib/export/bundle.ts', import.meta.url)) as { verifyBundle: typeof VerifyBundle };
  return mod.verifyBundle(bundle, files);
}

async function exportPanel(ext: ExtensionHarness, site: string, lang: 'de' | 'en'): Promise<Page> {
  const history = await ext.context.newPage();
  await history.goto(`chrome-extension://${ext.extensionId}/sites.html?lang=${lang}&site=${site}&export=1`);
  await expect(history.getByTestId('export')).toBeVisible({ timeout: 20_000 });
  return history;
}

async function download(page: Page, testid: string): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
}

test("Save as PDF: the print view renders the Jobcenter profile's complaint and calls print", async ({
  ext,
  loads,
}) => {
  test.setTimeout(90_000);
  await visitAndSettle(ext, loads, 'www.instagram.com', '/jobcenter_musterstadt/', 'red');
  const history = await exportPanel(ext, 'instagram.com', 'de');
  await history.getByTestId('statement').fill('Ich wurde aufgefordert, mich per Direktnachricht zu melden.');
  await history.getByTestId('export-pdf').click();
  const view = history.getByTestId('print-view');
  await expect(view).toBeVisible();
  // The browser's print dialog was asked for (headless Chromium returns at once).
  await expect(view).toHaveAttribute('data-printed', '1');
  const frame = history.frameLocator('[data-testid="print-frame"]');
  await expect(frame.locator('h1')).toContainText('Beschwerde nach Art. 77 DSGVO – Jobcenter Musterstadt');
  await expect(frame.locator('#authority')).toContainText('Bundesbeauftragte');
  await expect(frame.locator('#user-reported')).toContainText('Direktnachricht');
  // Styled: the frame inherits the extension page's CSP, which must admit the summary's stylesheet
  // (wxt.config.ts); without it the body loses its 52rem measure.
  await expect(frame.locator('body')).toHaveCSS('max-width', '832px');
  // The same renderer as the HTML file: the frame's document carries the strict CSP and no script.
  const html = await history.getByTestId('print-frame').getAttribute('srcdoc');
  expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  expect(html).not.toMatch(/<script/i);
  await history.getByTestId('print-close').click();
  await expect(view).toHaveCount(0);
});

test('the package: a HAR of the counted requests with cookie values redacted, both CSV tables, every hash matching', async ({
  ext,
  loads,
}) => {
  test.setTimeout(90_000);
  await visitAndSettle(ext, loads, 'www.ampel-test.de', '/cookies.html', 'red');
  const history = await exportPanel(ext, 'ampel-test.de', 'en');
  await expect(history.getByTestId('export-har')).toBeVisible({ timeout: 20_000 });
  await expect(history.getByTestId('export-total')).toContainText('All files together');

  const files: Record<string, Uint8Array> = {};
  for (const id of ['export-md', 'export-html', 'export-har', 'export-requests-csv', 'export-cookies-csv']) {
    const f = await download(history, id);
    files[f.name] = new Uint8Array(f.bytes);
  }
  const bundleFile = await download(history, 'export-json');
  const bundle = JSON.parse(bundleFile.bytes.toString('utf8')) as EvidenceBundle;
  expect(bundleFile.name).toMatch(/^datenschutz-ampel-ampel-test\.de-\d{4}-\d{2}-\d{2}\.bundle\.json$/);
  expect(await verifyBundle(bundle, files)).toEqual({ ok: true, mismatches: [], unchecked: [] });

  // HAR 1.2, exactly the requests the report counts, the page's third parties, no cookie value.
  const harName = Object.keys(files).find((n) => n.endsWith('.har'))!;
  const harText = new TextDecoder().decode(files[harName]);
  const har = JSON.parse(harText) as Har;
  expect(harSchemaErrors(har)).toEqual([]);
  const report = bundle.reports.at(-1)!;
  const counted = har.log.entries.filter((e) => !e._notSent);
  expect(counted).toHaveLength(report.requests.total);
  const thirdParty = [
    ...new Set(counted.map((e) => new URL(e.request.url).hostname).filter((h) => !h.endsWith('ampel-test.de'))),
  ].sort();
  expect(thirdParty).toEqual(report.requests.thirdPartyHosts.map((h) => h.host).sort());
  expect(thirdParty).toContain('ads.tracker-netz.com');
  // ads.tracker-netz.com sets tp_id=u-123, the page itself fp_session=abc (_headers.json).
  expect(harText).toContain('tp_id=REDACTED');
  expect(harText).toContain('fp_session=REDACTED');
  expect(harText).not.toContain('u-123');
  expect(harText).not.toMatch(/fp_session=abc/);

  // The summary names the HAR's and the tables' hashes.
  const md = new TextDecoder().decode(Object.entries(files).find(([n]) => n.endsWith('.summary.md'))![1]);
  for (const f of bundle.files.filter((x) => x.role === 'attachment')) expect(md).toContain(f.sha256);
});

test('CSV: the expected columns, and a formula in a cookie name comes out inert', async ({ ext, loads }) => {
  test.setTimeout(90_000);
  const page = await ext.context.newPage();
  const load = await loads.open('xss.ampel-test.de/');
  await page.goto(load.httpsUrl('xss.ampel-test.de', '/'), { waitUntil: 'load' });
  await loads.check(ext, load, page);
  const history = await exportPanel(ext, 'ampel-test.de', 'de');
  await expect(async () => {
    await history.reload();
    await expect(history.getByTestId('export-cookies-csv-size')).toBeVisible({ timeout: 2_000 });
    const csv = (await download(history, 'export-cookies-csv')).bytes.toString('utf8');
    expect(csv).toContain('@SUM');
  }).toPass({ timeout: 30_000 });
  const cookies = (await download(history, 'export-cookies-csv')).bytes.toString('utf8');
  const lines = cookies.split('\r\n');
  expect(lines[0]).toBe('\uFEFFSeite;Besuch;Name;Domain;Partei;Laufzeit;Laufzeit (Sekunden);Vor jeder Interaktion');
  const formula = lines.find((l) => l.includes('@SUM'))!;
  // The name cell starts with ' (possibly inside RFC 4180 quotes), never with @.
  expect(formula.split(';')[2]).toMatch(/^"?'@SUM\(1\+1\)\*cmd\|/);
  const requests = (await download(history, 'export-requests-csv')).bytes.toString('utf8');
  expect(requests.split('\r\n')[0]).toBe(
    '\uFEFFSeite;Besuch;Host;Unternehmen;Land des Unternehmens;Übermittlung;Kategorie;Anfragen;Zuerst gesehen',
  );

  // The whole history as one table (settings, overview page).
  await history.goto(`chrome-extension://${ext.extensionId}/sites.html?lang=en`);
  const [d] = await Promise.all([history.waitForEvent('download'), history.getByTestId('export-history-csv').click()]);
  const all = readFileSync((await d.path())!, 'utf8');
  expect(all.split('\r\n')[0]).toBe(
    '\uFEFFSite,Last visit,Verdict,Authority,Page kind,Third-party hosts,Cookies,Findings',
  );
  expect(all).toContain('ampel-test.de,');
});
