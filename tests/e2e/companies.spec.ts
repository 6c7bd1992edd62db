/**
 * The company view in the real extension: third parties from well-known tracker hostnames are
 * named with their company, country and transfer status, from the shipped trackerdb + overlay data.
 * Expected values: tests/fixtures/sites/www.ampel-test.de/companies.expect.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SITES_DIR } from './fixture-server';
import { expect, test } from './fixtures';
import { OWNERSHIP_CORRECTIONS } from '../../lib/parties/ownership-corrections';

const SITE = 'www.ampel-test.de';
const want = JSON.parse(readFileSync(path.join(SITES_DIR, SITE, 'companies.expect.json'), 'utf8')) as {
  summary: { en: string; de: string };
  companies: {
    name: string;
    site?: string;
    country: string | null;
    transfer: string;
    requests: number;
    hosts: string[];
  }[];
  selfHosted: string;
};

test('groups third parties by company with country and transfer status, in German and English', async ({
  ext,
  loads,
}) => {
  const page = await ext.context.newPage();
  const load1 = await loads.open(SITE + '/companies.html');

  await page.goto(load1.httpsUrl(SITE, '/companies.html'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await popup.getByTestId('lang').selectOption('en');

  await expect(popup.getByTestId('party-summary')).toHaveText(want.summary.en);
  // The recipients are a collapsed section of the popup: open it as a user would.
  await popup.locator('[data-testid="section-recipients"] > summary').click();
  const companies = popup.locator('li.company');
  await expect(companies).toHaveCount(want.companies.length);
  for (const [i, c] of want.companies.entries()) {
    const item = companies.nth(i);
    await expect(item).toHaveAttribute('data-company', c.name);
    if (c.site) await expect(item).toHaveAttribute('data-site', c.site);
    await expect(item).toHaveAttribute('data-transfer', c.transfer);
    await expect(item.getByTestId('company-requests')).toHaveText(String(c.requests));
    if (c.country)
      await expect(item.locator('[data-testid="company-country"] [data-country]')).toHaveAttribute(
        'data-country',
        c.country,
      );
    else await expect(item.locator('[data-testid="company-country"] [data-country]')).toHaveCount(0);
    // Host lists render when a company is opened.
    await item.locator('summary').click();
    await expect(item.locator('[data-party-host]')).toHaveCount(c.hosts.length);
    for (const host of c.hosts) await expect(item.locator(`[data-party-host="${host}"]`)).toHaveCount(1);
  }
  // Country names come from the browser's ICU data in the UI language.
  await expect(companies.filter({ hasText: 'Linktree' }).getByTestId('company-country')).toContainText('Australia');
  await expect(popup.getByTestId('self-hosted')).toContainText(want.selfHosted);

  await popup.getByTestId('lang').selectOption('de');
  await expect(popup.getByTestId('party-summary')).toHaveText(want.summary.de);
  await expect(companies.filter({ hasText: 'Linktree' }).getByTestId('company-country')).toContainText('Australien');
  expect((await ext.diagnostics()).errors).toBe(0);
  await loads.check(ext, load1, page, tabId);
});

test('the About page attributes every shipped data source with its version and licence', async ({ ext }) => {
  const lock = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  const about = await ext.context.newPage();
  await about.goto(`chrome-extension://${ext.extensionId}/about.html`);
  const row = (id: string) => about.locator(`[data-testid="data-sources"] tr[data-source="${id}"]`);
  await expect(row('trackerdb')).toContainText(lock.packages['node_modules/@ghostery/trackerdb']!.version);
  await expect(row('trackerdb')).toContainText('CC BY-NC-SA 4.0');
  await expect(row('ip-country')).toContainText(
    lock.packages['node_modules/@ip-location-db/geo-whois-asn-country']!.version,
  );
  await expect(row('ip-country')).toContainText('NRO');
  // The ownership corrections applied at build time, each with its source and date.
  const corrections = about.locator('[data-testid="ownership-corrections"] tbody tr');
  await expect(corrections).toHaveCount(OWNERSHIP_CORRECTIONS.length);
  const treasure = about.locator('[data-testid="ownership-corrections"] tr[data-pattern="treasuredata"]');
  await expect(treasure).toContainText('treasuredata.com');
  await expect(treasure).toContainText('Treasure Data (US)');
  await expect(treasure).toContainText('arm (GB)');
  await expect(treasure).toContainText('2026-12-07');
});
