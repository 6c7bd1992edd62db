/**
 * The report: one serialisable object per page visit, the single source for the popup, the
 * history, the exports and the audit CLI. Its JSON shape is docs/report-schema.json
 * (schemaVersion 2); tests validate real reports against it.
 *
 * Pure: built from the tally (lib/tally/types.ts), the third parties by company (lib/parties/summary.ts), the
 * page checks (lib/page/checks.ts) and the authority recognition (lib/verdict/authority.ts).
 */
import { stripBidiDeep } from '../page/bidi';
import { type ConsentObservation, type ConsentStatus, NOT_CHECKED, cmpLabel } from '../page/consent';
import type { AfterDecision, ConsentAnswerReport, ConsentDecision } from './consent-decision';
import type { Classifier } from '../parties/classify';
import {
  type Certainty,
  type DocState,
  type Finding,
  type PageKind,
  type Severity,
  type Verdict,
  type VerdictFacts,
  evaluateFindings,
  verdictOf,
} from './findings';
import { GREY_REASONS } from './grey-reasons';
import { type DocLinkLabel, imprintCoversProfile, unclearImprintLabel } from './imprint-facts';
import { thirdPartyContentFacts } from './third-party-content';
import { OPERATOR_CONFIRMING_SIGNALS, linkPageVendorOf } from './presence-findings';
import { meta as rulesMeta } from '../legal/rules.json';
import { docStateOf } from '../legal/doc-status';
import type { LegalDocCheck, PageChecks } from '../page/checks';
import { platformSpec } from '../page/platforms';
import type { PartySummary } from '../parties/summary';
import { isTrackingCookieName } from '../parties/service-overlay';
import type { Visit } from '../tally/types';

/**
 * 2 since the round that added platform ids, own channels, requests not sent, consent decisions,
 * partitioned cookies and the measuring browser: additive only (no field removed or renamed, enums
 * only widened), so a reader of version 1 keeps working. Version-1 reports stay valid in the history.
 */
export const REPORT_SCHEMA_VERSION = 2;
export type ReportSchemaVersion = 1 | typeof REPORT_SCHEMA_VERSION;
export const RULES_VERSION: string = rulesMeta.version;

/** Categories whose companies track users (advertising, analytics, social, session replay, tag managers). */
export const TRACKING_CATEGORIES: readonly string[] = [
  'advertising',
  'analytics',
  'social',
  'session-replay',
  'tag-manager',
];

export interface AuthorityFacts {
  isAuthority: boolean;
  score: number;
  isSocialBenefitBody: boolean;
  audienceMinors: boolean;
  userOverride: boolean | null;
  signals: { id: string; weight: number; evidence: string; source: string }[];
  /**
   * A Jobcenter's type when recognised (gE → BfDI, zkT → the Land's DPA): from its own or its
   * linked website's imprint. Absent in reports written before it was recorded.
   */
  jobcenterType?: 'gemeinsame-einrichtung' | 'zugelassener-kommunaler-traeger' | null;
}

export interface Report {
  schemaVersion: ReportSchemaVersion;
  /** `browser`: which browser measured the page (schemaVersion 2; absent in older reports). */
  tool: { name: string; version: string; rulesVersion: string; browser?: { name: string; version: string } };
  url: string;
  /** When the page visit started (ISO 8601). */
  visitedAt: string;
  /**
   * How the visit started: a page load, or the page's own app moving to this page inside the same
   * document (lib/page/soft-navigation.ts). schemaVersion 2; absent in older reports.
   */
  navigation?: 'document' | 'history';
  /** When this report was built (ISO 8601). */
  analysedAt: string;
  pageKind: PageKind;
  platform: string | null;
  /** `finalUrl`: set by the audit CLI only — the address the tab showed at the end (docs/audit.md). */
  page: { title: string; profileName: string | null; handle: string | null; finalUrl?: string };
  authority: AuthorityFacts;
  verdict: Verdict;
  /** Why the verdict is grey, when it is. */
  greyReason: string | null;
  findings: {
    id: string;
    severity: Severity;
    certainty: Certainty;
    legal: string[];
    evidence: string;
    text: { de: string; en: string };
    escalatedBy?: string;
  }[];
  requests: {
    total: number;
    firstParty: number;
    thirdParty: number;
    failed: number;
    /** Requests the page made that never reached a server, by reason (schemaVersion 2; the counting rule, docs/ARCHITECTURE.md). Absent in version-1 reports. */
    notSent?: NotSent;
    thirdPartyHosts: {
      host: string;
      requests: number;
      owner: string | null;
      country: string | null;
      serverCountries: string[];
      category: string;
      service: string | null;
      firstSeenAt: string;
    }[];
  };
  /** Third parties by company (lib/parties/summary.ts), most requests first; unknown companies by site. */
  companies: {
    name: string | null;
    site: string;
    country: string | null;
    parent: string | null;
    contractingEntity: { name: string; country: string | null } | null;
    privacyPolicyUrl: string | null;
    serverCountries: string[];
    transferStatus: string;
    categories: string[];
    services: string[];
    requests: number;
    hosts: string[];
  }[];
  /** The summary line: "68 requests to 21 third parties of 9 companies in 3 countries". */
  thirdParties: { requests: number; hosts: number; companies: number; unknownHosts: number; countries: string[] };
  /** Known tools served from the page's own (or an unknown) host, recognised by path: self-hosted Matomo … */
  selfHostedTools: { host: string; serviceId: string; service: string; category: string }[];
  cookies: {
    total: number;
    thirdParty: number;
    /**
     * `lifetimeSeconds` is what the browser stores (capped at 400 days); `requestedLifetimeSeconds`
     * what the site asked for, only when the cap shortened it. `partitioned`: stored under the
     * top-level site's partition (schemaVersion 2; absent in older reports).
     */
    items: {
      name: string;
      domain: string;
      thirdParty: boolean;
      session: boolean;
      lifetimeSeconds: number | null;
      requestedLifetimeSeconds?: number;
      attemptedOnly: boolean;
      beforeInteraction: boolean;
      partitioned?: boolean;
    }[];
  };
  imprint: DocReport;
  privacyNotice: DocReport & { unmentionedServices: string[]; vendorOnlyServices: string[] };
  messengers: { kind: string; url: string }[];
  dmInvitations: string[];
  /**
   * The account's own words that comments are off for data protection (rules.json R-AUTH-08),
   * lib/page/links.ts findCommentsOffClaims. Absent in older reports.
   */
  commentsOffClaims?: string[];
  bioLinks: { url: string; linkInBio: boolean; viaRedirector: boolean }[];
  /**
   * The social profiles, messenger channels and link pages the page links as its own, and whether
   * its privacy notice names each (null: no notice was read), lib/page/channels.ts. For a public
   * body the unnamed ones are also in `privacyNotice.unmentionedServices`. Absent in older reports.
   */
  ownChannels?: { id: string; url: string; namedInNotice: boolean | null }[];
  /** The user's first click or key press on the page (ISO 8601), null if none yet. */
  firstInteractionAt: string | null;
  /**
   * The consent banner (lib/page/consent.ts): which consent-management platform, and whether its banner
   * was seen showing. Absent in reports written before it was detected (still schemaVersion 1).
   */
  consent?: {
    status: ConsentStatus;
    cmp: string | null;
    shownAt: string | null;
    /**
     * Only from the audit CLI with --consent (lib/verdict/consent-decision.ts): the answer it gave
     * the banner in a fresh profile, and what followed. The extension never answers a banner.
     */
    decision?: ConsentDecision | null;
    answer?: ConsentAnswerReport;
    afterDecision?: AfterDecision | null;
  };
  /**
   * Requests and cookies completed from the page's own Resource Timing and the cookie jar because
   * the browser stopped the extension's worker mid-load (lib/tally/resource-timing.ts); null when none.
   */
  reconciled?: { requests: number; cookies: number } | null;
  truncated: boolean;
}

export interface DocReport {
  status: DocState;
  url: string | null;
  elements: Record<string, boolean>;
  evidence: Record<string, string>;
  reason: string | null;
  /**
   * The link followed to the page: its label and how the link finder knew it (lib/page/links.ts
   * LinkSignal; `weak`: only "Kontakt", "Über uns" …). Absent when no link was followed and in
   * reports made before it was added.
   */
  link?: DocLinkLabel;
}

/** rules.json service ids use underscores; reports use the hyphenated form ("google-analytics"). */
export const reportServiceId = (id: string): string => id.replace(/_/g, '-');

function docState(check: LegalDocCheck<unknown> | null | undefined): DocState {
  return docStateOf(check?.status);
}

function docReport(
  check: LegalDocCheck<{ elements: Record<string, { found: boolean; evidence?: string }> }> | null | undefined,
): DocReport {
  const elements: Record<string, boolean> = {};
  const evidence: Record<string, string> = {};
  for (const [id, e] of Object.entries(check?.analysis?.elements ?? {})) {
    elements[id] = e.found;
    if (e.evidence) evidence[id] = e.evidence;
  }
  const link = check?.link;
  return {
    status: docState(check),
    url: link?.url ?? null,
    elements,
    evidence,
    reason: check?.reason ?? null,
    ...(link ? { link: { text: link.text, matchedBy: [...link.matchedBy], weak: link.weak } } : {}),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Same link page: host and path, ignoring scheme, query, fragment and a trailing slash. */
function sameLinkPage(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const x = new URL(u);
      return `${x.hostname}${x.pathname.replace(/\/+$/, '')}`.toLowerCase();
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}

export interface ReportInput {
  visit: Visit;
  parties: PartySummary;
  checks: PageChecks | null;
  authority: AuthorityFacts;
  classifier: Classifier;
  /** epoch ms of the first trusted click/key on the page, or null. */
  firstInteractionAt: number | null;
  /** The consent banner, as far as detected (lib/page/consent.ts); "not checked" when absent. */
  consent?: ConsentObservation;
  now: number;
  toolVersion: string;
  /** The browser measuring (entrypoints/background/platform.ts browserInfo); omitted in tests and old callers. */
  browser?: { name: string; version: string };
  /** Link-in-bio URLs seen tracking before consent on an earlier visit (history, other tabs). */
  knownTrackingLinkPages?: readonly string[];
  /**
   * The profile is on a commercial platform for R-AUTH-01/01B (lib/verdict/authority.ts
   * isCommercialPresence); default: the platform's own flag (lib/page/platforms.ts).
   */
  commercialPlatform?: boolean;
}

export function pageKindOf(checks: Pick<PageChecks, 'hints'> | null): PageKind {
  if (checks?.hints.platform) return 'social-profile';
  if (checks?.hints.linkInBio) return 'link-in-bio';
  return 'website';
}

export interface NotSent {
  total: number;
  cacheProbe: number;
  cache: number;
  blocked: number;
}

function notSentOf(visit: Visit): NotSent {
  const r = visit.requests;
  // `?? 0`: visits restored from a worker of an earlier version lack the two newer counters.
  const cacheProbe = r.cacheProbe ?? 0;
  const cache = r.cache ?? 0;
  return { total: cacheProbe + cache + r.blocked, cacheProbe, cache, blocked: r.blocked };
}

export function buildReport(input: ReportInput): Report {
  const { visit, parties, checks, authority, classifier, firstInteractionAt } = input;
  const pageKind = pageKindOf(checks);
  const platform = checks?.hints.platform ?? null;
  const before = (t: number) => firstInteractionAt === null || t < firstInteractionAt;
  const consent = input.consent ?? NOT_CHECKED;

  const imprint = docReport(checks?.imprint);
  const privacyBase = docReport(checks?.privacy);
  const mentions = checks?.privacy.analysis?.services ?? [];
  const unmentioned = mentions.filter((m) => m.known && m.status === 'not-named').map((m) => reportServiceId(m.id));
  // A link page's own service (heylink.me …) is used by its owner like an observed third party (R-SVC-01).
  const ownService = checks?.ownService;
  if (ownService?.namedInNotice === false && !unmentioned.includes(ownService.id)) unmentioned.push(ownService.id);
  const vendorOnly = mentions.filter((m) => m.known && m.status === 'vendor-only').map((m) => reportServiceId(m.id));
  const platformService = platformSpec(platform)?.serviceId;
  const platformNamed = platformService
    ? mentions.some((m) => m.id === platformService && m.status === 'named')
    : false;
  const ownChannels = (checks?.ownChannels ?? []).map((c) => ({
    id: c.id,
    url: c.url,
    namedInNotice: c.namedInNotice,
  }));
  // A public body's own channels its notice does not name are services the notice should name
  // (Art. 13(1)(e) GDPR). Only listed here: the finding is R-AUTH-07's, not a second R-SVC-01.
  const unmentionedChannels = authority.isAuthority
    ? ownChannels
        .filter((c) => c.namedInNotice === false)
        .map((c) => c.id)
        .filter((id, i, a) => a.indexOf(id) === i && !unmentioned.includes(id))
    : [];
  const coversPlatform = Boolean(checks?.privacy.analysis?.extras['social-media-notice'].found) || platformNamed;

  // The page's own company (Meta on instagram.com, Google on google.com) serves its own CDNs from
  // other registrable domains; that is not handing the visitor to someone else.
  const pageHost = (() => {
    try {
      return new URL(visit.url).hostname;
    } catch {
      return '';
    }
  })();
  const ownOrganisation = pageHost ? classifier.classifyHost(pageHost).organisationId : null;
  const foreignGroups = parties.groups.filter((g) => !ownOrganisation || g.organisationId !== ownOrganisation);

  // Third parties: per host, with its company and countries.
  const hostRows = parties.groups.flatMap((g) =>
    g.hosts.map((h) => ({ ...h, owner: g.organisation, country: g.ownerCountry })),
  );
  const hostTally = new Map(visit.hosts.map((h) => [h.host, h]));
  const trackingCompanies = foreignGroups
    .filter((g) => g.categories.some((c) => TRACKING_CATEGORIES.includes(c)))
    .map((g) => g.organisation ?? g.site);
  const trackersBefore = foreignGroups
    .filter((g) => g.categories.some((c) => TRACKING_CATEGORIES.includes(c)))
    .filter((g) => g.hosts.some((h) => before(hostTally.get(h.host)?.firstSeenAt ?? visit.startedAt)))
    .map((g) => g.organisation ?? g.site);

  const cookieItems = visit.cookies.map((c) => {
    const tracking =
      isTrackingCookieName(c.name) ||
      (c.thirdParty &&
        (() => {
          const owner = classifier.classifyHost(c.domain.replace(/^\./, ''));
          return (
            TRACKING_CATEGORIES.includes(owner.category) &&
            (!ownOrganisation || owner.organisationId !== ownOrganisation)
          );
        })());
    return {
      item: {
        name: c.name,
        domain: c.domain,
        thirdParty: c.thirdParty,
        session: c.expiresAt === null,
        lifetimeSeconds: c.lifetimeSeconds,
        ...(c.requestedExpiresAt === undefined
          ? {}
          : { requestedLifetimeSeconds: Math.max(0, Math.round((c.requestedExpiresAt - c.observedAt) / 1000)) }),
        attemptedOnly: !c.seenBy.includes('script'),
        beforeInteraction: before(c.observedAt),
        partitioned: c.partition !== '',
      },
      countsBeforeConsent: tracking && before(c.observedAt),
    };
  });

  const facts: VerdictFacts = {
    pageKind,
    platform,
    commercialPlatform: input.commercialPlatform ?? Boolean(platformSpec(platform)?.commercial),
    https: visit.url.startsWith('https:'),
    authority,
    imprint: {
      status: imprint.status,
      url: imprint.url,
      missingElements: Object.entries(imprint.elements)
        .filter(([, found]) => !found)
        .map(([id]) => id),
      poBoxOnly: Boolean(checks?.imprint.analysis?.poBoxOnly),
      contactForm: Boolean(checks?.imprint.analysis?.contactForm),
      legalForm: checks?.imprint.analysis?.legalForm ?? null,
      outdatedRefs: checks?.imprint.analysis?.outdatedRefs ?? [],
      labelUnclear: imprint.status === 'found' ? unclearImprintLabel(checks?.imprint.link) : null,
      coversProfile: imprintCoversProfile({
        isProfile: pageKind === 'social-profile',
        imprintRead: imprint.status === 'found' && Boolean(checks?.imprint.analysis),
        statement: Boolean(checks?.imprint.analysis?.extras['covers-profiles'].found),
        imprintUrl: imprint.url,
        pageUrl: visit.url,
        isAuthority: authority.isAuthority,
      }),
    },
    privacy: {
      status: privacyBase.status,
      url: privacyBase.url,
      missingElements: Object.entries(privacyBase.elements)
        .filter(([, found]) => !found)
        .map(([id]) => id),
      unmentionedServices: unmentioned,
      vendorOnlyServices: vendorOnly,
      coversPlatform,
      jointControl: Boolean(checks?.privacy.analysis?.extras['joint-control'].found),
      bases: checks?.privacy.analysis
        ? {
            consent: checks.privacy.analysis.legalBases.consent,
            legitimateInterest: checks.privacy.analysis.legalBases.legitimateInterest,
            publicTask: checks.privacy.analysis.legalBases.publicTask,
          }
        : null,
    },
    thirdParties: {
      hosts: parties.thirdParties,
      requests: parties.requests,
      thirdCountry: foreignGroups
        .filter((g) => g.transferStatus === 'third-country')
        .map(
          (g) =>
            `${g.organisation ?? g.site} (${[g.ownerCountry, ...g.serverCountries]
              .filter(Boolean)
              .filter((c, i, a) => a.indexOf(c) === i)
              .join('/')})`,
        ),
      trackingCompanies,
    },
    consent: { status: consent.status, cmp: consent.cmp === null ? null : cmpLabel(consent.cmp) },
    beforeInteraction: {
      cookies: [...new Set(cookieItems.filter((c) => c.countsBeforeConsent).map((c) => c.item.name))],
      trackers: trackersBefore,
    },
    ...thirdPartyContentFacts(foreignGroups, hostTally, visit.startedAt, firstInteractionAt),
    messengers: (checks?.messengers ?? []).map((m) => `${m.kind}: ${m.url}`),
    dmInvitations: checks?.dmInvitations ?? [],
    commentsOffClaims: checks?.commentsOffClaims ?? [],
    ownChannels,
    linkInBioKnownTracking: (checks?.bioLinks ?? [])
      .filter((b) => b.linkInBio && (input.knownTrackingLinkPages ?? []).some((u) => sameLinkPage(u, b.url)))
      .map((b) => b.url),
    linkInBioTargets:
      pageKind === 'link-in-bio' ? [pageHost] : (checks?.bioLinks ?? []).filter((b) => b.linkInBio).map((b) => b.url),
    linkPageVendor: pageKind === 'link-in-bio' && pageHost ? linkPageVendorOf(pageHost) : null,
    operator:
      pageKind === 'social-profile'
        ? {
            score: authority.score,
            confirmed:
              authority.userOverride !== null ||
              authority.signals.some((s) => OPERATOR_CONFIRMING_SIGNALS.includes(s.id)),
          }
        : null,
  };

  // Without the content script's report (a browser page, a blocked script, a page still loading)
  // we cannot judge imprint and privacy notice: grey, and say why. On a platform whose page shows
  // no account we can read (login wall, error page, unknown markup) nothing about the account can
  // be judged either: grey, never a red built on the platform's own footer.
  const profileUnreadable = checks !== null && pageKind === 'social-profile' && !checks.hints.profileReadable;
  const analysed = checks !== null && !profileUnreadable;
  const findings: Finding[] = analysed ? evaluateFindings(facts) : [];
  const verdict = verdictOf(findings, facts, analysed);
  const greyReason =
    verdict !== 'grey'
      ? null
      : profileUnreadable
        ? GREY_REASONS.profileUnreadable
        : !analysed
          ? GREY_REASONS.notRead
          : GREY_REASONS.docsUnreadable;

  // Page-supplied strings reach the popup, the history and every export from here: no bidi controls (lib/page/bidi.ts).
  return stripBidiDeep<Report>({
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: {
      name: 'Datenschutz-Ampel',
      version: input.toolVersion,
      rulesVersion: RULES_VERSION,
      ...(input.browser ? { browser: input.browser } : {}),
    },
    url: visit.url,
    visitedAt: iso(visit.startedAt),
    navigation: visit.navigation ?? 'document',
    analysedAt: iso(input.now),
    pageKind,
    platform,
    page: {
      title: checks?.hints.title ?? '',
      profileName: checks?.hints.profileName ?? null,
      handle: checks?.hints.handle ?? null,
    },
    authority,
    verdict,
    greyReason,
    findings: findings.map((f) => ({ ...f })),
    requests: {
      total: visit.requests.total,
      firstParty: visit.requests.firstParty,
      thirdParty: visit.requests.thirdParty,
      failed: visit.requests.failed,
      notSent: notSentOf(visit),
      thirdPartyHosts: hostRows.map((h) => ({
        host: h.host,
        requests: h.requests,
        owner: h.owner,
        country: h.country,
        serverCountries: h.serverCountries,
        category: h.category,
        service: h.service,
        firstSeenAt: iso(hostTally.get(h.host)?.firstSeenAt ?? visit.startedAt),
      })),
    },
    companies: parties.groups.map((g) => ({
      name: g.organisation,
      site: g.site,
      country: g.ownerCountry,
      parent: g.parent,
      contractingEntity: g.contractingEntity,
      privacyPolicyUrl: g.privacyPolicyUrl,
      serverCountries: g.serverCountries,
      transferStatus: g.transferStatus,
      categories: g.categories,
      services: g.services,
      requests: g.requests,
      hosts: g.hosts.map((h) => h.host),
    })),
    thirdParties: {
      requests: parties.requests,
      hosts: parties.thirdParties,
      companies: parties.companies,
      unknownHosts: parties.unknownHosts,
      countries: parties.countries,
    },
    selfHostedTools: parties.selfHosted.map((t) => ({
      host: t.host,
      serviceId: reportServiceId(t.serviceId),
      service: t.service,
      category: t.category,
    })),
    cookies: {
      total: visit.cookies.length,
      thirdParty: visit.cookies.filter((c) => c.thirdParty).length,
      items: cookieItems.map((c) => c.item),
    },
    imprint,
    privacyNotice: {
      ...privacyBase,
      unmentionedServices: [...unmentioned, ...unmentionedChannels],
      vendorOnlyServices: vendorOnly,
    },
    messengers: (checks?.messengers ?? []).map((m) => ({ kind: m.kind, url: m.url })),
    dmInvitations: checks?.dmInvitations ?? [],
    commentsOffClaims: checks?.commentsOffClaims ?? [],
    bioLinks: (checks?.bioLinks ?? []).map((b) => ({
      url: b.url,
      linkInBio: b.linkInBio,
      viaRedirector: b.viaRedirector,
    })),
    ownChannels,
    firstInteractionAt: firstInteractionAt === null ? null : iso(firstInteractionAt),
    consent: {
      status: consent.status,
      cmp: consent.cmp === null ? null : cmpLabel(consent.cmp),
      shownAt: consent.shownAt === null ? null : iso(consent.shownAt),
    },
    reconciled: visit.reconciled ? { requests: visit.reconciled.requests, cookies: visit.reconciled.cookies } : null,
    truncated: visit.truncated || Boolean(checks?.truncated),
  });
}
