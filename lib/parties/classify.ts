/**
 * Who receives a request: service, company, parent, category, the company's country, the
 * country the answering server's network is registered in, and what that means for a transfer
 * under Chapter V GDPR.
 *
 * Sources, in order of precedence: our overlay (lib/parties/service-overlay.ts) — except a row
 * without a company, which yields to a trackerdb pattern that names one —, Ghostery's trackerdb
 * (lib/parties/trackers.ts, with lib/parties/ownership-corrections.ts applied at build time), then
 * nothing: an unknown host stays unknown, we never guess a company from a hostname. The server
 * country comes from the IP table (lib/parties/ip-country.ts) and is the *registered* country of the
 * network, which for anycast CDNs is the operator's home, not where the machine stands: it is shown
 * as indicative only.
 *
 * Per-host results are cached (pages request the same hosts again and again), so a request costs
 * a host extraction, a map lookup and, for first-party or unknown hosts, one path regex.
 */
import { type TransferStatus, transferStatusOf, worseTransfer } from './adequacy';
import { type IpCountryTable, lookupCountry } from './ip-country';
import {
  type Category,
  type OverlayIndex,
  TRACKERDB_CATEGORY,
  buildOverlayIndex,
  overlayOrganisation,
  parentOfOrganisation,
} from './service-overlay';
import { parseHttpUrl, siteOfHost } from '../site';
import type { TrackerIndex, TrackerPattern } from './trackers';

export type { Category } from './service-overlay';
export type { TransferStatus } from './adequacy';

/** What we know about a host, independent of the page that contacted it. */
export interface HostInfo {
  host: string;
  site: string;
  serviceId: string | null;
  service: string | null;
  /** Stable company id (trackerdb organisation id or "overlay:…"), for grouping. */
  organisationId: string | null;
  organisation: string | null;
  parent: string | null;
  category: Category;
  /** ISO 3166-1 alpha-2 of the company's seat (trackerdb or overlay), null when unknown. */
  ownerCountry: string | null;
  /** The EU entity users contract with, where known (e.g. Meta Platforms Ireland Ltd., IE). */
  contractingEntity: { name: string; country: string | null } | null;
  privacyPolicyUrl: string | null;
  source: 'overlay' | 'trackerdb' | null;
}

export interface RequestInput {
  url: string;
  pageUrl: string;
  /** webRequest resource type; informational. */
  type?: string;
  /** The answering server's IP (webRequest `details.ip`), when known. */
  ip?: string | null;
}

export interface RequestClassification extends HostInfo {
  thirdParty: boolean;
  /** Registered country of the server's network (indicative); null for private or unknown IPs. */
  serverCountry: string | null;
  /** A known tool recognised by its path on a host that is not its vendor's (self-hosted Matomo …). */
  selfHosted: boolean;
  transferStatus: TransferStatus;
}

export interface Classifier {
  classifyHost(host: string): HostInfo;
  classifyRequest(input: RequestInput): RequestClassification;
  /** Network country of an IP; null for private, special or malformed addresses. */
  serverCountry(ip: string | null | undefined): string | null;
  /** What a path on `host` reveals (self-hosted analytics …), or null. */
  classifyPath(host: string, pathname: string): HostInfo | null;
  /** Name and category of a service id (overlay or trackerdb), or null. */
  describeService(serviceId: string): { service: string; category: Category } | null;
}

export interface ClassifierData {
  trackers: TrackerIndex | null;
  ipTable: IpCountryTable | null;
  overlay?: OverlayIndex;
}

const HOST_CACHE_LIMIT = 20_000;

// Hosts made of these characters need no URL parser: lower-case ASCII letters, digits, '-', '.'.
const PLAIN_HOST_RE = /^[a-z0-9.-]+$/;

/**
 * Host and path of an http(s) URL without `new URL()` for the common case (about 4x faster).
 * Anything unusual (upper case, IDN, userinfo, IPv6, backslashes, percent-encoding) goes through
 * the WHATWG parser in lib/site.ts, so results always equal the standard's.
 */
export function hostAndPath(url: string): { host: string; pathname: string } | null {
  let start: number;
  if (url.startsWith('https://')) start = 8;
  else if (url.startsWith('http://')) start = 7;
  else return slowHostAndPath(url);
  let end = start;
  let port = -1;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    if (c === 58 /* : */) port = end;
    end++;
  }
  const host = url.slice(start, port >= 0 ? port : end);
  if (!host || !PLAIN_HOST_RE.test(host) || host.endsWith('.') || (port >= 0 && !validPort(url.slice(port + 1, end))))
    return slowHostAndPath(url);
  let pathEnd = end;
  while (pathEnd < url.length) {
    const c = url.charCodeAt(pathEnd);
    if (c === 63 || c === 35) break;
    pathEnd++;
  }
  const pathname = end < url.length && url.charCodeAt(end) === 47 ? url.slice(end, pathEnd) : '/';
  if (pathname.includes('\\') || pathname.includes('%') || pathname.includes('/.')) return slowHostAndPath(url);
  return { host, pathname };
}

function validPort(digits: string): boolean {
  return /^\d{0,5}$/.test(digits) && Number(digits) <= 65535;
}

function slowHostAndPath(url: string): { host: string; pathname: string } | null {
  const parsed = parseHttpUrl(url);
  return parsed ? { host: parsed.host, pathname: parsed.pathname } : null;
}

function unknownHost(host: string, site: string): HostInfo {
  return {
    host,
    site,
    serviceId: null,
    service: null,
    organisationId: null,
    organisation: null,
    parent: null,
    category: 'unknown',
    ownerCountry: null,
    contractingEntity: null,
    privacyPolicyUrl: null,
    source: null,
  };
}

export function createClassifier(data: ClassifierData): Classifier {
  const overlay = data.overlay ?? buildOverlayIndex();
  const { trackers, ipTable } = data;
  const hostCache = new Map<string, HostInfo>();
  // A host answers from a handful of addresses: parsing each IP once (not per request) halves the
  // cost of a request (npm run bench, classify section).
  const ipCache = new Map<string, string | null>();
  // Several tabs load at once, so a one-slot "last page" cache misses often.
  const pageSiteCache = new Map<string, string>();
  const transferMemo = new Map<string | null, TransferStatus>();
  const transferOf = (cc: string | null): TransferStatus => {
    let t = transferMemo.get(cc);
    if (t === undefined) {
      t = transferStatusOf(cc);
      if (transferMemo.size < 512) transferMemo.set(cc, t);
    }
    return t;
  };

  function organisationFields(
    orgId: string | null,
  ): Pick<HostInfo, 'organisationId' | 'organisation' | 'ownerCountry' | 'privacyPolicyUrl'> {
    if (!orgId) return { organisationId: null, organisation: null, ownerCountry: null, privacyPolicyUrl: null };
    const own = overlayOrganisation(orgId);
    if (own)
      return {
        organisationId: own.id,
        organisation: own.name,
        ownerCountry: own.country,
        privacyPolicyUrl: own.trackerdbId ? (trackers?.organisation(own.trackerdbId)?.privacyPolicyUrl ?? null) : null,
      };
    const tdb = trackers?.organisation(orgId) ?? null;
    if (!tdb) return { organisationId: null, organisation: null, ownerCountry: null, privacyPolicyUrl: null };
    return {
      organisationId: tdb.id,
      organisation: tdb.name,
      ownerCountry: tdb.country,
      privacyPolicyUrl: tdb.privacyPolicyUrl,
    };
  }

  function fromPattern(host: string, site: string, p: TrackerPattern): HostInfo {
    const orgId = p.organisation?.id ?? null;
    return {
      ...unknownHost(host, site),
      serviceId: p.id,
      service: p.name,
      ...organisationFields(orgId),
      parent: orgId ? parentOfOrganisation(orgId) : null,
      category: TRACKERDB_CATEGORY[p.category] ?? 'misc',
      source: 'trackerdb',
    };
  }

  function lookupHost(host: string): HostInfo {
    const site = siteOfHost(host);
    const own = overlay.matchHost(host);
    const tdb = trackers?.matchHost(host) ?? null;
    // A fallback overlay row ("other Google endpoints") yields to a specific trackerdb pattern, and
    // so does a company-less one ("public JS CDNs": ajax.googleapis.com is Google's, code.jquery.com
    // the JS Foundation's): an overlay row never hides a company trackerdb knows.
    const yieldsToTrackerdb =
      own !== null && tdb !== null && (own.fallback || (own.organisationId === null && tdb.organisation !== null));
    if (own && !yieldsToTrackerdb) {
      const org = organisationFields(own.organisationId);
      return {
        host,
        site,
        serviceId: own.id,
        service: own.name,
        ...org,
        parent: own.parent ?? (own.organisationId ? parentOfOrganisation(own.organisationId) : null),
        category: own.category,
        contractingEntity: own.contractingEntity,
        source: 'overlay',
      };
    }
    if (tdb) return fromPattern(host, site, tdb);
    return unknownHost(host, site);
  }

  function classifyHost(rawHost: string): HostInfo {
    return classifyLowerHost(rawHost.toLowerCase());
  }

  function classifyLowerHost(host: string): HostInfo {
    let info = hostCache.get(host);
    if (!info) {
      if (hostCache.size >= HOST_CACHE_LIMIT) hostCache.clear();
      info = lookupHost(host);
      hostCache.set(host, info);
    }
    return info;
  }

  function serverCountry(ip: string | null | undefined): string | null {
    if (!ip || !ipTable) return null;
    let cc = ipCache.get(ip);
    if (cc === undefined) {
      const r = lookupCountry(ipTable, ip);
      cc = r.kind === 'public' ? r.country : null;
      if (ipCache.size >= HOST_CACHE_LIMIT) ipCache.clear();
      ipCache.set(ip, cc);
    }
    return cc;
  }

  function classifyPath(host: string, pathname: string): HostInfo | null {
    const p = trackers?.matchPath(pathname);
    if (!p) return null;
    // Recognised by its file name on someone else's host: the tool is known, its operator is
    // whoever runs `host` (the site itself, an agency …), not the tool's vendor.
    return {
      ...unknownHost(host, siteOfHost(host)),
      serviceId: p.id,
      service: p.name,
      category: TRACKERDB_CATEGORY[p.category] ?? 'misc',
      source: 'trackerdb',
    };
  }

  function pageSiteOf(pageUrl: string): string {
    let site = pageSiteCache.get(pageUrl);
    if (site === undefined) {
      const hp = hostAndPath(pageUrl);
      site = hp ? siteOfHost(hp.host) : '';
      if (pageSiteCache.size >= 256) pageSiteCache.clear();
      pageSiteCache.set(pageUrl, site);
    }
    return site;
  }

  function classifyRequest(input: RequestInput): RequestClassification {
    const hp = hostAndPath(input.url);
    const pageSite = pageSiteOf(input.pageUrl);
    const serverCc = serverCountry(input.ip);
    if (!hp) {
      return {
        ...unknownHost('', ''),
        thirdParty: false,
        serverCountry: serverCc,
        selfHosted: false,
        transferStatus: transferOf(serverCc),
      };
    }
    // hostAndPath returns lower-case hosts (the fast path only accepts them, the WHATWG parser lower-cases).
    let info = classifyLowerHost(hp.host);
    const thirdParty = pageSite === '' || info.site !== pageSite;
    let selfHosted = false;
    // Path rules only where the host says nothing itself: the page's own host or an unknown one.
    if (!thirdParty || info.source === null) {
      const byPath = classifyPath(hp.host, hp.pathname);
      if (byPath) {
        info = byPath;
        selfHosted = true;
      }
    }
    return {
      ...info,
      thirdParty,
      serverCountry: serverCc,
      selfHosted,
      transferStatus: worseTransfer(transferOf(info.ownerCountry), transferOf(serverCc)),
    };
  }

  function describeService(serviceId: string): { service: string; category: Category } | null {
    const own = overlay.service(serviceId);
    if (own) return { service: own.name, category: own.category };
    const p = trackers?.pattern(serviceId);
    return p ? { service: p.name, category: TRACKERDB_CATEGORY[p.category] ?? 'misc' } : null;
  }

  return { classifyHost, classifyRequest, serverCountry, classifyPath, describeService };
}
