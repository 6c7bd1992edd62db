/**
 * The per-tab tally in the real extension: request and cookie counts, badge, worker restarts,
 * visit lifecycle. Expected numbers come from the fixture pages' *.expect.json files, and every
 * load is also checked against the fixture server's own log (loads.check, tests/e2e/counts.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { SITES_DIR } from './fixture-server';
import type { Browser } from 'wxt/browser';
import type { Report } from '@/lib/verdict/report';
import { expect, test } from './fixtures';

declare const chrome: typeof Browser;

const SITE = 'www.ampel-test.de';
const expected = (name: string) => JSON.parse(readFileSync(path.join(SITES_DIR, SITE, `${name}.expect.json`), 'utf8'));

async function popupCounts(popup: Page) {
  const text = async (id: string) => (await popup.getByTestId(id).textContent())?.trim() ?? '';
  return {
    total: Number(await text('requests-total')),
    firstParty: Number(await text('requests-first-party')),
    thirdParty: Number(await text('requests-third-party')),
    failed: Number((await text('requests-failed')).split('/')[0]),
    hosts: Number(await text('third-party-host-count')),
  };
}

test('counts first- and third-party requests across 10 hostnames, in the popup and on the badge', async ({
  ext,
  loads,
}) => {
  const want = expected('counts');
  const page = await ext.context.newPage();
  const load = await loads.open('counts');
  await page.goto(load.url(SITE, '/counts.html'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  await loads.check(ext, load, page, tabId);
  const popup = await ext.openPopup(tabId);
  // The expected numbers are the server's own: it received exactly that many requests for this load.
  expect(load.lines().length).toBe(want.requests.total);

  await expect
    .poll(() => popupCounts(popup))
    .toEqual({ ...want.requests, hosts: Object.keys(want.thirdPartyHosts).length });
  const rows = popup.getByTestId('host-table').locator('tbody tr');
  await expect(rows).toHaveCount(Object.keys(want.thirdPartyHosts).length);
  for (const [host, count] of Object.entries(want.thirdPartyHosts)) {
    await expect(popup.locator(`tr[data-host="${host}"] [data-testid="host-requests"]`)).toHaveText(String(count));
  }
  // Same-site subdomain and the page's own host are first party, so they are not listed.
  await expect(popup.locator('tr[data-host="static.ampel-test.de"]')).toHaveCount(0);
  await expect.poll(() => ext.badgeText(tabId)).toBe(want.badge);
  // Server IPs come from webRequest details.ip: everything here is served from loopback.
  await expect(popup.locator('tr[data-host="connect.facebook.net"] td').nth(3)).toHaveText('127.0.0.1');
  expect((await ext.diagnostics()).errors).toBe(0);
});

test('counts cookies by header and by script, first and third party; a blocked cookie counts as attempted', async ({
  ext,
  loads,
}) => {
  const want = expected('cookies');
  const page = await ext.context.newPage();
  const load = await loads.open('cookies');
  await page.goto(load.httpsUrl(SITE, '/cookies.html'), { waitUntil: 'load' });
  await expect(page.locator('body')).toHaveAttribute('data-done', '1');
  const tabId = await ext.tabIdOf(page);
  await loads.check(ext, load, page, tabId);
  const popup = await ext.openPopup(tabId);

  await expect(popup.getByTestId('cookies-total')).toHaveText(String(want.cookies.total));
  await expect(popup.getByTestId('cookies-split')).toHaveText(
    `${want.cookies.firstParty} / ${want.cookies.thirdParty}`,
  );
  for (const [name, item] of Object.entries<{
    thirdParty: boolean;
    session: boolean;
    attemptedOnly: boolean;
    partitioned?: boolean;
  }>(want.cookies.items)) {
    const row = popup.locator(`tr[data-cookie="${name}"]`);
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-third-party', String(item.thirdParty));
    await expect(row).toHaveAttribute('data-attempted-only', String(item.attemptedOnly));
    if (item.session) await expect(row.getByTestId('cookie-lifetime')).toHaveText(/Sitzung|session/);
    else await expect(row.getByTestId('cookie-lifetime')).not.toHaveText(/Sitzung|session/);
    if (item.partitioned) await expect(row).toContainText(/partitioniert|partitioned/);
  }
  // The report says the same (CHIPS: only the Partitioned cookie), and which browser measured it.
  const { report } = (await popup.evaluate(
    (id) => chrome.runtime.sendMessage({ type: 'get-visit', tabId: id }),
    tabId,
  )) as { report: Report };
  expect(Object.fromEntries(report.cookies.items.map((c) => [c.name, c.partitioned]))).toEqual(
    Object.fromEntries(
      Object.entries<{ partitioned?: boolean }>(want.cookies.items).map(([name, item]) => [
        name,
        Boolean(item.partitioned),
      ]),
    ),
  );
  expect(report.tool.browser?.name).toMatch(/^(Chromium|Chrome)$/);
  expect(report.tool.browser?.version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
});

async function loadBurst(ext: import('./fixtures').ExtensionHarness, url: string, stopInBetween: boolean) {
  const page = await ext.context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await expect(page.locator('body')).toHaveAttribute('data-loaded', '120');
  if (stopInBetween) {
    // Stop once phase 1 is persisted (the hub writes at most every 250 ms; docs/ARCHITECTURE.md).
    const tabId = await ext.tabIdOf(page);
    await expect
      .poll(() =>
        ext.worker.evaluate(async (key) => {
          const stored = (await chrome.storage.session.get(key))[key] as { requests?: { total: number } } | undefined;
          return stored?.requests?.total ?? 0;
        }, `visit:${tabId}`),
      )
      .toBe(121);
    await ext.stopWorker();
  }
  // Phase 2 wakes the stopped worker with its first request.
  await page.evaluate(() => (window as unknown as { phase2(): Promise<void> }).phase2());
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  return { page, tabId, popup };
}

test('a worker stopped in the middle of a 246-request load restores and ends with the undisturbed tally', async ({
  ext,
  loads,
}) => {
  const want = expected('burst');
  const first = await loads.open('burst undisturbed');
  const undisturbed = await loadBurst(ext, first.url(SITE, '/burst.html'), false);
  await expect.poll(() => popupCounts(undisturbed.popup)).toMatchObject(want.requests);
  await loads.check(ext, first, undisturbed.page, undisturbed.tabId);
  const reference = await popupCounts(undisturbed.popup);
  // Tabs are found by URL; the second load uses the same one.
  await undisturbed.page.close();

  const before = await ext.worker.evaluate(() => (globalThis as { dsaReadyAt?: number }).dsaReadyAt);
  const second = await loads.open('burst with a worker stop');
  const disturbed = await loadBurst(ext, second.url(SITE, '/burst.html'), true);
  await expect.poll(() => popupCounts(disturbed.popup)).toEqual(reference);
  await loads.check(ext, second, disturbed.page, disturbed.tabId);
  // It really restarted: the worker's start time moved on.
  await expect
    .poll(() => ext.worker.evaluate(() => (globalThis as { dsaReadyAt?: number }).dsaReadyAt))
    .not.toBe(before);
  await expect.poll(() => ext.badgeText(disturbed.tabId)).toBe(want.badge);
  // Stays equal (no late double counting from replayed events).
  await disturbed.popup.waitForTimeout(1500);
  expect(await popupCounts(disturbed.popup)).toEqual(reference);
});

test('a new top-level navigation starts a new visit; closing the tab forgets it', async ({ ext, loads }) => {
  const page = await ext.context.newPage();
  const first = await loads.open('counts, then navigated away');
  await page.goto(first.url(SITE, '/counts.html'), { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  await expect.poll(() => ext.badgeText(tabId)).toBe(expected('counts').badge);
  await loads.check(ext, first, page, tabId);

  const want = expected('next');
  const next = await loads.open('next');
  await page.goto(next.url(SITE, '/next.html'), { waitUntil: 'load' });
  const popup = await ext.openPopup(tabId);
  await expect(popup.getByTestId('page-url')).toHaveText(next.url(SITE, '/next.html'));
  await expect.poll(() => popupCounts(popup)).toEqual({ ...want.requests, hosts: 1 });
  await loads.check(ext, next, page, tabId);
  await expect.poll(() => ext.badgeText(tabId)).toBe(want.badge);

  expect(await ext.sessionKeys()).toContain(`visit:${tabId}`);
  await page.close();
  await expect.poll(() => ext.sessionKeys()).not.toContain(`visit:${tabId}`);
  await popup.reload();
  await expect(popup.getByTestId('no-visit')).toBeVisible();
});

test("the extension's own pages, data:, blob: and about: are ignored without errors", async ({ ext, loads }) => {
  // An extension page in a tab of its own: no visit is created for it.
  const own = await ext.context.newPage();
  await own.goto(`chrome-extension://${ext.extensionId}/popup.html?tabId=999999`);
  const ownTabId = await ext.tabIdOf(own);
  expect(await ext.sessionKeys()).not.toContain(`visit:${ownTabId}`);
  await expect(own.getByTestId('no-visit')).toBeVisible();

  // about:blank and a data: document as top-level pages: no visit either.
  const blank = await ext.context.newPage();
  await blank.goto('about:blank');
  await blank.goto('data:text/html,<p>hallo</p>');

  // counts.html loads data:, blob: and about:blank resources; the totals stay those of its http requests.
  const page = await ext.context.newPage();
  const load = await loads.open('counts with data:, blob: and about: resources');
  await page.goto(load.url(SITE, '/counts.html'), { waitUntil: 'load' });
  const popup = await ext.openPopup(await ext.tabIdOf(page));
  await expect.poll(() => popupCounts(popup)).toMatchObject({ total: expected('counts').requests.total });
  await loads.check(ext, load, page);
  expect(await ext.diagnostics()).toEqual({ errors: 0, last: [] });
});
