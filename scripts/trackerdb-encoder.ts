/**
 * Pure encoder: @ghostery/trackerdb's `dist/trackerdb.json` -> the compact `TrackerData` of
 * lib/parties/trackers.ts. Deterministic (sorted keys, no timestamps) so the same package version always
 * gives the same bytes. The output is a derived work of CC BY-NC-SA 4.0 data and keeps that licence.
 */
import { TRACKER_DATA_FORMAT, type OrganisationRow, type PatternRow, type TrackerData } from '../lib/parties/trackers';

interface RawOrganisation {
  name?: unknown;
  country?: unknown;
  website_url?: unknown;
  privacy_policy_url?: unknown;
  privacy_contact?: unknown;
}
interface RawPattern {
  name?: unknown;
  category?: unknown;
  organization?: unknown;
  domains?: unknown;
}
interface RawTrackerDb {
  categories?: Record<string, unknown>;
  organizations?: Record<string, RawOrganisation>;
  patterns?: Record<string, RawPattern>;
  filters?: Record<string, unknown>;
}

const str = (x: unknown): string => (typeof x === 'string' ? x.trim() : '');

// A path-only filter we can apply as a plain substring of the URL path: "/matomo.js",
// "/piwik.php", "/utag.loader." (no "||" host anchor, no wildcards, separators or options).
const PLAIN_PATH_FILTER = /^\/[A-Za-z0-9_./-]{3,}$/;

export function encodeTrackerDb(raw: RawTrackerDb, source: string): TrackerData {
  const categories = Object.keys(raw.categories ?? {}).sort();
  const categoryIndex = new Map(categories.map((c, i) => [c, i]));

  const patternIds = Object.keys(raw.patterns ?? {})
    .filter((id) => categoryIndex.has(str(raw.patterns![id]!.category)))
    .sort();
  const patternIndex = new Map(patternIds.map((id, i) => [id, i]));
  // Only organisations some pattern points to: the rest would be dead weight in the extension.
  const orgIds = [
    ...new Set(patternIds.map((id) => str(raw.patterns![id]!.organization)).filter((id) => raw.organizations?.[id])),
  ].sort();
  const orgIndex = new Map(orgIds.map((id, i) => [id, i]));
  const organisations: OrganisationRow[] = orgIds.map((id) => {
    const o = raw.organizations![id]!;
    const country = str(o.country).toUpperCase();
    return [
      id,
      str(o.name) || id,
      /^[A-Z]{2}$/.test(country) ? country : '',
      str(o.website_url),
      str(o.privacy_policy_url),
      str(o.privacy_contact),
    ];
  });

  const patterns: PatternRow[] = patternIds.map((id) => {
    const p = raw.patterns![id]!;
    return [id, str(p.name) || id, categoryIndex.get(str(p.category))!, orgIndex.get(str(p.organization)) ?? -1];
  });

  const domains = new Map<string, number>();
  for (const id of patternIds) {
    const list = raw.patterns![id]!.domains;
    if (!Array.isArray(list)) continue;
    for (const d of list) {
      const domain = str(d).toLowerCase().replace(/\.$/, '');
      // "disabled.invalid" marks retired patterns in trackerdb; a later pattern never silently
      // steals a domain from an earlier one (ids are sorted, so the result is deterministic).
      if (!domain || domain.endsWith('.invalid') || domains.has(domain)) continue;
      domains.set(domain, patternIndex.get(id)!);
    }
  }
  const sortedDomains: Record<string, number> = {};
  for (const k of [...domains.keys()].sort()) sortedDomains[k] = domains.get(k)!;

  const paths: [string, number][] = [];
  for (const [filter, patternId] of Object.entries(raw.filters ?? {})) {
    const index = patternIndex.get(str(patternId));
    if (index === undefined || !PLAIN_PATH_FILTER.test(filter)) continue;
    paths.push([filter, index]);
  }
  paths.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  return {
    format: TRACKER_DATA_FORMAT,
    source,
    licence: 'CC-BY-NC-SA-4.0',
    categories,
    organisations,
    patterns,
    domains: sortedDomains,
    paths,
  };
}
