/**
 * Opening the history database and bringing its schema up to date.
 *
 * Schema (HISTORY_DB_VERSION = 3), migrations in `upgradeHistoryDb`, one step per version:
 *  - v1: store `visits` (keyPath `id`), indexes `site` and `visitedAt`.
 *  - v2: store `meta` (settings, out-of-line keys); index `site_visitedAt` on [site, visitedAt]
 *        (a site's visits in time order, used for "the visit before this one"); backfills `site`
 *        (and `thirdParties`) on records an early v1 writer stored without them, so that the
 *        `site` indexes find them.
 *  - v3: store `sites` (keyPath `site`): one `SiteSummary` per site, exactly what `sites()`
 *        returns, so that the overview reads a few thousand small rows instead of every visit
 *        with its full report. Kept up to date in the same transaction as every write (record,
 *        deleteVisit, deleteSite, clear, importAll, prune); the migration builds it from the
 *        visits. meta `stats` = { visits: number of records in `visits` } is maintained by
 *        deltas alongside: when it disagrees with the store's count, something wrote to `visits`
 *        behind our back (devtools, a test, a damaged database) and `sites()` rebuilds the
 *        summaries from the visits (or, when it cannot write, computes them in memory).
 *        Store `snapshots` (keyPath `key`): texts of imprints / privacy notices for exports (see
 *        `recordSnapshot`), indexes `url` and `kind_url`; `visits` gains the indexes
 *        `imprintUrl` / `privacyUrl` (report.imprint.url / report.privacyNotice.url) that tell
 *        whether a visit still refers to a snapshot's URL.
 * Steps only ever add; nothing is deleted, and a record the migration cannot repair stays as it
 * is (reads skip and count it) rather than being dropped.
 */
import { type IDBPDatabase, type IDBPTransaction, type StoreNames, wrap } from 'idb';
import {
  HISTORY_DB_NAME,
  HISTORY_DB_VERSION,
  type HistoryDb,
  type HistoryStoreOptions,
  STATS_KEY,
  historyError,
  requests,
  toHistoryError,
} from './schema';
import { SummaryBuilder } from './summaries';
import { siteOfUrl } from '../site';

type UpgradeTx = IDBPTransaction<HistoryDb, StoreNames<HistoryDb>[], 'versionchange'>;

/**
 * Brings the schema from `oldVersion` to `newVersion`, one step at a time. Exported for tests.
 * Runs inside the versionchange transaction: only IDB requests may be awaited here.
 */
export async function upgradeHistoryDb(
  db: IDBPDatabase<HistoryDb>,
  oldVersion: number,
  newVersion: number,
  tx: UpgradeTx,
): Promise<void> {
  if (oldVersion < 1 && newVersion >= 1) {
    const visits = db.createObjectStore('visits', { keyPath: 'id' });
    visits.createIndex('site', 'site');
    visits.createIndex('visitedAt', 'visitedAt');
  }
  if (oldVersion < 2 && newVersion >= 2) {
    db.createObjectStore('meta');
    const visits = tx.objectStore('visits');
    visits.createIndex('site_visitedAt', ['site', 'visitedAt']);
    // Backfill what early v1 writers left out. Records that cannot be repaired stay untouched.
    let cursor = await visits.openCursor();
    while (cursor) {
      const value: unknown = cursor.value;
      if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        const report = record.report as { url?: unknown; requests?: { thirdPartyHosts?: unknown } } | undefined;
        const patch: Record<string, unknown> = {};
        if (typeof record.site !== 'string' || !record.site) {
          const url = typeof record.url === 'string' ? record.url : typeof report?.url === 'string' ? report.url : null;
          const site = url ? siteOfUrl(url) : null;
          if (site) patch.site = site;
        }
        if (typeof record.thirdParties !== 'number' && Array.isArray(report?.requests?.thirdPartyHosts)) {
          patch.thirdParties = report.requests.thirdPartyHosts.length;
        }
        if (Object.keys(patch).length) await cursor.update({ ...record, ...patch });
      }
      cursor = await cursor.continue();
    }
  }
  if (oldVersion < 3 && newVersion >= 3) {
    const visits = tx.objectStore('visits');
    visits.createIndex('imprintUrl', 'report.imprint.url');
    visits.createIndex('privacyUrl', 'report.privacyNotice.url');
    const snapshots = db.createObjectStore('snapshots', { keyPath: 'key' });
    snapshots.createIndex('url', 'url');
    snapshots.createIndex('kind_url', ['kind', 'url']);
    const sites = db.createObjectStore('sites', { keyPath: 'site' });
    // Build the summaries from the visits (a cursor: the values are full reports).
    const builder = new SummaryBuilder();
    let cursor = await visits.openCursor();
    while (cursor) {
      builder.add(cursor.value);
      cursor = await cursor.continue();
    }
    await requests(builder.summaries.values(), (summary) => sites.put(summary));
    await tx.objectStore('meta').put({ visits: builder.records }, STATS_KEY);
  }
}

export function openDatabase(factory: IDBFactory, options: HistoryStoreOptions): Promise<IDBPDatabase<HistoryDb>> {
  return new Promise((resolve, reject) => {
    // idb's wrap() tests values with `instanceof IDBRequest` etc.; without the globals it would throw a ReferenceError.
    if (typeof IDBRequest === 'undefined' || typeof IDBTransaction === 'undefined') {
      reject(historyError('unavailable', new Error('IndexedDB globals are missing')));
      return;
    }
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(HISTORY_DB_NAME, HISTORY_DB_VERSION);
    } catch (error) {
      reject(toHistoryError(error));
      return;
    }
    let gaveUp = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    request.onupgradeneeded = (event) => {
      const tx = request.transaction;
      if (!tx) return;
      // We already told the caller "blocked": an upgrade that starts after that must not change
      // the database behind their back. Abort it; the old schema and data stay.
      if (gaveUp) {
        tx.abort();
        return;
      }
      const abort = () => {
        try {
          tx.abort();
        } catch {
          // already finished or aborted
        }
      };
      try {
        upgradeHistoryDb(
          wrap(request.result) as IDBPDatabase<HistoryDb>,
          event.oldVersion,
          event.newVersion ?? HISTORY_DB_VERSION,
          wrap(tx) as unknown as UpgradeTx,
        ).catch(abort);
      } catch {
        abort();
      }
    };
    request.onblocked = () => {
      if (timer !== undefined || gaveUp) return;
      try {
        options.onBlocked?.();
      } catch {
        // a throwing callback must not keep us from timing out
      }
      timer = setTimeout(() => {
        gaveUp = true;
        reject(historyError('blocked'));
      }, options.blockedTimeoutMs ?? 10_000);
    };
    request.onsuccess = () => {
      clearTimeout(timer);
      const db = request.result;
      if (gaveUp) {
        db.close();
        return;
      }
      resolve(wrap(db) as IDBPDatabase<HistoryDb>);
    };
    request.onerror = (event) => {
      clearTimeout(timer);
      event.preventDefault();
      if (!gaveUp) reject(toHistoryError(request.error));
    };
  });
}
