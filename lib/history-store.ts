/**
 * The per-site history: one record per analysed page visit, kept in IndexedDB (issue 6).
 *
 * No `browser.*` here: the caller passes the `IDBFactory` (the background passes `indexedDB`,
 * tests a fresh fake-indexeddb `IDBFactory`). idb's wrapper checks values against the global
 * IDB* constructors, so in Node the globals must exist (`import 'fake-indexeddb/auto'`); without
 * them opening fails with kind 'unavailable' instead of a ReferenceError deep inside idb.
 *
 * Schema (HISTORY_DB_VERSION = 2), migrations in `upgradeHistoryDb`, one step per version:
 *  - v1: store `visits` (keyPath `id`), indexes `site` and `visitedAt`.
 *  - v2: store `meta` (settings, out-of-line keys); index `site_visitedAt` on [site, visitedAt]
 *        (a site's visits in time order, used for "the visit before this one"); backfills `site`
 *        (and `thirdParties`) on records an early v1 writer stored without them, so that the
 *        `site` indexes find them.
 * Steps only ever add; nothing is deleted, and a record the migration cannot repair stays as it
 * is (reads skip and count it) rather than being dropped.
 *
 * Errors: every method maps IndexedDB failures to a `HistoryError` (kind 'quota' | 'blocked' |
 * 'corrupt' | 'unavailable', with a German and an English message). `record` and `importAll`
 * never throw: they run in event handlers and behind a file picker and return typed results.
 * All other methods reject with a HistoryError only. Writes run in one transaction each, which
 * is aborted on any failure, so a failed write (a full disk: QuotaExceededError) changes nothing.
 */
import { type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames, wrap } from 'idb';
import * as v from 'valibot';
import type { Report } from './report';
import { siteOfUrl } from './site';

export const HISTORY_DB_NAME = 'datenschutz-ampel-history';
export const HISTORY_DB_VERSION = 2;
export const EXPORT_FORMAT = 'datenschutz-ampel-history';
export const EXPORT_VERSION = 1;
/** Import files above this many characters are refused before parsing (the UI should also check `File.size`). */
export const MAX_IMPORT_CHARS = 50 * 1024 * 1024;
export const DEFAULT_SETTINGS: HistorySettings = { retentionDays: 180, paused: false };
export const MAX_RETENTION_DAYS = 3650;
const DAY_MS = 86_400_000;
const SETTINGS_KEY = 'settings';

// ---------------------------------------------------------------------------------------------
// Types

export interface HistoryRecord {
  /** `${site}|${visitedAt}|${hash(url)}`: the same page visit always gets the same id, so replaying a report is idempotent. */
  id: string;
  site: string;
  url: string;
  /** epoch ms of the visit start */
  visitedAt: number;
  verdict: Report['verdict'];
  isAuthority: boolean;
  pageKind: Report['pageKind'];
  /** Number of third-party hosts the page contacted. */
  thirdParties: number;
  report: Report;
}

export interface HistorySettings {
  /** Visits older than this are deleted by `prune`. Whole days, 1..MAX_RETENTION_DAYS. */
  retentionDays: number;
  /** While paused, `record` stores nothing. */
  paused: boolean;
}

export interface SiteSummary {
  site: string;
  /** Of the latest visit: */
  verdict: Report['verdict'];
  isAuthority: boolean;
  thirdParties: number;
  pageKind: Report['pageKind'];
  latestId: string;
  latestUrl: string;
  title: string;
  lastVisit: number;
  visits: number;
}

export interface Listing<T> {
  items: T[];
  /** Stored records that failed the structural check and were left out. */
  skippedCorrupt: number;
}

export type Bilingual = { de: string; en: string };

export type RecordResult =
  | { status: 'created' | 'updated'; id: string }
  /** The same or a newer analysis of this visit is already stored. */
  | { status: 'unchanged'; id: string }
  | { status: 'skipped'; reason: 'paused' }
  | { status: 'refused'; reason: 'invalid'; message: Bilingual }
  | { status: 'failed'; error: HistoryError };

export type ImportRefusal = 'too-large' | 'bad-json' | 'wrong-format' | 'wrong-version' | 'invalid-record' | 'storage';
export type ImportResult =
  | { ok: true; added: number; updated: number; unchanged: number; total: number }
  | { ok: false; error: Bilingual & { code: ImportRefusal } };

export type HistoryErrorKind = 'quota' | 'blocked' | 'corrupt' | 'unavailable';

/**
 * The only error the store's methods reject with.
 *  - quota: the browser refused to store more (QuotaExceededError); nothing of the write was kept.
 *  - blocked: the upgrade waited for another open connection (an old tab) longer than allowed.
 *  - corrupt: a stored record fails the structural check (`visit(id)`) or a value could not be stored.
 *  - unavailable: IndexedDB missing or disabled (private mode), the database is newer than this
 *    code (VersionError), or the connection was closed to let another version upgrade.
 */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';
  constructor(
    readonly kind: HistoryErrorKind,
    readonly messages: Bilingual,
    cause?: unknown,
  ) {
    super(messages.en, { cause });
  }
}

export interface HistoryStoreOptions {
  /** Clock for `exportedAt` and the default of `prune`. */
  now?: () => number;
  /** Called when the upgrade waits for another open connection (ask the user to close old tabs). */
  onBlocked?: () => void;
  /** How long to wait for a blocked upgrade before rejecting with kind 'blocked'. Default 10 s. */
  blockedTimeoutMs?: number;
}

export interface HistoryStore {
  /** Stores the report's visit (put by id). Never throws. */
  record(report: unknown): Promise<RecordResult>;
  /** One summary per site, most recently visited first. */
  sites(): Promise<Listing<SiteSummary>>;
  /** A site's visits, newest first. */
  visits(site: string): Promise<Listing<HistoryRecord>>;
  /** null when there is no such visit; rejects with kind 'corrupt' when the stored record is broken. */
  visit(id: string): Promise<HistoryRecord | null>;
  /** The same site's visit just before this one (for the diff), or null. */
  previousVisit(id: string): Promise<HistoryRecord | null>;
  /** true when a visit was deleted. */
  deleteVisit(id: string): Promise<boolean>;
  /** Number of visits deleted. */
  deleteSite(site: string): Promise<number>;
  /** Deletes every visit; the settings stay. */
  clear(): Promise<void>;
  settings(): Promise<HistorySettings>;
  /** Merges, sanitises (retention rounded and clamped to 1..MAX_RETENTION_DAYS) and returns the stored settings. */
  setSettings(patch: Partial<HistorySettings>): Promise<HistorySettings>;
  /** Deletes visits older than the retention (visitedAt < now - retentionDays); returns how many. */
  prune(now?: number): Promise<number>;
  /** Every readable visit as JSON (corrupt records are left out). */
  exportAll(): Promise<string>;
  /** Validates the whole file first; refuses without touching anything, or merges by id in one transaction. Never throws. */
  importAll(text: string): Promise<ImportResult>;
  close(): void;
}

// ---------------------------------------------------------------------------------------------
// Structural checks: light on purpose (the report's full schema is the builder's business), but
// enough that every field the history reads is there and typed.

const isoTime = v.pipe(
  v.string(),
  v.check((s) => Number.isFinite(Date.parse(s)), 'not a date'),
);
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const VERDICTS = ['red', 'yellow', 'green', 'grey'] as const;
const PAGE_KINDS = ['website', 'social-profile', 'link-in-bio'] as const;

const ReportShape = v.looseObject({
  schemaVersion: v.literal(1),
  url: v.pipe(v.string(), v.regex(/^https?:\/\//i)),
  visitedAt: isoTime,
  analysedAt: isoTime,
  pageKind: v.picklist(PAGE_KINDS),
  verdict: v.picklist(VERDICTS),
  page: v.looseObject({ title: v.string() }),
  authority: v.looseObject({ isAuthority: v.boolean() }),
  findings: v.array(v.looseObject({ id: v.string() })),
  requests: v.looseObject({
    thirdParty: count,
    thirdPartyHosts: v.array(v.looseObject({ host: v.string() })),
  }),
  companies: v.array(v.looseObject({ site: v.string() })),
  cookies: v.looseObject({ items: v.array(v.looseObject({ name: v.string(), domain: v.string() })) }),
});

const RecordShape = v.looseObject({
  id: v.pipe(v.string(), v.nonEmpty()),
  site: v.pipe(v.string(), v.nonEmpty()),
  url: v.string(),
  visitedAt: v.pipe(v.number(), v.finite()),
  verdict: v.picklist(VERDICTS),
  isAuthority: v.boolean(),
  pageKind: v.picklist(PAGE_KINDS),
  thirdParties: count,
  report: ReportShape,
});

const SettingsShape = v.object({
  retentionDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_RETENTION_DAYS)),
  paused: v.boolean(),
});

const issueText = (issues: readonly v.BaseIssue<unknown>[]): string => {
  const first = issues[0];
  if (!first) return 'invalid';
  const path = v.getDotPath(first);
  return path ? `${path}: ${first.message}` : first.message;
};

/** True when `value` looks enough like a Report for the history (not the full schema). */
export function isReportLike(value: unknown): value is Report {
  return v.is(ReportShape, value);
}

/** True when a stored value is a usable history record. */
export function isHistoryRecord(value: unknown): value is HistoryRecord {
  return v.is(RecordShape, value);
}

// ---------------------------------------------------------------------------------------------
// Ids and records

/** cyrb53: a fast 53-bit string hash; plenty to tell apart URLs of one site visited in the same millisecond. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** The stable id of a visit; analysedAt is deliberately not part of it (later analyses replace earlier ones). */
export function visitId(site: string, visitedAt: number, url: string): string {
  return `${site}|${visitedAt}|${hash53(url)}`;
}

/** The record for a report, or null when the report fails the structural check. */
export function recordOfReport(report: unknown): HistoryRecord | null {
  if (!isReportLike(report)) return null;
  const site = siteOfUrl(report.url);
  const visitedAt = Date.parse(report.visitedAt);
  if (!site || !Number.isFinite(visitedAt)) return null;
  // A JSON copy: the stored value is plain data exactly as an export will write it, and a stray
  // non-cloneable value (a function, a DOM node) cannot make the put fail with DataCloneError.
  const plain = JSON.parse(JSON.stringify(report)) as Report;
  return {
    id: visitId(site, visitedAt, plain.url),
    site,
    url: plain.url,
    visitedAt,
    verdict: plain.verdict,
    isAuthority: plain.authority.isAuthority,
    pageKind: plain.pageKind,
    thirdParties: plain.requests.thirdPartyHosts.length,
    report: plain,
  };
}

// ---------------------------------------------------------------------------------------------
// Errors

const MESSAGES: Record<HistoryErrorKind, Bilingual> = {
  quota: {
    de: 'Der Speicherplatz für den Verlauf ist voll. Der Besuch wurde nicht gespeichert; ältere Einträge sind unverändert. Löschen Sie alte Einträge oder verkürzen Sie die Aufbewahrungsdauer.',
    en: 'The storage for the history is full. The visit was not stored; earlier entries are unchanged. Delete old entries or shorten the retention period.',
  },
  blocked: {
    de: 'Der Verlauf kann nicht aktualisiert werden, solange ein älteres Fenster der Erweiterung geöffnet ist. Bitte schließen Sie andere Verlaufs-Tabs und versuchen Sie es erneut.',
    en: 'The history cannot be upgraded while an older window of the extension is open. Please close other history tabs and try again.',
  },
  corrupt: {
    de: 'Ein gespeicherter Eintrag des Verlaufs ist beschädigt und wurde übersprungen.',
    en: 'A stored history entry is damaged and was skipped.',
  },
  unavailable: {
    de: 'Der Verlauf ist nicht verfügbar (IndexedDB ist deaktiviert, z. B. im privaten Modus, oder die Datenbank stammt von einer neueren Version).',
    en: 'The history is not available (IndexedDB is disabled, e.g. in private mode, or the database comes from a newer version).',
  },
};

const historyError = (kind: HistoryErrorKind, cause?: unknown): HistoryError => new HistoryError(kind, MESSAGES[kind], cause);

/** Maps anything thrown by IndexedDB (DOMException names) to a HistoryError. */
export function toHistoryError(error: unknown): HistoryError {
  if (error instanceof HistoryError) return error;
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'QuotaExceededError':
      return historyError('quota', error);
    case 'DataCloneError':
    case 'DataError':
      return historyError('corrupt', error);
    default:
      // InvalidStateError (closed connection), VersionError, UnknownError, SecurityError, AbortError, …
      return historyError('unavailable', error);
  }
}

// ---------------------------------------------------------------------------------------------
// Schema and migrations

interface HistoryDb extends DBSchema {
  visits: {
    key: string;
    /** unknown: stored values are checked on every read, never trusted. */
    value: unknown;
    indexes: { site: string; visitedAt: number; site_visitedAt: [string, number] };
  };
  meta: { key: string; value: unknown };
}

type UpgradeTx = IDBPTransaction<HistoryDb, StoreNames<HistoryDb>[], 'versionchange'>;

/**
 * Brings the schema from `oldVersion` to `newVersion`, one step at a time. Exported for tests.
 * Runs inside the versionchange transaction: only IDB requests may be awaited here.
 */
export async function upgradeHistoryDb(db: IDBPDatabase<HistoryDb>, oldVersion: number, newVersion: number, tx: UpgradeTx): Promise<void> {
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
}

function openDatabase(factory: IDBFactory, options: HistoryStoreOptions): Promise<IDBPDatabase<HistoryDb>> {
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
        upgradeHistoryDb(wrap(request.result) as IDBPDatabase<HistoryDb>, event.oldVersion, event.newVersion ?? HISTORY_DB_VERSION, wrap(tx) as unknown as UpgradeTx).catch(abort);
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

/** Opens (creating or upgrading) the history database. Rejects with a HistoryError. */
export async function openHistoryStore(factory: IDBFactory, options: HistoryStoreOptions = {}): Promise<HistoryStore> {
  const db = await openDatabase(factory, options);
  return new IdbHistoryStore(db, options.now ?? Date.now);
}

// ---------------------------------------------------------------------------------------------
// The store

type Tx<Mode extends IDBTransactionMode> = IDBPTransaction<HistoryDb, ('visits' | 'meta')[], Mode>;

const readSettings = (value: unknown): HistorySettings => {
  const merged = { ...DEFAULT_SETTINGS, ...(value && typeof value === 'object' ? value : {}) };
  return v.is(SettingsShape, merged) ? { retentionDays: merged.retentionDays, paused: merged.paused } : { ...DEFAULT_SETTINGS };
};

const refusal = (code: ImportRefusal, de: string, en: string): ImportResult => ({ ok: false, error: { code, de, en } });

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
      tx = this.db.transaction(['visits', 'meta'], mode);
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
      await done;
      throw toHistoryError(error);
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
        message: { de: `Kein gültiger Bericht (${why}); nicht gespeichert.`, en: `Not a valid report (${why}); not stored.` },
      };
    }
    try {
      return await this.run('readwrite', async (tx) => {
        // Read inside the write transaction: the history page may have paused us a moment ago.
        if (readSettings(await tx.objectStore('meta').get(SETTINGS_KEY)).paused) return { status: 'skipped', reason: 'paused' } as const;
        const store = tx.objectStore('visits');
        const existing = await store.get(record.id);
        if (isHistoryRecord(existing)) {
          // Replays and out-of-order updates keep the newest analysis of the visit.
          const stale = Date.parse(existing.report.analysedAt) > Date.parse(record.report.analysedAt);
          if (stale || JSON.stringify(existing.report) === JSON.stringify(record.report)) return { status: 'unchanged', id: record.id } as const;
        }
        await store.put(record);
        return { status: existing === undefined ? 'created' : 'updated', id: record.id } as const;
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
    const { items, skippedCorrupt } = await this.readAll();
    const bySite = new Map<string, { latest: HistoryRecord; visits: number }>();
    for (const record of items) {
      const entry = bySite.get(record.site);
      if (!entry) bySite.set(record.site, { latest: record, visits: 1 });
      else {
        entry.visits++;
        if (record.visitedAt > entry.latest.visitedAt) entry.latest = record;
      }
    }
    const summaries = [...bySite].map(([site, { latest, visits }]): SiteSummary => ({
      site,
      verdict: latest.verdict,
      isAuthority: latest.isAuthority,
      thirdParties: latest.thirdParties,
      pageKind: latest.pageKind,
      latestId: latest.id,
      latestUrl: latest.url,
      title: latest.report.page.title,
      lastVisit: latest.visitedAt,
      visits,
    }));
    summaries.sort((a, b) => b.lastVisit - a.lastVisit || a.site.localeCompare(b.site));
    return { items: summaries, skippedCorrupt };
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
        if (isHistoryRecord(value) && value.id !== id && (value.visitedAt < current.visitedAt || value.id < id)) return value;
        cursor = await cursor.continue();
      }
      return null;
    });
  }

  async deleteVisit(id: string): Promise<boolean> {
    if (typeof id !== 'string') return false;
    return this.run('readwrite', async (tx) => {
      const store = tx.objectStore('visits');
      if ((await store.getKey(id)) === undefined) return false;
      await store.delete(id);
      return true;
    });
  }

  async deleteSite(site: string): Promise<number> {
    if (typeof site !== 'string') return 0;
    return this.run('readwrite', async (tx) => {
      const store = tx.objectStore('visits');
      const keys = await store.index('site').getAllKeys(site);
      await Promise.all(keys.map((key) => store.delete(key)));
      return keys.length;
    });
  }

  async clear(): Promise<void> {
    await this.run('readwrite', (tx) => tx.objectStore('visits').clear());
  }

  async settings(): Promise<HistorySettings> {
    return this.run('readonly', async (tx) => readSettings(await tx.objectStore('meta').get(SETTINGS_KEY)));
  }

  async setSettings(patch: Partial<HistorySettings>): Promise<HistorySettings> {
    return this.run('readwrite', async (tx) => {
      const meta = tx.objectStore('meta');
      const next = readSettings(await meta.get(SETTINGS_KEY));
      const days = patch?.retentionDays;
      if (typeof days === 'number' && Number.isFinite(days)) next.retentionDays = Math.min(MAX_RETENTION_DAYS, Math.max(1, Math.round(days)));
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
      const keys = await store.index('visitedAt').getAllKeys(IDBKeyRange.upperBound(cutoff, true));
      await Promise.all(keys.map((key) => store.delete(key)));
      return keys.length;
    });
  }

  async exportAll(): Promise<string> {
    const { items } = await this.readAll();
    items.sort((a, b) => a.visitedAt - b.visitedAt || (a.id < b.id ? -1 : 1));
    return JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date(this.now()).toISOString(), visits: items });
  }

  async importAll(text: string): Promise<ImportResult> {
    // 1. Validate everything before touching the database.
    if (typeof text !== 'string') return refusal('bad-json', 'Die Datei konnte nicht gelesen werden.', 'The file could not be read.');
    if (text.length > MAX_IMPORT_CHARS) {
      return refusal(
        'too-large',
        `Die Datei ist zu groß (über ${MAX_IMPORT_CHARS / 1024 / 1024} MB). Es wurde nichts importiert.`,
        `The file is too large (over ${MAX_IMPORT_CHARS / 1024 / 1024} MB). Nothing was imported.`,
      );
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return refusal('bad-json', 'Die Datei ist kein gültiges JSON. Es wurde nichts importiert.', 'The file is not valid JSON. Nothing was imported.');
    }
    const envelope = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
    if (!envelope || envelope.format !== EXPORT_FORMAT) {
      return refusal(
        'wrong-format',
        'Die Datei ist kein Verlaufs-Export der Datenschutz-Ampel. Es wurde nichts importiert.',
        'The file is not a Datenschutz-Ampel history export. Nothing was imported.',
      );
    }
    if (envelope.version !== EXPORT_VERSION) {
      const newer = typeof envelope.version === 'number' && envelope.version > EXPORT_VERSION;
      return refusal(
        'wrong-version',
        newer
          ? `Die Datei stammt von einer neueren Version (Formatversion ${String(envelope.version)}). Bitte aktualisieren Sie die Erweiterung. Es wurde nichts importiert.`
          : `Unbekannte Formatversion ${JSON.stringify(envelope.version) ?? 'fehlt'}. Es wurde nichts importiert.`,
        newer
          ? `The file comes from a newer version (format version ${String(envelope.version)}). Please update the extension. Nothing was imported.`
          : `Unknown format version ${JSON.stringify(envelope.version) ?? 'missing'}. Nothing was imported.`,
      );
    }
    if (!Array.isArray(envelope.visits)) {
      return refusal('wrong-format', 'Der Export enthält keine Besuchsliste. Es wurde nichts importiert.', 'The export has no list of visits. Nothing was imported.');
    }
    const incoming = new Map<string, HistoryRecord>();
    for (const [index, value] of envelope.visits.entries()) {
      const parsed = v.safeParse(RecordShape, value);
      let problem = parsed.success ? null : issueText(parsed.issues);
      if (parsed.success) {
        // Keep id and site as exported (a newer suffix list must not re-key old visits), but the
        // facts derived from the report must agree with it.
        // (recordOfReport copies the input itself: valibot's output reorders keys.)
        const derived = recordOfReport((value as { report: unknown }).report);
        if (!derived) problem = 'report';
        else if (derived.url !== parsed.output.url || derived.visitedAt !== parsed.output.visitedAt) problem = 'url/visitedAt do not match the report';
        else {
          const record: HistoryRecord = { ...derived, id: parsed.output.id, site: parsed.output.site };
          const seen = incoming.get(record.id);
          if (!seen || Date.parse(record.report.analysedAt) >= Date.parse(seen.report.analysedAt)) incoming.set(record.id, record);
        }
      }
      if (problem) {
        return refusal(
          'invalid-record',
          `Eintrag ${index + 1} ist ungültig (${problem}). Es wurde nichts importiert.`,
          `Entry ${index + 1} is invalid (${problem}). Nothing was imported.`,
        );
      }
    }

    // 2. Merge by id in one transaction: all or nothing.
    try {
      const counts = await this.run('readwrite', async (tx) => {
        const store = tx.objectStore('visits');
        let added = 0;
        let updated = 0;
        let unchanged = 0;
        const existing = await Promise.all([...incoming.keys()].map((id) => store.get(id)));
        const writes: Promise<unknown>[] = [];
        [...incoming.values()].forEach((record, i) => {
          const old = existing[i];
          if (old === undefined) added++;
          else if (
            isHistoryRecord(old) &&
            (Date.parse(old.report.analysedAt) > Date.parse(record.report.analysedAt) || JSON.stringify(old) === JSON.stringify(record))
          ) {
            unchanged++;
            return;
          } else updated++; // a newer analysis, or a corrupt stored record the file repairs
          writes.push(store.put(record));
        });
        await Promise.all(writes);
        return { added, updated, unchanged };
      });
      return { ok: true, ...counts, total: incoming.size };
    } catch (error) {
      const e = toHistoryError(error);
      return refusal('storage', `${e.messages.de} Es wurde nichts importiert.`, `${e.messages.en} Nothing was imported.`);
    }
  }

  close(): void {
    this.closed = true;
    this.db.close();
  }
}
