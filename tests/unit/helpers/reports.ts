/**
 * Hand-built, realistic minimal reports for the history tests (and fixtures). Every report made
 * here passes docs/report-schema.json (tests/report-schema.ts); history/store.test.ts checks that,
 * so the history is never tested against shapes the real builder cannot produce.
 *
 * Also the frozen v1 history database (createV1Database): the schema as the first release wrote
 * it, copied by hand on purpose. It must NOT reuse lib/history/migrations.ts's upgrade code, or a
 * change to that code would silently change what "a v1 database" means in the migration test.
 */
import type { Finding, PageKind, Verdict } from '@/lib/verdict/findings';
import type { Report } from '@/lib/verdict/report';

export const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
export const DAY = 86_400_000;

export interface ReportSpec {
  url?: string;
  /** epoch ms or ISO string */
  visitedAt?: number | string;
  /** ms after visitedAt; later analyses of the same visit get a larger value. */
  analysedAfterMs?: number;
  verdict?: Verdict;
  pageKind?: PageKind;
  platform?: Report['platform'];
  title?: string;
  isAuthority?: boolean;
  /** Third-party hosts with their request counts. */
  thirdParties?: Record<string, number>;
  cookies?: { name: string; domain: string; thirdParty?: boolean }[];
  findings?: string[];
}

const FINDING_SEVERITY: Record<string, Finding['severity']> = {
  'third-country-transfer': 'red',
  'tracking-before-consent': 'red',
  'imprint-missing': 'yellow',
  'privacy-missing': 'red',
  'cookies-before-consent': 'yellow',
  'authority-on-platform': 'red',
};

const OWNERS: Record<
  string,
  { owner: string | null; country: string | null; category: string; service: string | null }
> = {
  'www.google-analytics.com': {
    owner: 'Google LLC',
    country: 'US',
    category: 'analytics',
    service: 'google-analytics',
  },
  'www.googletagmanager.com': {
    owner: 'Google LLC',
    country: 'US',
    category: 'tag-manager',
    service: 'google-tag-manager',
  },
  'connect.facebook.net': {
    owner: 'Meta Platforms, Inc.',
    country: 'US',
    category: 'advertising',
    service: 'facebook-pixel',
  },
  'fonts.googleapis.com': { owner: 'Google LLC', country: 'US', category: 'cdn', service: 'google-fonts' },
  'cdn.jsdelivr.net': { owner: null, country: null, category: 'cdn', service: null },
};

const iso = (t: number | string): string => (typeof t === 'number' ? new Date(t).toISOString() : t);

/** A report for one page visit; every field realistic, nothing more than the spec asks for. */
export function makeReport(spec: ReportSpec = {}): Report {
  const url = spec.url ?? 'https://www.example.de/';
  const visitedAtMs = typeof spec.visitedAt === 'string' ? Date.parse(spec.visitedAt) : (spec.visitedAt ?? T0);
  const visitedAt = iso(spec.visitedAt ?? T0);
  const thirdParties = Object.entries(spec.thirdParties ?? {});
  const thirdPartyRequests = thirdParties.reduce((sum, [, n]) => sum + n, 0);
  const cookies = spec.cookies ?? [];
  const hostRows = thirdParties.map(([host, requests]) => {
    const o = OWNERS[host];
    return {
      host,
      requests,
      owner: o?.owner ?? null,
      country: o?.country ?? null,
      serverCountries: o?.country ? [o.country] : [],
      category: o?.category ?? 'unknown',
      service: o?.service ?? null,
      firstSeenAt: new Date(visitedAtMs + 200).toISOString(),
    };
  });
  const bySite = new Map<string, typeof hostRows>();
  for (const row of hostRows) {
    const site = row.host.split('.').slice(-2).join('.');
    bySite.set(site, [...(bySite.get(site) ?? []), row]);
  }
  return {
    schemaVersion: 2,
    tool: { name: 'Datenschutz-Ampel', version: '0.1.0', rulesVersion: '2026-11-01' },
    url,
    visitedAt,
    analysedAt: new Date(visitedAtMs + (spec.analysedAfterMs ?? 5000)).toISOString(),
    pageKind: spec.pageKind ?? 'website',
    platform: spec.platform ?? null,
    page: { title: spec.title ?? 'Startseite – Beispiel GmbH', profileName: null, handle: null },
    authority: spec.isAuthority
      ? {
          isAuthority: true,
          score: 7,
          isSocialBenefitBody: false,
          audienceMinors: false,
          userOverride: null,
          signals: [{ id: 'tld-gov', weight: 4, evidence: 'bund.de', source: 'host' }],
        }
      : {
          isAuthority: false,
          score: 0,
          isSocialBenefitBody: false,
          audienceMinors: false,
          userOverride: null,
          signals: [],
        },
    verdict: spec.verdict ?? (thirdParties.length ? 'yellow' : 'green'),
    greyReason: spec.verdict === 'grey' ? 'the imprint or privacy notice could not be read' : null,
    findings: (spec.findings ?? []).map((id) => ({
      id,
      severity: FINDING_SEVERITY[id] ?? 'yellow',
      certainty: 'observed' as const,
      legal: ['Art. 6 DSGVO'],
      evidence: `${id} on ${url}`,
      text: { de: `Befund ${id}`, en: `Finding ${id}` },
    })),
    requests: {
      total: 20 + thirdPartyRequests,
      firstParty: 20,
      thirdParty: thirdPartyRequests,
      failed: 0,
      thirdPartyHosts: hostRows,
    },
    companies: [...bySite].map(([site, rows]) => ({
      name: rows[0]?.owner ?? null,
      site,
      country: rows[0]?.country ?? null,
      parent: null,
      contractingEntity:
        rows[0]?.country === 'US' ? { name: `${rows[0].owner ?? site} (Ireland) Ltd.`, country: 'IE' } : null,
      privacyPolicyUrl: rows[0]?.owner ? `https://${site}/privacy` : null,
      serverCountries: [...new Set(rows.flatMap((r) => r.serverCountries))],
      transferStatus: rows[0]?.country === 'US' ? 'third-country' : 'unknown',
      categories: [...new Set(rows.map((r) => r.category))],
      services: [...new Set(rows.flatMap((r) => (r.service ? [r.service] : [])))],
      requests: rows.reduce((sum, r) => sum + r.requests, 0),
      hosts: rows.map((r) => r.host),
    })),
    thirdParties: {
      requests: thirdPartyRequests,
      hosts: hostRows.length,
      companies: bySite.size,
      unknownHosts: hostRows.filter((r) => r.owner === null).length,
      countries: [...new Set(hostRows.flatMap((r) => (r.country ? [r.country] : [])))].sort(),
    },
    selfHostedTools: [],
    cookies: {
      total: cookies.length,
      thirdParty: cookies.filter((c) => c.thirdParty).length,
      items: cookies.map((c) => ({
        name: c.name,
        domain: c.domain,
        thirdParty: c.thirdParty ?? false,
        session: false,
        lifetimeSeconds: 63_072_000,
        attemptedOnly: false,
        beforeInteraction: true,
      })),
    },
    imprint: {
      status: 'found',
      url: new URL('/impressum', url).href,
      elements: { name: true, address: true },
      evidence: {},
      reason: null,
    },
    privacyNotice: {
      status: 'found',
      url: new URL('/datenschutz', url).href,
      elements: { controller: true, purposes: true },
      evidence: {},
      reason: null,
      unmentionedServices: [],
      vendorOnlyServices: [],
    },
    messengers: [],
    dmInvitations: [],
    bioLinks: [],
    firstInteractionAt: null,
    truncated: false,
  };
}

/** The v1 database name and schema, frozen as the first release created them. */
export const V1_DB_NAME = 'datenschutz-ampel-history';

/**
 * Creates a version-1 history database holding `records` verbatim (records missing `site` stay
 * missing, as an early v1 writer left them) and closes it again.
 */
export function createV1Database(factory: IDBFactory, records: readonly unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.open(V1_DB_NAME, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      const visits = db.createObjectStore('visits', { keyPath: 'id' });
      visits.createIndex('site', 'site');
      visits.createIndex('visitedAt', 'visitedAt');
      for (const record of records) visits.put(record);
    };
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('v1 fixture database blocked'));
  });
}

/** Opens the history database at version 1 and keeps it open, ignoring `versionchange` (a stale tab). */
export function openStubbornV1Connection(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(V1_DB_NAME, 1);
    request.onupgradeneeded = () => {
      const visits = request.result.createObjectStore('visits', { keyPath: 'id' });
      visits.createIndex('site', 'site');
      visits.createIndex('visitedAt', 'visitedAt');
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        /* deliberately ignored: this connection does not give way */
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error);
  });
}

/**
 * Creates a version-2 history database, frozen as release 2 created it (copied by hand, like
 * createV1Database): `visits` with the indexes site, visitedAt and site_visitedAt, and `meta`
 * (settings under the key 'settings'). `records` are stored verbatim; closed again afterwards.
 */
export function createV2Database(factory: IDBFactory, records: readonly unknown[], settings?: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.open(V1_DB_NAME, 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      const visits = db.createObjectStore('visits', { keyPath: 'id' });
      visits.createIndex('site', 'site');
      visits.createIndex('visitedAt', 'visitedAt');
      visits.createIndex('site_visitedAt', ['site', 'visitedAt']);
      const meta = db.createObjectStore('meta');
      for (const record of records) visits.put(record);
      if (settings !== undefined) meta.put(settings, 'settings');
    };
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('v2 fixture database blocked'));
  });
}

/** A small seeded PRNG (mulberry32) for the property tests: the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
