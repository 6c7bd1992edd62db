/**
 * The per-site history: one record per analysed page visit, kept in IndexedDB.
 *
 * No `browser.*` here: the caller passes the `IDBFactory` (the background passes `indexedDB`,
 * tests a fresh fake-indexeddb `IDBFactory`). idb's wrapper checks values against the global
 * IDB* constructors, so in Node the globals must exist (`import 'fake-indexeddb/auto'`); without
 * them opening fails with kind 'unavailable' instead of a ReferenceError deep inside idb.
 *
 * The data and its checks are in schema.ts, opening and the migrations in migrations.ts, the
 * `sites` summaries in summaries.ts, export and import in transfer.ts.
 *
 * "Latest visit" of a site: see summaries.ts.
 *
 * Errors: every method maps IndexedDB failures to a `HistoryError` (kind 'quota' | 'blocked' |
 * 'corrupt' | 'unavailable', with a German and an English message). `record`, `recordSnapshot`
 * and `importAll` never throw: they run in event handlers and behind a file picker and return
 * typed results. All other methods reject with a HistoryError only. Writes run in one transaction
 * each, which is aborted on any failure, so a failed write (a full disk: QuotaExceededError)
 * changes nothing – neither the visits nor the summaries.
 */
import type { IDBPDatabase } from 'idb';
import * as v from 'valibot';
import type { Report } from '../verdict/report';
import { planRecord } from './coalesce';
import { openDatabase } from './migrations';
import {
  ALL_STORES,
  COALESCE_MS,
  DEFAULT_SETTINGS,
  HistoryError,
  type HistoryDb,
  type HistoryRecord,
  type HistorySettings,
  type HistoryStore,
  type HistoryStoreOptions,
  type ImportResult,
  type LegalTextSnapshot,
  type Listing,
  MAX_RETENTION_DAYS,
  MAX_SNAPSHOT_CHARS,
  type RecordResult,
  ReportShape,
  SETTINGS_KEY,
  SNAPSHOT_GRACE_MS,
  STATS_KEY,
  SettingsShape,
  type SiteSummary,
  type SnapshotInput,
  type SnapshotKind,
  type SnapshotResult,
  StatsShape,
  type Tx,
  historyError,
  isHistoryRecord,
  isReportLike,
  isSiteSummary,
  isSnapshot,
  issueText,
  recordOfReport,
  requests,
  toHistoryError,
} from './schema';
import { SummaryBuilder, SummaryEditor, bySiteOrder } from './summaries';
import { exportText, mergeRecords, parseExport, refusal } from './transfer';
import { sha256Hex } from './sha256';

const DAY_MS = 86_400_000;

/** Opens (creating or upgrading) the history database. Rejects with a HistoryError. */
export async function openHistoryStore(factory: IDBFactory, options: HistoryStoreOptions = {}): Promise<HistoryStore> {
  const db = await openDatabase(factory, options);
  return new IdbHistoryStore(db, options.now ?? Date.now);
}

// ---------------------------------------------------------------------------------------------
// Snapshots

export function snapshotKey(kind: SnapshotKind, url: string, sha256: string): string {
  return `${kind}:${url}:${sha256}`;
}

// ---------------------------------------------------------------------------------------------
// The store

const readSettings = (value: unknown): HistorySettings => {
  const merged = { ...DEFAULT_SETTINGS, ...(value && typeof value === 'object' ? value : {}) };
  return v.is(SettingsShape, merged)
    ? { retentionDays: merged.retentionDays, paused: merged.paused }
    : { ...DEFAULT_SETTINGS };
};

class IdbHistoryStore implements HistoryStore {
  private closed = false;

  constructor(
    private readonly db: IDBPDatabase<HistoryDb>,
    private readonly now: () => number,
  ) {
    const raw = db as unknown as IDBDatabase;
    // Another context wants a newer schema: give way instead of blocking it. Later calls fail
    // with kind 'unavailable' (the extension reloads after an update anyway).
    raw.addEventListener('versionchange', () => {
      this.closed = true;
      db.close();
    });
    // The browser closed the connection (storage cleared, disk error).
    raw.addEventListener('close', () => {
      this.closed = true;
    });
  }

  /**
   * Runs `body` in one transaction and waits for it to commit. On any failure the transaction is
   * aborted (so none of its writes stay) and the failure rethrown as a HistoryError.
   */
  private async run<T, Mode extends IDBTransactionMode>(mode: Mode, body: (tx: Tx<Mode>) => Promise<T>): Promise<T> {
    if (this.closed) throw historyError('unavailable');
    let tx: Tx<Mode>;
    try {
      tx = this.db.transaction([...ALL_STORES], mode);
    } catch (error) {
      throw toHistoryError(error);
    }
    // Observed from the start, so an abort never surfaces as an unhandled rejection.
    const done = tx.done.then(
      () => null,
      (error: unknown) => error ?? new DOMException('aborted', 'AbortError'),
    );
    let result: T;
    try {
      result = await body(tx);
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already aborted by the failed request
      }
      // When the transaction itself failed first (a full disk at commit), later requests fail
      // with InvalidStateError / TransactionInactiveError: report the transaction's reason.
      const failure = await done;
      const name =
        failure && typeof failure === 'object' && 'name' in failure ? String((failure as { name: unknown }).name) : '';
      throw toHistoryError(failure && name !== 'AbortError' && !(error instanceof HistoryError) ? failure : error);
    }
    const failure = await done;
    if (failure) throw toHistoryError(failure);
    return result;
  }

  async record(report: unknown): Promise<RecordResult> {
    const record = recordOfReport(report);
    if (!record) {
      const why = isReportLike(report) ? 'url/visitedAt' : issueText(v.safeParse(ReportShape, report).issues ?? []);
      return {
        status: 'refused',
        reason: 'invalid',
        message: {
          de: `Kein gültiger Bericht (${why}); nicht gespeichert.`,
          en: `Not a valid report (${why}); not stored.`,
        },
      };
    }
    try {
      return await this.run('readwrite', async (tx) => {
        // Read inside the write transaction: the history page may have paused us a moment ago.
        if (readSettings(await tx.objectStore('meta').get(SETTINGS_KEY)).paused)
          return { status: 'skipped', reason: 'paused' } as const;
        const store = tx.objectStore('visits');
        const range = IDBKeyRange.bound([record.site, record.visitedAt - COALESCE_MS], [record.site, record.visitedAt]);
        const [existing, nearby] = await Promise.all([
          store.get(record.id) as Promise<unknown>,
          store.index('site_visitedAt').getAll(range),
        ]);
        const own = isHistoryRecord(existing) ? existing : null;
        const neighbours = nearby.filter(isHistoryRecord).filter((r) => r.url === record.url && r.id !== record.id);
        // Replays and out-of-order updates keep the newest analysis; reloads coalesce (coalesce.ts).
        const plan = planRecord(record, own, neighbours);
        if (plan.status === 'unchanged') return { status: 'unchanged', id: plan.id } as const;
        const stored = new Map<string, HistoryRecord>([...neighbours, ...(own ? [own] : [])].map((r) => [r.id, r]));
        const summaries = new SummaryEditor(tx);
        await summaries.preload(own ? [record.site, own.site] : [record.site]);
        for (const gone of plan.remove) {
          summaries.removed(gone);
          summaries.records(-1);
          await store.delete(gone.id);
        }
        for (const next of plan.put) {
          const old = stored.get(next.id);
          if (old) summaries.removed(old);
          else if (next.id !== record.id || existing === undefined) summaries.records(1);
          await store.put(next);
          summaries.added(next);
        }
        await summaries.flush();
        return { status: plan.status, id: plan.id } as const;
      });
    } catch (error) {
      return { status: 'failed', error: toHistoryError(error) };
    }
  }

  private async readAll(): Promise<Listing<HistoryRecord>> {
    const values = await this.run('readonly', (tx) => tx.objectStore('visits').getAll());
    const items: HistoryRecord[] = [];
    let skippedCorrupt = 0;
    for (const value of values) {
      if (isHistoryRecord(value)) items.push(value);
      else skippedCorrupt++;
    }
    return { items, skippedCorrupt };
  }

  async sites(): Promise<Listing<SiteSummary>> {
    // Fast path: the maintained summaries, trusted while the stats agree with the visits store.
    const { rows, count, stats } = await this.run('readonly', async (tx) => {
      const [rows, count, stats] = await Promise.all([
        tx.objectStore('sites').getAll(),
        tx.objectStore('visits').count(),
        tx.objectStore('meta').get(STATS_KEY),
      ]);
      return { rows, count, stats };
    });
    const items = rows.filter(isSiteSummary);
    const summarised = items.reduce((n, s) => n + s.visits, 0);
    if (items.length === rows.length && v.is(StatsShape, stats) && stats.visits === count && summarised <= count) {
      items.sort(bySiteOrder);
      return { items, skippedCorrupt: count - summarised };
    }
    // The visits changed behind our back or a summary row is damaged: rebuild from the visits.
    return this.rebuildSummaries();
  }

  /**
   * Recomputes every summary (and the stats) from the visits and stores them. When the rebuild
   * cannot be stored (a full disk), the summaries computed in memory are returned all the same.
   */
  private async rebuildSummaries(): Promise<Listing<SiteSummary>> {
    const rebuild = (tx: Tx<'readwrite'> | Tx<'readonly'>) =>
      tx
        .objectStore('visits')
        .getAll()
        .then((values) => {
          const builder = new SummaryBuilder();
          for (const value of values) builder.add(value);
          return builder;
        });
    let builder: SummaryBuilder;
    try {
      builder = await this.run('readwrite', async (tx) => {
        const built = await rebuild(tx);
        const sites = tx.objectStore('sites');
        await sites.clear();
        await requests(built.summaries.values(), (summary) => sites.put(summary));
        await tx.objectStore('meta').put({ visits: built.records }, STATS_KEY);
        return built;
      });
    } catch (error) {
      if (toHistoryError(error).kind === 'unavailable') throw toHistoryError(error);
      builder = await this.run('readonly', rebuild);
    }
    const items = [...builder.summaries.values()].sort(bySiteOrder);
    return { items, skippedCorrupt: builder.corrupt };
  }

  async visits(site: string): Promise<Listing<HistoryRecord>> {
    if (typeof site !== 'string') return { items: [], skippedCorrupt: 0 };
    // The plain `site` index (not site_visitedAt): a record with a broken visitedAt is missing
    // from the compound index, and it must be counted as corrupt, not silently invisible.
    const values = await this.run('readonly', (tx) => tx.objectStore('visits').index('site').getAll(site));
    const items = values.filter(isHistoryRecord);
    items.sort((a, b) => b.visitedAt - a.visitedAt || (a.id < b.id ? -1 : 1));
    return { items, skippedCorrupt: values.length - items.length };
  }

  async visit(id: string): Promise<HistoryRecord | null> {
    if (typeof id !== 'string') return null;
    const value = await this.run('readonly', (tx) => tx.objectStore('visits').get(id));
    if (value === undefined) return null;
    if (!isHistoryRecord(value)) throw historyError('corrupt');
    return value;
  }

  async previousVisit(id: string): Promise<HistoryRecord | null> {
    const current = await this.visit(id);
    if (!current) return null;
    return this.run('readonly', async (tx) => {
      const range = IDBKeyRange.bound([current.site, -Infinity], [current.site, current.visitedAt]);
      let cursor = await tx.objectStore('visits').index('site_visitedAt').openCursor(range, 'prev');
      while (cursor) {
        const value: unknown = cursor.value;
        if (isHistoryRecord(value) && value.id !== id && (value.visitedAt < current.visitedAt || value.id < id))
          return value;
        cursor = await cursor.continue();
      }
      return null;
    });
  }

  async deleteVisit(id: string): Promise<boolean> {
    if (typeof id !== 'string') return false;
    return this.run('readwrite', async (tx) => {
      const store = tx.objectStore('visits');
      const existing: unknown = await store.get(id);
      if (existing === undefined) return false;
      const summaries = new SummaryEditor(tx);
      if (isHistoryRecord(existing)) {
        await summaries.preload([existing.site]);
        summaries.removed(existing);
      }
      summaries.records(-1);
      await store.delete(id);
      await summaries.flush();
      return true;
    });
  }

  async deleteSite(site: string): Promise<number> {
    if (typeof site !== 'string') return 0;
    return this.run('readwrite', async (tx) => {
      const store = tx.objectStore('visits');
      const keys = await store.index('site').getAllKeys(site);
      await requests(keys, (key) => store.delete(key));
      // Every valid record of the site was in the site index: the whole summary goes.
      await tx.objectStore('sites').delete(site);
      const summaries = new SummaryEditor(tx);
      summaries.records(-keys.length);
      await summaries.flush();
      return keys.length;
    });
  }

  async clear(): Promise<void> {
    await this.run('readwrite', async (tx) => {
      await tx.objectStore('visits').clear();
      await tx.objectStore('sites').clear();
      await tx.objectStore('snapshots').clear();
      await tx.objectStore('meta').put({ visits: 0 }, STATS_KEY);
    });
  }

  async settings(): Promise<HistorySettings> {
    return this.run('readonly', async (tx) => readSettings(await tx.objectStore('meta').get(SETTINGS_KEY)));
  }

  async setSettings(patch: Partial<HistorySettings>): Promise<HistorySettings> {
    return this.run('readwrite', async (tx) => {
      const meta = tx.objectStore('meta');
      const next = readSettings(await meta.get(SETTINGS_KEY));
      const days = patch?.retentionDays;
      if (typeof days === 'number' && Number.isFinite(days))
        next.retentionDays = Math.min(MAX_RETENTION_DAYS, Math.max(1, Math.round(days)));
      if (typeof patch?.paused === 'boolean') next.paused = patch.paused;
      await meta.put(next, SETTINGS_KEY);
      return next;
    });
  }

  async prune(now: number = this.now()): Promise<number> {
    if (!Number.isFinite(now)) return 0;
    return this.run('readwrite', async (tx) => {
      const { retentionDays } = readSettings(await tx.objectStore('meta').get(SETTINGS_KEY));
      const cutoff = now - retentionDays * DAY_MS;
      // Strictly older: a visit exactly retentionDays old is kept.
      const store = tx.objectStore('visits');
      const range = IDBKeyRange.upperBound(cutoff, true);
      const [keys, values] = await Promise.all([
        store.index('visitedAt').getAllKeys(range),
        store.index('visitedAt').getAll(range),
      ]);
      const summaries = new SummaryEditor(tx);
      const valid = values.filter(isHistoryRecord);
      await summaries.preload(valid.map((r) => r.site));
      for (const record of valid) summaries.removed(record);
      summaries.records(-keys.length);
      await requests(keys, (key) => store.delete(key));
      await summaries.flush();
      await this.dropUnreferencedSnapshots(tx, now - SNAPSHOT_GRACE_MS);
      return keys.length;
    });
  }

  /** Deletes the snapshots of URLs no stored visit refers to, unless fetched at or after `keepFrom`. */
  private async dropUnreferencedSnapshots(tx: Tx<'readwrite'>, keepFrom: number): Promise<void> {
    const snapshots = tx.objectStore('snapshots');
    const urls: string[] = [];
    for (
      let cursor = await snapshots.index('url').openKeyCursor(null, 'nextunique');
      cursor;
      cursor = await cursor.continue()
    )
      urls.push(cursor.key);
    const visits = tx.objectStore('visits');
    const refs = await requests(
      urls,
      async (url) => (await visits.index('imprintUrl').count(url)) + (await visits.index('privacyUrl').count(url)),
    );
    const orphans = urls.filter((_, i) => refs[i] === 0);
    const rows = await requests(orphans, (url) => snapshots.index('url').getAll(url));
    const doomed: string[] = [];
    for (const row of rows.flat()) {
      const key = row && typeof row === 'object' ? (row as { key?: unknown }).key : undefined;
      if (typeof key !== 'string') continue;
      if (isSnapshot(row) && row.lastFetchedAt >= keepFrom) continue;
      doomed.push(key);
    }
    await requests(doomed, (key) => snapshots.delete(key));
  }

  async recordSnapshot(input: SnapshotInput): Promise<SnapshotResult> {
    const bad = (why: string): SnapshotResult => ({
      status: 'refused',
      reason: 'invalid',
      message: {
        de: `Kein gültiger Text-Schnappschuss (${why}); nicht gespeichert.`,
        en: `Not a valid text snapshot (${why}); not stored.`,
      },
    });
    const { url, kind, text, fetchedAt } = (input ?? {}) as Partial<SnapshotInput>;
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return bad('url');
    if (kind !== 'imprint' && kind !== 'privacy') return bad('kind');
    if (typeof text !== 'string' || !text.trim()) return bad('text');
    if (typeof fetchedAt !== 'number' || !Number.isFinite(fetchedAt)) return bad('fetchedAt');
    const stored = text.length > MAX_SNAPSHOT_CHARS ? text.slice(0, MAX_SNAPSHOT_CHARS) : text;
    let sha256: string;
    try {
      // Before the transaction: awaiting anything but IndexedDB inside it would let it commit.
      sha256 = await sha256Hex(stored);
    } catch (error) {
      return { status: 'failed', error: historyError('unavailable', error) };
    }
    const key = snapshotKey(kind, url, sha256);
    try {
      return await this.run('readwrite', async (tx) => {
        if (readSettings(await tx.objectStore('meta').get(SETTINGS_KEY)).paused)
          return { status: 'skipped', reason: 'paused' } as const;
        const store = tx.objectStore('snapshots');
        const existing: unknown = await store.get(key);
        if (isSnapshot(existing)) {
          if (fetchedAt >= existing.fetchedAt && fetchedAt <= existing.lastFetchedAt)
            return { status: 'unchanged', key } as const;
          await store.put({
            ...existing,
            fetchedAt: Math.min(existing.fetchedAt, fetchedAt),
            lastFetchedAt: Math.max(existing.lastFetchedAt, fetchedAt),
          });
          return { status: 'updated', key } as const;
        }
        const snapshot: LegalTextSnapshot = {
          key,
          url,
          kind,
          text: stored,
          sha256,
          fetchedAt,
          lastFetchedAt: fetchedAt,
          truncated: stored.length < text.length,
        };
        await store.put(snapshot);
        return { status: existing === undefined ? 'created' : 'updated', key } as const;
      });
    } catch (error) {
      return { status: 'failed', error: toHistoryError(error) };
    }
  }

  async snapshotsFor(
    report: Report,
  ): Promise<{ imprint: LegalTextSnapshot | null; privacy: LegalTextSnapshot | null }> {
    const r = (report ?? {}) as Partial<Report>;
    const urlOf = (doc: unknown) => {
      const url = doc && typeof doc === 'object' ? (doc as { url?: unknown }).url : undefined;
      return typeof url === 'string' && url ? url : null;
    };
    const imprintUrl = urlOf(r.imprint);
    const privacyUrl = urlOf(r.privacyNotice);
    const analysedAt = typeof r.analysedAt === 'string' ? Date.parse(r.analysedAt) : Number.NaN;
    if (!imprintUrl && !privacyUrl) return { imprint: null, privacy: null };
    /**
     * The text current at analysedAt: each snapshot was seen from fetchedAt to lastFetchedAt;
     * its last sighting at or before analysedAt counts, and the latest such sighting wins.
     */
    const pick = (rows: unknown[]): LegalTextSnapshot | null => {
      let best: LegalTextSnapshot | null = null;
      let bestAt = -Infinity;
      for (const row of rows) {
        if (!isSnapshot(row)) continue;
        const at =
          Number.isNaN(analysedAt) || row.lastFetchedAt <= analysedAt
            ? row.lastFetchedAt
            : row.fetchedAt <= analysedAt
              ? row.fetchedAt
              : null;
        if (at === null) continue;
        if (at > bestAt || (at === bestAt && best && row.key < best.key)) {
          best = row;
          bestAt = at;
        }
      }
      return best;
    };
    return this.run('readonly', async (tx) => {
      const index = tx.objectStore('snapshots').index('kind_url');
      const [imprint, privacy] = await Promise.all([
        imprintUrl ? index.getAll(['imprint', imprintUrl]) : [],
        privacyUrl ? index.getAll(['privacy', privacyUrl]) : [],
      ]);
      return { imprint: pick(imprint), privacy: pick(privacy) };
    });
  }

  async exportAll(): Promise<string> {
    const { items } = await this.readAll();
    return exportText(items, this.now());
  }

  async importAll(text: string): Promise<ImportResult> {
    const parsed = parseExport(text, this.now());
    if (!parsed.ok) return parsed;
    try {
      const counts = await this.run('readwrite', (tx) => mergeRecords(tx, parsed.incoming));
      return { ok: true, ...counts, total: parsed.incoming.size };
    } catch (error) {
      const e = toHistoryError(error);
      return refusal(
        'storage',
        `${e.messages.de} Es wurde nichts importiert.`,
        `${e.messages.en} Nothing was imported.`,
      );
    }
  }

  close(): void {
    this.closed = true;
    this.db.close();
  }
}
