/**
 * The signal tables of authority recognition, compiled once from rules.json
 * `authority_detection` (SPEC § 5): name keyword tiers, negative keywords and self-disclaimers,
 * counter-signals, official domains and government Mastodon instances, the platform signals'
 * weights, social-benefit bodies, Jobcenter type and minor-audience patterns — and the readers that
 * find them in names, handles, hosts, bios and imprints. Scoring and the decision (which signals
 * add up, what vetoes, what the result says) are in lib/verdict/authority.ts.
 *
 * Pure, never throws; callers cap their texts (MAX_AUTHORITY_TEXT) so hostile pages cost little.
 */
import rules from '../legal/rules.json';
import {
  type RuleMatch,
  EVIDENCE_MAX,
  compileRule,
  firstMatch,
  allMatches,
  normaliseText,
  rule,
} from '../legal/patterns';

export const AD = rules.authority_detection;

/** Longest bio/description/imprint text looked at; names and titles are capped at MAX_NAME_CHARS. */
export const MAX_AUTHORITY_TEXT = 20_000;
export const MAX_NAME_CHARS = 1_000;
export const MAX_URL_CHARS = 2_048;
export const MAX_BIO_LINKS = 50;
/** The imprint's provider is named in its first lines; private legal forms are only looked for there. */
const IMPRINT_HEAD_CHARS = 400;

// ---------------------------------------------------------------------------------------------
// Compiled rules

/**
 * Short upper-case acronyms that the convention ('iu') would also match as lower-case words:
 * "ag", "ug" (negative_keywords), "ge" in any URL or text (jobcenter_type.gE_signals), "zkt".
 * Compiled case-sensitively, as lib/legal/imprint-extras.ts does for legal forms (deviation, reported).
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
export const NAME_TIERS: NameTier[] = Object.entries(AD.name_keywords)
  .map(([tier, t]) => ({ tier, weight: t.weight, patterns: compileList(t.patterns) }))
  .sort((a, b) => b.weight - a.weight);

/**
 * negative_keywords split in two: disclaimers (Fan…, inoffiziell, unofficial, nicht offiziell,
 * parody) count anywhere in name, description and bio; entity words (GmbH, AG, e.V., UG,
 * Stadtwerke, Stadtmarketing, Tourismus, Stadtmagazin) only in the name and the imprint's head —
 * a city's bio naming its Tourismus office or its Stadtwerke is no sign of a private operator.
 */
export const NEGATIVE_WEIGHT: number = AD.negative_keywords.weight;
const isDisclaimerSource = (s: string): boolean => /fan|offiziell|unofficial|parod/i.test(s);
export const NEGATIVE_DISCLAIMERS = compileList(AD.negative_keywords.patterns.filter(isDisclaimerSource));
export const NEGATIVE_ENTITIES = compileList(AD.negative_keywords.patterns.filter((s) => !isDisclaimerSource(s)));
/**
 * The explicit self-disclaimers among them ("inoffiziell", "unofficial", "nicht offiziell",
 * "parody"/"Parodie") veto the automatic verdict: a page that says it is not official is not the
 * authority, however many copied signals (category, link to the real city site) it carries. It
 * can still be "likely" (ask the user) and the user's override still wins. Extension of the
 * plain −3 in rules.json; "Fan…" stays a −3 only ("Werde Fan!" appears on real city accounts).
 */
export const SELF_DISCLAIMERS = compileList(
  AD.negative_keywords.patterns.filter((s) => /offiziell|unofficial|parod/i.test(s)),
);

export const SOCIAL_BENEFIT = compileList([
  ...AD.social_benefit_bodies.patterns,
  // Extension: "\bAgentur\s+für\s+Arbeit\b" needs a word boundary before "Agentur", so the
  // "Bundesagentur für Arbeit" itself (a Sozialleistungsträger, § 19a SGB I) never matched (reported).
  '\\bBundesagentur\\s+f(?:ü|ue)r\\s+Arbeit\\b',
]);
export const MINORS = compileList(AD.minor_audience_signals.patterns);
export const GE_SIGNALS = compileList(AD.jobcenter_type.gE_signals);
export const ZKT_SIGNALS = compileList(AD.jobcenter_type.zkT_signals);
export const JOBCENTER = compileRule('\\bJobcenter\\b');

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
export const CATEGORY_WEIGHT: number = AD.platform_signals.instagram_facebook_category.weight;
export const CATEGORY_LABELS: ReadonlySet<string> = new Set(
  Object.values(AD.platform_signals.instagram_facebook_category.labels)
    .flat()
    .map((l) => foldLabel(l)),
);
/** Category labels stand on a line of their own (Instagram's header, X's professional category, LinkedIn's "Art"). */
export const MAX_CATEGORY_LINE = 80;

export const BIO_LINK_WEIGHT: number = AD.platform_signals.bio_links_official_domain.weight;
export const IMPRINT_WEIGHT: number = AD.platform_signals.imprint_public_law_entity.weight;
export const X_GREY_WEIGHT: number = AD.platform_signals.x_grey_checkmark.weight;
/** platform_signals.platform_verified: a badge confirms who runs the account, not that it is public. */
export const VERIFIED_WEIGHT: number = AD.platform_signals.platform_verified.weight;
export const EMAIL_WEIGHT: number = AD.platform_signals.email_official_domain.weight;
export const HANDLE_DOMAIN_WEIGHT: number = AD.platform_signals.bluesky_domain_handle.weight;
export const VERIFIED_LINK_WEIGHT: number = AD.platform_signals.mastodon_verified_link.weight;
export const OFFICIAL_PHRASE_WEIGHT: number = AD.platform_signals.official_account_phrase.weight;
export const BIO_PUBLIC_LAW_WEIGHT: number = AD.platform_signals.bio_public_law_statement.weight;
export const LINKED_IMPRINT_WEIGHT: number = AD.platform_signals.linked_site_imprint.weight;
export const MASTODON_WEIGHT: number = AD.mastodon_instances.weight;
export const COUNTER_WEIGHT: number = AD.counter_signals.weight;

/** platform_signals.official_account_phrase, not right after a negation ("kein offizieller Account"). */
const OFFICIAL_PHRASES = compileList(AD.platform_signals.official_account_phrase.patterns);
const NEGATION_BEFORE =
  /\b(?:kein(?:e[nrs]?)?|nicht|not|no|never|niemals)\s+(?:der|die|das|ein(?:e[nrs]?)?|the|an?)?\s*$/i;
/** platform_signals.bio_public_law_statement.extra_patterns (English wording the imprint rule lacks). */
const BIO_PUBLIC_LAW_EXTRA = compileList(AD.platform_signals.bio_public_law_statement.extra_patterns);
/** A verification badge, by its label (aria-label, alt, title) in the platforms' languages. */
export const VERIFIED_BADGE = /verifi|best(?:ä|ae)tigt|gepr(?:ü|ue)ft/i;
/**
 * X's grey check: the badge of a "government or multilateral organization" (help.x.com, "About
 * verified accounts"), drawn in #829AAB; the blue and gold checks are paid and business badges.
 */
export const X_GREY = /rgb\(\s*130,\s*154,\s*171\s*\)|#829aab/i;

/** counter_signals: each group once. Acronyms (CDU, GdP …) are compiled case-sensitively. */
const isAcronymList = (src: string): boolean => /^\\b\(\?:[\p{L}|]+\)\\b$/u.test(src);
const compileCounter = (list: readonly string[]): RegExp[] =>
  list
    .map((src) => (isAcronymList(src) ? compileRule(src, '', 'u') : compileRule(src)))
    .filter((r): r is RegExp => r !== null);
export const COUNTER_GROUPS: readonly { group: string; patterns: RegExp[] }[] = [
  { group: 'union', patterns: compileCounter(AD.counter_signals.union_association) },
  { group: 'party', patterns: compileCounter(AD.counter_signals.party) },
];
export const PERSONAL_ACCOUNT = compileCounter(AD.counter_signals.personal_account);

type DomainRule =
  | { kind: 'suffix'; value: string; weight: number; label: string }
  | { kind: 'tld'; value: string; weight: number; label: string }
  | { kind: 'regex'; re: RegExp; weight: number; label: string };

const DOMAIN_RULES: DomainRule[] = AD.domains.flatMap((d): DomainRule[] => {
  const label = `${d.country} ${d.level}`;
  if ('suffix' in d && typeof d.suffix === 'string')
    return [{ kind: 'suffix', value: d.suffix.toLowerCase(), weight: d.weight, label }];
  if ('tld' in d && typeof d.tld === 'string')
    return [{ kind: 'tld', value: d.tld.toLowerCase(), weight: d.weight, label }];
  if ('host_regex' in d && typeof d.host_regex === 'string') {
    const re = compileRule(d.host_regex);
    return re ? [{ kind: 'regex', re, weight: d.weight, label }] : [];
  }
  return [];
});

/** mastodon_instances.hosts, IDN hosts in their punycode form ("bawü.social" → "xn--baw-joa.social"). */
export const MASTODON_HOSTS: ReadonlySet<string> = new Set(
  AD.mastodon_instances.hosts.map((h) => normaliseHost(h)).filter((h): h is string => h !== null),
);

// ---------------------------------------------------------------------------------------------
// Helpers

export function str(v: unknown, max: number): string {
  return typeof v === 'string' ? (v.length > max ? v.slice(0, max) : v) : '';
}

export function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > EVIDENCE_MAX ? one.slice(0, EVIDENCE_MAX - 1).trimEnd() + '…' : one;
}

export function foldLabel(s: string): string {
  return normaliseText(s).trim().replace(/\s+/g, ' ').toLocaleLowerCase('de');
}

/** Lower-case ASCII (punycode) host of a host name, or null. */
export function normaliseHost(host: string): string | null {
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
      d.kind === 'suffix'
        ? h === d.value || h.endsWith(`.${d.value}`)
        : d.kind === 'tld'
          ? h.endsWith(`.${d.value}`)
          : d.re.test(h);
    if (hit && (!best || d.weight > best.weight)) best = { weight: d.weight, label: d.label };
  }
  return best;
}

/** Leftmost match of any of `res` in `text` (so evidence comes from the profile name before the title). */
export function firstOf(res: readonly RegExp[], text: string): RuleMatch | null {
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
export function handleWords(handle: string): string {
  return handle
    .replace(/^@/, '')
    .replace(/@.*$/, '')
    .replace(/[_.-]+/g, ' ')
    .trim();
}

/** Host words ("www.jobcenter-musterstadt.de" → "www jobcenter musterstadt de") for name-like patterns. */
export function hostWords(host: string | null): string {
  return host ? host.replace(/[.-]+/g, ' ') : '';
}

/** The instance a Mastodon account lives on: from "@user@host", the URL path "/@user@host", else the page host. */
export function mastodonAccountHost(handle: string, pageUrl: string, pageHost: string | null): string | null {
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

export function publicLawInImprint(imprint: string): RuleMatch | null {
  for (const m of allMatches(PUBLIC_LAW, imprint, 50)) {
    if (BARE_BEHOERDE.test(m.text) && SUPERVISORY_LABEL.test(imprint.slice(Math.max(0, m.index - 40), m.index)))
      continue;
    return m;
  }
  return null;
}

/** Imprint head without its heading ("Impressum", "Angaben gemäß § 5 DDG"), where the provider is named. */
export function imprintHead(imprint: string): string {
  return imprint
    .replace(/^\s*(?:impressum|imprint|anbieterkennzeichnung|legal notice)\s*[:\n]?/i, '')
    .slice(0, IMPRINT_HEAD_CHARS);
}

/** The best official-domain match among hosts, capped at `cap`; null when none matches. */
export function bestDomain(
  hosts: readonly (string | null)[],
  cap: number,
  skip: string | null,
): { host: string; weight: number; label: string } | null {
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
export function emailsIn(text: string): { address: string; domain: string }[] {
  const out: { address: string; domain: string }[] = [];
  const re =
    /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24})(?![\p{L}\p{N}-])/gu;
  for (let m = re.exec(text); m && out.length < 10; m = re.exec(text))
    out.push({ address: m[0], domain: m[1]!.toLowerCase() });
  return out;
}

/** First official-account claim not preceded by a negation ("kein offizieller Account der Stadt"). */
export function officialClaim(text: string): RuleMatch | null {
  for (const re of OFFICIAL_PHRASES) {
    for (const m of allMatches(re, text, 20)) {
      if (!NEGATION_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) return m;
    }
  }
  return null;
}

/** A public-law statement in the account's own words; the bare word "Behörde" is a category, not a statement. */
export function publicLawInBio(bio: string): RuleMatch | null {
  for (const m of allMatches(PUBLIC_LAW, bio, 50)) if (!BARE_BEHOERDE.test(m.text)) return m;
  return firstOf(BIO_PUBLIC_LAW_EXTRA, bio);
}
