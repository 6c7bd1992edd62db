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
  // Negative lookarounds of one character class ("(?<![a-z…])", "(?!\\d)") are zero-width too.
  const wide = source.replaceAll('\\b', '').replace(/\(\?<?!\[(?:\\.|[^\]\\])*\]\)|\(\?<?!\\[dw]\)/g, '');
  if (wide === source) return;
  try {
    prefilters.set(re, new RegExp(wide, flags.replace(/[gy]/g, '') + 'g'));
  } catch {
    // No prefilter: the exact regex alone is still correct.
  }
}

/** Letters of the European scripts (Latin incl. extensions, IPA, Greek, Cyrillic), for patterns compiled without 'u'. */
export const EUROPEAN_LETTERS = String.raw`A-Za-z\u00AA\u00B5\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02AF\u0370-\u03FF\u0400-\u052F\u1E00-\u1EFF`;
const EUROPEAN_CLASSES: Record<string, string> = {
  L: EUROPEAN_LETTERS,
  Lu: String.raw`A-Z\u00C0-\u00D6\u00D8-\u00DE\u0391-\u03A9\u0410-\u042F\u1E9E`,
  Ll: String.raw`a-z\u00DF-\u00F6\u00F8-\u00FF\u03AC-\u03CE\u0430-\u045F`,
  N: '0-9',
  M: String.raw`\u0300-\u036F`,
};

/**
 * A pattern written with \\p{L}, \\p{Lu}, \\p{Ll}, \\p{N}, \\p{M} and \\w, rewritten for compiling
 * without the 'u' flag: the classes become the European ranges above (what EUROPEAN_WORD_BOUNDARY
 * counts as letters). V8 scans 'u' regexes with property classes 10–50× slower, and a pattern
 * without 'u' gets a prefilter (compileRule). Letters of other scripts count as non-letters.
 */
export function europeanise(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 'p' && source[i + 2] === '{') {
        const end = source.indexOf('}', i);
        const inner = EUROPEAN_CLASSES[source.slice(i + 3, end)];
        if (inner === undefined) throw new Error(`europeanise: no European class for ${source.slice(i, end + 1)}`);
        out += inClass ? inner : `[${inner}]`;
        i = end;
        continue;
      }
      if (next === 'w') out += inClass ? `${EUROPEAN_LETTERS}0-9_` : `[${EUROPEAN_LETTERS}0-9_]`;
      else out += ch + next;
      i++;
      continue;
    }
    if (ch === '[' && !inClass) inClass = true;
    else if (ch === ']' && inClass) inClass = false;
    out += ch;
  }
  return out;
}

/** europeanise + compileRule: case-insensitive unless `caseSensitive`. */
export function compileEuropean(source: string, caseSensitive = false): RegExp | null {
  return compileRule(europeanise(source), '', caseSensitive ? '' : 'i');
}

/** The matches of several patterns in text order, each read only as far as needed. */
export function* mergeMatches(text: string, patterns: readonly (RegExp | null)[], limit = 100): Generator<RuleMatch> {
  const its = patterns.map((re) => eachMatch(re, text, limit));
  const heads = its.map((it) => it.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (!h.done && (best < 0 || h.value.index < (heads[best]!.value as RuleMatch).index)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!.value as RuleMatch;
    heads[best] = its[best]!.next();
  }
}

/** Matches of `re` one at a time from `from`, at most `limit` (stop early: nothing is searched ahead). */
export function* eachMatch(re: RegExp | null, text: string, limit = 200, from = 0): Generator<RuleMatch> {
  if (!re) return;
  let pos = from;
  for (let n = 0; n < limit && pos <= text.length; n++) {
    const m = execFrom(re, text, pos);
    if (!m) return;
    yield { index: m.index, end: m.index + m[0].length, text: m[0], groups: m.groups };
    pos = m[0].length === 0 ? m.index + 1 : m.index + m[0].length;
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
  // Most texts (htmlToText output) need none of the steps: one scan decides, instead of five passes.
  if (!NEEDS_NORMALISING.test(s)) return s;
  return s
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .replace(SPACE_LIKE, ' ')
    .replace(/ {2,}/g, ' ')
    .replace(/ ?\n ?/g, '\n');
}
/** Anything normaliseText would change after NFC. */
const NEEDS_NORMALISING =
  /[\u00AD\u200B-\u200D\u2060\uFEFF\r\t\f\v\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]| {2}| \n|\n /;

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

/** Character classes of guardLetterRuns: 0 other, 1 letter/mark or . ' -, 2 upper-case letter (255: not yet known). */
const bmpClass = new Uint8Array(65536).fill(255);
function charClass(cp: number): number {
  if (cp < 128) {
    if (cp >= 65 && cp <= 90) return 2;
    return (cp >= 97 && cp <= 122) || cp === 46 || cp === 39 || cp === 45 ? 1 : 0;
  }
  const known = cp < 65536 ? bmpClass[cp]! : 255;
  if (known !== 255) return known;
  const ch = String.fromCodePoint(cp);
  const c = /\p{Lu}/u.test(ch) ? 2 : /[\p{L}\p{M}]/u.test(ch) ? 1 : 0;
  if (cp < 65536) bmpClass[cp] = c;
  return c;
}

/**
 * Length-preserving guard for regexes with unbounded letter loops (street/city patterns):
 * runs of 4+ capitals become Title-case ("MUSTERSTRASSE" → "Musterstrasse"; otherwise
 * `(?:\p{Lu}[\p{L}]*\s?){1,5}` can split the run in exponentially many ways), and letter runs
 * longer than 40 characters get a space every 40 (no street or city name is that long), which
 * bounds backtracking to O(40·n) on hostile text. Two passes over the code points with a class
 * table (the Unicode-property regexes they replace took ~20 ms per 200 KB, `npm run bench`).
 */
export function guardLetterRuns(s: string): string {
  return breakLongRuns(foldCapitalRuns(s));
}

/** Runs of 4+ upper-case letters: all but the first lower-cased (when that keeps the length). */
function foldCapitalRuns(s: string): string {
  let out: string[] | null = null;
  let copied = 0;
  let capStart = -1;
  let caps = 0;
  const n = s.length;
  for (let i = 0; i <= n; i++) {
    let c = i < n ? s.charCodeAt(i) : 0;
    let w = 1;
    let upper: boolean;
    if (c < 128) upper = c >= 65 && c <= 90;
    else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        c = s.codePointAt(i)!;
        w = c > 0xffff ? 2 : 1;
      }
      upper = charClass(c) === 2;
    }
    if (upper) {
      if (caps === 0) capStart = i;
      caps++;
    } else if (caps > 0) {
      if (caps >= 4) {
        const headLen = s.codePointAt(capStart)! > 0xffff ? 2 : 1;
        const rest = s.slice(capStart + headLen, i);
        const lower = rest.toLowerCase();
        if (lower.length === rest.length && lower !== rest) {
          out ??= [];
          out.push(s.slice(copied, capStart + headLen), lower);
          copied = i;
        }
      }
      caps = 0;
    }
    i += w - 1;
  }
  if (!out) return s;
  out.push(s.slice(copied));
  return out.join('');
}

/** In runs of more than 40 letters (and . ' -), every 41st code point becomes a space. */
function breakLongRuns(s: string): string {
  let out: string[] | null = null;
  let copied = 0;
  let run = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    let w = 1;
    let letter: boolean;
    if (c < 128) letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 39 || c === 45;
    else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        c = s.codePointAt(i)!;
        w = c > 0xffff ? 2 : 1;
      }
      letter = charClass(c) !== 0;
    }
    if (!letter) run = 0;
    else if (++run % 41 === 0) {
      // Only runs that reach 41 are touched, exactly as /[\p{L}\p{M}.'-]{41,}/ with groups of 41.
      out ??= [];
      out.push(s.slice(copied, i), ' ');
      copied = i + w;
    }
    i += w - 1;
  }
  if (!out) return s;
  out.push(s.slice(copied));
  return out.join('');
}

/**
 * Counts letters and digits (what is left of a page once markup and punctuation are ignored).
 * One table lookup per character (ASCII pre-filled, other characters classified on first sight): linear, no regex over the text.
 */
export function countMeaningfulChars(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let k = meaningfulClass[c]!;
    if (k === 255) {
      if (c >= 0xd800 && c <= 0xdfff) {
        // A surrogate pair: counted as its two code units, as String.length counts them.
        if (c <= 0xdbff) {
          if (/[\p{L}\p{N}]/u.test(text.slice(i, i + 2))) n += 2;
          i++;
        }
        continue;
      }
      k = meaningfulClass[c] = /[\p{L}\p{N}]/u.test(String.fromCharCode(c)) ? 1 : 0;
    }
    n += k;
  }
  return n;
}
/** 1 letter or digit, 0 not, 255 not yet known (filled on first sight; one table lookup per character, ASCII pre-filled). */
const meaningfulClass = new Uint8Array(65536).fill(255);
for (let c = 0; c < 128; c++)
  meaningfulClass[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;

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

/**
 * Letters and digits of the lines that are not `boilerplate` (headings, menus). Only short lines
 * can be boilerplate, so long lines are counted without running the line patterns on them.
 */
export function meaningfulCharsOf(text: string, boilerplate: (line: string) => boolean): number {
  let n = countMeaningfulChars(text);
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // Headings and menus are short: only short lines are looked at.
    if (end - start <= 100) {
      const line = text.slice(start, end);
      if (boilerplate(line)) n -= countMeaningfulChars(line);
    }
    start = end + 1;
  }
  return n;
}

/** True for an empty line or one made only of navigation/heading words and separators. */
export function isNavigationLine(line: string): boolean {
  const l = line.trim();
  return l === '' || BOILERPLATE_LINE.test(l);
}
