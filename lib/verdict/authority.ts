/**
 * Is the page (website, social profile or link-in-bio page) run by a public authority? Scoring per
 * rules.json `authority_detection` (SPEC § 5): each matched signal adds its weight once; ≥ 5 is an
 * authority, 3–4 means "ask the user". A name alone never gets there (scoring.note, R-AUTH-09: fan
 * and parody accounts copy names and logos) — corroboration is needed: the page's own official
 * domain, a bio link to one, an imprint naming a public-law body, a government Mastodon instance,
 * a platform category or verification.
 *
 * Also derived here, because they only matter for authorities:
 *  - social-benefit body (Sozialleistungsträger, § 35 SGB I: Sozialgeheimnis) — `social_benefit_bodies`;
 *  - Jobcenter type, gE (§ 44b SGB II → BfDI) vs zkT (§ 6a SGB II → Land DPA) — `jobcenter_type`;
 *  - minor audience (Art. 12(1) GDPR, Recitals 38, 58) — `minor_audience_signals`.
 *
 * This module holds the result types, the scoring and the decision; the signal tables compiled
 * from rules.json and the readers that find signals in names, hosts, bios and imprints are in
 * lib/verdict/authority-signals.ts.
 *
 * Pure, typed, never throws; texts are capped (MAX_AUTHORITY_TEXT) so hostile pages cost little.
 * Results are heuristics ("Hinweise"); the user's own answer in the popup always wins.
 */
import { type SocialPlatform, platformSpec } from '../page/platforms';
import { siteOfHost } from '../site';
import { firstMatch, normaliseText, snippet } from '../legal/patterns';
import {
  AD,
  bestDomain,
  BIO_LINK_WEIGHT,
  BIO_PUBLIC_LAW_WEIGHT,
  CATEGORY_LABELS,
  CATEGORY_WEIGHT,
  clip,
  COUNTER_GROUPS,
  COUNTER_WEIGHT,
  EMAIL_WEIGHT,
  emailsIn,
  firstOf,
  foldLabel,
  GE_SIGNALS,
  HANDLE_DOMAIN_WEIGHT,
  handleWords,
  hostOfUrl,
  hostWords,
  IMPRINT_WEIGHT,
  imprintHead,
  JOBCENTER,
  LINKED_IMPRINT_WEIGHT,
  MASTODON_HOSTS,
  MASTODON_WEIGHT,
  mastodonAccountHost,
  matchOfficialDomain,
  MAX_AUTHORITY_TEXT,
  MAX_BIO_LINKS,
  MAX_CATEGORY_LINE,
  MAX_NAME_CHARS,
  MAX_URL_CHARS,
  MINORS,
  NAME_TIERS,
  NEGATIVE_DISCLAIMERS,
  NEGATIVE_ENTITIES,
  NEGATIVE_WEIGHT,
  normaliseHost,
  OFFICIAL_PHRASE_WEIGHT,
  officialClaim,
  PERSONAL_ACCOUNT,
  publicLawInBio,
  publicLawInImprint,
  SELF_DISCLAIMERS,
  SOCIAL_BENEFIT,
  str,
  VERIFIED_BADGE,
  VERIFIED_LINK_WEIGHT,
  VERIFIED_WEIGHT,
  X_GREY,
  X_GREY_WEIGHT,
  ZKT_SIGNALS,
} from './authority-signals';

export type AuthorityPlatform = SocialPlatform;

export interface AuthorityInput {
  /** The page (website, profile or link-in-bio page). */
  pageUrl: string;
  platform: AuthorityPlatform | null;
  pageKind: 'website' | 'social-profile' | 'link-in-bio';
  /** og/meta title, profile name, handle, og/meta description or profile bio. */
  title: string;
  profileName: string | null;
  handle: string | null;
  description: string | null;
  /** Visible bio / page text sample (bounded). */
  bioText?: string;
  /** Links leaving the platform (already unwrapped) or the site's own outbound social links. */
  bioLinkUrls: string[];
  /**
   * Bio links the platform marks as verified (Mastodon: the linked page links back with
   * rel="me", account_fields.tsx `verified`).
   */
  verifiedLinkUrls?: string[];
  /** Readable imprint text, if fetched. */
  imprintText?: string | null;
  /**
   * The imprint of the website a profile links (directly or through its link page), fetched for
   * corroboration when the profile links no imprint of its own (platform_signals.linked_site_imprint).
   */
  linkedImprint?: { url: string; text: string } | null;
  /** Labels of the badges next to the account's name ("Verifizierter Account|rgb(130, 154, 171)"). */
  badges?: string[];
  /** e.g. "Government organization" / "Behörde", if the page shows a category. */
  platformCategory?: string | null;
  /** Platform verification badge, if known. */
  verified?: boolean;
  /**
   * X's grey check / "government or multilateral organization" affiliation label, if the adapter
   * can tell it from the paid blue check (platform_signals.x_grey_checkmark). Extension of the
   * brief's interface: `verified` alone cannot distinguish the two.
   */
  governmentBadge?: boolean;
  /** The user's own choice in the popup: true/false wins, null = none. */
  userOverride?: boolean | null;
}

export type AuthoritySignalSource =
  | 'name'
  | 'domain'
  | 'bio-link'
  | 'bio'
  | 'imprint'
  | 'platform'
  | 'negative'
  | 'user';

export type AuthoritySignalId =
  | 'name-keyword'
  | 'page-domain'
  | 'mastodon-instance'
  | 'bio-link-domain'
  | 'email-domain'
  | 'handle-domain'
  | 'verified-link-domain'
  | 'official-phrase'
  | 'bio-public-law'
  | 'imprint-public-law'
  | 'linked-imprint-public-law'
  | 'platform-category'
  | 'platform-verified'
  | 'x-government-badge'
  | 'negative-keyword'
  | 'counter-affiliation'
  | 'user-override';

export const AUTHORITY_SIGNAL_IDS: readonly AuthoritySignalId[] = [
  'name-keyword',
  'page-domain',
  'mastodon-instance',
  'bio-link-domain',
  'email-domain',
  'handle-domain',
  'verified-link-domain',
  'official-phrase',
  'bio-public-law',
  'imprint-public-law',
  'linked-imprint-public-law',
  'platform-category',
  'platform-verified',
  'x-government-badge',
  'negative-keyword',
  'counter-affiliation',
  'user-override',
];

export interface AuthoritySignal {
  id: AuthoritySignalId;
  weight: number;
  /** ≤ 120 characters, plain text (escape before rendering). */
  evidence: string;
  source: AuthoritySignalSource;
}

export type JobcenterType = 'gemeinsame-einrichtung' | 'zugelassener-kommunaler-traeger';

export interface AuthorityResult {
  /** Sum of the signal weights (the user override adds 0). */
  score: number;
  /** score ≥ 5 (and no self-disclaimer such as "inoffiziell"), or the user's override when given. */
  isAuthority: boolean;
  /**
   * Ask the user: no override yet and 3 ≤ score < 5 — or score ≥ 3 on a page that calls itself
   * unofficial/parody (that self-disclaimer vetoes the automatic verdict, see SELF_DISCLAIMERS).
   */
  likely: boolean;
  /** A Sozialleistungsträger (§ 35 SGB I); only ever true when isAuthority. */
  isSocialBenefitBody: boolean;
  /** Only for authorities that are a Jobcenter; null when unknown or not a Jobcenter. */
  jobcenterType: JobcenterType | null;
  /** The account addresses minors / young people (independent of isAuthority). */
  audienceMinors: boolean;
  /** The page calls itself unofficial, a parody or a personal account (vetoes the automatic verdict). */
  selfDisclaimed: boolean;
  signals: AuthoritySignal[];
  userOverride: boolean | null;
}

/** scoring.thresholds */
export const AUTHORITY_THRESHOLD: number = AD.scoring.thresholds.authority;
export const ASK_USER_THRESHOLD: number = AD.scoring.thresholds.likely_authority_ask_user;

// ---------------------------------------------------------------------------------------------

export function detectAuthority(input: AuthorityInput): AuthorityResult {
  try {
    return detect(input ?? ({} as AuthorityInput));
  } catch {
    // Defensive: nothing above should throw, but a broken input must not break the page check.
    const o = input?.userOverride;
    const override = o === true || o === false ? o : null;
    return {
      score: 0,
      isAuthority: override ?? false,
      likely: false,
      isSocialBenefitBody: false,
      jobcenterType: null,
      audienceMinors: false,
      selfDisclaimed: false,
      signals: [],
      userOverride: override,
    };
  }
}

function detect(input: AuthorityInput): AuthorityResult {
  const platform = input.platform ?? null;
  const kind = pageKind(input);
  const pageUrl = str(input.pageUrl, MAX_URL_CHARS);
  const handleRaw = normaliseText(str(input.handle, MAX_NAME_CHARS));
  const nameText = [str(input.profileName, MAX_NAME_CHARS), str(input.title, MAX_NAME_CHARS), handleWords(handleRaw)]
    .map((s) => normaliseText(s))
    .filter((s) => s !== '')
    .join('\n');
  const description = normaliseText(str(input.description, MAX_AUTHORITY_TEXT));
  // On profiles and link-in-bio pages bioText is the bio, written by the account about itself. On
  // websites it is a sample of the page body — a ministry page quoting "inoffizielle Zahlen", a
  // police page mentioning the Jugendamt or a city page listing "Kinder" among its topics says
  // nothing about who runs the site — so websites are judged by name, description and host only.
  const bio = kind === 'website' ? '' : normaliseText(str(input.bioText, MAX_AUTHORITY_TEXT));
  const ownImprint = normaliseText(str(input.imprintText, MAX_AUTHORITY_TEXT));
  const linked = kind !== 'website' && !ownImprint && input.linkedImprint ? input.linkedImprint : null;
  const linkedText = linked ? normaliseText(str(linked.text, MAX_AUTHORITY_TEXT)) : '';
  const imprint = ownImprint || linkedText;
  const aboutText = [nameText, description, bio].filter((s) => s !== '').join('\n');
  const selfText = [description, bio].filter((s) => s !== '').join('\n');
  const listOf = (v: unknown): string[] =>
    (Array.isArray(v) ? v : [])
      .slice(0, MAX_BIO_LINKS)
      .map((u) => str(u, MAX_URL_CHARS))
      .filter((u) => u !== '');
  const bioLinks = listOf(input.bioLinkUrls);
  const verifiedLinks = listOf(input.verifiedLinkUrls);
  const badges = listOf(input.badges);
  const pageHost = hostOfUrl(pageUrl);

  const signals = new Map<AuthoritySignalId, AuthoritySignal>();
  const add = (s: AuthoritySignal): void => {
    if (!signals.has(s.id)) signals.set(s.id, { ...s, evidence: clip(s.evidence) });
  };

  // Name keywords (name_keywords): only the strongest tier counts, so a name alone stays ≤ 3 < 5
  // (scoring.note) — "Bundesministerium" is in both de_strong and at.
  for (const tier of NAME_TIERS) {
    const m = firstOf(tier.patterns, nameText);
    if (m) {
      add({ id: 'name-keyword', weight: tier.weight, evidence: snippet(nameText, m.index, m.end), source: 'name' });
      break;
    }
  }

  // Government Mastodon instance (mastodon_instances); the account's instance, not the viewing one.
  const isMastodonHost = (h: string | null): boolean => h !== null && MASTODON_HOSTS.has(h);
  const accountHost =
    platform === 'mastodon' || isMastodonHost(pageHost) ? mastodonAccountHost(handleRaw, pageUrl, pageHost) : pageHost;
  if (isMastodonHost(accountHost)) {
    add({ id: 'mastodon-instance', weight: MASTODON_WEIGHT, evidence: `Mastodon: ${accountHost}`, source: 'platform' });
  } else if (accountHost && (platform === null || platform === 'mastodon')) {
    // The page's own host on an official domain (domains[]); for Mastodon the account's instance.
    // A platform's own host (instagram.com) says nothing about an account.
    const d = matchOfficialDomain(accountHost);
    if (d) add({ id: 'page-domain', weight: d.weight, evidence: `${accountHost} (${d.label})`, source: 'domain' });
  }

  if (kind !== 'website') {
    // Bio link to an official domain (platform_signals.bio_links_official_domain), for profiles and
    // link-in-bio pages only: any website may link to bund.de, that says nothing about its operator.
    // Capped at the domain's own weight: a weak entry (.nrw gTLD 1, bremen.de 2) must not count 3.
    const link = bestDomain(bioLinks.map(hostOfUrl), BIO_LINK_WEIGHT, pageHost);
    if (link)
      add({ id: 'bio-link-domain', weight: link.weight, evidence: `${link.host} (${link.label})`, source: 'bio-link' });

    // An official e-mail address in the bio or profile fields (platform_signals.email_official_domain).
    const mails = emailsIn(selfText);
    const mail = bestDomain(
      mails.map((m) => m.domain),
      EMAIL_WEIGHT,
      null,
    );
    if (mail) {
      const address = mails.find((m) => m.domain === mail.host)?.address ?? mail.host;
      add({ id: 'email-domain', weight: mail.weight, evidence: `${address} (${mail.label})`, source: 'bio' });
    }

    // A Bluesky domain handle: Bluesky shows it only once the domain proves the account's DID
    // (platform_signals.bluesky_domain_handle).
    if (platform === 'bluesky' && handleRaw.includes('.')) {
      const h = bestDomain([normaliseHost(handleRaw.replace(/^@/, ''))], HANDLE_DOMAIN_WEIGHT, null);
      if (h) add({ id: 'handle-domain', weight: h.weight, evidence: `@${h.host} (${h.label})`, source: 'platform' });
    }

    // A verified Mastodon field (rel="me" back-link) to an official domain (platform_signals.mastodon_verified_link).
    const v = bestDomain(verifiedLinks.map(hostOfUrl), VERIFIED_LINK_WEIGHT, pageHost);
    if (v)
      add({
        id: 'verified-link-domain',
        weight: v.weight,
        evidence: `${v.host} (${v.label}), verified`,
        source: 'platform',
      });

    // "Offizieller Account der …" (platform_signals.official_account_phrase).
    const claim = officialClaim(selfText);
    if (claim)
      add({
        id: 'official-phrase',
        weight: OFFICIAL_PHRASE_WEIGHT,
        evidence: snippet(selfText, claim.index, claim.end),
        source: 'bio',
      });

    // "Körperschaft des öffentlichen Rechts" in the account's own words (platform_signals.bio_public_law_statement).
    const law = publicLawInBio(selfText);
    if (law)
      add({
        id: 'bio-public-law',
        weight: BIO_PUBLIC_LAW_WEIGHT,
        evidence: snippet(selfText, law.index, law.end),
        source: 'bio',
      });
  }

  // Imprint naming a public-law body (platform_signals.imprint_public_law_entity, regex.imprint.public_law_entity);
  // the linked website's imprint when the profile has none of its own (platform_signals.linked_site_imprint).
  const publicLaw = imprint ? publicLawInImprint(imprint) : null;
  if (publicLaw && !linked) {
    add({
      id: 'imprint-public-law',
      weight: IMPRINT_WEIGHT,
      evidence: snippet(imprint, publicLaw.index, publicLaw.end),
      source: 'imprint',
    });
  } else if (publicLaw && linked) {
    const host = hostOfUrl(linked.url) ?? '';
    add({
      id: 'linked-imprint-public-law',
      weight: LINKED_IMPRINT_WEIGHT,
      evidence: `${host}: ${snippet(imprint, publicLaw.index, publicLaw.end)}`,
      source: 'imprint',
    });
  }

  // Platform category (platform_signals.instagram_facebook_category): a label on a line of its own
  // in the account's header, or the category the caller read; pages may list several, "A · B".
  // A line is split at "·", "•", "|" (a header's "Seite · Regierungsorganisation"); short lines also at ",", ";".
  const categoryLines = [normaliseText(str(input.platformCategory, MAX_NAME_CHARS)), ...bio.split('\n')];
  for (const line of categoryLines) {
    const hit = line
      .split(line.length <= MAX_CATEGORY_LINE ? /\s*[·•|,;\n]\s*/ : /\s*[·•|]\s*/)
      .map((c) => c.trim())
      .find((c) => c !== '' && c.length <= MAX_CATEGORY_LINE && CATEGORY_LABELS.has(foldLabel(c)));
    if (hit) {
      add({ id: 'platform-category', weight: CATEGORY_WEIGHT, evidence: hit, source: 'platform' });
      break;
    }
  }

  // X grey check (platform_signals.x_grey_checkmark), otherwise a plain verification badge.
  const verifiedBadge = badges.find((b) => VERIFIED_BADGE.test(b.split('|')[0] ?? ''));
  const greyCheck =
    input.governmentBadge === true || (platform === 'x' && verifiedBadge !== undefined && X_GREY.test(verifiedBadge));
  if (greyCheck && (platform === 'x' || platform === null)) {
    add({
      id: 'x-government-badge',
      weight: X_GREY_WEIGHT,
      evidence: 'X: government/multilateral organization badge',
      source: 'platform',
    });
  } else if (input.verified === true || greyCheck || verifiedBadge) {
    add({
      id: 'platform-verified',
      weight: VERIFIED_WEIGHT,
      evidence: `${platform ?? 'platform'}: ${verifiedBadge?.split('|')[0] ?? 'verified badge'}`,
      source: 'platform',
    });
  }

  // Negative keywords (negative_keywords, one signal): disclaimers anywhere in name/description/bio,
  // entity words in the name, or in the imprint's head unless the imprint names a public-law body
  // (negative_keywords.note: "treat as non-authority unless imprint says otherwise").
  const disclaimer = firstOf(NEGATIVE_DISCLAIMERS, aboutText);
  const entityInName = disclaimer ? null : firstOf(NEGATIVE_ENTITIES, nameText);
  if (disclaimer) {
    add({
      id: 'negative-keyword',
      weight: NEGATIVE_WEIGHT,
      evidence: snippet(aboutText, disclaimer.index, disclaimer.end),
      source: 'negative',
    });
  } else if (entityInName) {
    add({
      id: 'negative-keyword',
      weight: NEGATIVE_WEIGHT,
      evidence: snippet(nameText, entityInName.index, entityInName.end),
      source: 'negative',
    });
  } else if (imprint && !publicLaw) {
    const head = imprintHead(imprint);
    const m = firstOf(NEGATIVE_ENTITIES, head);
    if (m)
      add({
        id: 'negative-keyword',
        weight: NEGATIVE_WEIGHT,
        evidence: `Impressum: ${snippet(head, m.index, m.end)}`,
        source: 'negative',
      });
  }

  // Counter-signals (counter_signals): a party or its chapter, a union or public servants'
  // association, in the name or the account's own words; once, whichever comes first.
  const counterText = kind === 'website' ? nameText : aboutText;
  for (const { group, patterns } of COUNTER_GROUPS) {
    const m = firstOf(patterns, counterText);
    if (m) {
      add({
        id: 'counter-affiliation',
        weight: COUNTER_WEIGHT,
        evidence: `${group}: ${snippet(counterText, m.index, m.end)}`,
        source: 'negative',
      });
      break;
    }
  }

  const o = input.userOverride;
  const userOverride = o === true || o === false ? o : null;
  if (userOverride !== null) {
    add({
      id: 'user-override',
      weight: 0,
      evidence: userOverride ? 'user override: authority' : 'user override: not an authority',
      source: 'user',
    });
  }

  const list = [...signals.values()];
  const score = list.reduce((sum, s) => sum + s.weight, 0);
  // Self-disclaimers veto: "inoffiziell", "parody", and a personal account ("hier privat").
  const vetoed =
    firstOf(SELF_DISCLAIMERS, aboutText) !== null ||
    (kind !== 'website' && firstOf(PERSONAL_ACCOUNT, aboutText) !== null);
  const isAuthority = userOverride ?? (!vetoed && score >= AUTHORITY_THRESHOLD);
  const likely = userOverride === null && score >= ASK_USER_THRESHOLD && (vetoed || score < AUTHORITY_THRESHOLD);

  // Social-benefit body (social_benefit_bodies, § 35 SGB I): name, description, bio and the page's
  // own host ("www.jobcenter-musterstadt.de", "deutsche-rentenversicherung.de"). Not the imprint:
  // a city's imprint lists its Jugendamt without the account being run by it.
  const ownHostWords = kind === 'website' ? hostWords(pageHost) : '';
  const benefitText = [aboutText, ownHostWords].filter((s) => s !== '').join('\n');
  const isSocialBenefitBody = isAuthority && firstOf(SOCIAL_BENEFIT, benefitText) !== null;

  // Jobcenter type (jobcenter_type): the imprint decides when it names exactly one type.
  let jobcenterType: JobcenterType | null = null;
  const urlText = [pageUrl, ...bioLinks].join('\n');
  if (
    isAuthority &&
    (firstMatch(JOBCENTER, benefitText) || firstMatch(JOBCENTER, imprint) || /jobcenter-ge\.de/i.test(urlText))
  ) {
    jobcenterType = jobcenterTypeOf(imprint) ?? jobcenterTypeOf([aboutText, urlText].join('\n'));
  }

  // Minor audience (minor_audience_signals): name, description, bio (not a website's body text).
  const audienceMinors = firstOf(MINORS, aboutText) !== null;

  return {
    score,
    isAuthority,
    likely,
    isSocialBenefitBody,
    jobcenterType,
    audienceMinors,
    selfDisclaimed: vetoed,
    signals: list,
    userOverride,
  };
}

/**
 * Whether fetching the imprint of the website a profile links could change the answer: the page
 * hints at a public body (a name keyword or claim, score ≥ 2) without settling it, or it is a
 * Jobcenter whose type (gE → BfDI, zkT → Land DPA) is still unknown. Never for a page that calls
 * itself unofficial or personal, and never once the user has answered.
 */
export function needsCorroboration(r: AuthorityResult): boolean {
  if (r.userOverride !== null || r.selfDisclaimed) return false;
  if (!r.isAuthority) return r.score >= 2;
  return (
    r.signals.some((s) => s.id === 'name-keyword' && /job\s?-?cent(?:er|re)/i.test(s.evidence)) &&
    r.jobcenterType === null
  );
}

function pageKind(input: AuthorityInput): AuthorityInput['pageKind'] {
  const k = input.pageKind;
  return k === 'social-profile' || k === 'link-in-bio' ? k : 'website';
}

/** gE vs zkT from one text; null when it names neither or both. */
function jobcenterTypeOf(text: string): JobcenterType | null {
  if (text === '') return null;
  const ge = firstOf(GE_SIGNALS, text) !== null;
  const zkt = firstOf(ZKT_SIGNALS, text) !== null;
  if (ge === zkt) return null;
  return ge ? 'gemeinsame-einrichtung' : 'zugelassener-kommunaler-traeger';
}

/**
 * Whether a profile is "on a commercial platform" for R-AUTH-01/01B: every platform of
 * lib/page/platforms.ts counts (its `commercial` flag), except a Mastodon account on an instance
 * run by a public body — one rules.json `mastodon_instances` lists, one whose host is on an
 * official domain (`domains[]`), or one on the site of the account's own verified website.
 */
export function isCommercialPresence(
  platform: string | null,
  pageUrl: string,
  handle: string | null,
  verifiedLinkUrls: readonly string[] = [],
): boolean {
  const spec = platformSpec(platform);
  if (!spec) return false;
  if (spec.id !== 'mastodon') return spec.commercial;
  const pageHost = hostOfUrl(pageUrl);
  const instance = mastodonAccountHost(
    normaliseText(str(handle, MAX_NAME_CHARS)),
    str(pageUrl, MAX_URL_CHARS),
    pageHost,
  );
  if (!instance) return spec.commercial;
  // An instance on (a subdomain of) an official domain: mastodon.stadt-a.de is the city's own server.
  if (MASTODON_HOSTS.has(instance) || matchOfficialDomain(instance) || matchOfficialDomain(siteOfHost(instance)))
    return false;
  const own = verifiedLinkUrls.map(hostOfUrl).filter((h): h is string => h !== null);
  return !own.some((h) => siteOfHost(h) === siteOfHost(instance)) && spec.commercial;
}
