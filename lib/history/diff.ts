/**
 * What changed between two visits of a site (the history page's "since last time" view) and the
 * third-party request series for its chart.
 *
 * Pure and total: works on reports as stored (read back from IndexedDB or an import), so a
 * missing array is treated as empty instead of throwing. Lists are sorted for stable output.
 */
import type { Report } from '../verdict/report';

export interface VisitDiff {
  newThirdParties: string[];
  goneThirdParties: string[];
  /** `name@domain` */
  newCookies: string[];
  goneCookies: string[];
  /** finding ids */
  newFindings: string[];
  resolvedFindings: string[];
  verdictChanged: { from: Report['verdict']; to: Report['verdict'] } | null;
}

const list = <T>(value: T[] | null | undefined): T[] => (Array.isArray(value) ? value : []);

const thirdPartyHosts = (r: Report): Set<string> =>
  new Set(
    list(r?.requests?.thirdPartyHosts)
      .map((h) => String(h?.host ?? '').toLowerCase())
      .filter(Boolean),
  );

/**
 * Cookies are identified by name and domain: the same name set by another domain is another
 * cookie. The domain keeps its leading dot (".example.com" is a domain cookie, "example.com" a
 * host-only one) but not its case.
 */
const cookieKeys = (r: Report): Set<string> =>
  new Set(
    list(r?.cookies?.items)
      .filter((c) => typeof c?.name === 'string')
      .map((c) => `${c.name}@${String(c.domain ?? '').toLowerCase()}`),
  );

const findingIds = (r: Report): Set<string> =>
  new Set(
    list(r?.findings)
      .map((f) => f?.id)
      .filter((id): id is string => typeof id === 'string'),
  );

const minus = (a: Set<string>, b: Set<string>): string[] => [...a].filter((x) => !b.has(x)).sort();

export function diffVisits(older: Report, newer: Report): VisitDiff {
  const [hostsOld, hostsNew] = [thirdPartyHosts(older), thirdPartyHosts(newer)];
  const [cookiesOld, cookiesNew] = [cookieKeys(older), cookieKeys(newer)];
  const [findingsOld, findingsNew] = [findingIds(older), findingIds(newer)];
  const from = older?.verdict;
  const to = newer?.verdict;
  return {
    newThirdParties: minus(hostsNew, hostsOld),
    goneThirdParties: minus(hostsOld, hostsNew),
    newCookies: minus(cookiesNew, cookiesOld),
    goneCookies: minus(cookiesOld, cookiesNew),
    newFindings: minus(findingsNew, findingsOld),
    resolvedFindings: minus(findingsOld, findingsNew),
    verdictChanged: from && to && from !== to ? { from, to } : null,
  };
}

export interface SeriesPoint {
  /** visitedAt (ISO 8601) */
  at: string;
  thirdPartyRequests: number;
}

/**
 * Third-party requests per visit, oldest first (the chart's x axis is time, whatever order the
 * caller passes). Reports without a readable visit time are left out rather than plotted at 1970.
 */
export function requestSeries(reports: readonly Report[]): SeriesPoint[] {
  const points: { t: number; point: SeriesPoint }[] = [];
  for (const r of Array.isArray(reports) ? reports : []) {
    const t = typeof r?.visitedAt === 'string' ? Date.parse(r.visitedAt) : NaN;
    if (!Number.isFinite(t)) continue;
    const n = r.requests?.thirdParty;
    points.push({
      t,
      point: { at: r.visitedAt, thirdPartyRequests: typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0 },
    });
  }
  // Array.prototype.sort is stable: visits at the same time keep the caller's order.
  return points.sort((a, b) => a.t - b.t).map((p) => p.point);
}
