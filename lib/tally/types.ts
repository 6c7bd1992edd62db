/**
 * The per-tab tally's data: one page visit (what it requested, which cookies it caused to be
 * set), the events the background feeds in, and the caps. Plain JSON: the background persists the
 * state to `storage.session` as is and restores it after the MV3 service worker was stopped
 * (`isVisit` checks a restored value). The reducers are in reduce.ts.
 */
import type { ApiCookie, CookieObservation, Partitioning } from './cookies';
import type { ResourceEntry } from './resource-timing';

export const TALLY_VERSION = 1;

export interface HostTally {
  host: string;
  site: string;
  thirdParty: boolean;
  requests: number;
  /** Requests sent that ended in a network error. */
  failed: number;
  /**
   * Requests blocked before they were sent, by another extension or a policy
   * (net::ERR_BLOCKED_BY_CLIENT / _ADMINISTRATOR): not in `requests` (the counting rule).
   */
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

/**
 * The counting rule (docs/ARCHITECTURE.md): `total` = `firstParty` + `thirdParty` are the requests
 * sent to the network; `failed` is the part of them that ended in a network error. The requests
 * the page made that never left the browser are counted apart, by reason (report
 * `requests.notSent`): `cacheProbe` (cache-only attempts that missed, net::ERR_CACHE_MISS),
 * `cache` (answered from the HTTP cache) and `blocked` (by another extension or a policy).
 */
export interface RequestCounts {
  total: number;
  firstParty: number;
  thirdParty: number;
  failed: number;
  blocked: number;
  cacheProbe: number;
  cache: number;
}

/** Why a request the page made never reached a server (RequestCounts). */
export type NotSentReason = 'cacheProbe' | 'cache' | 'blocked';

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
  /**
   * The tab's previous visit, kept (without its ledger) from the navigation that replaced it until
   * the next one: requests its document makes while it is being replaced (documentLifecycle
   * "pending_deletion": a beacon on pagehide) are its own, and the background records it again.
   */
  previous?: Visit;
  /**
   * "history": started by a same-document navigation of the tab to another page (History API,
   * Navigation API; lib/page/soft-navigation.ts). Absent: started by a document. A history visit's
   * `previous` keeps its ledger: events of the page before's requests still in flight are routed
   * to it (reduce.ts routeToPrevious).
   */
  navigation?: 'history';
}

/**
 * The request ledger: one key per request hop, `<url hash>:<webRequest requestId>` (a redirect hop
 * keeps the requestId, so the URL tells hops apart), or `<url hash>:~<n>` for a request added from
 * the page's Resource Timing. Values: the digit of a HopState (lib/tally/ledger.ts). Stored as
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
      /**
       * webRequest `documentLifecycle` (Chrome 106+): "pending_deletion" for a request the previous
       * document makes while it is being replaced (a beacon on pagehide). Not the new page's.
       */
      documentLifecycle?: string;
    }
  /**
   * A response or a network error. With `type`, `frameId` and `timeStamp` (the background always
   * sends them) it also counts its request if that request's own event never arrived (a stopped
   * worker), once per hop thanks to the ledger.
   */
  | ({
      kind: 'response';
      tabId: number;
      requestId: string;
      url: string;
      ip?: string | undefined;
      fromCache?: boolean;
    } & LateRequestFacts)
  | { kind: 'internal-redirect'; tabId: number; requestId: string; url: string; type: string }
  /**
   * A server redirect of a subresource (onBeforeRedirect). Evidence of the hop itself, and of the
   * next hop to `redirectUrl`, which is only counted by its own events, or by reconciliation if
   * those never arrived (Resource Timing names a redirect chain by its first URL only).
   */
  | {
      kind: 'redirect';
      tabId: number;
      requestId: string;
      url: string;
      redirectUrl: string;
      type: string;
      frameId: number;
      timeStamp: number;
      initiator?: string;
    }
  | ({ kind: 'error'; tabId: number; requestId: string; url: string; error: string } & LateRequestFacts)
  /**
   * Set-Cookie lines of a response (onHeadersReceived). With `requestId`, `type` and `frameId`, the
   * document's own response starts the visit if the document's request event never arrived.
   */
  | {
      kind: 'set-cookie';
      tabId: number;
      url: string;
      lines: string[];
      timeStamp: number;
      requestId?: string;
      type?: string;
      frameId?: number;
      /** How this browser partitions the cookies (entrypoints/background/platform.ts); absent: CHIPS. */
      partitioning?: Partitioning;
    }
  | { kind: 'cookie-changed'; cookie: ApiCookie; removed: boolean; timeStamp: number }
  | { kind: 'tab-removed'; tabId: number }
  /**
   * The top frame's document changed its URL without loading (webNavigation.onHistoryStateUpdated:
   * pushState, replaceState, back/forward within the document, the Navigation API). Starts a visit
   * when the URL shows another page (lib/page/soft-navigation.ts startsNewVisit). `timeStamp`: when
   * the URL changed; requests started before it stay the page before's.
   */
  | { kind: 'history'; tabId: number; url: string; timeStamp: number }
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

type LateRequestFacts = {
  type?: string;
  frameId?: number;
  timeStamp?: number;
  initiator?: string;
  documentLifecycle?: string;
};

/** All visits, by tab id. */
export type TallyState = Readonly<Record<number, Visit>>;

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
