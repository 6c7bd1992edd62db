/**
 * Cookie observations from the two places a browser tells us about them: `Set-Cookie` response
 * headers (also those the browser then refuses to store, e.g. blocked third-party cookies) and the
 * cookies API (`cookies.onChanged`, which also sees `document.cookie` writes by scripts).
 *
 * Both are normalised to one shape and one identity — name, domain, path, partition — exactly as
 * the browser identifies a cookie (RFC 6265bis §5.7 storage model; CHIPS adds the partition), so
 * that a cookie seen by header and again by the API is counted once.
 */
import { parseHttpUrl, siteOfHost } from '../site';

export type CookieSource = 'header' | 'script';

export interface CookieObservation {
  name: string;
  /** ".example.com" for a domain cookie, "www.example.com" for a host-only cookie (as chrome.cookies reports it). */
  domain: string;
  path: string;
  /** Site of the top-level page the cookie is partitioned under (CHIPS), or "" when unpartitioned. */
  partition: string;
  /** Expiry in ms since the epoch; null for a session cookie. */
  expiresAt: number | null;
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
const MAX_SET_COOKIE_LENGTH = 8192;

/**
 * Parses one Set-Cookie header value as the browser would store it.
 * Returns null for lines that set nothing: empty, or a deletion (Max-Age ≤ 0 or an Expires date
 * in the past), or an unparseable request URL.
 *
 * @param pageSite the top-level page's site, used as the partition for `Partitioned` cookies.
 */
export function parseSetCookie(
  header: string,
  requestUrl: string,
  pageSite: string,
  now: number,
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
        const t = Date.parse(val);
        if (!Number.isNaN(t)) expires = t;
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

  // RFC 6265 §5.3 step 6: a Domain that does not domain-match the request host makes the browser
  // ignore the whole line. It sets nothing, and taking its word for the domain would misfile a
  // tracker's cookie as the page's own.
  if (domainAttr && request.host !== domainAttr && !request.host.endsWith(`.${domainAttr}`)) return null;

  let expiresAt: number | null = null;
  if (maxAge !== null) {
    if (maxAge <= 0) return null;
    expiresAt = now + maxAge * 1000;
  } else if (expires !== null) {
    if (expires <= now) return null;
    expiresAt = expires;
  }

  return {
    name,
    domain: domainAttr ? `.${domainAttr}` : request.host,
    path: path ?? defaultCookiePath(requestUrl),
    partition: partitioned ? pageSite : '',
    expiresAt,
    secure,
    httpOnly,
    sameSite,
    source: 'header',
    observedAt: now,
  };
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
}

/** Normalises a cookie from the cookies API to an observation. */
export function fromApiCookie(cookie: ApiCookie, now: number): CookieObservation {
  const bare = cookie.domain.replace(/^\.+/, '').toLowerCase();
  let partition = '';
  const topLevelSite = cookie.partitionKey?.topLevelSite;
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
