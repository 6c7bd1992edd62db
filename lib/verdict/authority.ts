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
 * Pure, typed, never throws; texts are capped (MAX_AUTHORITY_TEXT) so hostile pages cost little.
 * Results are heuristics ("Hinweise"); the user's own answer in the popup always wins.
 */
import rules from '../legal/rules.json';
import { type RuleMatch, EVIDENCE_MAX, compileRule, firstMatch, allMatches, normaliseText, rule, snippet } from '../legal/patterns';
import { type SocialPlatform, platformSpec } from '../page/platforms';
import { siteOfHost } from '../site';

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

export type AuthoritySignalSource = 'name' | 'domain' | 'bio-link' | 'bio' | 'imprint' | 'platform' | 'negative' | 'user';

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

const AD = rules.authority_detection;

/** scoring.thresholds */
export const AUTHORITY_THRESHOLD: number = AD.scoring.thresholds.authority;
export const ASK_USER_THRESHOLD: number = AD.scoring.thresholds.likely_authority_ask_user;

/** Longest bio/description/imprint text looked at; names and titles are capped at MAX_NAME_CHARS. */
export const MAX_AUTHORITY_TEXT = 20_000;
const MAX_NAME_CHARS = 1_000;
const MAX_URL_CHARS = 2_048;
const MAX_BIO_LINKS = 50;
/** The imprint's provider is named in its first lines; private legal forms are only looked for there. */
const IMPRINT_HEAD_CHARS = 400;

// ---------------------------------------------------------------------------------------------
// Compiled rules

/**
 * Short upper-case acronyms that the convention ('iu') would also match as lower-case words:
 * "ag", "ug" (negative_keywords), "ge" in any URL or text (jobcenter_type.gE_signals), "zkt".
 * Compiled case-sensitively, as imprint.ts does for legal forms (deviation, reported).
 */
const CASE_SENSITIVE_ACRONYMS: ReadonlySet<string> = new Set(['\\bAG\\b', '\\bUG\\b', '\\bgE\\b', '\\bzkT\\b']);

function compileList(sources: readonly string[]): RegExp[] {
  const out: RegExp[] = [];
  for (const s of sources) {
    const re = CASE_SENSITIVE_ACRONYMS.has(s) ? compileRule(s, '', 'u') : compileRule(s);
    if (re) out.push(re);
  }
  return out;
}

interface NameTier {
  tier: string;
  weight: number;
  patterns: RegExp[];
}

/** name_keywords, strongest tier first (ties keep rules.json order). */
const NAME_TIERS: NameTier[] = Object.entries(AD.name_keywords)
  .map(([tier, t]) => ({ tier, weight: t.weight, patterns: compileList(t.patterns) }))
  .sort((a, b) => b.weight - a.weight);

/**
 * negative_keywords split in two: disclaimers (Fan…, inoffiziell, unofficial, nicht offiziell,
 * parody) count anywhere in name, description and bio; entity words (GmbH, AG, e.V., UG,
 * Stadtwerke, Stadtmarketing, Tourismus, Stadtmagazin) only in the name and the imprint's head —
 * a city's bio naming its Tourismus office or its Stadtwerke is no sign of a private operator.
 */
const NEGATIVE_WEIGHT: number = AD.negative_keywords.weight;
const isDisclaimerSource = (s: string): boolean => /fan|offiziell|unofficial|parod/i.test(s);
const NEGATIVE_DISCLAIMERS = compileList(AD.negative_keywords.patterns.filter(isDisclaimerSource));
const NEGATIVE_ENTITIES = compileList(AD.negative_keywords.patterns.filter((s) => !isDisclaimerSource(s)));
/**
 * The explicit self-disclaimers among them ("inoffiziell", "unofficial", "nicht offiziell",
 * "parody"/"Parodie") veto the automatic verdict: a page that says it is not official is not the
 * authority, however many copied signals (category, link to the real city site) it carries. It
 * can still be "likely" (ask the user) and the user's override still wins. Extension of the
 * plain −3 in rules.json; "Fan…" stays a −3 only ("Werde Fan!" appears on real city accounts).
 */
const SELF_DISCLAIMERS = compileList(AD.negative_keywords.patterns.filter((s) => /offiziell|unofficial|parod/i.test(s)));


const SOCIAL_BENEFIT = compileList([
  ...AD.social_benefit_bodies.patterns,
  // Extension: "\bAgentur\s+für\s+Arbeit\b" needs a word boundary before "Agentur", so the
  // "Bundesagentur für Arbeit" itself (a Sozialleistungsträger, § 19a SGB I) never matched (reported).
  '\\bBundesagentur\\s+f(?:ü|ue)r\\s+Arbeit\\b',
]);
const MINORS = compileList(AD.minor_audience_signals.patterns);
const GE_SIGNALS = compileList(AD.jobcenter_type.gE_signals);
const ZKT_SIGNALS = compileList(AD.jobcenter_type.zkT_signals);
const JOBCENTER = compileRule('\\bJobcenter\\b');

/** regex.imprint.public_law_entity (the same rule analyseImprint().publicLawEntity uses). */
const PUBLIC_LAW = rule('imprint', 'public_law_entity');
/**
 * public_law_entity also accepts the bare word "Behörde", which commercial imprints use for their
 * supervisory authority ("Zuständige Behörde: Gewerbeamt …", § 5 Abs. 1 Nr. 3 DDG). A bare
 * "Behörde" preceded by such a label does not name the provider.
 */
const BARE_BEHOERDE = /^beh(?:ö|oe)rde$/i;
const SUPERVISORY_LABEL = /(?:zust(?:ä|ae)ndig|aufsicht|supervis|kammer|gewerbe)[^\n]{0,30}$/i;

/** platform_signals.instagram_facebook_category labels (all languages), compared case-insensitively. */
const CATEGORY_WEIGHT: number = AD.platform_signals.instagram_facebook_category.weight;
const CATEGORY_LABELS: ReadonlySet<string> = new Set(Object.values(AD.platform_signals.instagram_facebook_category.labels).flat().map((l) => foldLabel(l)));
/** Category labels stand on a line of their own (Instagram's header, X's professional category, LinkedIn's "Art"). */
const MAX_CATEGORY_LINE = 80;

const BIO_LINK_WEIGHT: number = AD.platform_signals.bio_links_official_domain.weight;
const IMPRINT_WEIGHT: number = AD.platform_signals.imprint_public_law_entity.weight;
const X_GREY_WEIGHT: number = AD.platform_signals.x_grey_checkmark.weight;
/** platform_signals.platform_verified: a badge confirms who runs the account, not that it is public. */
export const VERIFIED_WEIGHT: number = AD.platform_signals.platform_verified.weight;
const EMAIL_WEIGHT: number = AD.platform_signals.email_official_domain.weight;
const HANDLE_DOMAIN_WEIGHT: number = AD.platform_signals.bluesky_domain_handle.weight;
const VERIFIED_LINK_WEIGHT: number = AD.platform_signals.mastodon_verified_link.weight;
const OFFICIAL_PHRASE_WEIGHT: number = AD.platform_signals.official_account_phrase.weight;
const BIO_PUBLIC_LAW_WEIGHT: number = AD.platform_signals.bio_public_law_statement.weight;
const LINKED_IMPRINT_WEIGHT: number = AD.platform_signals.linked_site_imprint.weight;
const MASTODON_WEIGHT: number = AD.mastodon_instances.weight;
const COUNTER_WEIGHT: number = AD.counter_signals.weight;

/** platform_signals.official_account_phrase, not right after a negation ("kein offizieller Account"). */
const OFFICIAL_PHRASES = compileList(AD.platform_signals.official_account_phrase.patterns);
const NEGATION_BEFORE = /\b(?:kein(?:e[nrs]?)?|nicht|not|no|never|niemals)\s+(?:der|die|das|ein(?:e[nrs]?)?|the|an?)?\s*$/i;
/** platform_signals.bio_public_law_statement.extra_patterns (English wording the imprint rule lacks). */
const BIO_PUBLIC_LAW_EXTRA = compileList(AD.platform_signals.bio_public_law_statement.extra_patterns);
/** A verification badge, by its label (aria-label, alt, title) in the platforms' languages. */
const VERIFIED_BADGE = /verifi|best(?:ä|ae)tigt|gepr(?:ü|ue)ft/i;
/**
 * X's grey check: the badge of a "government or multilateral organization" (help.x.com, "About
 * verified accounts"), drawn in #829AAB; the blue and gold checks are paid and business badges.
 */
const X_GREY = /rgb\(\s*130,\s*154,\s*171\s*\)|#829aab/i;

/** counter_signals: each group once. Acronyms (CDU, GdP …) are compiled case-sensitively. */
const isAcronymList = (src: string): boolean => /^\\b\(\?:[\p{L}|]+\)\\b$/u.test(src);
const compileCounter = (list: readonly string[]): RegExp[] =>
  list.map((src) => (isAcronymList(src) ? compileRule(src, '', 'u') : compileRule(src))).filter((r): r is RegExp => r !== null);
const COUNTER_GROUPS: readonly { group: string; patterns: RegExp[] }[] = [
  { group: 'union', patterns: compileCounter(AD.counter_signals.union_association) },
  { group: 'party', patterns: compileCounter(AD.counter_signals.party) },
];
const PERSONAL_ACCOUNT = compileCounter(AD.counter_signals.personal_account);

type DomainRule =
  | { kind: 'suffix'; value: string; weight: number; label: string }
  | { kind: 'tld'; value: string; weight: number; label: string }
  | { kind: 'regex'; re: RegExp; weight: number; label: string };

const DOMAIN_RULES: DomainRule[] = AD.domains.flatMap((d): DomainRule[] => {
  const label = `${d.country} ${d.level}`;
  if ('suffix' in d && typeof d.suffix === 'string') return [{ kind: 'suffix', value: d.suffix.toLowerCase(), weight: d.weight, label }];
  if ('tld' in d && typeof d.tld === 'string') return [{ kind: 'tld', value: d.tld.toLowerCase(), weight: d.weight, label }];
  if ('host_regex' in d && typeof d.host_regex === 'string') {
    const re = compileRule(d.host_regex);
    return re ? [{ kind: 'regex', re, weight: d.weight, label }] : [];
  }
  return [];
});

/** mastodon_instances.hosts, IDN hosts in their punycode form ("bawü.social" → "xn--baw-joa.social"). */
const MASTODON_HOSTS: ReadonlySet<string> = new Set(AD.mastodon_instances.hosts.map((h) => normaliseHost(h)).filter((h): h is string => h !== null));

// ---------------------------------------------------------------------------------------------
// Helpers

function str(v: unknown, max: number): string {
  return typeof v === 'string' ? (v.length > max ? v.slice(0, max) : v) : '';
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > EVIDENCE_MAX ? one.slice(0, EVIDENCE_MAX - 1).trimEnd() + '…' : one;
}

function foldLabel(s: string): string {
  return normaliseText(s).trim().replace(/\s+/g, ' ').toLocaleLowerCase('de');
}

/** Lower-case ASCII (punycode) host of a host name, or null. */
function normaliseHost(host: string): string | null {
  try {
    const h = new URL(`https://${host}/`).hostname.toLowerCase().replace(/\.$/, '');
    return h.length > 0 ? h : null;
  } catch {
    return null;
  }
}

/** Host of an http(s) URL; scheme-less "linktr.ee/x" is read as https. Null for anything else. */
export function hostOfUrl(url: unknown): string | null {
  const s = str(url, MAX_URL_CHARS).trim();
  if (s === '') return null;
  // Scheme-less input only ("linktr.ee/x"); "mailto:a@bund.de" must not become https://mailto:a@bund.de.
  const candidates = /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(s) ? [s] : [s, `https://${s}`];
  for (const candidate of candidates) {
    try {
      const u = new URL(candidate);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') continue;
      const h = u.hostname.toLowerCase().replace(/\.$/, '');
      if (h.length > 0 && h.includes('.')) return h;
    } catch {
      // try the next reading
    }
  }
  return null;
}

export interface OfficialDomainMatch {
  weight: number;
  /** e.g. "DE federal" (rules.json domains[].country + level). */
  label: string;
}

/** The strongest rules.json `domains[]` entry matching `host` (suffix, tld or host_regex), or null. */
export function matchOfficialDomain(host: string): OfficialDomainMatch | null {
  const h = normaliseHost(host);
  if (!h) return null;
  let best: OfficialDomainMatch | null = null;
  for (const d of DOMAIN_RULES) {
    const hit =
      d.kind === 'suffix' ? h === d.value || h.endsWith(`.${d.value}`) : d.kind === 'tld' ? h.endsWith(`.${d.value}`) : d.re.test(h);
    if (hit && (!best || d.weight > best.weight)) best = { weight: d.weight, label: d.label };
  }
  return best;
}

/** Leftmost match of any of `res` in `text` (so evidence comes from the profile name before the title). */
function firstOf(res: readonly RegExp[], text: string): RuleMatch | null {
  if (text === '') return null;
  let best: RuleMatch | null = null;
  for (const re of res) {
    const m = firstMatch(re, text);
    if (m && (!best || m.index < best.index)) best = m;
    if (best?.index === 0) break;
  }
  return best;
}

/** "@jobcenter_musterstadt" → "jobcenter musterstadt" so keywords can match handles ('_' is a word character). */
function handleWords(handle: string): string {
  return handle.replace(/^@/, '').replace(/@.*$/, '').replace(/[_.\-]+/g, ' ').trim();
}

/** Host words ("www.jobcenter-musterstadt.de" → "www jobcenter musterstadt de") for name-like patterns. */
function hostWords(host: string | null): string {
  return host ? host.replace(/[.\-]+/g, ' ') : '';
}

/** The instance a Mastodon account lives on: from "@user@host", the URL path "/@user@host", else the page host. */
function mastodonAccountHost(handle: string, pageUrl: string, pageHost: string | null): string | null {
  const fromHandle = /^@?[^@\s/]+@([^@\s/]+)$/.exec(handle.trim());
  if (fromHandle?.[1]) return normaliseHost(fromHandle[1]);
  try {
    const path = decodeURIComponent(new URL(str(pageUrl, MAX_URL_CHARS)).pathname);
    const fromPath = /^\/@[^@/]+@([^@/]+)/.exec(path);
    if (fromPath?.[1]) return normaliseHost(fromPath[1]);
  } catch {
    // no usable path
  }
  return pageHost;
}

function publicLawInImprint(imprint: string): RuleMatch | null {
  for (const m of allMatches(PUBLIC_LAW, imprint, 50)) {
    if (BARE_BEHOERDE.test(m.text) && SUPERVISORY_LABEL.test(imprint.slice(Math.max(0, m.index - 40), m.index))) continue;
    return m;
  }
  return null;
}

/** Imprint head without its heading ("Impressum", "Angaben gemäß § 5 DDG"), where the provider is named. */
function imprintHead(imprint: string): string {
  return imprint.replace(/^\s*(?:impressum|imprint|anbieterkennzeichnung|legal notice)\s*[:\n]?/i, '').slice(0, IMPRINT_HEAD_CHARS);
}

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

/** The best official-domain match among hosts, capped at `cap`; null when none matches. */
function bestDomain(hosts: readonly (string | null)[], cap: number, skip: string | null): { host: string; weight: number; label: string } | null {
  let best: { host: string; weight: number; label: string } | null = null;
  for (const h of hosts) {
    if (!h || h === skip) continue;
    const d = matchOfficialDomain(h);
    if (!d) continue;
    const w = Math.min(cap, d.weight);
    if (!best || w > best.weight) best = { host: h, weight: w, label: d.label };
  }
  return best;
}

/** E-mail addresses in a text, with their domains. */
function emailsIn(text: string): { address: string; domain: string }[] {
  const out: { address: string; domain: string }[] = [];
  const re = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24})(?![\p{L}\p{N}-])/gu;
  for (let m = re.exec(text); m && out.length < 10; m = re.exec(text)) out.push({ address: m[0], domain: m[1]!.toLowerCase() });
  return out;
}

/** First official-account claim not preceded by a negation ("kein offizieller Account der Stadt"). */
function officialClaim(text: string): RuleMatch | null {
  for (const re of OFFICIAL_PHRASES) {
    for (const m of allMatches(re, text, 20)) {
      if (!NEGATION_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) return m;
    }
  }
  return null;
}

/** A public-law statement in the account's own words; the bare word "Behörde" is a category, not a statement. */
function publicLawInBio(bio: string): RuleMatch | null {
  for (const m of allMatches(PUBLIC_LAW, bio, 50)) if (!BARE_BEHOERDE.test(m.text)) return m;
  return firstOf(BIO_PUBLIC_LAW_EXTRA, bio);
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
  const accountHost = platform === 'mastodon' || isMastodonHost(pageHost) ? mastodonAccountHost(handleRaw, pageUrl, pageHost) : pageHost;
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
    if (link) add({ id: 'bio-link-domain', weight: link.weight, evidence: `${link.host} (${link.label})`, source: 'bio-link' });

    // An official e-mail address in the bio or profile fields (platform_signals.email_official_domain).
    const mails = emailsIn(selfText);
    const mail = bestDomain(mails.map((m) => m.domain), EMAIL_WEIGHT, null);
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
    if (v) add({ id: 'verified-link-domain', weight: v.weight, evidence: `${v.host} (${v.label}), verified`, source: 'platform' });

    // "Offizieller Account der …" (platform_signals.official_account_phrase).
    const claim = officialClaim(selfText);
    if (claim) add({ id: 'official-phrase', weight: OFFICIAL_PHRASE_WEIGHT, evidence: snippet(selfText, claim.index, claim.end), source: 'bio' });

    // "Körperschaft des öffentlichen Rechts" in the account's own words (platform_signals.bio_public_law_statement).
    const law = publicLawInBio(selfText);
    if (law) add({ id: 'bio-public-law', weight: BIO_PUBLIC_LAW_WEIGHT, evidence: snippet(selfText, law.index, law.end), source: 'bio' });
  }

  // Imprint naming a public-law body (platform_signals.imprint_public_law_entity, regex.imprint.public_law_entity);
  // the linked website's imprint when the profile has none of its own (platform_signals.linked_site_imprint).
  const publicLaw = imprint ? publicLawInImprint(imprint) : null;
  if (publicLaw && !linked) {
    add({ id: 'imprint-public-law', weight: IMPRINT_WEIGHT, evidence: snippet(imprint, publicLaw.index, publicLaw.end), source: 'imprint' });
  } else if (publicLaw && linked) {
    const host = hostOfUrl(linked.url) ?? '';
    add({ id: 'linked-imprint-public-law', weight: LINKED_IMPRINT_WEIGHT, evidence: `${host}: ${snippet(imprint, publicLaw.index, publicLaw.end)}`, source: 'imprint' });
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
  const greyCheck = input.governmentBadge === true || (platform === 'x' && verifiedBadge !== undefined && X_GREY.test(verifiedBadge));
  if (greyCheck && (platform === 'x' || platform === null)) {
    add({ id: 'x-government-badge', weight: X_GREY_WEIGHT, evidence: 'X: government/multilateral organization badge', source: 'platform' });
  } else if (input.verified === true || greyCheck || verifiedBadge) {
    add({ id: 'platform-verified', weight: VERIFIED_WEIGHT, evidence: `${platform ?? 'platform'}: ${verifiedBadge?.split('|')[0] ?? 'verified badge'}`, source: 'platform' });
  }

  // Negative keywords (negative_keywords, one signal): disclaimers anywhere in name/description/bio,
  // entity words in the name, or in the imprint's head unless the imprint names a public-law body
  // (negative_keywords.note: "treat as non-authority unless imprint says otherwise").
  const disclaimer = firstOf(NEGATIVE_DISCLAIMERS, aboutText);
  const entityInName = disclaimer ? null : firstOf(NEGATIVE_ENTITIES, nameText);
  if (disclaimer) {
    add({ id: 'negative-keyword', weight: NEGATIVE_WEIGHT, evidence: snippet(aboutText, disclaimer.index, disclaimer.end), source: 'negative' });
  } else if (entityInName) {
    add({ id: 'negative-keyword', weight: NEGATIVE_WEIGHT, evidence: snippet(nameText, entityInName.index, entityInName.end), source: 'negative' });
  } else if (imprint && !publicLaw) {
    const head = imprintHead(imprint);
    const m = firstOf(NEGATIVE_ENTITIES, head);
    if (m) add({ id: 'negative-keyword', weight: NEGATIVE_WEIGHT, evidence: `Impressum: ${snippet(head, m.index, m.end)}`, source: 'negative' });
  }

  // Counter-signals (counter_signals): a party or its chapter, a union or public servants'
  // association, in the name or the account's own words; once, whichever comes first.
  const counterText = kind === 'website' ? nameText : aboutText;
  for (const { group, patterns } of COUNTER_GROUPS) {
    const m = firstOf(patterns, counterText);
    if (m) {
      add({ id: 'counter-affiliation', weight: COUNTER_WEIGHT, evidence: `${group}: ${snippet(counterText, m.index, m.end)}`, source: 'negative' });
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
  const vetoed = firstOf(SELF_DISCLAIMERS, aboutText) !== null || (kind !== 'website' && firstOf(PERSONAL_ACCOUNT, aboutText) !== null);
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
  if (isAuthority && (firstMatch(JOBCENTER, benefitText) || firstMatch(JOBCENTER, imprint) || /jobcenter-ge\.de/i.test(urlText))) {
    jobcenterType = jobcenterTypeOf(imprint) ?? jobcenterTypeOf([aboutText, urlText].join('\n'));
  }

  // Minor audience (minor_audience_signals): name, description, bio (not a website's body text).
  const audienceMinors = firstOf(MINORS, aboutText) !== null;

  return { score, isAuthority, likely, isSocialBenefitBody, jobcenterType, audienceMinors, selfDisclaimed: vetoed, signals: list, userOverride };
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
  return r.signals.some((s) => s.id === 'name-keyword' && /job\s?-?cent(?:er|re)/i.test(s.evidence)) && r.jobcenterType === null;
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
export function isCommercialPresence(platform: string | null, pageUrl: string, handle: string | null, verifiedLinkUrls: readonly string[] = []): boolean {
  const spec = platformSpec(platform);
  if (!spec) return false;
  if (spec.id !== 'mastodon') return spec.commercial;
  const pageHost = hostOfUrl(pageUrl);
  const instance = mastodonAccountHost(normaliseText(str(handle, MAX_NAME_CHARS)), str(pageUrl, MAX_URL_CHARS), pageHost);
  if (!instance) return spec.commercial;
  // An instance on (a subdomain of) an official domain: mastodon.stadt-a.de is the city's own server.
  if (MASTODON_HOSTS.has(instance) || matchOfficialDomain(instance) || matchOfficialDomain(siteOfHost(instance))) return false;
  const own = verifiedLinkUrls.map(hostOfUrl).filter((h): h is string => h !== null);
  return !own.some((h) => siteOfHost(h) === siteOfHost(instance)) && spec.commercial;
}
