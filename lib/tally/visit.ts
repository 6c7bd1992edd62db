/**
 * The building blocks of the reducers: one visit's host rows, request counts and cookies.
 *
 * Pure: `(visit, …) -> new visit`, no I/O, no browser API, the input is never modified. They copy
 * only what an event touches (the visit, the one host row, the host array by `slice`) so that the
 * cost per webRequest event stays in the low microseconds (`npm run bench`).
 */
import { type CookieObservation, cookieDomainMatches, cookieKey } from './cookies';
import {
  type CookieTally,
  type HostTally,
  LIMITS,
  type NotSentReason,
  type RequestLedger,
  TALLY_VERSION,
  type Visit,
} from './types';
import { parseHttpUrl, siteOfCookieDomain, siteOfHost } from '../site';

export function newVisit(
  tabId: number,
  url: string,
  startedAt: number,
  documentRequestId: string | null = null,
): Visit | null {
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
    requests: { total: 0, firstParty: 0, thirdParty: 0, failed: 0, blocked: 0, cacheProbe: 0, cache: 0 },
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

export function hostFromUrl(url: string): string | null {
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

/** What a counted request event also changes, applied in the same copy of the visit (cheaper than another). */
export interface CountExtras {
  ledger?: RequestLedger;
  lastEventAt?: number;
}

/**
 * Adds (delta 1) or takes back (delta -1) one request of a host in all counts. Builds the new visit
 * in one object (host row, host list, counts, and the extras of the same event): this runs for
 * nearly every webRequest event, and each copy of the visit is garbage to collect (`npm run bench`).
 */
function countRequest(
  visit: Visit,
  host: string,
  type: string,
  delta: 1 | -1,
  timeStamp?: number,
  extras?: CountExtras,
): Visit {
  const site = memoSite(host);
  const thirdParty = site !== visit.site;
  const i = visit.hostIndex[host];
  let hosts: HostTally[];
  let hostIndex = visit.hostIndex;
  let truncated = visit.truncated;
  if (i !== undefined) {
    const row = visit.hosts[i]!;
    const types = { ...row.types, [type]: (row.types[type] ?? 0) + delta };
    if (types[type]! <= 0) delete types[type];
    hosts = visit.hosts.slice();
    hosts[i] = { ...row, requests: row.requests + delta, types };
  } else if (visit.hosts.length >= LIMITS.hosts) {
    hosts = visit.hosts;
    truncated = true;
  } else {
    const row: HostTally = {
      host,
      site,
      thirdParty,
      requests: delta,
      failed: 0,
      blocked: 0,
      types: delta > 0 ? { [type]: delta } : {},
      ips: [],
      tools: [],
      firstSeenAt: timeStamp ?? visit.startedAt,
    };
    hosts = [...visit.hosts, row];
    hostIndex = { ...visit.hostIndex, [host]: visit.hosts.length };
  }
  const r = visit.requests;
  const counted: Visit = {
    ...visit,
    hosts,
    hostIndex,
    truncated,
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
export function addRequest(
  visit: Visit,
  host: string,
  type: string,
  tool?: string | null,
  timeStamp?: number,
  extras?: CountExtras,
): Visit {
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

/**
 * Why a request that ended in this error never reached a server, or null when it may have:
 * net::ERR_CACHE_MISS is a cache-only attempt that found nothing (Chromium's font loader tries each
 * font that way first); net::ERR_BLOCKED_BY_CLIENT (another extension) and _BY_ADMINISTRATOR (a
 * policy) stop a request before it is sent, as Firefox's NS_ERROR_…BLOCKED… do. Responses blocked
 * after they arrived (ERR_BLOCKED_BY_RESPONSE: CORP/COEP, ERR_BLOCKED_BY_ORB) reached the server:
 * they count, as failed.
 */
export function notSentReasonOf(error: string): NotSentReason | null {
  if (/ERR_CACHE_MISS/i.test(error)) return 'cacheProbe';
  if (/ERR_BLOCKED_BY_(CLIENT|ADMINISTRATOR)/i.test(error) || /NS_ERROR_.*BLOCKED/i.test(error)) return 'blocked';
  return null;
}

export function addError(visit: Visit, host: string): Visit {
  if (visit.hostIndex[host] === undefined) return visit;
  const next = withHost(visit, host, (r) => ({ ...r, failed: r.failed + 1 }));
  return { ...next, requests: { ...next.requests, failed: next.requests.failed + 1 } };
}

/**
 * One request that was not sent: taken back out of the counts when `counted`, and counted under
 * its reason (RequestCounts; per host for blocked ones).
 */
export function takeBackNotSent(
  visit: Visit,
  host: string,
  type: string,
  reason: NotSentReason,
  counted: boolean,
): Visit {
  let next = counted ? countRequest(visit, host, type, -1) : visit;
  if (reason === 'blocked' && next.hostIndex[host] !== undefined)
    next = withHost(next, host, (r) => ({ ...r, blocked: r.blocked + 1 }));
  return { ...next, requests: { ...next.requests, [reason]: (next.requests[reason] ?? 0) + 1 } };
}

/**
 * Adds one observation of a cookie, merged with what the visit already knows of it: one row per
 * cookie as the browser identifies it (name, domain, path, partition). A Set-Cookie header's
 * partition is our model of the browser's rule (lib/tally/cookies.ts Partitioning); when the jar
 * reports the same name, domain and path under another partition (e.g. a site granted storage
 * access, so Firefox did not partition it), the jar is right and the header's row takes its
 * partition: a header and its stored cookie are one cookie.
 */
export function addCookie(visit: Visit, observation: CookieObservation): Visit {
  const key = cookieKey(observation);
  let i = visit.cookieIndex[key];
  let rekeyed: Visit | null = null;
  if (i === undefined) {
    const twin = visit.cookies.findIndex(
      (c) =>
        c.name === observation.name &&
        c.domain === observation.domain &&
        c.path === observation.path &&
        !c.seenBy.includes(observation.source),
    );
    if (twin !== -1) {
      // The jar's partition wins; the row moves to the jar's key.
      const row = visit.cookies[twin]!;
      const partition = observation.source === 'script' ? observation.partition : row.partition;
      const moved: CookieTally = { ...row, partition, key: cookieKey({ ...row, partition }) };
      const cookies = visit.cookies.slice();
      cookies[twin] = moved;
      const { [row.key]: _old, ...cookieIndex } = visit.cookieIndex;
      rekeyed = { ...visit, cookies, cookieIndex: { ...cookieIndex, [moved.key]: twin } };
      i = twin;
    }
  }
  const base = rekeyed ?? visit;
  if (i !== undefined) {
    const existing = base.cookies[i]!;
    if (existing.seenBy.includes(observation.source)) return base;
    const merged: CookieTally = { ...existing, seenBy: [...existing.seenBy, observation.source] };
    // Only a header knows what lifetime the site asked for before the browser's cap.
    if (observation.requestedExpiresAt !== undefined && existing.requestedExpiresAt === undefined)
      merged.requestedExpiresAt = observation.requestedExpiresAt;
    const cookies = base.cookies.slice();
    cookies[i] = merged;
    return { ...base, cookies };
  }
  if (visit.cookies.length >= LIMITS.cookies) return visit.truncated ? visit : { ...visit, truncated: true };
  const row: CookieTally = {
    ...observation,
    key,
    thirdParty: siteOfCookieDomain(observation.domain) !== visit.site,
    lifetimeSeconds:
      observation.expiresAt === null
        ? null
        : Math.max(0, Math.round((observation.expiresAt - observation.observedAt) / 1000)),
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
