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
import { parseHttpUrl, siteOfCookieDomain, siteOfHost } from './site';

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
}

/** Caps that keep a hostile page from growing the state (and storage.session, 10 MB) without bound. */
export const LIMITS = { hosts: 2000, cookies: 2000, ipsPerHost: 8, toolsPerHost: 4 } as const;

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
    }
  | { kind: 'response'; tabId: number; requestId: string; url: string; ip?: string | undefined }
  | { kind: 'internal-redirect'; tabId: number; requestId: string; url: string; type: string }
  | { kind: 'error'; tabId: number; requestId: string; url: string; error: string }
  | { kind: 'set-cookie'; tabId: number; url: string; lines: string[]; timeStamp: number }
  | { kind: 'cookie-changed'; cookie: ApiCookie; removed: boolean; timeStamp: number }
  | { kind: 'tab-removed'; tabId: number }
  /**
   * The content script reported a page for a tab that has no visit: its navigation request was
   * never delivered (a worker stopped at that moment). Starts the visit late rather than never.
   */
  | { kind: 'page-seen'; tabId: number; url: string; timeStamp: number };

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
function countRequest(visit: Visit, host: string, type: string, delta: 1 | -1, timeStamp?: number): Visit {
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
  return {
    ...next,
    requests: {
      ...r,
      total: r.total + delta,
      firstParty: r.firstParty + (thirdParty ? 0 : delta),
      thirdParty: r.thirdParty + (thirdParty ? delta : 0),
    },
  };
}

/** Counts one request (every redirect hop is a request of its own). */
export function addRequest(visit: Visit, host: string, type: string, tool?: string | null, timeStamp?: number): Visit {
  const next = countRequest(visit, host, type, 1, timeStamp);
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

function setVisit(state: TallyState, tabId: number, visit: Visit): TallyState {
  return state[tabId] === visit ? state : { ...state, [tabId]: visit };
}

/** The one reducer the background feeds every browser event into. */
export function reduceTally(state: TallyState, event: TallyEvent): TallyState {
  switch (event.kind) {
    case 'request': {
      const host = hostFromUrl(event.url);
      if (!host || event.tabId < 0) return state;
      if (event.type === 'main_frame' && event.frameId === 0) {
        const visit = newVisit(event.tabId, event.url, event.timeStamp, event.requestId);
        if (!visit) return state;
        return setVisit(state, event.tabId, addRequest(visit, host, event.type, event.tool, event.timeStamp));
      }
      const visit = state[event.tabId];
      return visit ? setVisit(state, event.tabId, addRequest(visit, host, event.type, event.tool, event.timeStamp)) : state;
    }
    case 'response': {
      const visit = state[event.tabId];
      const host = hostFromUrl(event.url);
      if (!visit || !host || !event.ip) return state;
      return setVisit(state, event.tabId, addResponseIp(visit, host, event.ip));
    }
    case 'internal-redirect': {
      const visit = state[event.tabId];
      const host = hostFromUrl(event.url);
      if (!visit || !host) return state;
      return setVisit(state, event.tabId, removeInternalHop(visit, host, event.type));
    }
    case 'error': {
      const visit = state[event.tabId];
      const host = hostFromUrl(event.url);
      if (!visit || !host) return state;
      return setVisit(state, event.tabId, addError(visit, host, event.error));
    }
    case 'set-cookie': {
      const visit = state[event.tabId];
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
      if (event.tabId < 0 || state[event.tabId]) return state;
      const visit = newVisit(event.tabId, event.url, event.timeStamp, null);
      return visit ? setVisit(state, event.tabId, visit) : state;
    }
    case 'tab-removed': {
      if (!(event.tabId in state)) return state;
      const { [event.tabId]: _dropped, ...rest } = state;
      return rest;
    }
  }
}

// Read-only views of a visit live in lib/visit-stats.ts (the popup imports them without pulling
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
