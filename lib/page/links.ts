/**
 * Link logic for page checks, on plain data the content script collects (no DOM here):
 * finding the owner's imprint and privacy-notice links (SPEC § 4, rules.json `link_patterns`),
 * unwrapping platform redirectors (rules.json `normalisation.url_unwrapping`), and URLs written
 * as text. Messenger channels, DM invitations and comment claims are in lib/page/messaging.ts.
 *
 * Pure and total: never throws, bounded work (first MAX_LINK_CANDIDATES links, capped text).
 */
import rules from '../legal/rules.json';
import { compileAny, compileRule, firstMatch, allMatches, normaliseText, snippet } from '../legal/patterns';

export type LinkRegion = 'footer' | 'nav' | 'header' | 'main' | 'bio' | 'link-list' | 'other';

export interface LinkCandidate {
  href: string;
  text: string;
  title?: string;
  ariaLabel?: string;
  rel?: string;
  region: LinkRegion;
  /** Bio links: the label written right before the link ("Impressum:"). */
  before?: string;
  /** Bio links the platform marks verified (Mastodon: the page links back with rel="me"). */
  verified?: boolean;
}

export type LinkSignal = 'text' | 'title' | 'aria-label' | 'label' | 'url';

export interface RankedLink {
  /** Absolute http(s) URL, redirectors unwrapped. */
  url: string;
  /** Link text (normalised, ≤ 120 chars). */
  text: string;
  region: LinkRegion;
  score: number;
  matchedBy: LinkSignal[];
  /** Language of the first link_patterns list that matched ('de', 'en', …; 'weak' for Kontakt/About). */
  language: string | null;
  /**
   * Only a weak label matched ("Kontakt", "Über uns", "About"): counts as an imprint link only if
   * the target page has imprint elements (link_patterns.imprint.weak_all.note; BGH I ZR 228/03).
   */
  weak: boolean;
}

export interface LegalLinks {
  imprint: RankedLink[];
  privacy: RankedLink[];
}

/** Links looked at per page: 20 000-link pages stay fast; legal links sit in the first thousands or in the footer. */
export const MAX_LINK_CANDIDATES = 5000;
/** Ranked links returned per kind. */
export const MAX_RANKED_LINKS = 10;
/** Link text/label characters tested (a legal link label is short; long texts are paragraphs). */
const MAX_LABEL_CHARS = 200;

// ---------------------------------------------------------------------------------------------
// Redirectors (rules.json normalisation.url_unwrapping)

interface Redirector {
  host: (host: string) => boolean;
  path?: string;
  params: readonly string[];
  /** t.co: the target is only known from the link text. */
  fromText: boolean;
}

type UnwrapRow = {
  host?: string;
  host_regex?: string;
  hosts_from?: string;
  path?: string;
  param?: string;
  params?: string[];
  target?: string;
};

const LINK_IN_BIO_HOSTS: ReadonlySet<string> = new Set(
  rules.link_in_bio_hosts.flatMap((row) => ('host' in row && typeof row.host === 'string' ? [row.host] : [])),
);

function redirectorOf(row: UnwrapRow): Redirector | null {
  const params = row.params ?? (row.param ? [row.param] : []);
  const fromText = row.target === 'link_text';
  let host: Redirector['host'] | null = null;
  if (row.host) {
    const h = row.host.toLowerCase();
    host = (x) => x === h;
  } else if (row.host_regex) {
    const re = compileRule(row.host_regex, '', 'i');
    if (re) host = (x) => re.test(x);
  } else if (row.hosts_from === 'link_in_bio_hosts') {
    host = (x) => LINK_IN_BIO_HOSTS.has(x) || LINK_IN_BIO_HOSTS.has(x.replace(/^www\./, ''));
  }
  if (!host || (!fromText && params.length === 0)) return null;
  return { host, ...(row.path ? { path: row.path } : {}), params, fromText };
}

/**
 * Redirect wrappers of the platforms, as rules.json lists them: Instagram, Facebook and Threads
 * link shims, TikTok's /link/v2, YouTube's /redirect, LinkedIn's /redir/redirect, Google's /url,
 * link-in-bio click trackers, and t.co (whose target only its link text can show).
 */
const REDIRECTORS: readonly Redirector[] = (rules.normalisation.url_unwrapping as UnwrapRow[])
  .map(redirectorOf)
  .filter((r): r is Redirector => r !== null);

export function parseUrl(s: string, base?: string): URL | null {
  try {
    return base === undefined ? new URL(s) : new URL(s, base);
  } catch {
    return null;
  }
}

export function isHttp(u: URL): boolean {
  return u.protocol === 'http:' || u.protocol === 'https:';
}

function redirectorFor(u: URL): Redirector | null {
  const host = u.hostname.toLowerCase();
  return (
    REDIRECTORS.find(
      (x) => x.host(host) && (!x.path || u.pathname === x.path || u.pathname.startsWith(`${x.path}/`)),
    ) ?? null
  );
}

/**
 * A link text that shows a whole target: a host or a URL ("stadt-beispielhausen.de/impressum",
 * "https://www.example.org/x"), not one cut off ("example.org/impres…") and not prose.
 */
const WHOLE_TARGET =
  /^(?:https?:\/\/)?(?:[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?\.)+[a-z\u00a1-\uffff]{2,63}(?::\d{1,5})?(?:[/?#][^\s…]*)?$/iu;

/**
 * X shows a link as its "display URL": without the scheme and without a leading "www." (the
 * API's entities.urls[].display_url). A bare registrable host ("example.org/x") is read as the
 * www. host the link most likely had; a host with a subdomain is kept as shown.
 */
function targetFromText(text: string | undefined): URL | null {
  const t = (text ?? '').replace(/\s+/g, '').trim();
  if (!t || t.length > 2048 || /(?:…|\.\.\.)$/.test(t) || !WHOLE_TARGET.test(t)) return null;
  const u = parseUrl(/^https?:\/\//i.test(t) ? t : `https://${t}`);
  if (!u || !isHttp(u)) return null;
  if (!/^https?:\/\//i.test(t) && u.hostname.split('.').length === 2) u.hostname = `www.${u.hostname}`;
  return u;
}

/**
 * The target of a platform redirect link, unwrapped up to three levels (rules.json
 * normalisation.url_unwrapping). `text` is the link's text: for t.co it is the only source of the
 * target, and only when it shows the whole target. Returns the input unchanged when it is no such
 * link or the target is not an absolute http(s) URL; a t.co link without a whole target stays t.co.
 */
export function unwrapRedirector(href: string, text?: string): string {
  if (typeof href !== 'string') return '';
  let current = href;
  for (let depth = 0; depth < 3; depth++) {
    const u = parseUrl(current.trim());
    if (!u || !isHttp(u)) break;
    const r = redirectorFor(u);
    if (!r) break;
    let t: URL | null = null;
    if (r.fromText) t = targetFromText(text);
    else {
      const target = r.params.map((p) => u.searchParams.get(p)).find((v) => v !== null && v !== '');
      t = target ? parseUrl(target.trim()) : null;
    }
    if (!t || !isHttp(t)) break;
    current = t.href;
  }
  return current;
}

/** A link the page shows whose target cannot be known (t.co without a readable target). */
export function isOpaqueRedirect(href: string): boolean {
  const u = typeof href === 'string' ? parseUrl(href.trim()) : null;
  return u !== null && isHttp(u) && redirectorFor(u)?.fromText === true;
}

// ---------------------------------------------------------------------------------------------
// URLs written as text (LinkedIn descriptions, WhatsApp channel descriptions, og:description)

export interface TextUrl {
  url: string;
  /** The label written before it on the same line ("Impressum:", "Datenschutz:"), or ''. */
  label: string;
}

/**
 * Bare or full URLs in a text. A bare one needs a path or "www." (so "z.B." or "Beispielhausen.
 * Impressum" never become links); e-mail addresses are left out.
 */
const URL_IN_TEXT =
  /(?<![\p{L}\p{N}@._/-])(?:https?:\/\/[^\s<>"'`()[\]{}]+|(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\/[^\s<>"'`()[\]{}]*|www\.(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})/giu;
const MAX_TEXT_URLS = 20;

/** URLs written in a text, each with the label before it (text back to the previous URL, "·", "|" or line start). */
export function urlsInText(text: string): TextUrl[] {
  if (typeof text !== 'string' || text === '') return [];
  const scan = text.length > 20_000 ? text.slice(0, 20_000) : text;
  const out: TextUrl[] = [];
  let lastEnd = 0;
  URL_IN_TEXT.lastIndex = 0;
  for (let m = URL_IN_TEXT.exec(scan); m && out.length < MAX_TEXT_URLS; m = URL_IN_TEXT.exec(scan)) {
    // A display URL cut off with "…" is not its target (X, Instagram shorten long links so).
    if (/(?:…|\.\.\.)$/.test(m[0]) || /^(?:…|\.\.\.)/.test(scan.slice(m.index + m[0].length))) {
      lastEnd = m.index + m[0].length;
      continue;
    }
    const raw = m[0].replace(/[.,;:!?]+$/, '');
    const u = parseUrl(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`);
    const before = scan.slice(lastEnd, m.index);
    lastEnd = m.index + m[0].length;
    if (!u || !isHttp(u) || !u.hostname.includes('.')) continue;
    const label = (before.split(/[\n·|•]|[.!?](?:\s|$)/u).pop() ?? '').replace(/\s+/g, ' ').trim().slice(-80);
    out.push({ url: u.href, label });
  }
  URL_IN_TEXT.lastIndex = 0;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Legal links (SPEC § 4)

interface KindPatterns {
  any: RegExp | null;
  perLanguage: readonly [string, RegExp | null][];
  url: RegExp | null;
  urlPerLanguage: readonly [string, RegExp | null][];
}

type LanguageTable = Record<string, { text?: string[]; url_path?: string[] } | undefined>;

function kindPatterns(table: LanguageTable): KindPatterns {
  const langs = Object.keys(table).filter((l) => l !== 'weak_all');
  const text = langs.flatMap((l) => table[l]?.text ?? []);
  const paths = langs.flatMap((l) => table[l]?.url_path ?? []);
  return {
    any: compileAny(text),
    perLanguage: langs.map((l) => [l, compileAny(table[l]?.text ?? [])] as [string, RegExp | null]),
    url: compileAny(paths),
    urlPerLanguage: langs.map((l) => [l, compileAny(table[l]?.url_path ?? [])] as [string, RegExp | null]),
  };
}

const IMPRINT = kindPatterns(rules.link_patterns.imprint as LanguageTable);
const PRIVACY = kindPatterns(rules.link_patterns.privacy as LanguageTable);
const WEAK_IMPRINT = compileAny(rules.link_patterns.imprint.weak_all.text);
/** Cheap gate: a candidate is looked at closely only if a label or its raw href can match at all. */
const ANY_LABEL = compileAny([
  ...Object.values(rules.link_patterns.imprint).flatMap((l) => l.text),
  ...Object.values(rules.link_patterns.privacy).flatMap((l) => l.text),
]);
const ANY_PATH = compileAny([
  ...Object.values(rules.link_patterns.imprint).flatMap((l) => ('url_path' in l ? l.url_path : [])),
  ...Object.values(rules.link_patterns.privacy).flatMap((l) => l.url_path),
]);
/** Hrefs whose path is hidden in a parameter (redirectors) or %-encoded. */
const OPAQUE_HREF = /%|[?&](?:u|q|url|target)=|^https?:\/\/t\.co\//;
/**
 * Consent-settings links are not the privacy notice (link_patterns.cookie_settings), plus the
 * common "Datenschutz-Einstellungen"/"Privacy settings" labels that the privacy text patterns
 * would otherwise accept ("Datenschutz", "Privacy").
 */
const SETTINGS = compileAny([
  ...rules.link_patterns.cookie_settings.text,
  String.raw`\b(?:Datenschutz|Privacy|Cookie|Consent)[-\s]?(?:Einstellungen|Settings|Preferences|Pr(?:ä|ae)ferenzen|Choices)\b`,
]);
/** link_patterns.platform_own_links: the platform's own legal pages never satisfy the owner's duties. */
const PLATFORM_OWN = compileAny(rules.link_patterns.platform_own_links.patterns);

/** Where legal links usually sit (link_patterns.matching: footer, legal nav, bio). */
const REGION_BONUS: Record<LinkRegion, number> = {
  footer: 30,
  nav: 20,
  bio: 25,
  'link-list': 25,
  header: 5,
  main: 0,
  other: 0,
};

const SKIP_SCHEMES = /^\s*(?:javascript|data|blob|mailto|tel|sms|about|file|vbscript):/i;

/** Link label as tested: whitespace collapsed, capped; full normalisation only for non-ASCII labels. */
function label(s: unknown): string {
  if (typeof s !== 'string' || s.length === 0) return '';
  const capped = s.length > MAX_LABEL_CHARS * 4 ? s.slice(0, MAX_LABEL_CHARS * 4) : s;
  const plain = /^[\x20-\x7e]*$/.test(capped) ? capped : normaliseText(capped);
  return plain.replace(/\s+/g, ' ').trim().slice(0, MAX_LABEL_CHARS);
}

function urlPathOf(u: URL): string {
  let path = u.pathname + u.search + u.hash;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Malformed %-escapes: match on the raw path.
  }
  return path.toLowerCase();
}

function languageOf(list: readonly [string, RegExp | null][], s: string): string | null {
  for (const [lang, re] of list) if (re && firstMatch(re, s)) return lang;
  return null;
}

interface Scored {
  link: RankedLink;
  order: number;
}

function scoreFor(
  kind: KindPatterns,
  texts: { text: string; title: string; aria: string; before: string },
  path: string,
  region: LinkRegion,
  allowWeak: boolean,
): Omit<RankedLink, 'url' | 'text' | 'region'> | null {
  const matchedBy: LinkSignal[] = [];
  let language: string | null = null;
  let score = 0;
  if (texts.text && firstMatch(kind.any, texts.text)) {
    matchedBy.push('text');
    language = languageOf(kind.perLanguage, texts.text);
    score += 100 + (texts.text.length <= 40 ? 10 : 0);
  }
  for (const [signal, value] of [
    ['title', texts.title],
    ['aria-label', texts.aria],
  ] as const) {
    if (value && firstMatch(kind.any, value)) {
      matchedBy.push(signal);
      language ??= languageOf(kind.perLanguage, value);
      if (score === 0) score += 80;
    }
  }
  // A label before a link that shows only a URL ("Datenschutz: example.org/ds"): a field name in
  // a profile, so only when it ends like one (a colon) or is short.
  if (score === 0 && texts.before && (/[:：]\s*$/.test(texts.before) || texts.before.length <= 40)) {
    const tail = texts.before.split(/[.!?](?:\s|$)/).pop() ?? texts.before;
    if (firstMatch(kind.any, tail)) {
      matchedBy.push('label');
      language ??= languageOf(kind.perLanguage, tail);
      score += 90;
    }
  }
  if (path && firstMatch(kind.url, path)) {
    matchedBy.push('url');
    language ??= languageOf(kind.urlPerLanguage, path);
    score += score > 0 ? 40 : 60;
  }
  let weak = false;
  if (score === 0 && allowWeak && firstMatch(WEAK_IMPRINT, `${texts.text} ${texts.title} ${texts.aria}`)) {
    weak = true;
    language = 'weak';
    matchedBy.push(texts.text && firstMatch(WEAK_IMPRINT, texts.text) ? 'text' : 'title');
    score = 20;
  }
  if (score === 0) return null;
  return { score: score + REGION_BONUS[region], matchedBy, language, weak };
}

/**
 * Ranks the candidates that look like imprint or privacy-notice links: by link text, title and
 * aria-label and by URL path, in the languages of rules.json link_patterns (de, en, fr, es, it,
 * nl, pl, sv, da, pt, cs), preferring footer/nav/bio/link-list regions. Only absolute http(s)
 * URLs (resolved against pageUrl, redirectors unwrapped), deduplicated by URL without fragment.
 */
export function findLegalLinks(candidates: readonly LinkCandidate[], pageUrl: string): LegalLinks {
  const imprint = new Map<string, Scored>();
  const privacy = new Map<string, Scored>();
  const list = Array.isArray(candidates) ? candidates : [];
  const limit = Math.min(list.length, MAX_LINK_CANDIDATES);
  const base = typeof pageUrl === 'string' && parseUrl(pageUrl) ? pageUrl : undefined;

  for (let i = 0; i < limit; i++) {
    const c = list[i];
    if (!c || typeof c.href !== 'string' || c.href.length === 0 || c.href.length > 4096 || SKIP_SCHEMES.test(c.href))
      continue;
    const texts = { text: label(c.text), title: label(c.title), aria: label(c.ariaLabel), before: label(c.before) };
    const rawHref = c.href.toLowerCase();
    const labelHit = [texts.text, texts.title, texts.aria, texts.before].some(
      (t) => t !== '' && firstMatch(ANY_LABEL, t) !== null,
    );
    if (!labelHit && !OPAQUE_HREF.test(rawHref) && !firstMatch(ANY_PATH, rawHref)) continue;

    const resolved = parseUrl(c.href.trim(), base);
    if (!resolved || !isHttp(resolved)) continue;
    const target = unwrapRedirector(resolved.href, c.text);
    const unwrapped = target === resolved.href ? resolved : parseUrl(target);
    if (!unwrapped || !isHttp(unwrapped) || isOpaqueRedirect(unwrapped.href)) continue;
    if (PLATFORM_OWN && firstMatch(PLATFORM_OWN, unwrapped.href)) continue;

    const region: LinkRegion = c.region in REGION_BONUS ? c.region : 'other';
    const path = urlPathOf(unwrapped);
    const key = unwrapped.href.replace(/#.*$/, '');

    const imp = scoreFor(IMPRINT, texts, path, region, true);
    if (imp)
      keep(imprint, key, {
        link: { url: unwrapped.href, text: texts.text || texts.title || texts.aria, region, ...imp },
        order: i,
      });

    const isSettings = firstMatch(SETTINGS, `${texts.text} | ${texts.title} | ${texts.aria}`) !== null;
    const prv = scoreFor(PRIVACY, texts, path, region, false);
    // A "Datenschutz-Einstellungen" button opens the consent dialog; it is the notice only if its URL says so.
    if (prv && (!isSettings || prv.matchedBy.includes('url'))) {
      keep(privacy, key, {
        link: { url: unwrapped.href, text: texts.text || texts.title || texts.aria, region, ...prv },
        order: i,
      });
    }
  }
  return { imprint: ranked(imprint), privacy: ranked(privacy) };
}

function keep(map: Map<string, Scored>, key: string, s: Scored): void {
  const prev = map.get(key);
  if (!prev) {
    map.set(key, s);
    return;
  }
  const merged = [...new Set([...prev.link.matchedBy, ...s.link.matchedBy])];
  if (s.link.score > prev.link.score) map.set(key, { link: { ...s.link, matchedBy: merged }, order: prev.order });
  else prev.link.matchedBy = merged;
}

function ranked(map: Map<string, Scored>): RankedLink[] {
  return [...map.values()]
    .sort((a, b) => b.link.score - a.link.score || a.order - b.order)
    .slice(0, MAX_RANKED_LINKS)
    .map((s) => s.link);
}
