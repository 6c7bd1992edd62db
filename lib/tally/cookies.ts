/**
 * Cookie observations from the two places a browser tells us about them: `Set-Cookie` response
 * headers (also those the browser then refuses to store, e.g. blocked third-party cookies) and the
 * cookies API (`cookies.onChanged`, which also sees `document.cookie` writes by scripts).
 *
 * Both are normalised to one shape and one identity — name, domain, path, partition — exactly as
 * the browser identifies a cookie (RFC 6265bis §5.7 storage model; CHIPS adds the partition), so
 * that a cookie seen by header and again by the API is counted once. Where the browsers differ
 * (which cookies they partition) the caller says which browser's rules apply (`Partitioning`,
 * chosen in entrypoints/background/platform.ts); where they agree (public-suffix domains, cookie
 * dates, the 400-day lifetime cap) the rules are here.
 */
import { getPublicSuffix } from 'tldts';
import { isIpHost, parseHttpUrl, siteOfHost } from '../site';

/**
 * How the browser keys the cookies a response sets:
 *  - `chips` (Chromium): only cookies with the `Partitioned` attribute are partitioned, under the
 *    top-level site (CHIPS, https://developer.chrome.com/docs/privacy-sandbox/chips/); unpartitioned
 *    third-party cookies are blocked by default and so only "attempted".
 *  - `total-cookie-protection` (Firefox's default): every cookie set in a third-party context is
 *    partitioned under the top-level site, with or without `Partitioned`
 *    (https://developer.mozilla.org/en-US/docs/Web/Privacy/Guides/State_Partitioning); the cookies
 *    API reports it with `partitionKey.topLevelSite`.
 *  - `first-party-isolation` (Firefox with privacy.firstparty.isolate): every cookie, first party
 *    too, is keyed by the top-level site (`firstPartyDomain` in the cookies API).
 */
export type Partitioning = 'chips' | 'total-cookie-protection' | 'first-party-isolation';

/**
 * RFC 6265bis §5.5 ("Cookie Lifetime Limits"): user agents cap Expires and Max-Age at 400 days.
 * Chromium does since version 104; Firefox ESR 153 stores 400 days for a 10-year Max-Age
 * (checked with the Firefox rig of tests/e2e/firefox/). Reports quote the stored lifetime.
 */
export const MAX_COOKIE_LIFETIME_MS = 400 * 86_400_000;

export type CookieSource = 'header' | 'script';

export interface CookieObservation {
  name: string;
  /** ".example.com" for a domain cookie, "www.example.com" for a host-only cookie (as chrome.cookies reports it). */
  domain: string;
  path: string;
  /** Site of the top-level page the cookie is partitioned under (CHIPS), or "" when unpartitioned. */
  partition: string;
  /** Expiry in ms since the epoch as the browser stores it (capped, MAX_COOKIE_LIFETIME_MS); null for a session cookie. */
  expiresAt: number | null;
  /** The expiry the site asked for, only when the browser's cap shortened it. */
  requestedExpiresAt?: number;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'strict' | 'lax' | 'none' | 'unspecified';
  source: CookieSource;
  observedAt: number;
}

/** The identity the browser uses for a cookie: name, domain, path and partition. */
export function cookieKey(c: Pick<CookieObservation, 'name' | 'domain' | 'path' | 'partition'>): string {
  return `${c.name}\u0000${c.domain}\u0000${c.path}\u0000${c.partition}`;
}

/** RFC 6265 §5.1.4 default-path: the request path up to (not including) its last "/". */
export function defaultCookiePath(requestUrl: string): string {
  let path = '/';
  try {
    path = new URL(requestUrl).pathname;
  } catch {
    return '/';
  }
  if (!path.startsWith('/')) return '/';
  const lastSlash = path.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : path.slice(0, lastSlash);
}

function parseSameSite(value: string): CookieObservation['sameSite'] {
  const v = value.trim().toLowerCase();
  return v === 'strict' || v === 'lax' || v === 'none' ? v : 'unspecified';
}

/** Longest cookie line we look at; the browser itself refuses name+value over 4096 bytes (RFC 6265bis §5.7). */
export const MAX_SET_COOKIE_LENGTH = 8192;

/**
 * Parses one Set-Cookie header value as the browser would store it.
 * Returns null for lines that set nothing: empty, or a deletion (Max-Age ≤ 0 or an Expires date
 * in the past), a Domain the browser refuses, or an unparseable request URL.
 *
 * @param pageSite the top-level page's site, used as the partition of partitioned cookies.
 * @param partitioning the browser's partitioning rules (default: Chromium's CHIPS).
 */
export function parseSetCookie(
  header: string,
  requestUrl: string,
  pageSite: string,
  now: number,
  partitioning: Partitioning = 'chips',
): CookieObservation | null {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_SET_COOKIE_LENGTH) return null;
  const request = parseHttpUrl(requestUrl);
  if (!request) return null;
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  // RFC 6265bis: a pair without "=" is a cookie with an empty name and that value.
  const name = (eq === -1 ? '' : pair.slice(0, eq)).trim();
  const value = (eq === -1 ? pair : pair.slice(eq + 1)).trim();
  if (name === '' && value === '') return null;

  let domainAttr: string | null = null;
  let path: string | null = null;
  let maxAge: number | null = null;
  let expires: number | null = null;
  let secure = false;
  let httpOnly = false;
  let partitioned = false;
  let sameSite: CookieObservation['sameSite'] = 'unspecified';

  for (const raw of attributes) {
    const i = raw.indexOf('=');
    const key = (i === -1 ? raw : raw.slice(0, i)).trim().toLowerCase();
    const val = i === -1 ? '' : raw.slice(i + 1).trim();
    switch (key) {
      case 'domain': {
        const d = val.replace(/^\.+/, '').toLowerCase();
        if (d) domainAttr = d;
        break;
      }
      case 'path':
        if (val.startsWith('/')) path = val;
        break;
      case 'max-age':
        // Max-Age wins over Expires (RFC 6265 §5.3 step 3); non-integers are ignored.
        if (/^-?\d+$/.test(val)) maxAge = Number(val);
        break;
      case 'expires': {
        const t = parseCookieDate(val);
        if (t !== null) expires = t;
        break;
      }
      case 'secure':
        secure = true;
        break;
      case 'httponly':
        httpOnly = true;
        break;
      case 'partitioned':
        partitioned = true;
        break;
      case 'samesite':
        sameSite = parseSameSite(val);
        break;
      default:
        break;
    }
  }

  // RFC 6265 §5.3 step 5: a Domain that is a public suffix (the full list, private section
  // included, as browsers use it: `github.io`, `de`) is refused, unless it is the request host
  // itself, which makes the cookie host-only. An IP address can only name itself.
  if (domainAttr && (isIpHost(domainAttr) || isPublicSuffix(domainAttr))) {
    if (domainAttr !== request.host) return null;
    domainAttr = null;
  }
  // RFC 6265 §5.3 step 6: a Domain that does not domain-match the request host makes the browser
  // ignore the whole line. It sets nothing, and taking its word for the domain would misfile a
  // tracker's cookie as the page's own. An IP host domain-matches only itself (§5.1.3).
  if (domainAttr && request.host !== domainAttr && (isIpHost(request.host) || !request.host.endsWith(`.${domainAttr}`)))
    return null;

  let requested: number | null = null;
  if (maxAge !== null) {
    if (maxAge <= 0) return null;
    requested = now + maxAge * 1000;
  } else if (expires !== null) {
    if (expires <= now) return null;
    requested = expires;
  }
  const expiresAt = requested === null ? null : Math.min(requested, now + MAX_COOKIE_LIFETIME_MS);

  const observation: CookieObservation = {
    name,
    domain: domainAttr ? `.${domainAttr}` : request.host,
    path: path ?? defaultCookiePath(requestUrl),
    partition: headerPartition(partitioning, partitioned, siteOfHost(request.host), pageSite),
    expiresAt,
    secure,
    httpOnly,
    sameSite,
    source: 'header',
    observedAt: now,
  };
  if (requested !== null && requested !== expiresAt) observation.requestedExpiresAt = requested;
  return observation;
}

/** The partition a response's cookie is stored under (see Partitioning). */
function headerPartition(
  partitioning: Partitioning,
  partitionedAttribute: boolean,
  requestSite: string,
  pageSite: string,
): string {
  if (partitioning === 'first-party-isolation') return pageSite;
  if (partitionedAttribute) return pageSite;
  return partitioning === 'total-cookie-protection' && requestSite !== pageSite ? pageSite : '';
}

/** Whether a domain is a public suffix (Public Suffix List, private section included). */
function isPublicSuffix(domain: string): boolean {
  return (
    getPublicSuffix(domain, { allowPrivateDomains: true, extractHostname: false, validateHostname: false }) === domain
  );
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// RFC 6265 §5.1.1: delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the RFC's delimiter set includes TAB.
const DATE_DELIMITERS = /[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+/;

/**
 * The cookie-date algorithm of RFC 6265 §5.1.1, as browsers read `Expires` (not Date.parse, which
 * reads two-digit years differently): the first time, day of month, month and year tokens win;
 * years 70–99 are 19xx and 0–69 are 20xx; an impossible date makes the attribute ignored (null).
 */
export function parseCookieDate(value: string): number | null {
  let time: [number, number, number] | null = null;
  let day: number | null = null;
  let month: number | null = null;
  let year: number | null = null;
  for (const token of value.split(DATE_DELIMITERS)) {
    if (!token) continue;
    const t: RegExpExecArray | null = time === null ? /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?$/.exec(token) : null;
    if (t) {
      time = [Number(t[1]), Number(t[2]), Number(t[3])];
      continue;
    }
    const d: RegExpExecArray | null = day === null ? /^(\d{1,2})(?:\D.*)?$/.exec(token) : null;
    if (d) {
      day = Number(d[1]);
      continue;
    }
    if (month === null && MONTHS.includes(token.slice(0, 3).toLowerCase())) {
      month = MONTHS.indexOf(token.slice(0, 3).toLowerCase());
      continue;
    }
    const y: RegExpExecArray | null = year === null ? /^(\d{2,4})(?:\D.*)?$/.exec(token) : null;
    if (y) year = Number(y[1]);
  }
  if (time === null || day === null || month === null || year === null) return null;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  const [h, min, sec] = time;
  if (day < 1 || day > 31 || year < 1601 || h > 23 || min > 59 || sec > 59) return null;
  const date = new Date(Date.UTC(year, month, day, h, min, sec));
  // Date.UTC maps years 0–99 to 19xx; years here are ≥ 1601. "31 Feb" rolls over: not a date.
  return date.getUTCDate() === day ? date.getTime() : null;
}

/**
 * Splits the Set-Cookie values out of a webRequest header list. Chrome reports one header entry
 * per Set-Cookie line; Firefox joins them with "\n" into one entry.
 */
export function setCookieLines(headers: ReadonlyArray<{ name: string; value?: string }> | undefined): string[] {
  if (!headers) return [];
  const lines: string[] = [];
  for (const h of headers) {
    if (h.name.toLowerCase() !== 'set-cookie' || !h.value) continue;
    for (const line of h.value.split('\n')) if (line.trim()) lines.push(line);
  }
  return lines;
}

/** The subset of `cookies.Cookie` we read (Chrome and Firefox agree on these fields). */
export interface ApiCookie {
  name: string;
  domain: string;
  path: string;
  hostOnly: boolean;
  session: boolean;
  expirationDate?: number;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
  partitionKey?: { topLevelSite?: string } | null;
  /** Firefox with first-party isolation: the top-level site every cookie is keyed by ("" otherwise). */
  firstPartyDomain?: string;
}

/** Normalises a cookie from the cookies API to an observation. */
export function fromApiCookie(cookie: ApiCookie, now: number): CookieObservation {
  const bare = cookie.domain.replace(/^\.+/, '').toLowerCase();
  let partition = '';
  const topLevelSite = cookie.partitionKey?.topLevelSite || cookie.firstPartyDomain;
  if (topLevelSite) {
    const parsed = parseHttpUrl(topLevelSite);
    partition = parsed ? siteOfHost(parsed.host) : siteOfHost(topLevelSite);
  }
  const sameSite = cookie.sameSite === 'no_restriction' ? 'none' : parseSameSite(cookie.sameSite ?? '');
  return {
    name: cookie.name,
    domain: cookie.hostOnly ? bare : `.${bare}`,
    path: cookie.path || '/',
    partition,
    expiresAt: cookie.session || cookie.expirationDate === undefined ? null : Math.round(cookie.expirationDate * 1000),
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    sameSite,
    source: 'script',
    observedAt: now,
  };
}

/**
 * RFC 6265 §5.1.3 domain-match, for attributing a cookie to the page visits that talked to its
 * domain: a host-only cookie matches only its host, a domain cookie its domain and subdomains.
 */
export function cookieDomainMatches(cookieDomain: string, host: string): boolean {
  if (cookieDomain.startsWith('.')) {
    const bare = cookieDomain.slice(1);
    return host === bare || host.endsWith(cookieDomain);
  }
  return host === cookieDomain;
}
