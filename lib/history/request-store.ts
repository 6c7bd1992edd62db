/**
 * The per-request rows of recent visits (lib/tally/request-rows.ts), kept for the HAR of the
 * evidence package (lib/export/har.ts): IndexedDB "datenschutz-ampel-requests", apart from the
 * history database so that its schema and migrations stay untouched and these rows can be
 * dropped wholesale.
 *
 * Bounded: at most MAX_ROWS_PER_VISIT rows per visit (the recorder's cap), the newest
 * `VISITS_PER_SITE` visits per site and `MAX_VISITS` visits in all (older ones are deleted on
 * every write that adds a visit). Rows are stored one record each (key [visitKey, hop key]), so a
 * batch writes only what changed. Written only for visits the history records (the background
 * checks: not paused, no private window); cleared with the history.
 *
 * Schema, version 1: store `visits` (keyPath `visitKey`; index `site`, `startedAt`), store `rows`
 * (keyPath [`visitKey`, `key`]; index `visitKey`).
 */
import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB } from 'idb';
import type { RequestRow, VisitRows } from '../tally/request-rows';
import { visitKeyOf } from '../tally/request-rows';

export const REQUEST_DB_NAME = 'datenschutz-ampel-requests';
export const REQUEST_DB_VERSION = 1;
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
  rows: { key: [string, string]; value: RequestRow & { visitKey: string }; indexes: { visitKey: string } };
}
type WriteTx = IDBPTransaction<RequestDb, ('visits' | 'rows')[], 'readwrite'>;

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
    upgrade(d) {
      const visits = d.createObjectStore('visits', { keyPath: 'visitKey' });
      visits.createIndex('site', 'site');
      visits.createIndex('startedAt', 'startedAt');
      const rows = d.createObjectStore('rows', { keyPath: ['visitKey', 'key'] });
      rows.createIndex('visitKey', 'visitKey');
    },
  });
  return new IdbRequestStore(db);
}

class IdbRequestStore implements RequestStore {
  constructor(private readonly db: IDBPDatabase<RequestDb>) {}

  async write(batch: VisitRows): Promise<void> {
    const tx = this.db.transaction(['visits', 'rows'], 'readwrite');
    const visits = tx.objectStore('visits');
    const rows = tx.objectStore('rows');
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
    for (const row of batch.rows) pending.push(rows.put({ ...row, visitKey: batch.visitKey }));
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
    const rows = tx.objectStore('rows');
    for (const key of await rows.index('visitKey').getAllKeys(visitKey)) await rows.delete(key);
  }

  async rowsFor(url: string, startedAt: number): Promise<{ visit: StoredVisit; rows: RequestRow[] } | null> {
    const visitKey = visitKeyOf(startedAt, url);
    const tx = this.db.transaction(['visits', 'rows']);
    const [visit, rows] = await Promise.all([
      tx.objectStore('visits').get(visitKey),
      tx.objectStore('rows').index('visitKey').getAll(visitKey),
      tx.done,
    ]);
    if (!visit) return null;
    return { visit, rows: rows.map(({ visitKey: _k, ...row }) => row).sort((a, b) => a.startedAt - b.startedAt) };
  }

  async deleteSite(site: string): Promise<void> {
    const tx = this.db.transaction(['visits', 'rows'], 'readwrite');
    const keys = await tx.objectStore('visits').index('site').getAllKeys(site);
    await Promise.all([...keys.map((k) => this.deleteVisitIn(tx, k)), tx.done]);
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(['visits', 'rows'], 'readwrite');
    await Promise.all([tx.objectStore('visits').clear(), tx.objectStore('rows').clear(), tx.done]);
  }

  close(): void {
    this.db.close();
  }
}
