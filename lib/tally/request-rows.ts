/**
 * Per-request rows for the extension's HAR (lib/export/har.ts): what the background observed of
 * each request hop of a tab's visit — URL, method, type, status, server IP, timings, Set-Cookie
 * lines — which the tally itself does not keep (it counts per host). Kept in memory per tab and
 * handed to the background in batches for IndexedDB (lib/history/request-store.ts); never in
 * storage.session.
 *
 * Which rows are the report's requests is decided by the tally, not here: each row is looked up
 * in its visit's request ledger (lib/tally/ledger.ts) when it is handed over — counted and
 * failed hops are `counted`, hops the counting rule took out (cache answers, cache probes,
 * blocked) are `notSent`, internal redirects and hops of another visit are `dropped`. So the HAR
 * holds exactly the counted requests whatever order the events came in.
 *
 * Privacy: URLs and Set-Cookie lines are redacted as they are recorded (lib/export/har.ts), so no
 * cookie value or credential parameter is ever stored. Bounded: MAX_ROWS_PER_VISIT rows per visit
 * (more are counted in `overflow`), MAX_TABS tabs.
 *
 * Pure logic, no browser API; the cost per event is measured in `npm run bench` (tally section).
 */
import { redactSetCookie, redactUrl } from '../export/har';
import { parseHttpUrl } from '../site';
import { HopState, ledgerGet, ledgerUrl, usableLedger } from './ledger';
import { urlHash } from './resource-timing';
import type { Visit } from './types';

export const MAX_ROWS_PER_VISIT = 2_000;
const MAX_TABS = 200;
const MAX_SET_COOKIE_LINES = 20;

export type RowState = 'counted' | 'notSent' | 'dropped';

/** A row as stored: the live row (below) with its ledger key, redacted URLs and Set-Cookie lines, and its state. */
export interface RequestRow extends Omit<LiveRow, 'rawUrl' | 'rawRedirectUrl' | 'rawSetCookie'> {
  /** `<url hash>:<requestId>`, the request ledger's key of the hop. */
  key: string;
  /** Redacted (lib/export/har.ts redactUrl). */
  url: string;
  redirectUrl?: string;
  /** Redacted Set-Cookie lines (names and attributes, no values). */
  setCookie?: string[];
  state: RowState;
}

/** What the background hands in from its webRequest listeners (a subset of the event details). */
export type RowEvent =
  | {
      kind: 'request';
      tabId: number;
      requestId: string;
      url: string;
      method: string;
      type: string;
      frameId: number;
      timeStamp: number;
      documentLifecycle?: string;
    }
  | {
      kind: 'response';
      tabId: number;
      requestId: string;
      url: string;
      statusCode?: number;
      statusLine?: string;
      ip?: string;
      fromCache?: boolean;
      timeStamp: number;
    }
  | { kind: 'headers'; tabId: number; requestId: string; url: string; setCookie: string[]; contentType?: string }
  | {
      kind: 'redirect';
      tabId: number;
      requestId: string;
      url: string;
      redirectUrl: string;
      statusCode?: number;
      statusLine?: string;
      ip?: string;
      timeStamp: number;
    }
  | { kind: 'error'; tabId: number; requestId: string; url: string; error: string; timeStamp: number };

/** One visit's rows, as they go to storage: the visit's identity and the rows changed since the last batch. */
export interface VisitRows {
  /** The tab the visit was in (the background does not store rows of private windows). */
  tabId: number;
  /** `<startedAt>|<url>` of the visit (the history record's visitedAt and url). */
  visitKey: string;
  site: string;
  url: string;
  startedAt: number;
  rows: RequestRow[];
  /** Rows not kept because the visit had MAX_ROWS_PER_VISIT already. */
  overflow: number;
}

/**
 * `<ms>|<url>`: webRequest timestamps have fractions of a millisecond, the report's `visitedAt`
 * (ISO 8601) whole ones — `new Date(t)` drops the fraction (ECMAScript TimeClip), so does this.
 */
export const visitKeyOf = (startedAt: number, url: string): string => `${Math.trunc(startedAt)}|${url}`;

type VisitIdentity = Omit<VisitRows, 'rows' | 'overflow'>;

/**
 * A row as the listeners update it: raw URL and Set-Cookie lines, kept in memory only. Ledger key,
 * redaction and state are worked out when it is handed over (`settle`), once per batch rather than
 * per event: the listeners stay cheap (`npm run bench`, "request rows").
 */
interface LiveRow {
  requestId: string;
  rawUrl: string;
  method: string;
  type: string;
  /** -1 when only the response or error was seen. */
  frameId: number;
  /** webRequest timeStamp of the request (ms since epoch). */
  startedAt: number;
  status?: number;
  statusLine?: string;
  ip?: string;
  fromCache?: boolean;
  /** When the response started (ms since epoch). */
  responseAt?: number;
  rawRedirectUrl?: string;
  /** net::ERR_… */
  error?: string;
  rawSetCookie?: string[];
  contentType?: string;
  /** The previous document's request while it was replaced (a beacon on pagehide). */
  pendingDeletion?: true;
}

interface TabRows {
  /** The document request that started the visit; null: not known yet (rows seen after a worker restart). */
  documentRequestId: string | null;
  /** By `<requestId> <url>` (a redirect hop keeps the requestId: the URL tells hops apart). */
  rows: Map<string, LiveRow>;
  dirty: Set<string>;
  overflow: number;
  /** The visit this one replaced: the previous document's requests while it is replaced are its rows. */
  previous: VisitIdentity | null;
}

const MAX_FINISHED = 50;

/** A row's state in its visit, by its hop's URL hash in the visit's ledger (see the module comment). */
function stateIn(visit: Visit, hash: string, requestId: string): RowState {
  const ledger = usableLedger(visit);
  // Without a ledger (an old stored visit, a full one) every request event counted.
  if (!ledger) return 'counted';
  const seen = ledgerGet(ledger, hash, requestId);
  if (seen === HopState.counted || seen === HopState.failed || seen === HopState.merged) return 'counted';
  if (seen === HopState.notSent) return 'notSent';
  return 'dropped';
}

/** The stored form of a live row: ledger key, redacted URLs and Set-Cookie lines, its state. */
function settled(live: LiveRow, visit: Visit | null): RequestRow | null {
  const parsed = parseHttpUrl(live.rawUrl);
  if (!parsed) return null;
  const hash = urlHash(ledgerUrl(parsed.href));
  const { rawUrl, rawRedirectUrl, rawSetCookie, ...rest } = live;
  return {
    ...rest,
    key: `${hash}:${live.requestId}`,
    url: redactUrl(rawUrl),
    ...(rawRedirectUrl ? { redirectUrl: redactUrl(rawRedirectUrl) } : {}),
    ...(rawSetCookie?.length ? { setCookie: rawSetCookie.map(redactSetCookie) } : {}),
    // The tally counts the replaced document's own requests for it whatever becomes of them (lib/tally/reduce.ts).
    state: live.pendingDeletion ? 'counted' : visit ? stateIn(visit, hash, live.requestId) : 'dropped',
  };
}

export class RequestRecorder {
  private readonly tabs = new Map<number, TabRows>();
  /** Finished visits' last rows, waiting for the next `take`. */
  private finished: VisitRows[] = [];

  /**
   * Records one event. A new top-level document request ends the tab's visit: its rows are
   * settled against `currentVisit()` (the visit about to be replaced) before anything else.
   */
  observe(event: RowEvent, currentVisit: () => Visit | null): void {
    if (event.tabId < 0) return;
    if (
      event.kind === 'request' &&
      event.type === 'main_frame' &&
      event.frameId === 0 &&
      event.documentLifecycle !== 'pending_deletion'
    ) {
      const ended = this.finish(event.tabId, currentVisit());
      if (this.tabs.size >= MAX_TABS) return;
      const previous = ended
        ? { tabId: ended.tabId, visitKey: ended.visitKey, site: ended.site, url: ended.url, startedAt: ended.startedAt }
        : null;
      this.tabs.set(event.tabId, {
        documentRequestId: event.requestId,
        rows: new Map(),
        dirty: new Set(),
        overflow: 0,
        previous,
      });
    }
    let tab = this.tabs.get(event.tabId);
    if (!tab) {
      if (this.tabs.size >= MAX_TABS) return;
      tab = { documentRequestId: null, rows: new Map(), dirty: new Set(), overflow: 0, previous: null };
      this.tabs.set(event.tabId, tab);
    }
    const key = `${event.requestId} ${event.url}`;
    let row = tab.rows.get(key);
    if (!row) {
      if (event.kind !== 'request' && event.kind !== 'error' && event.kind !== 'response') return;
      if (tab.rows.size >= MAX_ROWS_PER_VISIT) {
        tab.overflow++;
        return;
      }
      // A response or error whose request event never arrived (a stopped worker) still has a row.
      row = {
        requestId: event.requestId,
        rawUrl: event.url,
        method: event.kind === 'request' ? event.method : 'GET',
        type: event.kind === 'request' ? event.type : 'other',
        frameId: event.kind === 'request' ? event.frameId : -1,
        startedAt: event.timeStamp,
        ...(event.kind === 'request' && event.documentLifecycle === 'pending_deletion'
          ? { pendingDeletion: true as const }
          : {}),
      };
      tab.rows.set(key, row);
    }
    switch (event.kind) {
      case 'request':
        row.method = event.method;
        row.type = event.type;
        row.frameId = event.frameId;
        row.startedAt = event.timeStamp;
        break;
      case 'response':
        if (event.statusCode !== undefined) row.status = event.statusCode;
        if (event.statusLine) row.statusLine = event.statusLine;
        if (event.ip) row.ip = event.ip;
        if (event.fromCache) row.fromCache = true;
        row.responseAt = event.timeStamp;
        break;
      case 'headers':
        if (event.setCookie.length) row.rawSetCookie = event.setCookie.slice(0, MAX_SET_COOKIE_LINES);
        if (event.contentType) row.contentType = event.contentType.slice(0, 200);
        break;
      case 'redirect':
        if (event.statusCode !== undefined) row.status = event.statusCode;
        if (event.statusLine) row.statusLine = event.statusLine;
        if (event.ip) row.ip = event.ip;
        row.rawRedirectUrl = event.redirectUrl;
        row.responseAt = event.timeStamp;
        break;
      case 'error':
        row.error = event.error.slice(0, 200);
        break;
    }
    tab.dirty.add(key);
  }

  /** The tab was closed: its rows are settled against its last visit. */
  forget(tabId: number, lastVisit: Visit | null): void {
    this.finish(tabId, lastVisit);
  }

  /** Tabs with rows not yet handed over. */
  dirtyTabs(): number[] {
    return [...this.tabs].filter(([, t]) => t.dirty.size > 0).map(([id]) => id);
  }

  /**
   * The rows changed since the last call, per visit, with their state read from the visit's
   * ledger: finished visits first, then each dirty tab's current visit (`visitOf`). Rows of a tab
   * whose visit is not known yet (the hub still restoring) stay for the next call.
   */
  take(visitOf: (tabId: number) => Visit | null): VisitRows[] {
    const current: VisitRows[] = [];
    for (const tabId of this.dirtyTabs()) {
      const batch = this.settle(this.tabs.get(tabId)!, visitOf(tabId), false);
      if (batch?.rows.length) current.push(batch);
    }
    const out = [...this.finished, ...current];
    this.finished = [];
    return out;
  }

  private push(batch: VisitRows): void {
    if (this.finished.length < MAX_FINISHED) this.finished.push(batch);
  }

  /** Settles and removes a tab's rows; returns the visit's batch (null when the visit is unknown). */
  private finish(tabId: number, visit: Visit | null): VisitRows | null {
    const tab = this.tabs.get(tabId);
    if (!tab) return null;
    this.tabs.delete(tabId);
    const batch = this.settle(tab, visit, true);
    if (batch) this.push(batch);
    return batch;
  }

  private settle(tab: TabRows, visit: Visit | null, all: boolean): VisitRows | null {
    if (!visit || visit.provisional) return null;
    // After a worker restart the rows continue the visit the hub restored.
    tab.documentRequestId ??= visit.documentRequestId;
    if (tab.documentRequestId !== visit.documentRequestId) {
      tab.dirty.clear(); // another visit's rows: nothing of them is this visit's
      return null;
    }
    const keys = all ? [...tab.rows.keys()] : [...tab.dirty];
    tab.dirty.clear();
    const rows: RequestRow[] = [];
    const previousRows: RequestRow[] = [];
    for (const key of keys) {
      const row = settled(tab.rows.get(key)!, visit);
      if (row) (row.pendingDeletion ? previousRows : rows).push(row);
    }
    if (previousRows.length && tab.previous) this.push({ ...tab.previous, rows: previousRows, overflow: 0 });
    return {
      tabId: visit.tabId,
      visitKey: visitKeyOf(visit.startedAt, visit.url),
      site: visit.site,
      url: visit.url,
      startedAt: visit.startedAt,
      rows,
      overflow: tab.overflow,
    };
  }
}
