/**
 * The history's data: the record of one visit, the site summary, text snapshots, settings, the
 * results and errors of the store's methods, the structural checks every stored value passes
 * before it is trusted, and the IndexedDB schema (stores and indexes; the migrations that build it
 * are in migrations.ts).
 */
import type { DBSchema, IDBPTransaction } from 'idb';
import * as v from 'valibot';
import type { Report } from '../verdict/report';
import { siteOfUrl } from '../site';
import { stripBidiDeep } from '../page/bidi';

export const HISTORY_DB_NAME = 'datenschutz-ampel-history';
export const HISTORY_DB_VERSION = 3;
export const DEFAULT_SETTINGS: HistorySettings = { retentionDays: 180, paused: false };
export const MAX_RETENTION_DAYS = 3650;
/** Reloads of one URL with an unchanged report within this time of its first load share one record. */
export const COALESCE_MS = 10 * 60_000;
/** At most this many merged loads per record (one a second for COALESCE_MS); later ones start a new record. */
export const MAX_LOADS = 600;
/** Snapshot texts longer than this are cut (and marked `truncated`). */
export const MAX_SNAPSHOT_CHARS = 400_000;
/**
 * `prune` deletes a snapshot once no stored visit refers to its URL any more, but not before it
 * is this old (by its last fetch): the background stores the text before the visit's report.
 */
export const SNAPSHOT_GRACE_MS = 86_400_000;
export const SETTINGS_KEY = 'settings';
export const STATS_KEY = 'stats';

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
  /**
   * Later loads of the same URL whose report showed nothing new, merged into this record (epoch
   * ms, ascending, all within COALESCE_MS of visitedAt; lib/history/coalesce.ts). Absent on
   * records written before it existed and on visits loaded once: `loadCount` reads them as 1.
   */
  loads?: number[];
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

export type ImportRefusal =
  | 'too-large'
  | 'too-deep'
  | 'bad-json'
  | 'wrong-format'
  | 'wrong-version'
  | 'invalid-record'
  | 'storage';
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

export const ReportShape = v.looseObject({
  // Version 2 only added fields (lib/verdict/report.ts REPORT_SCHEMA_VERSION); both stay readable.
  schemaVersion: v.picklist([1, 2]),
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

export const RecordShape = v.looseObject({
  id: v.pipe(v.string(), v.nonEmpty()),
  site: v.pipe(v.string(), v.nonEmpty()),
  url: v.string(),
  visitedAt: v.pipe(v.number(), v.finite()),
  verdict: v.picklist(VERDICTS),
  isAuthority: v.boolean(),
  pageKind: v.picklist(PAGE_KINDS),
  thirdParties: count,
  report: ReportShape,
  loads: v.optional(v.pipe(v.array(v.pipe(v.number(), v.finite())), v.maxLength(MAX_LOADS))),
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

export const StatsShape = v.object({ visits: count });

export const SettingsShape = v.object({
  retentionDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_RETENTION_DAYS)),
  paused: v.boolean(),
});

export const issueText = (issues: readonly v.BaseIssue<unknown>[]): string => {
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

export function isSnapshot(value: unknown): value is LegalTextSnapshot {
  return v.is(SnapshotShape, value);
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
  // Bidi controls go here too (lib/page/bidi.ts): imported files and reports of earlier versions.
  const plain = stripBidiDeep(JSON.parse(JSON.stringify(report)) as Report);
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

export const historyError = (kind: HistoryErrorKind, cause?: unknown): HistoryError =>
  new HistoryError(kind, MESSAGES[kind], cause);

/** Maps anything thrown by IndexedDB (DOMException names) to a HistoryError. */
export function toHistoryError(error: unknown): HistoryError {
  if (error instanceof HistoryError) return error;
  const name =
    typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
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
// The IndexedDB schema

/**
 * Starts one IDB request per item and waits for all. When starting one throws synchronously (a
 * put refused at once: QuotaExceededError, DataCloneError), the already started ones are marked
 * handled (they fail with AbortError when the transaction aborts) and the error is rethrown.
 */
export function requests<T, R>(items: Iterable<T>, start: (item: T) => Promise<R>): Promise<R[]> {
  const started: Promise<R>[] = [];
  try {
    for (const item of items) started.push(start(item));
  } catch (error) {
    for (const p of started) p.catch(() => undefined);
    throw error;
  }
  return Promise.all(started);
}

export interface HistoryDb extends DBSchema {
  visits: {
    key: string;
    /** unknown: stored values are checked on every read, never trusted. */
    value: unknown;
    indexes: {
      site: string;
      visitedAt: number;
      site_visitedAt: [string, number];
      imprintUrl: string;
      privacyUrl: string;
    };
  };
  meta: { key: string; value: unknown };
  sites: { key: string; value: unknown };
  snapshots: { key: string; value: unknown; indexes: { url: string; kind_url: [string, string] } };
}

export const ALL_STORES = ['visits', 'meta', 'sites', 'snapshots'] as const;
export type StoreName = (typeof ALL_STORES)[number];

export type Tx<Mode extends IDBTransactionMode> = IDBPTransaction<HistoryDb, StoreName[], Mode>;
