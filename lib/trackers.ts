/**
 * Who is behind a host, according to Ghostery's tracker database (@ghostery/trackerdb).
 *
 * The build (scripts/trackerdb-encoder.ts) turns the package's `dist/trackerdb.json` into the
 * compact `TrackerData` below (public/data/trackerdb.json). The derived asset stays under the
 * data's licence, CC BY-NC-SA 4.0 (Ghostery GmbH), see THIRD_PARTY_NOTICES.md.
 *
 * Pure module: the background fetches the asset and hands the parsed JSON to `loadTrackerIndex`.
 */

export const TRACKER_DATA_FORMAT = 1;

export const TRACKERDB_ATTRIBUTION =
  'Tracker data: Ghostery Tracker Database (@ghostery/trackerdb) by Ghostery GmbH, licensed CC BY-NC-SA 4.0, https://github.com/ghostery/trackerdb';

/** `[id, name, country ('' unknown), websiteUrl, privacyPolicyUrl, privacyContact]` ('' = none). */
export type OrganisationRow = [string, string, string, string, string, string];
/** `[id, name, category index, organisation index or -1]`. */
export type PatternRow = [string, string, number, number];

export interface TrackerData {
  format: typeof TRACKER_DATA_FORMAT;
  /** e.g. "@ghostery/trackerdb@1.0.945" */
  source: string;
  licence: string;
  /** trackerdb category ids (advertising, site_analytics, …). */
  categories: string[];
  organisations: OrganisationRow[];
  patterns: PatternRow[];
  /** Registered domain or host (no scheme) -> pattern index. Matched by host suffix. */
  domains: Record<string, number>;
  /**
   * Path-only filters of the database (`/matomo.js`, `/piwik.php`, …) -> pattern index. They
   * recognise self-hosted tools on any host.
   */
  paths: [string, number][];
}

export interface TrackerOrganisation {
  id: string;
  name: string;
  country: string | null;
  websiteUrl: string | null;
  privacyPolicyUrl: string | null;
  privacyContact: string | null;
}

export interface TrackerPattern {
  id: string;
  name: string;
  /** trackerdb category id */
  category: string;
  organisation: TrackerOrganisation | null;
}

export interface TrackerIndex {
  source: string;
  patternCount: number;
  /** Longest matching domain suffix of `host`, or null. */
  matchHost(host: string): TrackerPattern | null;
  /** The pattern whose path filter occurs in `pathname`, or null. */
  matchPath(pathname: string): TrackerPattern | null;
  organisation(id: string): TrackerOrganisation | null;
  pattern(id: string): TrackerPattern | null;
}

const COUNTRY_RE = /^[A-Z]{2}$/;

function isStringTuple(row: unknown, length: number): boolean {
  return Array.isArray(row) && row.length === length && row.every((x) => typeof x === 'string');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Validates and indexes the compact data. Throws an Error naming the defect when the asset is
 * not what this build expects (the caller reports it; classification then says "unknown").
 */
export function loadTrackerIndex(data: unknown): TrackerIndex {
  const d = data as Partial<TrackerData> | null;
  if (!d || typeof d !== 'object' || d.format !== TRACKER_DATA_FORMAT)
    throw new Error(`tracker data: expected format ${TRACKER_DATA_FORMAT}`);
  const { categories, organisations, patterns, domains, paths } = d;
  if (!Array.isArray(categories) || !Array.isArray(organisations) || !Array.isArray(patterns) || !Array.isArray(paths))
    throw new Error('tracker data: missing tables');
  if (!domains || typeof domains !== 'object') throw new Error('tracker data: missing domains');

  const orgs: TrackerOrganisation[] = organisations.map((row, i) => {
    if (!isStringTuple(row, 6)) throw new Error(`tracker data: bad organisation row ${i}`);
    const [id, name, country, websiteUrl, privacyPolicyUrl, privacyContact] = row;
    return {
      id,
      name,
      country: COUNTRY_RE.test(country) ? country : null,
      websiteUrl: websiteUrl || null,
      privacyPolicyUrl: privacyPolicyUrl || null,
      privacyContact: privacyContact || null,
    };
  });
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const pats: TrackerPattern[] = patterns.map((row, i) => {
    const ok =
      Array.isArray(row) &&
      row.length === 4 &&
      typeof row[0] === 'string' &&
      typeof row[1] === 'string' &&
      Number.isInteger(row[2]) &&
      Number.isInteger(row[3]);
    if (!ok) throw new Error(`tracker data: bad pattern row ${i}`);
    const category = categories[row[2]];
    if (typeof category !== 'string') throw new Error(`tracker data: pattern ${i} has no category`);
    return { id: row[0], name: row[1], category, organisation: row[3] >= 0 ? (orgs[row[3]] ?? null) : null };
  });

  const patternById = new Map(pats.map((p) => [p.id, p]));
  const domainMap = new Map<string, TrackerPattern>();
  for (const [domain, index] of Object.entries(domains)) {
    const p = typeof index === 'number' ? pats[index] : undefined;
    if (p) domainMap.set(domain, p);
  }

  const pathPatterns: TrackerPattern[] = [];
  const alternatives: string[] = [];
  for (const entry of paths) {
    const p = Array.isArray(entry) && typeof entry[0] === 'string' && entry[0].startsWith('/') ? pats[entry[1]] : undefined;
    if (!p) continue;
    pathPatterns.push(p);
    // "/matomo.js" names a file: it must end the path (not "/matomo.json"); "/utag.loader." and
    // "/metriweb/mwtag" are prefixes, as in the adblock filter syntax they come from.
    const last = entry[0].slice(entry[0].lastIndexOf('/') + 1);
    const isFile = /\.[A-Za-z0-9]+$/.test(last);
    alternatives.push(`(${escapeRegExp(entry[0])}${isFile ? '$' : ''})`);
  }
  // One alternation of literals: V8 scans it once per path instead of ~100 indexOf calls.
  const pathRe = alternatives.length ? new RegExp(alternatives.join('|')) : null;

  return {
    source: typeof d.source === 'string' ? d.source : 'unknown',
    patternCount: pats.length,
    matchHost(host) {
      // Suffix walk: "a.b.example.com", "b.example.com", "example.com", "com". Longest wins
      // because we stop at the first hit.
      let h = host;
      for (;;) {
        const p = domainMap.get(h);
        if (p) return p;
        const dot = h.indexOf('.');
        if (dot < 0) return null;
        h = h.slice(dot + 1);
      }
    },
    matchPath(pathname) {
      if (!pathRe) return null;
      const m = pathRe.exec(pathname);
      if (!m) return null;
      for (let i = 1; i < m.length; i++) if (m[i] !== undefined) return pathPatterns[i - 1] ?? null;
      return null;
    },
    organisation(id) {
      return orgById.get(id) ?? null;
    },
    pattern(id) {
      return patternById.get(id) ?? null;
    },
  };
}
