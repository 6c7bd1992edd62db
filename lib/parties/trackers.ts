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
 * Checks the shape of the compact data and wraps it for lookups. Rows are turned into objects
 * only when a lookup reaches them (and then cached): the worker loads this on every wake-up, and
 * materialising all 3,500 patterns and 5,000 domains up front cost more than the JSON parse
 * (`npm run bench`, worker load). Throws an Error naming the defect when the asset is not what
 * this build expects; a single bad row only makes that row unknown.
 */
export function loadTrackerIndex(data: unknown): TrackerIndex {
  const d = data as Partial<TrackerData> | null;
  if (!d || typeof d !== 'object' || d.format !== TRACKER_DATA_FORMAT)
    throw new Error(`tracker data: expected format ${TRACKER_DATA_FORMAT}`);
  const { categories, organisations, patterns, domains, paths } = d;
  if (!Array.isArray(categories) || !Array.isArray(organisations) || !Array.isArray(patterns) || !Array.isArray(paths))
    throw new Error('tracker data: missing tables');
  if (!domains || typeof domains !== 'object' || Array.isArray(domains))
    throw new Error('tracker data: missing domains');

  const orgCache = new Map<number, TrackerOrganisation | null>();
  function organisationAt(i: number): TrackerOrganisation | null {
    let org = orgCache.get(i);
    if (org !== undefined) return org;
    const row: unknown = organisations![i];
    org = null;
    if (isStringTuple(row, 6)) {
      const [id, name, country, websiteUrl, privacyPolicyUrl, privacyContact] = row as OrganisationRow;
      org = {
        id,
        name,
        country: COUNTRY_RE.test(country) ? country : null,
        websiteUrl: websiteUrl || null,
        privacyPolicyUrl: privacyPolicyUrl || null,
        privacyContact: privacyContact || null,
      };
    }
    orgCache.set(i, org);
    return org;
  }

  const patternCache = new Map<number, TrackerPattern | null>();
  function patternAt(i: unknown): TrackerPattern | null {
    if (typeof i !== 'number') return null;
    let p = patternCache.get(i);
    if (p !== undefined) return p;
    const row: unknown = patterns![i];
    p = null;
    if (
      Array.isArray(row) &&
      row.length === 4 &&
      typeof row[0] === 'string' &&
      typeof row[1] === 'string' &&
      typeof categories![row[2]] === 'string' &&
      Number.isInteger(row[3])
    ) {
      p = {
        id: row[0],
        name: row[1],
        category: categories![row[2]] as string,
        organisation: row[3] >= 0 ? organisationAt(row[3]) : null,
      };
    }
    patternCache.set(i, p);
    return p;
  }

  // Built on first use only: lookups by id are rare (service descriptions, overlay companies).
  let orgIndexById: Map<string, number> | null = null;
  let patternIndexById: Map<string, number> | null = null;
  const indexById = (rows: unknown[]) => {
    const m = new Map<string, number>();
    rows.forEach((row, i) => {
      if (Array.isArray(row) && typeof row[0] === 'string') m.set(row[0], i);
    });
    return m;
  };

  const domainTable = domains as Record<string, unknown>;
  const pathPatterns: unknown[] = [];
  const alternatives: string[] = [];
  for (const entry of paths) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !entry[0].startsWith('/')) continue;
    pathPatterns.push(entry[1]);
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
    patternCount: patterns.length,
    matchHost(host) {
      // Suffix walk: "a.b.example.com", "b.example.com", "example.com", "com". Longest wins
      // because we stop at the first hit. Object.hasOwn: a host named "constructor" or
      // "__proto__" must not reach Object.prototype.
      let h = host;
      for (;;) {
        if (Object.hasOwn(domainTable, h)) {
          const p = patternAt(domainTable[h]);
          if (p) return p;
        }
        const dot = h.indexOf('.');
        if (dot < 0) return null;
        h = h.slice(dot + 1);
      }
    },
    matchPath(pathname) {
      if (!pathRe) return null;
      const m = pathRe.exec(pathname);
      if (!m) return null;
      for (let i = 1; i < m.length; i++) if (m[i] !== undefined) return patternAt(pathPatterns[i - 1]);
      return null;
    },
    organisation(id) {
      orgIndexById ??= indexById(organisations);
      const i = orgIndexById.get(id);
      return i === undefined ? null : organisationAt(i);
    },
    pattern(id) {
      patternIndexById ??= indexById(patterns);
      const i = patternIndexById.get(id);
      return i === undefined ? null : patternAt(i);
    },
  };
}
