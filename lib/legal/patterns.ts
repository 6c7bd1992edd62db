/**
 * Compiling the research team's regexes (lib/legal/rules.json) and normalising text before they run.
 *
 * rules.json `meta.compile_convention`:
 *  - flags 'iu'; a pattern containing \p{Lu} is compiled with 'u' only, otherwise 'i' would make
 *    \p{Lu} match lower-case letters too;
 *  - every '\b' is replaced by a Unicode word boundary, because JS '\b' is ASCII-only even with 'u'
 *    (`\böffentlich` would never match);
 *  - patterns starting with '^' apply per line. We compile those with the 'm' flag, which anchors
 *    '^' at every line start: the same result as splitting on '\n', without copying the text.
 *
 * Pure: no DOM, no `browser.*`; compiled RegExps are cached per (source, flags).
 */
import rules from './rules.json';

/** Unicode-aware word boundary (rules.json meta.compile_convention.unicode_word_boundary). */
export const UNICODE_WORD_BOUNDARY = String.raw`(?:(?<=[\p{L}\p{N}_])(?![\p{L}\p{N}_])|(?<![\p{L}\p{N}_])(?=[\p{L}\p{N}_]))`;

/**
 * The same boundary for patterns compiled without 'u': letters and digits of the Latin (incl.
 * Extended-A/B/Additional, IPA), Greek and Cyrillic blocks spelled out as ranges — the scripts of
 * every EU/EEA language. Why not always \p{L}: V8 compiles [\p{L}\p{N}_] under 'iu' about 25×
 * slower (≈ 5 ms per boundary, measured; a link-pattern list has ~100 of them, and the MV3 service
 * worker restarts often), and scans 'u' regexes 10–50× slower. Difference: a letter of another
 * script directly next to a (Latin) keyword counts as a non-letter.
 */
const WORD_CHARS_NO_U = String.raw`[0-9A-Z_a-z\u00AA\u00B5\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02AF\u0370-\u03FF\u0400-\u052F\u1E00-\u1EFF]`;
export const EUROPEAN_WORD_BOUNDARY = `(?:(?<=${WORD_CHARS_NO_U})(?!${WORD_CHARS_NO_U})|(?<!${WORD_CHARS_NO_U})(?=${WORD_CHARS_NO_U}))`;

const cache = new Map<string, RegExp | null>();

/** The flags rules.json's convention prescribes for a pattern ('u' or 'iu', plus 'm' for '^' patterns). */
export function conventionFlags(source: string): string {
  const base = source.includes('\\p{Lu}') ? 'u' : 'iu';
  return source.startsWith('^') ? base + 'm' : base;
}

/** Patterns that cannot be compiled without 'u': Unicode property/code point escapes or astral characters. */
function needsUnicodeFlag(source: string): boolean {
  return /\\[pPu]\{|[\uD800-\uDFFF]/.test(source);
}

/**
 * Compiles a rules.json pattern per meta.compile_convention. `extraFlags` may add 'g' or 'y';
 * `baseFlags` overrides the convention where a pattern needs it (documented at the call site).
 * Patterns that need 'u' only for the word boundary are compiled without it (see
 * EUROPEAN_WORD_BOUNDARY); case sensitivity ('i' or not) is kept as the convention says.
 * Returns null (never throws) for a pattern the engine rejects, so one bad rule cannot take the
 * whole analysis down; callers treat null as "never matches".
 */
export function compileRule(source: string, extraFlags = '', baseFlags = conventionFlags(source)): RegExp | null {
  const key = `${baseFlags}${extraFlags}\u0000${source}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let re: RegExp | null = null;
  try {
    if (needsUnicodeFlag(source)) {
      re = new RegExp(source.replaceAll('\\b', UNICODE_WORD_BOUNDARY), baseFlags + extraFlags);
    } else {
      const flags = baseFlags.replace('u', '');
      re = new RegExp(source.replaceAll('\\b', EUROPEAN_WORD_BOUNDARY), flags + extraFlags);
      registerPrefilter(re, source, flags);
    }
  } catch {
    re = null;
  }
  cache.set(key, re);
  return re;
}

/**
 * Speed: a pattern starting with a lookaround (every '\b') defeats V8's fast literal scan (60 ms
 * per MB for regex.privacy.complaint, measured). So each rule also gets a *prefilter*: the
 * pattern with every boundary removed. Removing a zero-width assertion only widens the language,
 * so every exact match starts where the prefilter matches; the exact regex is then tried
 * (sticky) only at those positions (≈ 1.5 ms per MB).
 */
const prefilters = new WeakMap<RegExp, RegExp>();

function registerPrefilter(re: RegExp, source: string, flags: string): void {
  try {
    prefilters.set(re, new RegExp(source.replaceAll('\\b', ''), flags.replace(/[gy]/g, '') + 'g'));
  } catch {
    // No prefilter: the exact regex alone is still correct.
  }
}

const globals = new WeakMap<RegExp, RegExp>();
const stickies = new WeakMap<RegExp, RegExp>();
/** A 'g' or 'y' twin of `re`, created on first use (V8 compiles each RegExp object separately). */
function twin(re: RegExp, flag: 'g' | 'y'): RegExp {
  const map = flag === 'g' ? globals : stickies;
  let t = map.get(re);
  if (!t) {
    t = new RegExp(re.source, re.flags.replace(/[gy]/g, '') + flag);
    map.set(re, t);
  }
  return t;
}

/** Leftmost match of `re` at or after `from`, using the prefilter when there is one. */
function execFrom(re: RegExp, text: string, from: number): RegExpExecArray | null {
  const pre = prefilters.get(re);
  if (!pre) {
    const g = twin(re, 'g');
    g.lastIndex = from;
    return g.exec(text);
  }
  const y = twin(re, 'y');
  let pos = from;
  while (pos <= text.length) {
    pre.lastIndex = pos;
    const candidate = pre.exec(text);
    if (!candidate) return null;
    y.lastIndex = candidate.index;
    const m = y.exec(text);
    if (m) return m;
    pos = candidate.index + 1;
  }
  return null;
}

/** Several patterns as one alternation, so a short string is tested once instead of N times. */
export function compileAny(sources: readonly string[], extraFlags = ''): RegExp | null {
  const usable = sources.filter((s) => compileRule(s) !== null);
  if (usable.length === 0) return null;
  // None of the link/keyword lists uses '^'; a list containing \p{Lu} is compiled case-sensitively
  // as the convention prescribes for that pattern.
  const caseSensitive = usable.some((s) => s.includes('\\p{Lu}'));
  return compileRule(usable.map((s) => `(?:${s})`).join('|'), extraFlags, caseSensitive ? 'u' : 'iu');
}

export interface RuleMatch {
  index: number;
  end: number;
  text: string;
  groups?: Record<string, string | undefined>;
}

/** First match of a compiled rule in `text` at or after `from`, or null. */
export function firstMatch(re: RegExp | null, text: string, from = 0): RuleMatch | null {
  if (!re) return null;
  const m = execFrom(re, text, from);
  return m ? { index: m.index, end: m.index + m[0].length, text: m[0], groups: m.groups } : null;
}

/**
 * All matches, at most `limit` (bounds work on hostile input; a page with 100 000 "Cookie"
 * mentions needs none of them after the first few).
 */
export function allMatches(re: RegExp | null, text: string, limit = 200): RuleMatch[] {
  if (!re) return [];
  const out: RuleMatch[] = [];
  let pos = 0;
  while (out.length < limit && pos <= text.length) {
    const m = execFrom(re, text, pos);
    if (!m) break;
    out.push({ index: m.index, end: m.index + m[0].length, text: m[0], groups: m.groups });
    pos = m[0].length === 0 ? m.index + 1 : m.index + m[0].length;
  }
  return out;
}

/** Looks a rules.json `regex.<section>.<key>` pattern up and compiles it (null if absent/invalid). */
export function rule(section: 'imprint' | 'privacy', key: string, extraFlags = ''): RegExp | null {
  const table = rules.regex[section] as Record<string, string | undefined>;
  const source = table[key];
  return typeof source === 'string' ? compileRule(source, extraFlags) : null;
}

// ---------------------------------------------------------------------------------------------
// Normalisation (rules.json `normalisation.steps`)

/** Characters rendered as spaces: NBSP, narrow NBSP, thin space, other Unicode spaces, tabs. */
const SPACE_LIKE = /[\t\f\v\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
/** Invisible characters that split words in the source: soft hyphen, zero-width (non-)joiners, BOM. */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;

/**
 * The text every legal regex runs on: NFC, NBSP/narrow NBSP/thin space → ' ' (normalisation.steps),
 * soft hyphens and zero-width characters removed (they hide words: "Daten\u00ADschutz"),
 * CR/CRLF → '\n', runs of spaces collapsed, spaces around line breaks trimmed.
 * Umlauts are kept: the regexes accept both 'ä' and 'ae' (normalisation.steps, 4th item).
 */
export function normaliseText(input: string): string {
  if (typeof input !== 'string' || input.length === 0) return '';
  let s = input;
  try {
    s = s.normalize('NFC');
  } catch {
    // Lone surrogates can make normalize() throw in some engines; keep the raw text then.
  }
  return s
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .replace(SPACE_LIKE, ' ')
    .replace(/ {2,}/g, ' ')
    .replace(/ ?\n ?/g, '\n');
}

/** Copy for address/phone regexes only: en/em dashes and minus signs → '-' (normalisation.steps, 3rd item). */
export function normaliseForAddress(normalised: string): string {
  return normalised.replace(/[\u2010-\u2015\u2212]/g, '-');
}

/**
 * Copy for service-alias matching (normalisation.steps, last item; service_matching.mention_check):
 * lower-cased, ß→ss, ä→ae, ö→oe, ü→ue, and '-', '_', '.' → ' '. Apply the same function to the
 * aliases, so "Link-in-Bio" and "linktr.ee" match "Link in Bio" and "linktr ee".
 */
export function normaliseForAliases(input: string): string {
  return normaliseText(input)
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/[-_.]/g, ' ')
    .replace(/[ \n]+/g, ' ');
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------
// Evidence

/** Longest evidence snippet shown to the user. */
export const EVIDENCE_MAX = 120;

/**
 * A one-line snippet of `text` covering [start, end), with a little context from the same lines:
 * up to 24 characters before and the rest of the budget after (labels precede their values:
 * "USt-IdNr.: DE…", "vertreten durch …"). At most `max` characters.
 */
export function snippet(text: string, start: number, end: number, max = EVIDENCE_MAX): string {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  const room = Math.max(0, max - (e - s));
  let from = Math.max(0, s - Math.min(24, Math.floor(room / 3)));
  const nlBefore = text.lastIndexOf('\n', s - 1);
  if (nlBefore >= from) from = nlBefore + 1;
  let to = Math.min(text.length, e + (room - (s - from)));
  const nlAfter = text.indexOf('\n', e);
  if (nlAfter >= 0 && nlAfter < to) to = nlAfter;
  // Never start or end inside a word of the context ("utzgründen deaktiviert …"): drop the
  // partial word and mark the cut.
  let lead = '';
  if (from > 0 && from < s && /[\p{L}\p{N}]/u.test(text[from - 1] ?? '')) {
    const space = text.slice(from, s).search(/\s/);
    if (space >= 0) {
      from += space + 1;
      lead = '… ';
    }
  }
  let tail = '';
  if (to < text.length && to > e && /[\p{L}\p{N}]/u.test(text[to] ?? '')) {
    const lastSpace = text.slice(e, to).search(/\s\S*$/);
    if (lastSpace >= 0) {
      to = e + lastSpace;
      tail = ' …';
    }
  }
  const out = text.slice(from, to).replace(/\s+/g, ' ').trim();
  if (!out) return out;
  const room2 = max - lead.length - tail.length;
  if (out.length > room2) return `${lead}${out.slice(0, Math.max(0, room2 - 1)).trimEnd()}…`;
  return `${lead}${out}${tail}`;
}

/**
 * Length-preserving guard for regexes with unbounded letter loops (street/city patterns):
 * runs of 4+ capitals become Title-case ("MUSTERSTRASSE" → "Musterstrasse"; otherwise
 * `(?:\p{Lu}[\p{L}]*\s?){1,5}` can split the run in exponentially many ways), and letter runs
 * longer than 40 characters get a space every 40 (no street or city name is that long), which
 * bounds backtracking to O(40·n) on hostile text.
 */
export function guardLetterRuns(s: string): string {
  return s
    .replace(/\p{Lu}{4,}/gu, (run) => {
      const folded = run[0] + run.slice(1).toLowerCase();
      return folded.length === run.length ? folded : run;
    })
    .replace(/[\p{L}\p{M}.'-]{41,}/gu, (run) => run.replace(/([\s\S]{40})[\s\S]/g, '$1 '));
}

/** Counts letters and digits (what is left of a page once markup and punctuation are ignored). */
export function countMeaningfulChars(text: string): number {
  return text.replace(/[^\p{L}\p{N}]+/gu, '').length;
}

// ---------------------------------------------------------------------------------------------
// Findings shared by the imprint and privacy-notice analysers

/** One expected element of an imprint or privacy notice. */
export interface ElementFinding {
  found: boolean;
  /** Short one-line excerpt (≤ 120 chars) of where it was found, or of the partial hit. Plain text: escape before rendering. */
  evidence?: string;
  /**
   * Set when only half of the element's condition was met, e.g. "vertreten durch" without a
   * name nearby, a VAT label without a number, a controller heading without contact details.
   */
  partial?: boolean;
}

export const NOT_FOUND: ElementFinding = Object.freeze({ found: false }) as ElementFinding;

/**
 * Where evidence for a match should end: at the match, unless the match is a label alone on its
 * line ("Aufsichtsbehörde" as a heading) — then the next line, which holds the value, is included.
 */
function evidenceEnd(text: string, end: number): number {
  const nl = text.indexOf('\n', end);
  if (nl < 0 || /[\p{L}\p{N}]{3}/u.test(text.slice(end, nl))) return end;
  const next = text.indexOf('\n', nl + 1);
  return next < 0 ? text.length : next;
}

/** Found-finding with a snippet around the match. */
export function foundAt(text: string, m: RuleMatch): ElementFinding {
  return { found: true, evidence: snippet(text, m.index, evidenceEnd(text, m.end)) };
}

/** Partial finding with a snippet around the match. */
export function partialAt(text: string, m: RuleMatch): ElementFinding {
  return { found: false, partial: true, evidence: snippet(text, m.index, evidenceEnd(text, m.end)) };
}

/**
 * Largest text the analysers look at (≈ 100 ms per MB for the privacy analyser, measured).
 * Real imprints and privacy notices are far below this (long notices run to ~200 kB); the cap
 * bounds the work on hostile or broken pages.
 */
export const MAX_ANALYSED_CHARS = 4_000_000;

/**
 * Prepares page text for the analysers: caps the length (reporting truncation) and normalises
 * it per rules.json `normalisation`. Never throws; non-strings become ''.
 */
export function prepareText(input: unknown, max = MAX_ANALYSED_CHARS): { text: string; truncated: boolean } {
  if (typeof input !== 'string') return { text: '', truncated: false };
  const truncated = input.length > max;
  return { text: normaliseText(truncated ? input.slice(0, max) : input), truncated };
}

/** Lines that are only headings or navigation (menus, "Impressum", "Startseite | Kontakt") carry no content. */
const BOILERPLATE_LINE =
  /^(?:impressum|imprint|anbieterkennzeichnung|legal notice|site notice|kontakt|contact|startseite|home|men[üu]|menu|navigation|suche|search|datenschutz(?:erkl[äa]rung)?|privacy(?: policy)?|barrierefreiheit|accessibility|sitemap|login|anmelden|nach oben|zur[üu]ck|back|top|cookie[- ]?einstellungen|cookie settings|deutsch|english|leichte sprache|geb[äa]rdensprache|zum inhalt springen|skip to (?:main )?content|teilen|share|drucken|print|schlie(?:ß|ss)en|close|highlights?|story|stories|folgen|follow|[\s|·•>/\-–—:.,]+)+$/iu;


/** True for an empty line or one made only of navigation/heading words and separators. */
export function isNavigationLine(line: string): boolean {
  const l = line.trim();
  return l === '' || BOILERPLATE_LINE.test(l);
}
