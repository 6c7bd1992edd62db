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

export type AuthorityPlatform = 'instagram' | 'facebook' | 'tiktok' | 'x' | 'youtube' | 'linkedin' | 'threads' | 'mastodon';

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
  /** Readable imprint text, if fetched. */
  imprintText?: string | null;
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

export type AuthoritySignalSource = 'name' | 'domain' | 'bio-link' | 'imprint' | 'platform' | 'negative' | 'user';

export type AuthoritySignalId =
  | 'name-keyword'
  | 'page-domain'
  | 'mastodon-instance'
  | 'bio-link-domain'
  | 'imprint-public-law'
  | 'platform-category'
  | 'platform-verified'
  | 'x-government-badge'
  | 'negative-keyword'
  | 'user-override';

export const AUTHORITY_SIGNAL_IDS: readonly AuthoritySignalId[] = [
  'name-keyword',
  'page-domain',
  'mastodon-instance',
  'bio-link-domain',
  'imprint-public-law',
  'platform-category',
  'platform-verified',
  'x-government-badge',
  'negative-keyword',
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
const CATEGORY_LABELS: ReadonlySet<string> = new Set(
  [
    ...Object.values(AD.platform_signals.instagram_facebook_category.labels).flat(),
    // Extension: the German Instagram header label seen on the Jobcenter profile (fixture
    // tests/fixtures/sites/www.instagram.com/jobcenter_musterstadt). UNSICHER like the others.
    'Behörde',
  ].map((l) => foldLabel(l)),
);

const BIO_LINK_WEIGHT: number = AD.platform_signals.bio_links_official_domain.weight;
const IMPRINT_WEIGHT: number = AD.platform_signals.imprint_public_law_entity.weight;
const X_GREY_WEIGHT: number = AD.platform_signals.x_grey_checkmark.weight;
/**
 * Extension (not in rules.json): a platform verification badge confirms who runs the account, not
 * that it is public. Weight 2: with a strong name (3) it reaches 5, with a medium name (2) it asks.
 */
export const VERIFIED_WEIGHT = 2;
const MASTODON_WEIGHT: number = AD.mastodon_instances.weight;

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
      signals: [],
      userOverride: override,
    };
  }
}

function detect(input: AuthorityInput): AuthorityResult {
  const platform = input.platform ?? null;
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
  const bio = pageKind(input) === 'website' ? '' : normaliseText(str(input.bioText, MAX_AUTHORITY_TEXT));
  const imprint = normaliseText(str(input.imprintText, MAX_AUTHORITY_TEXT));
  const aboutText = [nameText, description, bio].filter((s) => s !== '').join('\n');
  const bioLinks = (Array.isArray(input.bioLinkUrls) ? input.bioLinkUrls : [])
    .slice(0, MAX_BIO_LINKS)
    .map((u) => str(u, MAX_URL_CHARS))
    .filter((u) => u !== '');
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
  } else if (accountHost) {
    // The page's own host on an official domain (domains[]); for Mastodon the account's instance.
    const d = matchOfficialDomain(accountHost);
    if (d) add({ id: 'page-domain', weight: d.weight, evidence: `${accountHost} (${d.label})`, source: 'domain' });
  }

  // Bio link to an official domain (platform_signals.bio_links_official_domain), for profiles and
  // link-in-bio pages only: any website may link to bund.de, that says nothing about its operator.
  // Capped at the domain's own weight: a weak entry (.nrw gTLD 1, bremen.de 2) must not count 3.
  let bestLink: { host: string; weight: number; label: string } | null = null;
  for (const url of pageKind(input) === 'website' ? [] : bioLinks) {
    const h = hostOfUrl(url);
    if (!h || h === pageHost) continue;
    const d = matchOfficialDomain(h);
    if (d) {
      const w = Math.min(BIO_LINK_WEIGHT, d.weight);
      if (!bestLink || w > bestLink.weight) bestLink = { host: h, weight: w, label: d.label };
    }
  }
  if (bestLink) add({ id: 'bio-link-domain', weight: bestLink.weight, evidence: `${bestLink.host} (${bestLink.label})`, source: 'bio-link' });

  // Imprint naming a public-law body (platform_signals.imprint_public_law_entity, regex.imprint.public_law_entity).
  const publicLaw = imprint ? publicLawInImprint(imprint) : null;
  if (publicLaw) add({ id: 'imprint-public-law', weight: IMPRINT_WEIGHT, evidence: snippet(imprint, publicLaw.index, publicLaw.end), source: 'imprint' });

  // Platform category (platform_signals.instagram_facebook_category); pages may list several, "A · B".
  const category = normaliseText(str(input.platformCategory, MAX_NAME_CHARS));
  if (category) {
    const hit = category
      .split(/\s*[·•|,;\n]\s*/)
      .map((c) => c.trim())
      .find((c) => c !== '' && CATEGORY_LABELS.has(foldLabel(c)));
    if (hit) add({ id: 'platform-category', weight: CATEGORY_WEIGHT, evidence: hit, source: 'platform' });
  }

  // X grey check (platform_signals.x_grey_checkmark), otherwise a plain verification badge (extension).
  if (input.governmentBadge === true && (platform === 'x' || platform === null)) {
    add({ id: 'x-government-badge', weight: X_GREY_WEIGHT, evidence: 'X: government/multilateral organization badge', source: 'platform' });
  } else if (input.verified === true || input.governmentBadge === true) {
    add({ id: 'platform-verified', weight: VERIFIED_WEIGHT, evidence: `${platform ?? 'platform'}: verified badge`, source: 'platform' });
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
  const vetoed = firstOf(SELF_DISCLAIMERS, aboutText) !== null;
  const isAuthority = userOverride ?? (!vetoed && score >= AUTHORITY_THRESHOLD);
  const likely = userOverride === null && score >= ASK_USER_THRESHOLD && (vetoed || score < AUTHORITY_THRESHOLD);

  // Social-benefit body (social_benefit_bodies, § 35 SGB I): name, description, bio and the page's
  // own host ("www.jobcenter-musterstadt.de", "deutsche-rentenversicherung.de"). Not the imprint:
  // a city's imprint lists its Jugendamt without the account being run by it.
  const ownHostWords = pageKind(input) === 'website' ? hostWords(pageHost) : '';
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

  return { score, isAuthority, likely, isSocialBenefitBody, jobcenterType, audienceMinors, signals: list, userOverride };
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
