/**
 * Link logic for page checks, on plain data the content script collects (no DOM here):
 * finding the owner's imprint and privacy-notice links (SPEC § 4, rules.json `link_patterns`),
 * unwrapping platform redirectors (rules.json `normalisation.url_unwrapping`), and spotting
 * messenger channels and invitations to send personal matters by direct message (R-AUTH-04/05).
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
}

export type LinkSignal = 'text' | 'title' | 'aria-label' | 'url';

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
// Redirectors

interface Redirector {
  host: RegExp;
  path?: RegExp;
  params: readonly string[];
}

/**
 * Redirect wrappers whose target is in the URL itself. rules.json normalisation.url_unwrapping
 * lists l.instagram.com, l.facebook.com, lm.facebook.com, www.google.com/url; we add Threads,
 * YouTube and LinkedIn. t.co hides its target (it needs a request), so it is left alone.
 */
const REDIRECTORS: readonly Redirector[] = [
  { host: /^l\.instagram\.com$/, params: ['u'] },
  { host: /^(?:l|lm)\.facebook\.com$/, params: ['u'] },
  { host: /^(?:www\.|m\.)?facebook\.com$/, path: /^\/l\.php$/, params: ['u'] },
  { host: /^l\.threads\.(?:net|com)$/, params: ['u'] },
  { host: /^(?:www\.|m\.)?youtube\.com$/, path: /^\/redirect$/, params: ['q'] },
  { host: /^(?:www\.)?linkedin\.com$/, path: /^\/redir\//, params: ['url'] },
  { host: /^(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?$/, path: /^\/url$/, params: ['q', 'url'] },
];

function parseUrl(s: string, base?: string): URL | null {
  try {
    return base === undefined ? new URL(s) : new URL(s, base);
  } catch {
    return null;
  }
}

function isHttp(u: URL): boolean {
  return u.protocol === 'http:' || u.protocol === 'https:';
}

/**
 * The target of a platform redirect link (Instagram/Facebook/Threads link shims, YouTube and
 * LinkedIn redirects, Google /url), unwrapped up to three levels. Returns the input unchanged
 * when it is no such link or the target is not an absolute http(s) URL.
 */
export function unwrapRedirector(href: string): string {
  if (typeof href !== 'string') return '';
  let current = href;
  for (let depth = 0; depth < 3; depth++) {
    const u = parseUrl(current.trim());
    if (!u || !isHttp(u)) break;
    const host = u.hostname.toLowerCase();
    const r = REDIRECTORS.find((x) => x.host.test(host) && (!x.path || x.path.test(u.pathname)));
    if (!r) break;
    const target = r.params.map((p) => u.searchParams.get(p)).find((v) => v !== null && v !== '');
    const t = target ? parseUrl(target.trim()) : null;
    if (!t || !isHttp(t)) break;
    current = t.href;
  }
  return current;
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
const OPAQUE_HREF = /%|[?&](?:u|q|url)=/;
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
  texts: { text: string; title: string; aria: string },
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
  for (const [signal, value] of [['title', texts.title], ['aria-label', texts.aria]] as const) {
    if (value && firstMatch(kind.any, value)) {
      matchedBy.push(signal);
      language ??= languageOf(kind.perLanguage, value);
      if (score === 0) score += 80;
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
    if (!c || typeof c.href !== 'string' || c.href.length === 0 || c.href.length > 4096 || SKIP_SCHEMES.test(c.href)) continue;
    const texts = { text: label(c.text), title: label(c.title), aria: label(c.ariaLabel) };
    const rawHref = c.href.toLowerCase();
    const labelHit = [texts.text, texts.title, texts.aria].some((t) => t !== '' && firstMatch(ANY_LABEL, t) !== null);
    if (!labelHit && !OPAQUE_HREF.test(rawHref) && !firstMatch(ANY_PATH, rawHref)) continue;

    const resolved = parseUrl(c.href.trim(), base);
    if (!resolved || !isHttp(resolved)) continue;
    const target = unwrapRedirector(resolved.href);
    const unwrapped = target === resolved.href ? resolved : parseUrl(target);
    if (!unwrapped || !isHttp(unwrapped)) continue;
    if (PLATFORM_OWN && firstMatch(PLATFORM_OWN, unwrapped.href)) continue;

    const region: LinkRegion = c.region in REGION_BONUS ? c.region : 'other';
    const path = urlPathOf(unwrapped);
    const key = unwrapped.href.replace(/#.*$/, '');

    const imp = scoreFor(IMPRINT, texts, path, region, true);
    if (imp) keep(imprint, key, { link: { url: unwrapped.href, text: texts.text || texts.title || texts.aria, region, ...imp }, order: i });

    const isSettings = firstMatch(SETTINGS, `${texts.text} | ${texts.title} | ${texts.aria}`) !== null;
    const prv = scoreFor(PRIVACY, texts, path, region, false);
    // A "Datenschutz-Einstellungen" button opens the consent dialog; it is the notice only if its URL says so.
    if (prv && (!isSettings || prv.matchedBy.includes('url'))) {
      keep(privacy, key, { link: { url: unwrapped.href, text: texts.text || texts.title || texts.aria, region, ...prv }, order: i });
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

// ---------------------------------------------------------------------------------------------
// Messenger channels (R-AUTH-05: authority offers WhatsApp; BfDI 14.04.2020, LDI NRW 02.04.2025)

export type MessengerKind = 'whatsapp' | 'telegram' | 'signal' | 'threema';

export interface MessengerChannel {
  kind: MessengerKind;
  /** Normalised URL (https:// added to bare "wa.me/…" mentions; app schemes kept as written). */
  url: string;
  /** 'link': an <a href>; 'text': a URL written in the page/bio text. */
  source: 'link' | 'text';
}

/** Text scanned for messenger URLs and DM invitations. */
const MAX_SCAN_CHARS = 2_000_000;
const MAX_CHANNELS = 50;

/**
 * Web hosts and app schemes of messenger contact links. Superset of services.whatsapp.link_patterns
 * (wa.me, api.whatsapp.com/send, chat.whatsapp.com, web.whatsapp.com, whatsapp.com/channel).
 */
function messengerKind(u: URL): MessengerKind | null {
  const scheme = u.protocol.toLowerCase();
  if (scheme === 'whatsapp:') return 'whatsapp';
  if (scheme === 'tg:') return 'telegram';
  if (scheme === 'sgnl:') return 'signal';
  if (scheme === 'threema:') return 'threema';
  if (!isHttp(u)) return null;
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  const path = u.pathname;
  const hasPath = path.length > 1;
  if (host === 'wa.me' || host === 'chat.whatsapp.com') return hasPath ? 'whatsapp' : null;
  if (host === 'api.whatsapp.com' || host === 'web.whatsapp.com') return /^\/send/.test(path) || u.searchParams.has('phone') ? 'whatsapp' : null;
  if (host === 'whatsapp.com' && /^\/channel\//.test(path)) return 'whatsapp';
  if (host === 't.me' || host === 'telegram.me' || host === 'telegram.dog') return hasPath ? 'telegram' : null;
  if (host === 'signal.me' || host === 'signal.group') return hasPath || u.hash.length > 1 ? 'signal' : null;
  if (host === 'threema.id') return hasPath ? 'threema' : null;
  return null;
}

/** Messenger URLs written as text ("wa.me/4915…", "https://t.me/jobcenter", "threema.id/ABCD1234"). */
const MESSENGER_IN_TEXT =
  /(?<![A-Za-z0-9\u00C0-\u024F.@/-])(?:(?:https?:\/\/)?(?:www\.)?(?:wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|web\.whatsapp\.com|whatsapp\.com\/channel|t\.me|telegram\.me|telegram\.dog|signal\.me|signal\.group|threema\.id)\/[^\s<>"'`()[\]{}]+|(?:whatsapp|tg|sgnl|threema):\/\/[^\s<>"'`()[\]{}]+)/gi;

/**
 * Messenger channels offered on the page: links (after redirector unwrapping) and URLs written in
 * the text (bios often show "wa.me/49…" without a link). Deduplicated, at most 50.
 */
export function findMessengerChannels(candidates: readonly LinkCandidate[], text: string): MessengerChannel[] {
  const out: MessengerChannel[] = [];
  const seen = new Set<string>();
  const add = (u: URL | null, source: MessengerChannel['source']): void => {
    if (!u || out.length >= MAX_CHANNELS) return;
    const kind = messengerKind(u);
    if (!kind) return;
    const url = u.href;
    const key = url.toLowerCase().replace(/\/$/, '');
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, url, source });
  };
  const list = Array.isArray(candidates) ? candidates : [];
  for (let i = 0; i < Math.min(list.length, MAX_LINK_CANDIDATES); i++) {
    const href = list[i]?.href;
    if (typeof href !== 'string' || href.length === 0 || href.length > 4096) continue;
    add(parseUrl(unwrapRedirector(href.trim())), 'link');
  }
  if (typeof text === 'string' && text.length > 0) {
    const scan = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
    MESSENGER_IN_TEXT.lastIndex = 0;
    for (let m = MESSENGER_IN_TEXT.exec(scan); m && out.length < MAX_CHANNELS; m = MESSENGER_IN_TEXT.exec(scan)) {
      const raw = m[0].replace(/[.,;:!?]+$/, '');
      add(parseUrl(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`), 'text');
    }
    MESSENGER_IN_TEXT.lastIndex = 0;
  }
  return out;
}

/** "Schreib uns per WhatsApp", "WhatsApp-Kanal" … (services.whatsapp.text_signals), without a link. */
const WHATSAPP_TEXT = compileAny(rules.services.find((s) => s.id === 'whatsapp')?.text_signals ?? []);

/** Snippets where the text offers WhatsApp as a contact channel (services.whatsapp.text_signals), at most 10. */
export function findWhatsAppMentions(text: string): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const t = normaliseText(text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text);
  return [...new Set(allMatches(WHATSAPP_TEXT, t, 10).map((m) => snippet(t, m.index, m.end)))];
}

// ---------------------------------------------------------------------------------------------
// DM invitations (R-AUTH-04: DMs invited, no secure-channel notice; § 35 SGB I, Art. 5(1)(f), 32)

const DM_RULE = compileRule(rules.regex.dm_invite);
/** Wordings missing from regex.dm_invite: "per PN", "direct message", "DMs are open", "inbox us" … */
const DM_EXTRA = compileAny([
  String.raw`\b(?:per|via|als|eine?)\s+(?:PN|DM|Direct\s+Message|private\s+Nachricht)\b`,
  String.raw`\b(?:direct|private)\s+messages?\b`,
  String.raw`\bDMs?\s+(?:are\s+|sind\s+)?(?:open|offen)\b`,
  String.raw`\binbox\s+us\b`,
  String.raw`\bschick(?:t|en\s+Sie)?\s+uns\s+(?:gerne\s+)?(?:eine\s+)?(?:Nachricht|PN|DM)\b`,
]);
/** Generic "write to us" wordings count only when no other channel (mail, letter, form) is named with them. */
const GENERIC_DM = /^(?:schreib|schreiben\s+Sie|message\s+us|send\s+us\s+a\s+message|Fragen)/i;
const OTHER_CHANNEL = /E-?Mail|\bMail\b|@|Brief|Post\b|Postweg|Kontaktformular|Formular|Fax|Telefon|anrufen|\bcall\b|\bform\b|\bletter\b/i;
/** "Bitte keine … per Direktnachricht" is the opposite of an invitation (alternative_channels notice). */
const NEGATED = /\b(?:keine?[nrs]?|nicht|niemals|no|not|never|don't|do\s+not)\b[^.!?\n]{0,40}$/i;

/**
 * Snippets (≤ 120 chars, at most 10, deduplicated) in which the page invites people to contact it
 * by direct message (regex.dm_invite + DM_EXTRA). Negated mentions ("keine Sozialdaten per
 * Direktnachricht") and generic "schreiben Sie uns" next to e-mail/letter/form are not counted.
 */
export function findDmInvitations(text: string): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const t = normaliseText(text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text);
  const hits = [...allMatches(DM_RULE, t, 200), ...allMatches(DM_EXTRA, t, 200)].sort((a, b) => a.index - b.index);
  const out: string[] = [];
  let lastEnd = -Infinity;
  for (const m of hits) {
    // One invitation often matches twice ("Schreib uns eine Direktnachricht"): report a sentence once.
    if (m.index < lastEnd || (m.index - lastEnd < 200 && !/[.!?\n]/.test(t.slice(lastEnd, m.index)))) continue;
    const before = t.slice(Math.max(0, m.index - 60), m.index);
    if (NEGATED.test(before)) continue;
    if (GENERIC_DM.test(m.text) && OTHER_CHANNEL.test(t.slice(m.index, m.end + 60))) continue;
    lastEnd = m.end;
    const s = snippet(t, m.index, m.end);
    if (!out.includes(s)) out.push(s);
    if (out.length >= 10) break;
  }
  return out;
}
