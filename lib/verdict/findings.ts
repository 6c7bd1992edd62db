/**
 * The findings table: every indicator the extension can raise, as data. Each row has a stable id,
 * the page kinds it applies to, a severity per context, exactly one certainty, the legal hooks it
 * rests on (taken from lib/legal/rules.json `verdict.rules` by the rule ids in `source`, so the
 * citations have one home), a short text in German and English, and `when`: a predicate over
 * `VerdictFacts` that returns the evidence when the row fires.
 *
 * docs/findings.md lists the same rows for humans; tests/unit/verdict/findings-doc.test.ts keeps the two
 * in step. Every rules.json rule is the `source` of a row or listed, with the reason, in
 * lib/verdict/rule-coverage.ts (tests/unit/verdict/rule-coverage.test.ts). We flag indicators; we
 * do not give legal advice.
 */
import { verdict as rulesVerdict } from '../legal/rules.json';
import { CONSENT_DECISION_RULES, type ConsentDecisionFacts } from './consent-findings';
import { ALL, fire, list } from './evidence-text';
import { LEGAL_PAGE_RULES } from './legal-page-findings';
import { type EmbedFact, type LoadedHost, THIRD_PARTY_CONTENT_RULES } from './third-party-content';
import { LEGAL_TEXT_RULES } from './legal-text-findings';
import { type LinkPageVendor, type OperatorFacts, PRESENCE_RULES } from './presence-findings';
import { USER_REPORTED_RULES, type UserObservationId } from './user-reported';
import type { Report } from './report';

export type Severity = 'red' | 'yellow' | 'info';
export type Certainty = 'observed' | 'heuristic' | 'contested' | 'user-reported';
export type PageKind = 'website' | 'social-profile' | 'link-in-bio';
import type { DocState } from '../legal/doc-status';

export type { DocState };

/** Everything the rules look at, already reduced to plain values (built by lib/verdict/report.ts). */
export interface VerdictFacts {
  pageKind: PageKind;
  platform: string | null;
  /**
   * The profile is on a commercial platform for R-AUTH-01/01B: every platform of
   * lib/page/platforms.ts except a Mastodon instance run by a public body (rules.json
   * mastodon_instances, or the body's own domain or verified website).
   */
  commercialPlatform: boolean;
  https: boolean;
  authority: { isAuthority: boolean; isSocialBenefitBody: boolean; audienceMinors: boolean };
  imprint: {
    status: DocState;
    url: string | null;
    missingElements: string[];
    poBoxOnly: boolean;
    /** A contact form is mentioned (a second fast channel, CJEU C-298/07). */
    contactForm: boolean;
    /** The first legal form named (GmbH, e.V. …), null when none. */
    legalForm: string | null;
    /** Repealed statutes cited (§ 5 TMG, § 55 RStV, TTDSG). */
    outdatedRefs: string[];
    /** The imprint link's label when it does not name the imprint (R-IMP-02; lib/verdict/imprint-facts.ts), else null. */
    labelUnclear: string | null;
    /** On a profile: whether the imprint read covers it (R-IMP-12; lib/verdict/imprint-facts.ts); null elsewhere or unread. */
    coversProfile: boolean | null;
  };
  privacy: {
    status: DocState;
    url: string | null;
    missingElements: string[];
    /** Observed services the notice does not name at all (report ids, e.g. "google-analytics"). */
    unmentionedServices: string[];
    /** Observed services of which only the vendor is named ("Google"). */
    vendorOnlyServices: string[];
    /** The notice addresses this social platform (names it or has a social-media section). */
    coversPlatform: boolean;
    /** The notice informs on joint controllership (Art. 26 GDPR; rules.json privacy_notice joint_control). */
    jointControl: boolean;
    /** The legal bases the notice cites (lib/legal/privacy-notice.ts legalBases); null when not read. */
    bases: { consent: boolean; legitimateInterest: boolean; publicTask: boolean } | null;
  };
  thirdParties: {
    hosts: number;
    requests: number;
    /** Companies outside the EEA without an adequacy decision: "Linktree (AU)". */
    thirdCountry: string[];
    /** Companies answering for advertising, analytics, social or session replay. */
    trackingCompanies: string[];
  };
  /**
   * The consent banner as detected by @duckduckgo/autoconsent (lib/page/consent.ts): 'none-found' means
   * none of the library's ~800 rules for known consent-management platforms; a home-made banner is possible.
   */
  consent: { status: 'banner-shown' | 'cmp-present' | 'none-found' | 'not-checked'; cmp: string | null };
  /** Third-party cookies or tracker requests observed before the user first interacted with the page. */
  beforeInteraction: { cookies: string[]; trackers: string[] };
  /** Google's font hosts the page loaded from before the first interaction (lib/verdict/third-party-content.ts). */
  googleFonts: LoadedHost[];
  /** Third-party players, maps and social posts loaded before the first interaction, per service. */
  embeds: EmbedFact[];
  messengers: string[];
  dmInvitations: string[];
  /** The account's own words that comments are off for data protection (lib/page/links.ts findCommentsOffClaims). */
  commentsOffClaims: string[];
  /**
   * The channels the page links as its own and whether its notice names them (null: no notice
   * read), lib/page/channels.ts; authority-channels-not-in-notice (R-AUTH-07) reads it.
   */
  ownChannels: { id: string; url: string; namedInNotice: boolean | null }[];
  /** Bio links to link-in-bio services (profiles), or the page itself is one (then its host). */
  linkInBioTargets: string[];
  /**
   * Those link-in-bio targets that were seen tracking before consent when the user visited them
   * (from the history); empty when unknown.
   */
  linkInBioKnownTracking: string[];
  /** On a link-in-bio page: the service's vendor and where it sits (lib/verdict/presence-findings.ts). */
  linkPageVendor: LinkPageVendor | null;
  /** On a social profile: the authority score and whether anything confirms the operator (R-AUTH-09). */
  operator: OperatorFacts | null;
  /** Only in the audit CLI with --consent (lib/verdict/consent-decision.ts); the extension never answers a banner. */
  consentDecision?: ConsentDecisionFacts;
  /** Only in the complaint: what the user ticked in the export panel (lib/verdict/user-reported.ts). */
  userReported?: readonly UserObservationId[];
}

export interface Fired {
  /** What was observed, as data (URLs, names, counts), language-neutral; null when there is nothing to quote. */
  evidence: string | null;
}

/**
 * A finding's evidence in the report when the row had nothing to quote: the report keeps the
 * '–' of schema version 1 (docs/report-schema.json); inside the code it is null.
 */
export const NO_EVIDENCE = '–';

export interface FindingRule {
  id: string;
  /** rules.json `verdict.rules` ids this row implements; their hooks become `legal`. */
  source: readonly string[];
  kinds: readonly PageKind[];
  severity: { default: Severity; authority?: Severity; socialBenefit?: Severity };
  certainty: Certainty;
  /** 'transparency' rows are escalated for an authority addressing minors (rules.json ESC-MINORS). */
  tags: readonly string[];
  /** Extra hooks not in rules.json (e.g. for rows that rules.json has no id for). */
  extraLegal?: readonly string[];
  /** A rules.json escalation specific to this row: raises the severity when `when` holds. */
  escalation?: { id: string; to: Severity; when: (f: VerdictFacts) => boolean };
  text: { de: string; en: string };
  trigger: string;
  when: (f: VerdictFacts) => Fired | null;
}

export const FINDING_RULES: readonly FindingRule[] = [
  ...LEGAL_PAGE_RULES,
  {
    id: 'third-country-recipient',
    source: ['R-TRK-05'],
    kinds: ALL,
    // Yellow even for authorities: safeguards (SCCs) may exist and cannot be seen from outside.
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['transfer'],
    text: {
      de: 'Daten gehen an Unternehmen in Drittländern ohne Angemessenheitsbeschluss.',
      en: 'Data goes to companies in third countries without an adequacy decision.',
    },
    trigger:
      'A third party is based in (or answers from a network registered in) a country outside the EEA without an adequacy decision. Safeguards (SCCs) cannot be seen from outside.',
    when: (f) => (f.thirdParties.thirdCountry.length ? fire(list(f.thirdParties.thirdCountry)) : null),
  },
  {
    id: 'cookies-before-consent',
    source: ['R-TRK-01'],
    kinds: ALL,
    severity: { default: 'red' },
    certainty: 'observed',
    tags: ['consent'],
    text: {
      de: 'Tracker und Cookies von Dritten vor jeder Einwilligung.',
      en: 'Third-party trackers and cookies before any consent.',
    },
    trigger:
      'Third-party cookies, or requests to advertising/analytics/social/session-replay companies, before the user first clicked or typed on the page.',
    when: (f) => {
      const { cookies, trackers } = f.beforeInteraction;
      if (!cookies.length && !trackers.length) return null;
      const seen = [...cookies, ...trackers.filter((t) => !cookies.includes(t))].slice(0, 8).join(', ');
      // A banner seen showing makes it plain: the page asked for consent and did not wait for it.
      return fire(f.consent.status === 'banner-shown' && f.consent.cmp ? `${seen} (banner: ${f.consent.cmp})` : seen);
    },
  },
  {
    id: 'tracking-without-consent-banner',
    source: ['R-TRK-01'],
    kinds: ALL,
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['consent'],
    text: {
      de: 'Tracking-Dienste, aber kein bekanntes Einwilligungs-Banner erkannt.',
      en: 'Tracking services, but no known consent banner detected.',
    },
    trigger:
      'Advertising/analytics/social/session-replay companies were contacted, consent detection (@duckduckgo/autoconsent rules) finished without finding any consent-management platform, and cookies-before-consent did not fire. A home-made banner cannot be excluded.',
    when: (f) =>
      f.consent.status === 'none-found' &&
      f.thirdParties.trackingCompanies.length > 0 &&
      !f.beforeInteraction.cookies.length &&
      !f.beforeInteraction.trackers.length
        ? fire(list(f.thirdParties.trackingCompanies))
        : null,
  },
  // imprint-no-second-channel, imprint-no-supervisory-authority, imprint-no-register,
  // imprint-outdated-references, authority-legitimate-interests, privacy-no-withdrawal
  // (lib/verdict/legal-text-findings.ts).
  ...LEGAL_TEXT_RULES,
  // tracking-after-reject, reject-not-on-first-layer (lib/verdict/consent-findings.ts).
  ...CONSENT_DECISION_RULES,
  // google-fonts-remote, embeds-without-click (lib/verdict/third-party-content.ts).
  ...THIRD_PARTY_CONTENT_RULES,
  {
    id: 'authority-on-platform',
    source: ['R-AUTH-01', 'R-AUTH-01B'],
    kinds: ['social-profile'],
    severity: { default: 'yellow' },
    certainty: 'contested',
    tags: ['contested'],
    text: {
      de: 'Behörde auf einer Plattform, die Nutzerdaten für eigene Zwecke auswertet (nach DSK/BfDI nicht datenschutzkonform betreibbar; VG Köln 2025 nicht rechtskräftig anders).',
      en: 'Public body on a platform that profiles its users (German DPAs: cannot be run lawfully; VG Cologne 2025, not final, disagrees).',
    },
    trigger:
      'The page is a profile on a commercial platform (Instagram, Facebook, TikTok, X, YouTube, LinkedIn, Threads, Bluesky, WhatsApp, Telegram, a Mastodon instance not run by a public body) and the account is recognised (or marked by the user) as a public authority.',
    when: (f) => (f.authority.isAuthority && f.platform && f.commercialPlatform ? fire(f.platform) : null),
  },
  {
    id: 'authority-messenger',
    source: ['R-AUTH-05'],
    kinds: ALL,
    severity: { default: 'yellow', socialBenefit: 'red' },
    certainty: 'observed',
    tags: ['security'],
    text: {
      de: 'Behörde bietet Kontakt über WhatsApp oder andere Messenger an.',
      en: 'Public body offers contact via WhatsApp or other messengers.',
    },
    trigger: 'An authority page links a messenger contact (wa.me, api.whatsapp.com, t.me, …).',
    when: (f) => (f.authority.isAuthority && f.messengers.length ? fire(list(f.messengers)) : null),
  },
  {
    id: 'authority-dm-invitation',
    source: ['R-AUTH-04'],
    kinds: ['social-profile'],
    severity: { default: 'yellow', socialBenefit: 'red' },
    certainty: 'heuristic',
    tags: ['security'],
    text: {
      de: 'Behörde lädt zu Direktnachrichten ein, ohne auf sichere Kanäle zu verweisen.',
      en: 'Public body invites direct messages without pointing to secure channels.',
    },
    trigger: 'An authority profile invites people to send direct messages (DM, PN, Direktnachricht).',
    when: (f) => (f.authority.isAuthority && f.dmInvitations.length ? fire(`„${f.dmInvitations[0]}“`) : null),
  },
  // authority-channels-not-in-notice, privacy-no-joint-control, comments-off-dms-open,
  // link-page-vendor-third-country (lib/verdict/presence-findings.ts).
  ...PRESENCE_RULES,
  // authority-staff-whatsapp, comments-off-dms-open-reported (lib/verdict/user-reported.ts): complaint only.
  ...USER_REPORTED_RULES,
  {
    id: 'link-in-bio-tracking',
    source: ['R-AUTH-03', 'R-LIB-01'],
    kinds: ['social-profile', 'link-in-bio'],
    severity: { default: 'yellow' },
    certainty: 'observed',
    tags: ['minimisation'],
    escalation: {
      // rules.json ESC-LIB-TRACKING: an authority sends its visitors to a page that tracks before consent.
      id: 'ESC-LIB-TRACKING',
      to: 'red',
      when: (f) =>
        f.authority.isAuthority &&
        (f.pageKind === 'link-in-bio'
          ? f.beforeInteraction.trackers.length > 0 || f.beforeInteraction.cookies.length > 0
          : f.linkInBioKnownTracking.length > 0),
    },
    text: {
      de: 'Link-in-Bio-Dienst statt eigener Seite: Besucher werden an einen weiteren Tracking-Anbieter weitergereicht.',
      en: 'A link-in-bio service instead of an own site: visitors are handed to another tracking provider.',
    },
    trigger:
      "An authority profile's bio links to a link-in-bio service (red when that page was seen tracking before consent), or the page is a link-in-bio page that loads advertising/analytics third parties.",
    when: (f) => {
      if (f.pageKind === 'link-in-bio')
        return f.thirdParties.trackingCompanies.length ? fire(list(f.thirdParties.trackingCompanies)) : null;
      return f.authority.isAuthority && f.linkInBioTargets.length ? fire(list(f.linkInBioTargets)) : null;
    },
  },
  {
    id: 'insecure-http',
    source: ['R-SEC-01'],
    kinds: ALL,
    severity: { default: 'red' },
    certainty: 'observed',
    tags: ['security'],
    text: {
      de: 'Die Seite wird unverschlüsselt (HTTP) übertragen.',
      en: 'The page is transmitted unencrypted (HTTP).',
    },
    trigger: 'The top-level page was loaded over http://.',
    when: (f) => (f.https ? null : fire('http://')),
  },
  {
    id: 'many-third-parties',
    source: ['R-TRK-06'],
    kinds: ALL,
    severity: { default: 'info' },
    certainty: 'observed',
    tags: ['minimisation'],
    text: { de: 'Sehr viele Drittanbieter.', en: 'Very many third parties.' },
    trigger: '10 or more third-party hosts or 50 or more third-party requests.',
    when: (f) =>
      f.thirdParties.hosts >= 10 || f.thirdParties.requests >= 50
        ? fire(`${f.thirdParties.hosts} / ${f.thirdParties.requests}`)
        : null,
  },
];

/** rules.json hooks of the given rule ids, in order, without duplicates. */
export function legalHooksOf(rule: FindingRule): string[] {
  const hooks: string[] = [];
  for (const id of rule.source) {
    const r = rulesVerdict.rules.find((x) => x.id === id);
    for (const h of r?.hooks ?? []) if (!hooks.includes(h)) hooks.push(h);
  }
  for (const h of rule.extraLegal ?? []) if (!hooks.includes(h)) hooks.push(h);
  return hooks;
}

/**
 * Facts for evaluating a few rows against a finished report (the consent rows after the audit's
 * answer, the user-reported rows in the complaint): the report's context (page kind, platform,
 * authority, legal-page states) and neutral values elsewhere — the report's other findings are
 * already in it. Defensive: reports from storage or imports may be partial.
 */
export function contextFactsOf(
  report: Pick<
    Report,
    | 'pageKind'
    | 'platform'
    | 'url'
    | 'authority'
    | 'imprint'
    | 'privacyNotice'
    | 'consent'
    | 'dmInvitations'
    | 'commentsOffClaims'
  >,
): VerdictFacts {
  const a: Partial<Report['authority']> = report.authority ?? {};
  return {
    pageKind: report.pageKind,
    platform: report.platform ?? null,
    commercialPlatform: false,
    https: typeof report.url === 'string' && report.url.startsWith('https:'),
    authority: {
      isAuthority: a.isAuthority === true,
      isSocialBenefitBody: a.isSocialBenefitBody === true,
      audienceMinors: a.audienceMinors === true,
    },
    imprint: {
      status: report.imprint?.status ?? 'not-checked',
      url: report.imprint?.url ?? null,
      missingElements: [],
      poBoxOnly: false,
      contactForm: false,
      legalForm: null,
      outdatedRefs: [],
      labelUnclear: null,
      coversProfile: null,
    },
    privacy: {
      status: report.privacyNotice?.status ?? 'not-checked',
      url: report.privacyNotice?.url ?? null,
      missingElements: [],
      unmentionedServices: [],
      vendorOnlyServices: [],
      coversPlatform: true,
      jointControl: true,
      bases: null,
    },
    thirdParties: { hosts: 0, requests: 0, thirdCountry: [], trackingCompanies: [] },
    consent: { status: report.consent?.status ?? 'not-checked', cmp: report.consent?.cmp ?? null },
    beforeInteraction: { cookies: [], trackers: [] },
    googleFonts: [],
    embeds: [],
    messengers: [],
    // What the page said itself: the user-reported R-AUTH-08 row completes it with the user's ticks.
    dmInvitations: Array.isArray(report.dmInvitations) ? report.dmInvitations : [],
    commentsOffClaims: Array.isArray(report.commentsOffClaims) ? report.commentsOffClaims : [],
    ownChannels: [],
    linkInBioTargets: [],
    linkInBioKnownTracking: [],
    linkPageVendor: null,
    operator: null,
  };
}

export interface Finding {
  id: string;
  severity: Severity;
  certainty: Certainty;
  legal: string[];
  evidence: string;
  text: { de: string; en: string };
  /** Set when an escalation raised the severity (e.g. "ESC-MINORS"). */
  escalatedBy?: string;
}

export type Verdict = 'red' | 'yellow' | 'green' | 'grey';

export const SEVERITY_RANK: Record<Severity, number> = { red: 3, yellow: 2, info: 1 };
export const CERTAINTY_RANK: Record<Certainty, number> = {
  observed: 4,
  heuristic: 3,
  contested: 2,
  'user-reported': 1,
};

/** Severity of a row in this context (rules.json effective_severity: social benefit > authority > default). */
export function severityFor(rule: FindingRule, f: VerdictFacts): Severity {
  if (f.authority.isSocialBenefitBody && rule.severity.socialBenefit) return rule.severity.socialBenefit;
  if (f.authority.isAuthority && (rule.severity.authority || rule.severity.socialBenefit))
    return rule.severity.authority ?? rule.severity.default;
  return rule.severity.default;
}

/** Fires every applicable row, then applies the escalations. */
export function evaluateFindings(f: VerdictFacts, rules: readonly FindingRule[] = FINDING_RULES): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    if (!rule.kinds.includes(f.pageKind)) continue;
    const fired = rule.when(f);
    if (!fired) continue;
    let severity = severityFor(rule, f);
    let escalatedBy: string | undefined;
    if (rule.escalation && SEVERITY_RANK[rule.escalation.to] > SEVERITY_RANK[severity] && rule.escalation.when(f)) {
      severity = rule.escalation.to;
      escalatedBy = rule.escalation.id;
    }
    // rules.json ESC-MINORS: an authority addressing minors owes them especially clear information
    // (Art. 12(1) GDPR "in particular … a child", Recitals 38, 58).
    if (
      severity === 'yellow' &&
      rule.tags.includes('transparency') &&
      f.authority.isAuthority &&
      f.authority.audienceMinors
    ) {
      severity = 'red';
      escalatedBy = 'ESC-MINORS';
    }
    out.push({
      id: rule.id,
      severity,
      certainty: rule.certainty,
      legal: legalHooksOf(rule),
      evidence: fired.evidence ?? NO_EVIDENCE,
      text: rule.text,
      ...(escalatedBy ? { escalatedBy } : {}),
    });
  }
  return out.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      CERTAINTY_RANK[b.certainty] - CERTAINTY_RANK[a.certainty],
  );
}

/**
 * The traffic light: grey when the page could not be analysed; otherwise the worst severity
 * (info does not colour); green only with imprint and privacy notice found and nothing else fired
 * (rules.json verdict.aggregation).
 */
export function verdictOf(findings: readonly Finding[], f: VerdictFacts, analysed: boolean): Verdict {
  if (!analysed) return 'grey';
  if (findings.some((x) => x.severity === 'red')) return 'red';
  if (findings.some((x) => x.severity === 'yellow')) return 'yellow';
  if (f.imprint.status === 'found' && f.privacy.status === 'found') return 'green';
  // Nothing fired, but the legal pages could not be read (unreachable, turned off): no judgement.
  return 'grey';
}

/** The top reasons shown first: red before yellow, then by certainty. */
export function topReasons(findings: readonly Finding[], n = 3): Finding[] {
  return findings.filter((x) => x.severity !== 'info').slice(0, n);
}
