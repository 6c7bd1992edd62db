/**
 * Pure encoder: @ghostery/trackerdb's `dist/trackerdb.json` -> the compact `TrackerData` of
 * lib/parties/trackers.ts. Deterministic (sorted keys, no timestamps) so the same package version always
 * gives the same bytes. The output is a derived work of CC BY-NC-SA 4.0 data and keeps that licence.
 *
 * Two owner rules are applied here, at build time (docs/ARCHITECTURE.md, "Who is behind a request"):
 *  - the ownership corrections of lib/parties/ownership-corrections.ts (acquisitions since the snapshot);
 *  - a bare registrable domain trackerdb does not list itself (klaviyo.com, wp.com, osano.com: only
 *    subdomains are listed) inherits the company when every entry under it names the same one.
 */
import { getDomain } from 'tldts';
import { OWNERSHIP_CORRECTIONS, type OwnershipCorrection } from '../lib/parties/ownership-corrections';
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

/** trackerdb with the ownership corrections applied (a copy; the input is not changed). */
function withCorrections(raw: RawTrackerDb, corrections: readonly OwnershipCorrection[]): RawTrackerDb {
  if (!corrections.length) return raw;
  const organizations = { ...(raw.organizations ?? {}) };
  const patterns = { ...(raw.patterns ?? {}) };
  for (const c of corrections) {
    const p = patterns[c.pattern];
    if (!p) continue;
    if (!organizations[c.organisation.id]) {
      organizations[c.organisation.id] = {
        name: c.organisation.name,
        country: c.organisation.country ?? '',
        website_url: c.organisation.websiteUrl ?? '',
        privacy_policy_url: c.organisation.privacyPolicyUrl ?? '',
      };
    }
    patterns[c.pattern] = { ...p, organization: c.organisation.id, ...(c.service ? { name: c.service } : {}) };
  }
  return { ...raw, organizations, patterns };
}

/** Registrable domain (private suffixes honoured, as lib/site.ts does), or null for a bare suffix or an IP. */
const registrable = (domain: string): string | null => getDomain(domain, { allowPrivateDomains: true });

export function encodeTrackerDb(
  raw: RawTrackerDb,
  source: string,
  corrections: readonly OwnershipCorrection[] = OWNERSHIP_CORRECTIONS,
): TrackerData {
  raw = withCorrections(raw, corrections);
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
  inheritBareDomains(domains, patterns, organisations, categories);
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

/**
 * Adds each registrable domain trackerdb lists only subdomains of (a.klaviyo.com, static.klaviyo.com
 * but not klaviyo.com) when all its entries name one organisation: the bare domain and its other
 * subdomains (s0.wp.com) then get that company too. Its pattern is the entries' pattern when they
 * share one, else a pattern named after the company (category shared by all entries, else misc).
 * A company-less entry under the domain, or two companies, leave it unknown: never a guess.
 */
function inheritBareDomains(
  domains: Map<string, number>,
  patterns: PatternRow[],
  organisations: OrganisationRow[],
  categories: string[],
): void {
  const under = new Map<string, number[]>();
  for (const [domain, index] of domains) {
    const site = registrable(domain);
    if (!site || site === domain || domains.has(site)) continue;
    let list = under.get(site);
    if (!list) {
      list = [];
      under.set(site, list);
    }
    list.push(index);
  }
  const misc = categories.indexOf('misc');
  for (const site of [...under.keys()].sort()) {
    const indices = under.get(site)!;
    const orgs = new Set(indices.map((i) => patterns[i]![3]));
    const [org] = orgs;
    if (orgs.size !== 1 || org === undefined || org < 0) continue;
    const patternSet = new Set(indices);
    if (patternSet.size === 1) {
      domains.set(site, indices[0]!);
      continue;
    }
    const cats = new Set(indices.map((i) => patterns[i]![2]));
    const category = cats.size === 1 ? [...cats][0]! : misc;
    if (category < 0) continue;
    const id = `${organisations[org]![0]}@${site}`;
    patterns.push([id, organisations[org]![1], category, org]);
    domains.set(site, patterns.length - 1);
  }
}
