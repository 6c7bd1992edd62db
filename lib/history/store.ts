/**
 * The per-site history: one record per analysed page visit, kept in IndexedDB (issue 6).
 *
 * No `browser.*` here: the caller passes the `IDBFactory` (the background passes `indexedDB`,
 * tests a fresh fake-indexeddb `IDBFactory`). idb's wrapper checks values against the global
 * IDB* constructors, so in Node the globals must exist (`import 'fake-indexeddb/auto'`); without
 * them opening fails with kind 'unavailable' instead of a ReferenceError deep inside idb.
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
 *
 * "Latest visit" of a site: the greatest visitedAt; among visits at the same moment the smallest
 * id (the first one `visits(site)` lists).
 *
 * Errors: every method maps IndexedDB failures to a `HistoryError` (kind 'quota' | 'blocked' |
 * 'corrupt' | 'unavailable', with a German and an English message). `record`, `recordSnapshot`
 * and `importAll` never throw: they run in event handlers and behind a file picker and return
 * typed results. All other methods reject with a HistoryError only. Writes run in one transaction
 * each, which is aborted on any failure, so a failed write (a full disk: QuotaExceededError)
 * changes nothing – neither the visits nor the summaries.
 */
import { type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames, wrap } from 'idb';
import * as v from 'valibot';
import type { Report } from '../verdict/report';
import { siteOfUrl } from '../site';

export const HISTORY_DB_NAME = 'datenschutz-ampel-history';
export const HISTORY_DB_VERSION = 3;
export const EXPORT_FORMAT = 'datenschutz-ampel-history';
export const EXPORT_VERSION = 1;
/** Import files above this many characters are refused before parsing (the UI should also check `File.size`). */
export const MAX_IMPORT_CHARS = 50 * 1024 * 1024;
export const DEFAULT_SETTINGS: HistorySettings = { retentionDays: 180, paused: false };
export const MAX_RETENTION_DAYS = 3650;
/** Snapshot texts longer than this are cut (and marked `truncated`). */
export const MAX_SNAPSHOT_CHARS = 400_000;
/**
 * `prune` deletes a snapshot once no stored visit refers to its URL any more, but not before it
 * is this old (by its last fetch): the background stores the text before the visit's report.
 */
export const SNAPSHOT_GRACE_MS = 86_400_000;
const DAY_MS = 86_400_000;
const SETTINGS_KEY = 'settings';
const STATS_KEY = 'stats';

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

export type SnapshotKind = 'imprint' | 'privacy';

/** The readable text of an imprint or privacy notice as fetched at `fetchedAt`. */
export interface LegalTextSnapshot {
  /** `${kind}:${url}:${sha256}` – the same text of the same document is stored once. */
  key: string;
  url: string;
  kind: SnapshotKind;
  /** At most MAX_SNAPSHOT_CHARS characters. */
  text: string;
  /** SHA-256 (hex) of `text` as stored. */
  sha256: string;
  /** epoch ms: the first fetch that returned this text. */
  fetchedAt: number;
  /** epoch ms: the latest fetch that returned this text (>= fetchedAt). */
  lastFetchedAt: number;
  /** The fetched text was longer than MAX_SNAPSHOT_CHARS and was cut. */
  truncated: boolean;
}

export interface SnapshotInput {
  url: string;
  kind: SnapshotKind;
  text: string;
  /** epoch ms of the fetch */
  fetchedAt: number;
}

export type SnapshotResult =
  | { status: 'created' | 'updated' | 'unchanged'; key: string }
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
  /**
   * One summary per site, most recently visited first. Reads the maintained `sites` store;
   * `skippedCorrupt` counts the stored visit records that fail the structural check.
   */
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
  /** Deletes every visit and every text snapshot; the settings stay. */
  clear(): Promise<void>;
  settings(): Promise<HistorySettings>;
  /** Merges, sanitises (retention rounded and clamped to 1..MAX_RETENTION_DAYS) and returns the stored settings. */
  setSettings(patch: Partial<HistorySettings>): Promise<HistorySettings>;
  /**
   * Deletes visits older than the retention (visitedAt < now - retentionDays); returns how many.
   * Also deletes text snapshots whose URL no stored visit refers to any more (imprint.url /
   * privacyNotice.url of its report) and whose last fetch is older than SNAPSHOT_GRACE_MS.
   */
  prune(now?: number): Promise<number>;
  /**
   * Stores the text of an imprint / privacy notice (capped at MAX_SNAPSHOT_CHARS). Idempotent:
   * the same text of the same URL is stored once (a later fetch only moves `lastFetchedAt`).
   * Nothing is stored while the history is paused. Never throws.
   */
  recordSnapshot(input: SnapshotInput): Promise<SnapshotResult>;
  /**
   * The texts for an export of `report`: for report.imprint.url and report.privacyNotice.url
   * the snapshot that was current when the report was analysed (the one fetched last at or
   * before report.analysedAt), or null. Never a text fetched only after the analysis.
   */
  snapshotsFor(report: Report): Promise<{ imprint: LegalTextSnapshot | null; privacy: LegalTextSnapshot | null }>;
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

const SummaryShape = v.looseObject({
  site: v.pipe(v.string(), v.nonEmpty()),
  verdict: v.picklist(VERDICTS),
  isAuthority: v.boolean(),
  thirdParties: count,
  pageKind: v.picklist(PAGE_KINDS),
  latestId: v.pipe(v.string(), v.nonEmpty()),
  latestUrl: v.string(),
  title: v.string(),
  lastVisit: v.pipe(v.number(), v.finite()),
  visits: v.pipe(count, v.minValue(1)),
});

const SNAPSHOT_KINDS = ['imprint', 'privacy'] as const;
const SnapshotShape = v.looseObject({
  key: v.string(),
  url: v.string(),
  kind: v.picklist(SNAPSHOT_KINDS),
  text: v.string(),
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  fetchedAt: v.pipe(v.number(), v.finite()),
  lastFetchedAt: v.pipe(v.number(), v.finite()),
  truncated: v.boolean(),
});

const StatsShape = v.object({ visits: count });

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

/** True when a stored value is a usable site summary. */
export function isSiteSummary(value: unknown): value is SiteSummary {
  return v.is(SummaryShape, value);
}

function isSnapshot(value: unknown): value is LegalTextSnapshot {
  return v.is(SnapshotShape, value);
}

// ---------------------------------------------------------------------------------------------
// Site summaries

/** True when `a` is a later visit than `b` (greater visitedAt; at the same moment the smaller id). */
export function isLaterVisit(a: Pick<HistoryRecord, 'visitedAt' | 'id'>, b: Pick<HistoryRecord, 'visitedAt' | 'id'>): boolean {
  return a.visitedAt > b.visitedAt || (a.visitedAt === b.visitedAt && a.id < b.id);
}

function summaryOf(latest: HistoryRecord, visits: number): SiteSummary {
  return {
    site: latest.site,
    verdict: latest.verdict,
    isAuthority: latest.isAuthority,
    thirdParties: latest.thirdParties,
    pageKind: latest.pageKind,
    latestId: latest.id,
    latestUrl: latest.url,
    title: latest.report.page.title,
    lastVisit: latest.visitedAt,
    visits,
  };
}

const bySiteOrder = (a: SiteSummary, b: SiteSummary) => b.lastVisit - a.lastVisit || a.site.localeCompare(b.site);

/** Summaries computed from scratch over stored values, one at a time (corrupt ones counted, not summarised). */
class SummaryBuilder {
  readonly summaries = new Map<string, SiteSummary>();
  records = 0;
  corrupt = 0;

  add(value: unknown): void {
    this.records++;
    if (!isHistoryRecord(value)) {
      this.corrupt++;
      return;
    }
    const s = this.summaries.get(value.site);
    if (!s) this.summaries.set(value.site, summaryOf(value, 1));
    else if (isLaterVisit(value, { visitedAt: s.lastVisit, id: s.latestId })) this.summaries.set(value.site, summaryOf(value, s.visits + 1));
    else s.visits++;
  }
}

// ---------------------------------------------------------------------------------------------
// Snapshots

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let out = '';
  for (const b of new Uint8Array(digest)) out += HEX[b];
  return out;
}

export function snapshotKey(kind: SnapshotKind, url: string, sha256: string): string {
  return `${kind}:${url}:${sha256}`;
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

/**
 * Starts one IDB request per item and waits for all. When starting one throws synchronously (a
 * put refused at once: QuotaExceededError, DataCloneError), the already started ones are marked
 * handled (they fail with AbortError when the transaction aborts) and the error is rethrown.
 */
function requests<T, R>(items: Iterable<T>, start: (item: T) => Promise<R>): Promise<R[]> {
  const started: Promise<R>[] = [];
  try {
    for (const item of items) started.push(start(item));
  } catch (error) {
    for (const p of started) p.catch(() => undefined);
    throw error;
  }
  return Promise.all(started);
}

interface HistoryDb extends DBSchema {
  visits: {
    key: string;
    /** unknown: stored values are checked on every read, never trusted. */
    value: unknown;
    indexes: { site: string; visitedAt: number; site_visitedAt: [string, number]; imprintUrl: string; privacyUrl: string };
  };
  meta: { key: string; value: unknown };
  sites: { key: string; value: unknown };
  snapshots: { key: string; value: unknown; indexes: { url: string; kind_url: [string, string] } };
}

const ALL_STORES = ['visits', 'meta', 'sites', 'snapshots'] as const;
type StoreName = (typeof ALL_STORES)[number];

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

type Tx<Mode extends IDBTransactionMode> = IDBPTransaction<HistoryDb, StoreName[], Mode>;

/**
 * Keeps the `sites` summaries and the `stats` count exact across the writes of one transaction.
 * Usage: `preload` the sites a write touches, report every valid record that leaves the store
 * (`removed`: deleted, or about to be replaced) and every record put (`added`) and every change of
 * the number of stored records (`records`), then `flush` after the writes. A site whose latest
 * visit left gets its latest recomputed in `flush` from the site_visitedAt index (which sees this
 * transaction's own writes); the visit counts move by deltas.
 */
class SummaryEditor {
  private readonly cache = new Map<string, SiteSummary | null>();
  private readonly dirty = new Set<string>();
  private readonly lostLatest = new Set<string>();
  private recordDelta = 0;

  constructor(private readonly tx: Tx<'readwrite'>) {}

  async preload(sites: Iterable<string>): Promise<void> {
    const store = this.tx.objectStore('sites');
    const missing = [...new Set(sites)].filter((site) => !this.cache.has(site));
    const rows = await requests(missing, (site) => store.get(site));
    // A damaged row counts as no row: the site's summary is then rebuilt from what this write adds,
    // and the stats check in sites() repairs the rest.
    missing.forEach((site, i) => this.cache.set(site, isSiteSummary(rows[i]) ? { ...(rows[i] as SiteSummary) } : null));
  }

  private summary(site: string): SiteSummary | null {
    if (!this.cache.has(site)) throw new Error(`site ${site} not preloaded`);
    return this.cache.get(site)!;
  }

  /** The number of records in the visits store changed by `delta` (valid or not). */
  records(delta: number): void {
    this.recordDelta += delta;
  }

  /** A valid record left the store (deleted, or replaced by a put of the same id). */
  removed(record: HistoryRecord): void {
    const s = this.summary(record.site);
    this.dirty.add(record.site);
    if (!s) return;
    s.visits--;
    if (s.visits <= 0) {
      this.cache.set(record.site, null);
      this.lostLatest.delete(record.site);
    } else if (s.latestId === record.id) this.lostLatest.add(record.site);
  }

  /** A valid record was put. */
  added(record: HistoryRecord): void {
    const s = this.summary(record.site);
    this.dirty.add(record.site);
    if (!s) {
      this.cache.set(record.site, summaryOf(record, 1));
      this.lostLatest.delete(record.site);
    } else if (this.lostLatest.has(record.site)) s.visits++; // flush finds the latest, this one included
    else if (isLaterVisit(record, { visitedAt: s.lastVisit, id: s.latestId })) this.cache.set(record.site, summaryOf(record, s.visits + 1));
    else s.visits++;
  }

  /** The site's latest valid visit, from the index (this transaction's writes included). */
  private async latestOf(site: string): Promise<HistoryRecord | null> {
    const range = IDBKeyRange.bound([site, -Infinity], [site, Infinity]);
    let cursor = await this.tx.objectStore('visits').index('site_visitedAt').openCursor(range, 'prev');
    let best: HistoryRecord | null = null;
    while (cursor) {
      if (best && (cursor.key as [string, number])[1] !== best.visitedAt) break;
      const value: unknown = cursor.value;
      // Same visitedAt: 'prev' walks the ids downwards, so a later valid one has the smaller id.
      if (isHistoryRecord(value) && (!best || isLaterVisit(value, best))) best = value;
      cursor = await cursor.continue();
    }
    return best;
  }

  async flush(): Promise<void> {
    for (const site of this.lostLatest) {
      const s = this.cache.get(site);
      if (!s) continue;
      const latest = await this.latestOf(site);
      this.cache.set(site, latest ? summaryOf(latest, s.visits) : null);
    }
    const sites = this.tx.objectStore('sites');
    await requests(this.dirty, (site): Promise<unknown> => {
      const s = this.cache.get(site);
      return s ? sites.put(s) : sites.delete(site);
    });
    if (this.recordDelta !== 0) {
      const meta = this.tx.objectStore('meta');
      const stats = await meta.get(STATS_KEY);
      // Unknown or already wrong stats stay wrong: sites() will notice and rebuild.
      if (v.is(StatsShape, stats)) await meta.put({ visits: stats.visits + this.recordDelta }, STATS_KEY);
    }
  }
}

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
      const name = failure && typeof failure === 'object' && 'name' in failure ? String((failure as { name: unknown }).name) : '';
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
        message: { de: `Kein gültiger Bericht (${why}); nicht gespeichert.`, en: `Not a valid report (${why}); not stored.` },
      };
    }
    try {
      return await this.run('readwrite', async (tx) => {
        // Read inside the write transaction: the history page may have paused us a moment ago.
        if (readSettings(await tx.objectStore('meta').get(SETTINGS_KEY)).paused) return { status: 'skipped', reason: 'paused' } as const;
        const store = tx.objectStore('visits');
        const existing: unknown = await store.get(record.id);
        const valid = isHistoryRecord(existing);
        if (valid) {
          // Replays and out-of-order updates keep the newest analysis of the visit.
          const stale = Date.parse(existing.report.analysedAt) > Date.parse(record.report.analysedAt);
          if (stale || JSON.stringify(existing.report) === JSON.stringify(record.report)) return { status: 'unchanged', id: record.id } as const;
        }
        const summaries = new SummaryEditor(tx);
        await summaries.preload(valid ? [record.site, existing.site] : [record.site]);
        if (valid) summaries.removed(existing);
        if (existing === undefined) summaries.records(1);
        await store.put(record);
        summaries.added(record);
        await summaries.flush();
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
    // Fast path: the maintained summaries, trusted while the stats agree with the visits store.
    const { rows, count, stats } = await this.run('readonly', async (tx) => {
      const [rows, count, stats] = await Promise.all([tx.objectStore('sites').getAll(), tx.objectStore('visits').count(), tx.objectStore('meta').get(STATS_KEY)]);
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
      const range = IDBKeyRange.upperBound(cutoff, true);
      const [keys, values] = await Promise.all([store.index('visitedAt').getAllKeys(range), store.index('visitedAt').getAll(range)]);
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
    for (let cursor = await snapshots.index('url').openKeyCursor(null, 'nextunique'); cursor; cursor = await cursor.continue()) urls.push(cursor.key);
    const visits = tx.objectStore('visits');
    const refs = await requests(urls, async (url) => (await visits.index('imprintUrl').count(url)) + (await visits.index('privacyUrl').count(url)));
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
      message: { de: `Kein gültiger Text-Schnappschuss (${why}); nicht gespeichert.`, en: `Not a valid text snapshot (${why}); not stored.` },
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
        if (readSettings(await tx.objectStore('meta').get(SETTINGS_KEY)).paused) return { status: 'skipped', reason: 'paused' } as const;
        const store = tx.objectStore('snapshots');
        const existing: unknown = await store.get(key);
        if (isSnapshot(existing)) {
          if (fetchedAt >= existing.fetchedAt && fetchedAt <= existing.lastFetchedAt) return { status: 'unchanged', key } as const;
          await store.put({ ...existing, fetchedAt: Math.min(existing.fetchedAt, fetchedAt), lastFetchedAt: Math.max(existing.lastFetchedAt, fetchedAt) });
          return { status: 'updated', key } as const;
        }
        const snapshot: LegalTextSnapshot = { key, url, kind, text: stored, sha256, fetchedAt, lastFetchedAt: fetchedAt, truncated: stored.length < text.length };
        await store.put(snapshot);
        return { status: existing === undefined ? 'created' : 'updated', key } as const;
      });
    } catch (error) {
      return { status: 'failed', error: toHistoryError(error) };
    }
  }

  async snapshotsFor(report: Report): Promise<{ imprint: LegalTextSnapshot | null; privacy: LegalTextSnapshot | null }> {
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
        const at = Number.isNaN(analysedAt) || row.lastFetchedAt <= analysedAt ? row.lastFetchedAt : row.fetchedAt <= analysedAt ? row.fetchedAt : null;
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
        const records = [...incoming.values()];
        const existing: unknown[] = await requests(incoming.keys(), (id) => store.get(id));
        const summaries = new SummaryEditor(tx);
        await summaries.preload([...records.map((r) => r.site), ...existing.filter(isHistoryRecord).map((r) => r.site)]);
        const toWrite: HistoryRecord[] = [];
        records.forEach((record, i) => {
          const old = existing[i];
          if (old === undefined) {
            added++;
            summaries.records(1);
          } else if (isHistoryRecord(old)) {
            if (Date.parse(old.report.analysedAt) > Date.parse(record.report.analysedAt) || JSON.stringify(old) === JSON.stringify(record)) {
              unchanged++;
              return;
            }
            updated++; // a newer analysis
            summaries.removed(old);
          } else updated++; // a corrupt stored record the file repairs
          toWrite.push(record);
          summaries.added(record);
        });
        await requests(toWrite, (record) => store.put(record));
        await summaries.flush();
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
