/**
 * The storage budget of the tally's events (docs/security.md, known gap 14; docs/ARCHITECTURE.md,
 * "Storage budget").
 * `storage.session` holds 10 MB for the whole extension (chrome.storage.session QUOTA_BYTES,
 * https://developer.chrome.com/docs/extensions/reference/api/storage#property-session); every
 * event is written to the write-ahead log as it arrives (lib/tally/hub.ts), so one page must not be
 * able to fill it with what it controls: URL length, cookie values, Set-Cookie lines, cookie churn.
 * Before an event is logged or reduced:
 *  - cookie removals are dropped: the reducer ignores them (lib/tally/reduce.ts), and a page that
 *    writes 10,000 cookies makes the browser evict almost as many;
 *  - a cookie from the cookies API keeps only the fields the tally reads (never its value);
 *  - URLs longer than MAX_EVENT_URL are cut and end in a hash of the whole URL, so two long URLs
 *    that differ only at the end stay two requests (the ledger tells requests apart by URL);
 *  - Set-Cookie lines the parser ignores anyway (longer than MAX_SET_COOKIE_LENGTH) are dropped,
 *    and one response's lines are kept up to MAX_EVENT_COOKIE_BYTES in total.
 * Both the log and the reducer see the bounded event, so a replay after a worker restart gives
 * the same tally as the live run. Pure.
 */
import { type ApiCookie, MAX_SET_COOKIE_LENGTH } from './cookies';
import type { TallyEvent } from './types';

/** Longest URL an event keeps (the host and the start of the path are what the tally reads). */
export const MAX_EVENT_URL = 2048;
/** Set-Cookie bytes kept per response event. */
export const MAX_EVENT_COOKIE_BYTES = 64 * 1024;
/** Marks a URL cut by this module (webRequest URLs carry no fragment, so no real URL ends so). */
export const CUT_MARK = '#dsa-cut-';

/** 32-bit FNV-1a of a string (its UTF-16 units), hex: tells cut URLs apart. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The URL itself when short enough, else its start with a hash of the whole (at most MAX_EVENT_URL long). */
export function boundUrl(url: string): string {
  if (url.length <= MAX_EVENT_URL) return url;
  const suffix = `${CUT_MARK}${fnv1a(url)}`;
  return url.slice(0, MAX_EVENT_URL - suffix.length) + suffix;
}

const boundOptional = (url: string | undefined) => (url === undefined ? undefined : boundUrl(url));

/** The fields of a cookies-API cookie the tally reads (lib/tally/cookies.ts fromApiCookie). */
export function boundCookie(c: ApiCookie): ApiCookie {
  const out: ApiCookie = {
    name: String(c.name).slice(0, MAX_SET_COOKIE_LENGTH),
    domain: c.domain,
    path: String(c.path).slice(0, MAX_EVENT_URL),
    hostOnly: c.hostOnly,
    session: c.session,
    secure: c.secure,
    httpOnly: c.httpOnly,
  };
  if (c.expirationDate !== undefined) out.expirationDate = c.expirationDate;
  if (c.sameSite !== undefined) out.sameSite = c.sameSite;
  if (c.partitionKey !== undefined)
    out.partitionKey = c.partitionKey
      ? { ...(c.partitionKey.topLevelSite === undefined ? {} : { topLevelSite: c.partitionKey.topLevelSite }) }
      : c.partitionKey;
  if (c.firstPartyDomain !== undefined) out.firstPartyDomain = c.firstPartyDomain;
  return out;
}

function boundLines(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    if (line.length > MAX_SET_COOKIE_LENGTH) continue; // parseSetCookie ignores it
    if (bytes + line.length > MAX_EVENT_COOKIE_BYTES) break;
    kept.push(line);
    bytes += line.length;
  }
  return kept;
}

/**
 * The event as it is logged and reduced, or null when it changes nothing and is not logged at all.
 * Returns the same object when nothing needed bounding.
 */
export function boundEvent(event: TallyEvent): TallyEvent | null {
  switch (event.kind) {
    case 'cookie-changed':
      if (event.removed) return null;
      return { ...event, cookie: boundCookie(event.cookie) };
    case 'cookies-found':
      return { ...event, cookies: event.cookies.map(boundCookie) };
    case 'set-cookie': {
      const url = boundUrl(event.url);
      const lines = boundLines(event.lines);
      return url === event.url && lines.length === event.lines.length ? event : { ...event, url, lines };
    }
    case 'redirect': {
      const url = boundUrl(event.url);
      const redirectUrl = boundUrl(event.redirectUrl);
      const initiator = boundOptional(event.initiator);
      return url === event.url && redirectUrl === event.redirectUrl && initiator === event.initiator
        ? event
        : { ...event, url, redirectUrl, ...(initiator === undefined ? {} : { initiator }) };
    }
    case 'request':
    case 'response':
    case 'error':
    case 'internal-redirect':
    case 'history':
    case 'page-seen': {
      const url = boundUrl(event.url);
      const initiator = 'initiator' in event ? boundOptional(event.initiator) : undefined;
      const sameInitiator = !('initiator' in event) || initiator === event.initiator;
      return url === event.url && sameInitiator
        ? event
        : ({ ...event, url, ...(initiator === undefined ? {} : { initiator }) } as TallyEvent);
    }
    case 'resources':
      return event.entries.some((e) => e.url.length > MAX_EVENT_URL)
        ? { ...event, entries: event.entries.map((e) => ({ ...e, url: boundUrl(e.url) })) }
        : event;
    case 'tab-removed':
      return event;
  }
}
