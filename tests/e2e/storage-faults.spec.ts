/**
 * Storage faults in the history page, in the real extension:
 *  (a) a full disk (QuotaExceededError) on a setting change and on an import: a clear message,
 *      the stored visits stay;
 *  (b) an upgrade blocked by an old connection to the v1 database: a "close other tabs" message at
 *      once, no hang, and the page recovers when that tab closes;
 *  (c) a stored record that fails validation: the other records are listed and the skipped count
 *      is shown.
 *
 * Records are written straight into IndexedDB from an extension page (extension pages share the
 * background's origin). Valid records are built in Node with lib/history/schema.ts's own
 * `recordOfReport` from the reports in tests/fixtures/history/v1-records.json, dated within the
 * retention period so that the background's start-up prune leaves them alone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  HISTORY_DB_NAME,
  HISTORY_DB_VERSION,
  type HistoryRecord,
  isHistoryRecord,
  recordOfReport,
} from '@/lib/history/schema';
import { EXPORT_FORMAT, EXPORT_VERSION } from '@/lib/history/transfer';
import { type ExtensionHarness, expect, test } from './fixtures';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/history/v1-records.json');
const DAY = 86_400_000;

/** Valid v2 records (one per fixture report), visited 1..n days ago. */
function validRecords(): HistoryRecord[] {
  const raw = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { report: Record<string, unknown> }[];
  const now = Date.now();
  return raw.map((r, i) => {
    const at = now - (i + 1) * DAY;
    const record = recordOfReport({
      ...r.report,
      visitedAt: new Date(at).toISOString(),
      analysedAt: new Date(at + 5000).toISOString(),
    });
    if (!record || !isHistoryRecord(record)) throw new Error(`fixture report ${i} is not a valid report`);
    return record;
  });
}

const sitesOf = (records: HistoryRecord[]) => [...new Set(records.map((r) => r.site))].sort();

/** An extension page to work on IndexedDB from (the about page: it does not touch the history). */
async function extensionPage(ext: ExtensionHarness): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/about.html`);
  return page;
}

/** Waits until the background created the v2 database (it prunes at start-up). */
async function waitForDatabase(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(
        async (name) => (await indexedDB.databases()).find((d) => d.name === name)?.version ?? 0,
        HISTORY_DB_NAME,
      ),
    )
    .toBe(HISTORY_DB_VERSION);
}

/** Puts raw values into the `visits` store of the existing database; returns the stored count. */
function putRaw(page: Page, values: unknown[]): Promise<number> {
  return page.evaluate(
    async ({ name, values }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        return await new Promise<number>((resolve, reject) => {
          const tx = db.transaction('visits', 'readwrite');
          const store = tx.objectStore('visits');
          for (const value of values) store.put(value);
          const count = store.count();
          tx.oncomplete = () => resolve(count.result);
          tx.onerror = () => reject(tx.error);
        });
      } finally {
        db.close();
      }
    },
    { name: HISTORY_DB_NAME, values },
  );
}

/** Ids and settings as stored, read without the extension's code. */
function storedState(page: Page): Promise<{ ids: string[]; settings: unknown }> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const tx = db.transaction(['visits', 'meta']);
      const ids = tx.objectStore('visits').getAllKeys();
      const settings = tx.objectStore('meta').get('settings');
      return await new Promise<{ ids: string[]; settings: unknown }>((resolve, reject) => {
        tx.oncomplete = () => resolve({ ids: (ids.result as string[]).sort(), settings: settings.result ?? null });
        tx.onerror = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }, HISTORY_DB_NAME);
}

async function openHistory(ext: ExtensionHarness, query = 'lang=en'): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/sites.html?${query}`);
  return page;
}

const siteRows = (page: Page) => page.getByTestId('site-row');

test('(a) a full disk: a setting change and an import fail with a clear message, the stored visits stay', async ({
  ext,
}) => {
  const records = validRecords();
  const helper = await extensionPage(ext);
  await waitForDatabase(helper);
  expect(await putRaw(helper, records)).toBe(records.length);
  const before = await storedState(helper);

  // Every put in the history page fails as on a full disk (the background's writes are not touched).
  await ext.context.addInitScript(() => {
    if (!location.pathname.endsWith('/sites.html') && !location.pathname.endsWith('/options.html')) return;
    IDBObjectStore.prototype.put = (...args: unknown[]): IDBRequest<IDBValidKey> => {
      void args;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  const page = await openHistory(ext);
  await expect(siteRows(page)).toHaveCount(sitesOf(records).length);

  // A setting change (on the options page, which writes to the same database).
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await options.getByTestId('options-lang').selectOption('en');
  await options.getByTestId('retention').fill('30');
  await options.getByTestId('save-retention').click();
  const banner = options.getByTestId('history-error');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('data-kind', 'quota');
  await expect(banner).toContainText('The storage for the history is full');
  await expect(banner).toContainText('earlier entries are unchanged');
  await expect(options.getByTestId('settings-status')).not.toHaveText('Saved.');
  await options.close();

  // An import of one new and one changed visit.
  const fresh = validRecords()[0]!;
  const incoming = [
    {
      ...fresh,
      report: { ...fresh.report, analysedAt: new Date(Date.parse(fresh.report.analysedAt) + 60_000).toISOString() },
    },
    recordOfReport({
      ...fresh.report,
      url: 'https://neu.example.org/',
      visitedAt: new Date().toISOString(),
      analysedAt: new Date().toISOString(),
    })!,
  ];
  await page.getByTestId('import-file').setInputFiles({
    name: 'history.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exportedAt: new Date().toISOString(),
        visits: incoming,
      }),
    ),
  });
  const status = page.getByTestId('import-status');
  await expect(status).toHaveAttribute('data-error', 'true');
  await expect(status).toContainText('The storage for the history is full');
  await expect(status).toContainText('Nothing was imported.');

  // Nothing changed: the same visits and settings in the database, and still listed.
  expect(await storedState(helper)).toEqual(before);
  await page.reload();
  await expect(siteRows(page)).toHaveCount(sitesOf(records).length);
  await expect(page.locator('[data-testid="site-row"][data-site="example.org"]')).toHaveCount(0);
  const after = await ext.context.newPage();
  await after.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await expect(after.getByTestId('retention')).toHaveValue('180');
});

/** Recreates the database at v1 (as an old version of the extension did) in a tab that keeps it open and ignores versionchange. */
async function holdV1Database(ext: ExtensionHarness) {
  const [v1Record] = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>[];
  const holder = await extensionPage(ext);
  // The background creates the v2 database at start-up (its prune), so "before v2 is first
  // created" means: delete it (the background's connection gives way on versionchange), then
  // recreate it at v1 as an old version of the extension did, from a tab that keeps the
  // connection open and ignores versionchange.
  await waitForDatabase(holder);
  await holder.evaluate(
    ({ name, record, day }) =>
      new Promise<void>((resolve, reject) => {
        const del = indexedDB.deleteDatabase(name);
        del.onerror = () => reject(del.error);
        del.onsuccess = () => {
          const request = indexedDB.open(name, 1);
          request.onupgradeneeded = () => {
            const visits = request.result.createObjectStore('visits', { keyPath: 'id' });
            visits.createIndex('site', 'site');
            visits.createIndex('visitedAt', 'visitedAt');
            // Recent, so the retention prune keeps it.
            visits.put({ ...record, visitedAt: Date.now() - day });
          };
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            (globalThis as { oldConnection?: IDBDatabase }).oldConnection = request.result; // kept open, versionchange ignored
            resolve();
          };
        };
      }),
    { name: HISTORY_DB_NAME, record: v1Record, day: DAY },
  );
  expect(
    await holder.evaluate(
      async (name) => (await indexedDB.databases()).find((d) => d.name === name)?.version,
      HISTORY_DB_NAME,
    ),
  ).toBe(1);

  return { holder, v1Record: v1Record! };
}

test('(b) an upgrade blocked by an old tab with the v1 database open: a "close other tabs" message at once, no hang', async ({
  ext,
}) => {
  const { holder, v1Record } = await holdV1Database(ext);
  const opened = Date.now();
  const page = await openHistory(ext);
  const banner = page.getByTestId('history-error');
  await expect(banner).toBeVisible({ timeout: 5000 });
  await expect(banner).toHaveAttribute('data-kind', 'blocked');
  await expect(banner).toContainText('Please close other history tabs');
  // At once, not only after the store's 10 s give-up timeout.
  expect(Date.now() - opened).toBeLessThan(5000);
  // No hang: the page answers and offers a retry.
  await expect(page.getByTestId('retry')).toBeEnabled();
  expect(await page.evaluate(() => document.title)).toContain('History');

  // The old tab goes away: the waiting upgrade goes through and the migrated v1 visit is listed.
  await holder.close();
  await expect(page.getByTestId('history-error')).toHaveCount(0);
  await expect(siteRows(page)).toHaveCount(1);
  await expect(siteRows(page).first()).toHaveAttribute('data-site', String(v1Record.site));
  const check = await extensionPage(ext);
  expect(
    await check.evaluate(
      async (name) => (await indexedDB.databases()).find((d) => d.name === name)?.version,
      HISTORY_DB_NAME,
    ),
  ).toBe(HISTORY_DB_VERSION);
});

test('(c) a corrupt record: the other records are listed and the skipped count is shown', async ({ ext }) => {
  const records = validRecords();
  const helper = await extensionPage(ext);
  await waitForDatabase(helper);
  const broken = [
    // Same site as valid records, but no report and a visitedAt that is not a number.
    {
      id: 'example.de|0|kaputt',
      site: 'example.de',
      url: 'https://www.example.de/kaputt',
      visitedAt: 'gestern',
      verdict: 'red',
    },
    // A report whose verdict is unknown.
    {
      ...records[0]!,
      id: `${records[0]!.id}-x`,
      verdict: 'purple',
      report: { ...records[0]!.report, verdict: 'purple' },
    },
  ];
  expect(await putRaw(helper, [...records, ...broken])).toBe(records.length + broken.length);

  const page = await openHistory(ext);
  await expect(siteRows(page)).toHaveCount(sitesOf(records).length);
  await expect(page.getByTestId('skipped')).toHaveText(`${broken.length} damaged entries were skipped.`);
  await expect(page.getByTestId('history-error')).toHaveCount(0);

  // The site's own timeline: its valid visits, the skipped ones counted.
  const site = await openHistory(ext, 'lang=en&site=example.de');
  const valid = records.filter((r) => r.site === 'example.de');
  await expect(site.getByTestId('visit')).toHaveCount(valid.length);
  for (const r of valid) await expect(site.locator(`[data-testid="visit"][data-id="${r.id}"]`)).toHaveCount(1);
  await expect(site.getByTestId('skipped')).toHaveText(`${broken.length} damaged entries were skipped.`);
  // Nothing was deleted or "repaired" by reading.
  expect((await storedState(helper)).ids).toHaveLength(records.length + broken.length);
});

test('(b) "Try again" while the upgrade is still blocked, then the old tab closes: the page recovers', async ({
  ext,
}) => {
  const { holder, v1Record } = await holdV1Database(ext);
  const page = await openHistory(ext);
  await expect(page.getByTestId('history-error')).toHaveAttribute('data-kind', 'blocked');
  // What the message asks for, in the order a user does it: try again, then close the other tab.
  await page.getByTestId('retry').click();
  await holder.close();
  await expect(siteRows(page)).toHaveCount(1);
  await expect(siteRows(page).first()).toHaveAttribute('data-site', String(v1Record.site));
  await expect(page.getByTestId('history-error'), 'no error left once the database is usable').toHaveCount(0);
});
