/**
 * The per-tab tally: what one page visit requested and which cookies it caused to be set.
 *
 * Reducers here are pure: `(state, event) -> new state`, no I/O, no browser API, the input is
 * never modified. They copy only what an event touches (the visit, the one host row, the host
 * array by `slice`) so that the cost per webRequest event stays in the low microseconds
 * (`npm run bench`). The state is plain JSON: the background persists it to `storage.session`
 * as is and restores it after the MV3 service worker was stopped.
 */
import {
  type ApiCookie,
  type CookieObservation,
  cookieDomainMatches,
  cookieKey,
  fromApiCookie,
  parseSetCookie,
} from './cookies';
import { RESOURCE_LIMITS, type ResourceEntry, groupEntries, normaliseRequestUrl, urlHash } from './resource-timing';
import { parseHttpUrl, siteOfCookieDomain, siteOfHost } from '../site';

export const TALLY_VERSION = 1;

export interface HostTally {
  host: string;
  site: string;
  thirdParty: boolean;
  requests: number;
  /** Requests that ended in a network error (including blocked ones). */
  failed: number;
  /** Requests blocked by the browser or another extension (net::ERR_BLOCKED_BY_*). */
  blocked: number;
  /** webRequest resource type -> count (script, image, xmlhttprequest, ping, sub_frame, …). */
  types: Record<string, number>;
  /** Server IPs that answered (webRequest `details.ip`), at most MAX_IPS_PER_HOST. */
  ips: string[];
  /**
   * Tools recognised by a request path on this host (service ids such as "matomo" for
   * /matomo.js), at most LIMITS.toolsPerHost. Set by the background's classifier, see
   * TallyHubOptions.annotate.
   */
  tools: string[];
  /** webRequest timeStamp of the first request to this host (ms since epoch), for "before consent". */
  firstSeenAt: number;
}

export interface CookieTally extends CookieObservation {
  key: string;
  thirdParty: boolean;
  /** Seconds from first observation to expiry; null for session cookies. */
  lifetimeSeconds: number | null;
  /** Where we saw it: a Set-Cookie header (maybe refused by the browser), the cookie jar, or both. */
  seenBy: CookieSource[];
}
type CookieSource = CookieObservation['source'];

export interface RequestCounts {
  total: number;
  firstParty: number;
  thirdParty: number;
  failed: number;
  blocked: number;
}

export interface Visit {
  version: typeof TALLY_VERSION;
  tabId: number;
  /** Unique per tab and navigation. */
  visitId: string;
  url: string;
  site: string;
  startedAt: number;
  /** webRequest id of the top-level document request that started this visit. */
  documentRequestId: string | null;
  requests: RequestCounts;
  /** One row per host, in order of first request; `hostIndex` maps host -> position. */
  hosts: HostTally[];
  hostIndex: Record<string, number>;
  cookies: CookieTally[];
  cookieIndex: Record<string, number>;
  /** Set when a cap was hit, so the UI can say the numbers are a lower bound. */
  truncated: boolean;
  /**
   * Which requests are counted, so that a request is counted once whichever of its events
   * arrives first (absent in visits stored by older versions: then only `request` events count).
   * See RequestLedger.
   */
  ledger?: RequestLedger;
  /**
   * What was added from outside webRequest after the worker had been stopped mid-visit: requests
   * from the page's own Resource Timing, cookies found in the jar (lib/tally/resource-timing.ts). Absent
   * when nothing was. `at`: the latest page snapshot merged (ms since epoch).
   */
  reconciled?: { requests: number; cookies: number; at: number };
  /** Time of the latest browser event that changed this visit (ms since epoch); tells the hub a visit was active. */
  lastEventAt?: number;
  /**
   * Started from a top-frame subresource event in a tab without a visit: the document's own
   * events never arrived (a stopped worker). `url` is the document's origin until the content
   * script reports the page (`page-seen`), which keeps the counts when the origin matches.
   */
  provisional?: true;
}

/**
 * The request ledger: one key per request hop, `<url hash>:<webRequest requestId>` (a redirect hop
 * keeps the requestId, so the URL tells hops apart), or `<url hash>:~<n>` for a request added from
 * the page's Resource Timing. Values: 1 counted; 3 counted and failed (its error applied once);
 * 0 seen but not a network request (Chrome's internal redirect); 2 added from Resource Timing and
 * not yet seen by webRequest. Stored as
 * " key=value" runs in 32 string buckets (by the hash's last digits): appending to a string keeps
 * reducers pure and cheap, where objects with thousands of distinct keys cost V8 a hidden class
 * per key (`npm run bench` stream: 4.0 µs median per event that way, 1.9 µs like this, 1.5 µs
 * without any ledger).
 * At `LIMITS.ledger` keys the ledger is `full`: from then on only `request` events count (as
 * without a ledger) and no reconciliation happens.
 */
export interface RequestLedger {
  size: number;
  full: boolean;
  buckets: (string | null)[];
  /**
   * Redirect targets announced by onBeforeRedirect whose own request event has not arrived yet:
   * key as above -> "<type> <host> <time>". Normally gone a moment later; left over in a visit
   * that is reconciled, they are counted then.
   */
  pending?: Record<string, string>;
}

/** Caps that keep a hostile page from growing the state (and storage.session, 10 MB) without bound. */
export const LIMITS = { hosts: 2000, cookies: 2000, ipsPerHost: 8, toolsPerHost: 4, ledger: 5000 } as const;

export type TallyEvent =
  | {
      kind: 'request';
      tabId: number;
      frameId: number;
      requestId: string;
      url: string;
      type: string;
      timeStamp: number;
      /** Service id of a tool the URL path reveals (self-hosted Matomo …), if any. */
      tool?: string | null;
      /** Origin of the document that made the request (webRequest `initiator`). */
      initiator?: string;
    }
  /**
   * A response or a network error. With `type`, `frameId` and `timeStamp` (the background always
   * sends them) it also counts its request if that request's own event never arrived (a stopped
   * worker), once per hop thanks to the ledger.
   */
  | ({ kind: 'response'; tabId: number; requestId: string; url: string; ip?: string | undefined } & LateRequestFacts)
  | { kind: 'internal-redirect'; tabId: number; requestId: string; url: string; type: string }
  /**
   * A server redirect of a subresource (onBeforeRedirect). Evidence of the hop itself, and of the
   * next hop to `redirectUrl`, which is only counted by its own events, or by reconciliation if
   * those never arrived (Resource Timing names a redirect chain by its first URL only).
   */
  | { kind: 'redirect'; tabId: number; requestId: string; url: string; redirectUrl: string; type: string; frameId: number; timeStamp: number; initiator?: string }
  | ({ kind: 'error'; tabId: number; requestId: string; url: string; error: string } & LateRequestFacts)
  /**
   * Set-Cookie lines of a response (onHeadersReceived). With `requestId`, `type` and `frameId`, the
   * document's own response starts the visit if the document's request event never arrived.
   */
  | { kind: 'set-cookie'; tabId: number; url: string; lines: string[]; timeStamp: number; requestId?: string; type?: string; frameId?: number }
  | { kind: 'cookie-changed'; cookie: ApiCookie; removed: boolean; timeStamp: number }
  | { kind: 'tab-removed'; tabId: number }
  /**
   * The content script reported a page for a tab that has no visit: its navigation request was
   * never delivered (a worker stopped at that moment). Starts the visit late rather than never.
   */
  | { kind: 'page-seen'; tabId: number; url: string; timeStamp: number }
  /**
   * The page's Resource Timing, for a visit whose worker was stopped while it was active
   * (lib/tally/resource-timing.ts): URLs loaded by the document, with how often. Requests the ledger
   * lacks are added. `visitId` ties it to the visit it was asked for; `at` is when the page read it.
   */
  | { kind: 'resources'; tabId: number; visitId: string; at: number; entries: ResourceEntry[] }
  /** Cookies found in the jar that the visit set but whose events never arrived (entrypoints/background/reconcile.ts). */
  | { kind: 'cookies-found'; tabId: number; visitId: string; cookies: ApiCookie[]; timeStamp: number };

type LateRequestFacts = { type?: string; frameId?: number; timeStamp?: number; initiator?: string };

/** All visits, by tab id. */
export type TallyState = Readonly<Record<number, Visit>>;

export function newVisit(tabId: number, url: string, startedAt: number, documentRequestId: string | null = null): Visit | null {
  const parsed = parseHttpUrl(url);
  if (!parsed) return null;
  return {
    version: TALLY_VERSION,
    tabId,
    visitId: `${tabId}-${startedAt}-${documentRequestId ?? 'seed'}`,
    url: parsed.href,
    site: siteOfHost(parsed.host),
    startedAt,
    documentRequestId,
    requests: { total: 0, firstParty: 0, thirdParty: 0, failed: 0, blocked: 0 },
    hosts: [],
    hostIndex: {},
    cookies: [],
    cookieIndex: {},
    truncated: false,
    ledger: { size: 0, full: false, buckets: [] },
    lastEventAt: startedAt,
  };
}

// Memo for host -> site: tldts is the dominant cost of an event and pages repeat hosts a lot.
const siteMemo = new Map<string, string>();
function memoSite(host: string): string {
  let site = siteMemo.get(host);
  if (site === undefined) {
    if (siteMemo.size > 20_000) siteMemo.clear();
    site = siteOfHost(host);
    siteMemo.set(host, site);
  }
  return site;
}

function hostFromUrl(url: string): string | null {
  return parseHttpUrl(url)?.host ?? null;
}

function withHost(visit: Visit, host: string, update: (row: HostTally) => HostTally, now = visit.startedAt): Visit {
  const i = visit.hostIndex[host];
  if (i !== undefined) {
    const hosts = visit.hosts.slice();
    hosts[i] = update(hosts[i]!);
    return { ...visit, hosts };
  }
  if (visit.hosts.length >= LIMITS.hosts) return visit.truncated ? visit : { ...visit, truncated: true };
  const site = memoSite(host);
  const row: HostTally = {
    host,
    site,
    thirdParty: site !== visit.site,
    requests: 0,
    failed: 0,
    blocked: 0,
    types: {},
    ips: [],
    tools: [],
    firstSeenAt: now,
  };
  return {
    ...visit,
    hosts: [...visit.hosts, update(row)],
    hostIndex: { ...visit.hostIndex, [host]: visit.hosts.length },
  };
}

/** Adds (delta 1) or takes back (delta -1) one request of a host in all counts. */
/** What a counted request event also changes, applied in the same copy of the visit (cheaper than another). */
interface CountExtras {
  ledger?: RequestLedger;
  lastEventAt?: number;
}

function countRequest(visit: Visit, host: string, type: string, delta: 1 | -1, timeStamp?: number, extras?: CountExtras): Visit {
  const thirdParty = memoSite(host) !== visit.site;
  const next = withHost(
    visit,
    host,
    (row) => {
      const types = { ...row.types, [type]: (row.types[type] ?? 0) + delta };
      if (types[type]! <= 0) delete types[type];
      return { ...row, requests: row.requests + delta, types };
    },
    timeStamp,
  );
  const r = visit.requests;
  const counted: Visit = {
    ...next,
    requests: {
      ...r,
      total: r.total + delta,
      firstParty: r.firstParty + (thirdParty ? 0 : delta),
      thirdParty: r.thirdParty + (thirdParty ? delta : 0),
    },
  };
  if (extras?.ledger) counted.ledger = extras.ledger;
  if (extras?.lastEventAt !== undefined) counted.lastEventAt = extras.lastEventAt;
  return counted;
}

/** Counts one request (every redirect hop is a request of its own). */
export function addRequest(visit: Visit, host: string, type: string, tool?: string | null, timeStamp?: number, extras?: CountExtras): Visit {
  const next = countRequest(visit, host, type, 1, timeStamp, extras);
  if (!tool) return next;
  const i = next.hostIndex[host];
  const row = i === undefined ? undefined : next.hosts[i];
  if (!row || row.tools.includes(tool) || row.tools.length >= LIMITS.toolsPerHost) return next;
  return withHost(next, host, (r) => ({ ...r, tools: [...r.tools, tool] }));
}

/**
 * Chrome answers some requests itself with a "307 Internal Redirect" — an HSTS upgrade from
 * http to https, or a redirect made by an extension — and reports the hop to webRequest. Nothing
 * went over the network, so the hop is taken back out of the counts.
 */
export function removeInternalHop(visit: Visit, host: string, type: string): Visit {
  const i = visit.hostIndex[host];
  if (i === undefined || visit.hosts[i]!.requests === 0) return visit;
  return countRequest(visit, host, type, -1);
}

export function addResponseIp(visit: Visit, host: string, ip: string): Visit {
  const i = visit.hostIndex[host];
  if (i === undefined) return visit;
  const row = visit.hosts[i]!;
  if (row.ips.includes(ip) || row.ips.length >= LIMITS.ipsPerHost) return visit;
  return withHost(visit, host, (r) => ({ ...r, ips: [...r.ips, ip] }));
}

/** net::ERR_BLOCKED_BY_CLIENT (an extension), …_BY_ADMINISTRATOR, …_BY_RESPONSE (CORP/COEP), …_BY_ORB. */
export function isBlockedError(error: string): boolean {
  return /ERR_BLOCKED_BY_/i.test(error) || /NS_ERROR_.*BLOCKED/i.test(error);
}

export function addError(visit: Visit, host: string, error: string): Visit {
  if (visit.hostIndex[host] === undefined) return visit;
  const blocked = isBlockedError(error) ? 1 : 0;
  const next = withHost(visit, host, (r) => ({ ...r, failed: r.failed + 1, blocked: r.blocked + blocked }));
  return {
    ...next,
    requests: { ...next.requests, failed: next.requests.failed + 1, blocked: next.requests.blocked + blocked },
  };
}

export function addCookie(visit: Visit, observation: CookieObservation): Visit {
  const key = cookieKey(observation);
  const i = visit.cookieIndex[key];
  if (i !== undefined) {
    const existing = visit.cookies[i]!;
    if (existing.seenBy.includes(observation.source)) return visit;
    const cookies = visit.cookies.slice();
    cookies[i] = { ...existing, seenBy: [...existing.seenBy, observation.source] };
    return { ...visit, cookies };
  }
  if (visit.cookies.length >= LIMITS.cookies) return visit.truncated ? visit : { ...visit, truncated: true };
  const row: CookieTally = {
    ...observation,
    key,
    thirdParty: siteOfCookieDomain(observation.domain) !== visit.site,
    lifetimeSeconds:
      observation.expiresAt === null ? null : Math.max(0, Math.round((observation.expiresAt - observation.observedAt) / 1000)),
    seenBy: [observation.source],
  };
  return {
    ...visit,
    cookies: [...visit.cookies, row],
    cookieIndex: { ...visit.cookieIndex, [key]: visit.cookies.length },
  };
}

/**
 * Whether a cookie from the cookie jar belongs to this visit: it was set during the visit, by a
 * host the visit talked to (or by script on the page, which lands in the page's own jar), and —
 * when partitioned — under this visit's top-level site. The cookies API does not say which tab
 * caused a change, so this is the attribution rule (docs/ARCHITECTURE.md).
 */
export function cookieBelongsToVisit(visit: Visit, observation: CookieObservation): boolean {
  if (observation.observedAt < visit.startedAt) return false;
  if (observation.partition && observation.partition !== visit.site) return false;
  return visit.hosts.some((h) => cookieDomainMatches(observation.domain, h.host));
}

// ---- The request ledger -------------------------------------------------------------------

/**
 * The hash's last two decimal digits pick one of 32 buckets (no arithmetic on the whole string).
 * Fewer buckets copy a shorter array per event, more keep each string shorter: 32 measured best.
 */
function bucketOf(hash: string): number {
  const n = hash.length;
  const last = hash.charCodeAt(n - 1) - 48;
  const tens = n > 1 ? hash.charCodeAt(n - 2) - 48 : 0;
  return ((tens >= 0 && tens <= 9 ? tens * 10 : 0) + last) & 31;
}

/** 0 internal hop, 1 counted, 2 added from Resource Timing (unclaimed), 3 counted and failed. */
type LedgerValue = 0 | 1 | 2 | 3;

/** The ledger when it can still tell counted requests apart; null for old stored visits and when full. */
function usableLedger(visit: Visit): RequestLedger | null {
  return visit.ledger && !visit.ledger.full ? visit.ledger : null;
}

function ledgerGet(ledger: RequestLedger, hash: string, requestId: string): LedgerValue | undefined {
  const bucket = ledger.buckets[bucketOf(hash)];
  if (!bucket) return undefined;
  const needle = ` ${hash}:${requestId}=`;
  const i = bucket.indexOf(needle);
  return i === -1 ? undefined : (Number(bucket[i + needle.length]) as LedgerValue);
}

/** The ledger with one key set (or with null removed); the same ledger when nothing changes; `full` instead of a key beyond LIMITS.ledger. */
function ledgerWith(ledger: RequestLedger, hash: string, id: string, value: LedgerValue | null): RequestLedger {
  const b = bucketOf(hash);
  const bucket = ledger.buckets[b] ?? '';
  const needle = ` ${hash}:${id}=`;
  const i = bucket.indexOf(needle);
  let size = ledger.size;
  let next: string;
  if (i === -1) {
    if (value === null) return ledger;
    if (size >= LIMITS.ledger) return { ...ledger, full: true };
    next = bucket + needle + value;
    size++;
  } else {
    const end = i + needle.length + 1;
    if (value === null) {
      next = bucket.slice(0, i) + bucket.slice(end);
      size--;
    } else next = bucket.slice(0, end - 1) + value + bucket.slice(end);
  }
  const buckets = ledger.buckets.slice();
  while (buckets.length < b) buckets.push(''); // no holes: the state stays plain JSON
  buckets[b] = next;
  return { ...ledger, size, buckets };
}

function ledgerPut(visit: Visit, hash: string, id: string, value: LedgerValue | null): Visit {
  const ledger = ledgerWith(visit.ledger!, hash, id, value);
  return ledger === visit.ledger ? visit : { ...visit, ledger };
}

/** How many requests of this URL the ledger knows (counted, internal hops and reconciled alike). */
function ledgerUrlCount(ledger: RequestLedger, hash: string): number {
  const bucket = ledger.buckets[bucketOf(hash)];
  if (!bucket) return 0;
  const needle = ` ${hash}:`;
  let n = 0;
  for (let i = bucket.indexOf(needle); i !== -1; i = bucket.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** A key of this URL added from Resource Timing and not yet seen by webRequest, if any. */
function reconciledKeyOf(ledger: RequestLedger, hash: string): string | null {
  const bucket = ledger.buckets[bucketOf(hash)];
  if (!bucket) return null;
  const needle = ` ${hash}:~`;
  for (let i = bucket.indexOf(needle); i !== -1; i = bucket.indexOf(needle, i + needle.length)) {
    const eq = bucket.indexOf('=', i);
    if (bucket[eq + 1] === '2') return bucket.slice(i + needle.length - 1, eq);
  }
  return null;
}

/**
 * Counts a request hop once. Returns the visit unchanged when the hop is already in the ledger.
 * A hop the page's Resource Timing already added is taken over instead of counted again, if the
 * event is not younger than the merged snapshot (a later request cannot have been in it).
 */
function countHop(visit: Visit, host: string, url: string, requestId: string, type: string, timeStamp: number | undefined, tool?: string | null): Visit {
  let ledger = usableLedger(visit);
  if (!ledger) return addRequest(visit, host, type, tool, timeStamp);
  const hash = urlHash(url);
  const b = bucketOf(hash);
  const bucket = ledger.buckets[b] ?? '';
  const needle = ` ${hash}:${requestId}=`;
  if (bucket.indexOf(needle) !== -1) return visit;
  const lastEventAt = timeStamp !== undefined && !((visit.lastEventAt ?? 0) >= timeStamp) ? timeStamp : undefined;
  // The common case, inlined (it runs for nearly every event): a new hop, nothing pending or merged.
  if (ledger.pending === undefined && visit.reconciled === undefined && ledger.size < LIMITS.ledger) {
    const buckets = ledger.buckets.slice();
    while (buckets.length < b) buckets.push('');
    buckets[b] = bucket + needle + '1';
    return addRequest(visit, host, type, tool, timeStamp, { ledger: { size: ledger.size + 1, full: false, buckets }, lastEventAt });
  }
  if (ledger.pending?.[`${hash}|${requestId}`] !== undefined) {
    visit = withoutPending(visit, `${hash}|${requestId}`);
    ledger = visit.ledger!;
  }
  const reconciled = visit.reconciled;
  if (reconciled && (timeStamp ?? Number.POSITIVE_INFINITY) <= reconciled.at) {
    const taken = reconciledKeyOf(ledger, hash);
    if (taken !== null) {
      const next = ledgerPut(ledgerPut(visit, hash, taken, null), hash, requestId, 1);
      return { ...next, reconciled: { ...reconciled, requests: reconciled.requests - 1 } };
    }
  }
  // At the cap the key is not stored (the ledger turns full) but the request still counts.
  return addRequest(visit, host, type, tool, timeStamp, { ledger: ledgerWith(ledger, hash, requestId, 1), lastEventAt });
}

function withoutPending(visit: Visit, key: string): Visit {
  const { [key]: _done, ...pending } = visit.ledger!.pending ?? {};
  return { ...visit, ledger: { ...visit.ledger!, pending } };
}

/** Records the next hop of a redirect as announced (not counted: its own events or a reconciliation will). */
function announceHop(visit: Visit, url: string, requestId: string, type: string, timeStamp: number): Visit {
  const ledger = usableLedger(visit);
  const parsed = parseHttpUrl(url);
  if (!ledger || !parsed) return visit;
  const hash = urlHash(ledgerUrl(parsed.href));
  const key = `${hash}|${requestId}`;
  const pending = ledger.pending ?? {};
  if (ledgerGet(ledger, hash, requestId) !== undefined || key in pending) return visit;
  // Bounded like the ledger itself (a redirect loop cannot grow it).
  if (Object.keys(pending).length >= 200) return visit;
  return { ...visit, ledger: { ...ledger, pending: { ...pending, [key]: `${type} ${parsed.host} ${timeStamp}` } } };
}

/**
 * Counts the redirect targets announced at least PENDING_GRACE_MS before `at` whose own request
 * event never arrived (part of a reconciliation; see RequestLedger.pending).
 */
const PENDING_GRACE_MS = 500;
function settlePending(visit: Visit, at: number, budget: number): { visit: Visit; added: number } {
  const pending = visit.ledger?.pending;
  if (!pending || !usableLedger(visit)) return { visit, added: 0 };
  let next = visit;
  let added = 0;
  for (const [key, value] of Object.entries(pending)) {
    const [type = 'other', host = '', time = '0'] = value.split(' ');
    if (Number(time) > at - PENDING_GRACE_MS || !host) continue;
    if (added >= budget) break;
    const bar = key.indexOf('|');
    next = withoutPending(next, key);
    next = ledgerPut(next, key.slice(0, bar), key.slice(bar + 1), 1);
    if (!usableLedger(next)) break;
    next = addRequest(next, host, type, null, Number(time));
    added++;
  }
  return { visit: next, added };
}

/**
 * Whether a response or error may count its request in this visit: only a request of this
 * document, never a late one of the previous page. Chrome's requestIds grow, so a request issued
 * after the document request has a larger id; a visit started without its document request
 * (page-seen) only takes events from after its start.
 */
function belongsToVisit(visit: Visit, requestId: string, timeStamp: number | undefined): boolean {
  if (visit.documentRequestId === null) return timeStamp !== undefined && timeStamp >= visit.startedAt;
  const id = Number(requestId);
  const doc = Number(visit.documentRequestId);
  return Number.isSafeInteger(id) && Number.isSafeInteger(doc) && id >= doc;
}

/** A document response or error of this tab: starts the visit if its request event never arrived. */
function documentFromLateEvent(state: TallyState, event: { tabId: number; requestId: string; url: string; timeStamp?: number }, host: string): Visit | null {
  const current = state[event.tabId];
  const at = event.timeStamp;
  if (at === undefined) return null;
  if (current && !current.provisional) {
    if (current.documentRequestId === event.requestId && current.url === parseHttpUrl(event.url)?.href) return null; // already started by its request
    if (current.startedAt > at) return null; // a newer visit: this event is late
    if (current.documentRequestId !== null && current.documentRequestId !== event.requestId) {
      const id = Number(event.requestId);
      const doc = Number(current.documentRequestId);
      if (!Number.isSafeInteger(id) || !Number.isSafeInteger(doc) || id < doc) return null;
    }
    if (current.documentRequestId === null) return null; // seen by the content script: that visit stands
  }
  const visit = adoptOrStart(current, event.tabId, event.url, at, event.requestId);
  if (!visit) return null;
  return countHop(visit, host, ledgerUrl(visit.url), event.requestId, 'main_frame', at);
}

/**
 * A new visit for a document request, or — when the tab's provisional visit is of the same origin
 * and younger than this request — that visit, now with its document: its events were this
 * document's, only delivered (or replayed from an earlier worker) before the document's own.
 */
function adoptOrStart(current: Visit | undefined, tabId: number, url: string, at: number, requestId: string): Visit | null {
  const visit = newVisit(tabId, url, at, requestId);
  if (!visit || !current?.provisional || current.startedAt < at || new URL(current.url).origin !== new URL(visit.url).origin) return visit;
  const { provisional: _was, ...adopted } = current;
  return { ...adopted, url: visit.url, visitId: visit.visitId, startedAt: at, documentRequestId: requestId };
}

/** A tab without a visit: a top-frame subresource event starts a provisional one (Visit.provisional). */
function provisionalVisit(event: { tabId: number; frameId?: number; type?: string; initiator?: string; timeStamp?: number }): Visit | null {
  if (event.tabId < 0 || event.frameId !== 0 || event.type === undefined || event.type === 'main_frame' || event.timeStamp === undefined) return null;
  const origin = event.initiator ? parseHttpUrl(event.initiator) : null;
  if (!origin) return null;
  const visit = newVisit(event.tabId, origin.href, event.timeStamp, null);
  return visit ? { ...visit, provisional: true } : null;
}

/**
 * Merges the page's Resource Timing into a visit (lib/tally/resource-timing.ts): for each URL, the page
 * loaded it `count` times, the ledger knows it `have` times (counted, internal hops, or merged
 * before); the difference is added, marked in the ledger (value 2) so it is never added twice and
 * is taken over when its own webRequest event still arrives. Capped at
 * RESOURCE_LIMITS.mergedPerVisit per visit. A page can only add requests it made itself, in its
 * own document; it cannot take any away.
 */
export function reconcileWithResources(visit: Visit, entries: readonly ResourceEntry[], at: number): Visit {
  const ledger = usableLedger(visit);
  if (!ledger) return visit;
  const before = visit.reconciled ?? { requests: 0, cookies: 0, at: 0 };
  let next = visit;
  let added = 0;
  let seq = ledger.size;
  for (const { url, type, count, startedAt } of groupEntries(entries)) {
    const host = hostFromUrl(url);
    if (!host) continue;
    const hash = urlHash(url);
    const missing = count - ledgerUrlCount(usableLedger(next) ?? ledger, hash);
    for (let i = 0; i < missing; i++) {
      if (before.requests + added >= RESOURCE_LIMITS.mergedPerVisit || !usableLedger(next)) break;
      let id = `~${seq++}`;
      while (ledgerGet(usableLedger(next)!, hash, id) !== undefined) id = `~${seq++}`;
      const marked = ledgerPut(next, hash, id, 2);
      if (!usableLedger(marked)) {
        next = marked;
        break;
      }
      next = addRequest(marked, host, type, null, startedAt ?? at);
      added++;
    }
  }
  const settled = settlePending(next, at, RESOURCE_LIMITS.mergedPerVisit - before.requests - added);
  next = settled.visit;
  added += settled.added;
  if (added === 0 && (!visit.reconciled || at <= before.at)) return next;
  return { ...next, reconciled: { ...before, requests: before.requests + added, at: Math.max(before.at, at) } };
}

/**
 * The entries of URLs the visit has fewer requests of than the page loaded (all entries of such a
 * URL, so the merge still sees the page's multiplicity). The background sends only these through
 * the hub, which keeps the logged event small; the merge checks again when it is applied.
 */
export function missingResources(visit: Visit, entries: readonly ResourceEntry[]): ResourceEntry[] {
  const ledger = usableLedger(visit);
  if (!ledger) return [];
  const wanted = new Set(groupEntries(entries).filter((g) => g.count > ledgerUrlCount(ledger, urlHash(g.url))).map((g) => g.url));
  if (wanted.size === 0) return [];
  return entries.filter((e) => wanted.has(normaliseRequestUrl(e.url) ?? ''));
}

/** Redirect targets announced but not yet requested (see RequestLedger.pending). */
export function pendingHopCount(visit: Visit): number {
  return usableLedger(visit) ? Object.keys(visit.ledger!.pending ?? {}).length : 0;
}

function setVisit(state: TallyState, tabId: number, visit: Visit): TallyState {
  return state[tabId] === visit ? state : { ...state, [tabId]: visit };
}

/** The one reducer the background feeds every browser event into. */
export function reduceTally(state: TallyState, event: TallyEvent): TallyState {
  const next = reduceEvent(state, event);
  if (next === state) return next;
  // Stamp the visits the event changed with its time (the hub's "was this visit active?").
  const at = 'timeStamp' in event ? event.timeStamp : undefined;
  if (at === undefined || event.kind === 'cookies-found') return next;
  if ('tabId' in event) {
    const visit = next[event.tabId];
    return visit && visit !== state[event.tabId] && !((visit.lastEventAt ?? 0) >= at) ? { ...next, [event.tabId]: { ...visit, lastEventAt: at } } : next;
  }
  let stamped: Record<number, Visit> | null = null;
  for (const key of Object.keys(next)) {
    const visit = next[Number(key)]!;
    if (visit === state[Number(key)] || (visit.lastEventAt ?? 0) >= at) continue;
    stamped ??= { ...next };
    stamped[Number(key)] = { ...visit, lastEventAt: at };
  }
  return stamped ?? next;
}

/** The request URL as the ledger keys it: absolute, no fragment (lib/tally/resource-timing.ts normaliseRequestUrl). */
function ledgerUrl(href: string): string {
  const hash = href.indexOf('#');
  return hash === -1 ? href : href.slice(0, hash);
}

function reduceEvent(state: TallyState, event: TallyEvent): TallyState {
  switch (event.kind) {
    case 'request': {
      const parsed = parseHttpUrl(event.url);
      if (!parsed || event.tabId < 0) return state;
      const host = parsed.host;
      if (event.type === 'main_frame' && event.frameId === 0) {
        const visit = adoptOrStart(state[event.tabId], event.tabId, event.url, event.timeStamp, event.requestId);
        if (!visit) return state;
        return setVisit(state, event.tabId, countHop(visit, host, ledgerUrl(parsed.href), event.requestId, event.type, event.timeStamp, event.tool));
      }
      const visit = state[event.tabId] ?? provisionalVisit(event);
      return visit ? setVisit(state, event.tabId, countHop(visit, host, ledgerUrl(parsed.href), event.requestId, event.type, event.timeStamp, event.tool)) : state;
    }
    case 'response':
    case 'error': {
      const parsed = parseHttpUrl(event.url);
      if (!parsed || event.tabId < 0) return state;
      const host = parsed.host;
      let visit = state[event.tabId];
      // The request's own event may never have arrived (a worker stopped at that moment): the
      // response or error counts it, once (the ledger), if it is this visit's.
      if (event.type !== undefined) {
        if (event.type === 'main_frame' && event.frameId === 0) {
          const started = documentFromLateEvent(state, event, host);
          if (started && event.kind === 'response') visit = started;
        } else {
          const candidate = visit ?? provisionalVisit(event);
          if (candidate && usableLedger(candidate) && belongsToVisit(candidate, event.requestId, event.timeStamp))
            visit = countHop(candidate, host, ledgerUrl(parsed.href), event.requestId, event.type, event.timeStamp);
        }
      }
      if (!visit) return state;
      if (event.kind === 'response') {
        if (event.ip) visit = addResponseIp(visit, host, event.ip);
      } else {
        // One failure per hop, even if its error event is applied twice (the ledger remembers).
        const ledger = usableLedger(visit);
        const hash = ledger ? urlHash(ledgerUrl(parsed.href)) : '';
        const seen = ledger ? ledgerGet(ledger, hash, event.requestId) : undefined;
        if (seen === 3) return setVisit(state, event.tabId, visit);
        if (seen === 1) visit = ledgerPut(visit, hash, event.requestId, 3);
        visit = addError(visit, host, event.error);
      }
      return setVisit(state, event.tabId, visit);
    }
    case 'redirect': {
      // A document redirect restarts the visit when its next hop's request arrives (or its response).
      const visit = state[event.tabId] ?? provisionalVisit(event);
      const parsed = parseHttpUrl(event.url);
      if (!visit || !parsed || event.tabId < 0 || (event.type === 'main_frame' && event.frameId === 0)) return state;
      if (!usableLedger(visit) || !belongsToVisit(visit, event.requestId, event.timeStamp)) return state;
      const counted = countHop(visit, parsed.host, ledgerUrl(parsed.href), event.requestId, event.type, event.timeStamp);
      return setVisit(state, event.tabId, announceHop(counted, event.redirectUrl, event.requestId, event.type, event.timeStamp));
    }
    case 'internal-redirect': {
      const visit = state[event.tabId];
      const parsed = parseHttpUrl(event.url);
      if (!visit || !parsed) return state;
      const ledger = usableLedger(visit);
      if (!ledger) return setVisit(state, event.tabId, removeInternalHop(visit, parsed.host, event.type));
      // Only the hop itself is taken back; a hop whose request event never arrived was not counted.
      const hash = urlHash(ledgerUrl(parsed.href));
      const seen = ledgerGet(ledger, hash, event.requestId);
      if (seen === 0) return state;
      const marked = ledgerPut(visit, hash, event.requestId, 0);
      return setVisit(state, event.tabId, seen === 1 ? removeInternalHop(marked, parsed.host, event.type) : marked);
    }
    case 'set-cookie': {
      let visit = state[event.tabId];
      if (event.type === 'main_frame' && event.frameId === 0 && event.requestId !== undefined) {
        const parsed = parseHttpUrl(event.url);
        const started = parsed ? documentFromLateEvent(state, { tabId: event.tabId, requestId: event.requestId, url: event.url, timeStamp: event.timeStamp }, parsed.host) : null;
        if (started) visit = started;
      }
      if (!visit) return state;
      let next = visit;
      for (const line of event.lines) {
        const observation = parseSetCookie(line, event.url, visit.site, event.timeStamp);
        if (observation) next = addCookie(next, observation);
      }
      return setVisit(state, event.tabId, next);
    }
    case 'cookie-changed': {
      if (event.removed) return state;
      const observation = fromApiCookie(event.cookie, event.timeStamp);
      let next: TallyState = state;
      for (const visit of Object.values(state)) {
        if (cookieBelongsToVisit(visit, observation)) next = setVisit(next, visit.tabId, addCookie(visit, observation));
      }
      return next;
    }
    case 'page-seen': {
      const current = state[event.tabId];
      if (event.tabId < 0 || (current && !current.provisional)) return state;
      const visit = newVisit(event.tabId, event.url, event.timeStamp, null);
      if (!visit) return state;
      // The provisional visit was this document's (same origin): it keeps its counts and gets its URL.
      if (current && new URL(current.url).origin === new URL(visit.url).origin) {
        const { provisional: _was, ...adopted } = current;
        return setVisit(state, event.tabId, { ...adopted, url: visit.url });
      }
      return setVisit(state, event.tabId, visit);
    }
    case 'resources': {
      const visit = state[event.tabId];
      if (!visit || visit.visitId !== event.visitId) return state;
      return setVisit(state, event.tabId, reconcileWithResources(visit, event.entries, event.at));
    }
    case 'cookies-found': {
      const visit = state[event.tabId];
      if (!visit || visit.visitId !== event.visitId) return state;
      let next = visit;
      for (const cookie of event.cookies) {
        const observation = fromApiCookie(cookie, event.timeStamp);
        if (cookieBelongsToVisit(next, observation)) next = addCookie(next, observation);
      }
      if (next === visit) return state;
      const r = visit.reconciled ?? { requests: 0, cookies: 0, at: 0 };
      const found = next.cookies.length - visit.cookies.length + next.cookies.filter((c, i) => visit.cookies[i] !== undefined && c !== visit.cookies[i]).length;
      return setVisit(state, event.tabId, { ...next, reconciled: { ...r, cookies: r.cookies + found } });
    }
    case 'tab-removed': {
      if (!(event.tabId in state)) return state;
      const { [event.tabId]: _dropped, ...rest } = state;
      return rest;
    }
  }
}

// Read-only views of a visit live in lib/tally/visit-stats.ts (the popup imports them without pulling
// tldts into its bundle); re-exported here for the rest of lib/.
export { contactedThirdPartyHosts, cookieCounts, thirdPartyHostCount, type CookieCounts } from './visit-stats';

export function isVisit(value: unknown): value is Visit {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<Visit>;
  const isRecord = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  return (
    v.version === TALLY_VERSION &&
    typeof v.tabId === 'number' &&
    typeof v.url === 'string' &&
    typeof v.site === 'string' &&
    Array.isArray(v.hosts) &&
    Array.isArray(v.cookies) &&
    isRecord(v.hostIndex) &&
    isRecord(v.cookieIndex) &&
    isRecord(v.requests)
  );
}
