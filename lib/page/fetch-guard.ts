/**
 * The local-network guard on the legal-page fetches (docs/security.md, "The fetches"). A web page
 * chooses which URLs it links as imprint and privacy notice; it must not be able to make the
 * extension request, read and store pages of the user's own network (router admin pages,
 * intranet, cloud metadata at 169.254.169.254). Two rules, one per axis, applied to the first
 * request, to every redirect hop, and to every answer:
 *
 * - by name: a local-network host (loopback/private/link-local IP literal, `localhost`,
 *   single-label names, names under `.local`, `.internal`, `.home.arpa` or any other suffix that
 *   is not a public ICANN one) is requested only when the page's own host is one too;
 * - by address: an answer from a special-purpose address (loopback, private, link-local …,
 *   lib/parties/ip-country.ts) is read only when the page's own main frame came from one too.
 *   Public names can resolve to private addresses (DNS rebinding, split-horizon DNS), which the
 *   name rule cannot see; an extension's fetch() cannot resolve first, so the request happens and
 *   its answer is neither read nor stored.
 *
 * Trailing dots are stripped before any decision: `localhost.`, `intranet.`, `router.local.` are
 * the same hosts as without the dot (RFC 1034 §3.1, absolute names), and `new URL()` keeps the dot.
 * Pure; the background (entrypoints/background/legal-docs.ts) applies it.
 */
import { parse } from 'tldts';
import { isSpecialIp, parseIp } from '../parties/ip-country';
import { normaliseHost } from '../site';
import type { Visit } from '../tally/types';

/** At most this many redirects are followed for one legal page (then: unreachable). */
export const MAX_REDIRECTS = 5;

/** A host name or IP literal only the local network can resolve or reach. */
export function isLocalNetworkHost(hostname: string): boolean {
  const host = normaliseHost(hostname);
  if (!host) return true;
  const ip = parseIp(host);
  if (ip) return isSpecialIp(ip);
  if (!host.includes('.') || host === 'localhost' || host.endsWith('.localhost')) return true;
  // RFC 8375's residential domain sits under the public "arpa".
  if (host === 'home.arpa' || host.endsWith('.home.arpa')) return true;
  // .local (mDNS), .internal (ICANN 2024), .lan, .home, .corp, .test … are in no public suffix list.
  return !parse(host).isIcann;
}

/** What the page that linked a legal page may make the extension reach. */
export interface FetchScope {
  /** The page's own host is a local-network name or address: local names may be requested. */
  localNames: boolean;
  /** The page's main frame came from a special-purpose address: answers from such addresses may be read. */
  localAddresses: boolean;
}

/**
 * The scope of a page, from its URL and the server IP its main frame came from (webRequest
 * `details.ip`; null when unknown, e.g. after a worker restart: then the page's name decides).
 */
export function fetchScopeOf(pageUrl: string, pageIp: string | null): FetchScope {
  let localNames = false;
  try {
    localNames = isLocalNetworkHost(new URL(pageUrl).hostname);
  } catch {
    // not a URL: the strictest scope
  }
  const known = pageIp ? parseIp(pageIp) !== null : false;
  return { localNames, localAddresses: known ? isLocalNetworkAddress(pageIp) : localNames };
}

/** Docs fetched under different scopes are kept apart (a lax scope's answer must not serve a strict one). */
export const scopeKey = (scope: FetchScope): string =>
  `${scope.localNames ? 'N' : 'n'}${scope.localAddresses ? 'A' : 'a'}`;

/** Whether the extension may request this URL (the first one or a redirect target) for a page of this scope. */
export function mayRequest(url: string, scope: FetchScope): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return false;
  if (target.username || target.password) return false;
  return scope.localNames || !isLocalNetworkHost(target.hostname);
}

/** A server address only the local network has (loopback, private, link-local …); false for null or unparsable input. */
export function isLocalNetworkAddress(serverIp: string | null | undefined): boolean {
  const ip = serverIp ? parseIp(serverIp) : null;
  return ip !== null && isSpecialIp(ip);
}

/** Whether the extension may read an answer that came from `serverIp` (null: not known) for a page of this scope. */
export function mayReadAnswerFrom(serverIp: string | null | undefined, scope: FetchScope): boolean {
  return scope.localAddresses || !isLocalNetworkAddress(serverIp);
}

/**
 * The next URL of a redirect (`location` resolved against the URL that answered), without its
 * fragment; null when it is not an http(s) URL.
 */
export function redirectTarget(location: string, from: string): string | null {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return null;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return null;
  target.hash = '';
  return target.href;
}

/** The server IP the page's own host answered from during this visit (webRequest `details.ip`), or null. */
export function pageIpOf(visit: Pick<Visit, 'hosts' | 'hostIndex'> | null, pageUrl: string): string | null {
  if (!visit) return null;
  let host: string;
  try {
    host = normaliseHost(new URL(pageUrl).hostname);
  } catch {
    return null;
  }
  const i = visit.hostIndex[host];
  return (i === undefined ? undefined : visit.hosts[i]?.ips[0]) ?? null;
}
