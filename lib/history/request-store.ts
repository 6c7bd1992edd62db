/**
 * The per-request rows of recent visits (lib/tally/request-rows.ts), kept for the HAR of the
 * evidence package (lib/export/har.ts): IndexedDB "datenschutz-ampel-requests", apart from the
 * history database so that its schema and migrations stay untouched and these rows can be
 * dropped wholesale.
 *
 * Bounded: at most MAX_ROWS_PER_VISIT rows per visit (the recorder's cap), the newest
 * `VISITS_PER_SITE` visits per site and `MAX_VISITS` visits in all (older ones are deleted on
 * every write that adds a visit). Each write stores its batch of changed rows as one record: one
 * IndexedDB `put` per row (version 1) was the larger part of the worker's IndexedDB time during a
 * page load (docs/ARCHITECTURE.md, "Page-load overhead"). Reading merges a visit's records in the
 * order they were written — a later row replaces an earlier one of the same hop, as a `put` per row
 * did — after any rows a version 1 store kept, so existing rows read as before and need no copying.
 * Written only for visits the history records (the background checks: not paused, no private
 * window); cleared with the history.
 *
 * Schema, version 2: store `visits` (keyPath `visitKey`; index `site`, `startedAt`), store `batches`
 * (auto-increment key, the write order; value `{ visitKey, rows }`; index `visitKey`); store `rows`
 * from version 1 (keyPath [`visitKey`, `key`]; index `visitKey`), read and deleted, no longer written.
 */
import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB } from 'idb';
import type { RequestRow, VisitRows } from '../tally/request-rows';
import { visitKeyOf } from '../tally/request-rows';

export const REQUEST_DB_NAME = 'datenschutz-ampel-requests';
export const REQUEST_DB_VERSION = 2;
export const VISITS_PER_SITE = 3;
export const MAX_VISITS = 60;

export interface StoredVisit {
  visitKey: string;
  site: string;
  url: string;
  startedAt: number;
  /** Rows the recorder could not keep (cap). */
  overflow: number;
}

interface RequestDb extends DBSchema {
  visits: { key: string; value: StoredVisit; indexes: { site: string; startedAt: number } };
  /** Version 1: one record per row. */
  rows: { key: [string, string]; value: RequestRow & { visitKey: string }; indexes: { visitKey: string } };
  /** Version 2: one record per written batch. */
  batches: { key: number; value: { visitKey: string; rows: RequestRow[] }; indexes: { visitKey: string } };
}
const STORES = ['visits', 'rows', 'batches'] as const;
type WriteTx = IDBPTransaction<RequestDb, ('visits' | 'rows' | 'batches')[], 'readwrite'>;

/** A visit's rows from the stored records, oldest record first: the last row of each hop, in time order. */
export function mergeRows(legacy: readonly RequestRow[], batches: readonly (readonly RequestRow[])[]): RequestRow[] {
  const byKey = new Map<string, RequestRow>();
  for (const row of legacy) byKey.set(row.key, row);
  for (const rows of batches) for (const row of rows) byKey.set(row.key, row);
  // Ties in time in key order, as version 1's index (keyed by hop) returned them.
  return [...byKey.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .sort((a, b) => a.startedAt - b.startedAt);
}

export interface RequestStore {
  /** Stores a batch (rows replace rows of the same hop); prunes old visits when a new one arrives. */
  write(batch: VisitRows): Promise<void>;
  /** The rows of a visit (the history record's url and visit start), oldest first; null when none are kept. */
  rowsFor(url: string, startedAt: number): Promise<{ visit: StoredVisit; rows: RequestRow[] } | null>;
  deleteSite(site: string): Promise<void>;
  clear(): Promise<void>;
  close(): void;
}

export async function openRequestStore(): Promise<RequestStore> {
  const db = await openDB<RequestDb>(REQUEST_DB_NAME, REQUEST_DB_VERSION, {
    upgrade(d, oldVersion) {
      if (oldVersion < 1) {
        const visits = d.createObjectStore('visits', { keyPath: 'visitKey' });
        visits.createIndex('site', 'site');
        visits.createIndex('startedAt', 'startedAt');
        const rows = d.createObjectStore('rows', { keyPath: ['visitKey', 'key'] });
        rows.createIndex('visitKey', 'visitKey');
      }
      if (oldVersion < 2) d.createObjectStore('batches', { autoIncrement: true }).createIndex('visitKey', 'visitKey');
    },
  });
  return new IdbRequestStore(db);
}

class IdbRequestStore implements RequestStore {
  constructor(private readonly db: IDBPDatabase<RequestDb>) {}

  async write(batch: VisitRows): Promise<void> {
    const tx = this.db.transaction(STORES, 'readwrite');
    const visits = tx.objectStore('visits');
    const known = await visits.get(batch.visitKey);
    const pending: Promise<unknown>[] = [
      visits.put({
        visitKey: batch.visitKey,
        site: batch.site,
        url: batch.url,
        startedAt: batch.startedAt,
        overflow: Math.max(batch.overflow, known?.overflow ?? 0),
      }),
    ];
    if (batch.rows.length) pending.push(tx.objectStore('batches').add({ visitKey: batch.visitKey, rows: batch.rows }));
    if (!known) pending.push(this.pruneIn(tx, batch.site));
    await Promise.all([...pending, tx.done]);
  }

  /** Deletes the site's visits beyond the newest VISITS_PER_SITE, and the oldest beyond MAX_VISITS. */
  private async pruneIn(tx: WriteTx, site: string): Promise<void> {
    const visits = tx.objectStore('visits');
    const ofSite = (await visits.index('site').getAll(site)).sort((a, b) => b.startedAt - a.startedAt);
    const doomed = ofSite.slice(VISITS_PER_SITE).map((v) => v.visitKey);
    const count = await visits.count();
    if (count - doomed.length > MAX_VISITS) {
      let over = count - doomed.length - MAX_VISITS;
      for (let c = await visits.index('startedAt').openCursor(); c && over > 0; c = await c.continue()) {
        if (doomed.includes(c.value.visitKey)) continue;
        doomed.push(c.value.visitKey);
        over--;
      }
    }
    await Promise.all(doomed.map((key) => this.deleteVisitIn(tx, key)));
  }

  private async deleteVisitIn(tx: WriteTx, visitKey: string): Promise<void> {
    await tx.objectStore('visits').delete(visitKey);
    for (const store of ['rows', 'batches'] as const) {
      const records = tx.objectStore(store);
      for (const key of await records.index('visitKey').getAllKeys(visitKey)) await records.delete(key);
    }
  }

  async rowsFor(url: string, startedAt: number): Promise<{ visit: StoredVisit; rows: RequestRow[] } | null> {
    const visitKey = visitKeyOf(startedAt, url);
    const tx = this.db.transaction(STORES);
    // An index returns records of the same key in primary-key order: the batches as written.
    const [visit, legacy, batches] = await Promise.all([
      tx.objectStore('visits').get(visitKey),
      tx.objectStore('rows').index('visitKey').getAll(visitKey),
      tx.objectStore('batches').index('visitKey').getAll(visitKey),
      tx.done,
    ]);
    if (!visit) return null;
    return {
      visit,
      rows: mergeRows(
        legacy.map(({ visitKey: _k, ...row }) => row),
        batches.map((b) => b.rows),
      ),
    };
  }

  async deleteSite(site: string): Promise<void> {
    const tx = this.db.transaction(STORES, 'readwrite');
    const keys = await tx.objectStore('visits').index('site').getAllKeys(site);
    await Promise.all([...keys.map((k) => this.deleteVisitIn(tx, k)), tx.done]);
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(STORES, 'readwrite');
    await Promise.all([...STORES.map((name) => tx.objectStore(name).clear()), tx.done]);
  }

  close(): void {
    this.db.close();
  }
}
