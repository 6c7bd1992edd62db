/**
 * The structure of a legal text as a reader sees it: which lines are headings, table-of-contents
 * entries or navigation, which are content, and where a sentence starts and ends. The analysers
 * find an element by a pattern over the whole text and then ask this module whether the match sits
 * in a *content unit* (docs/legal-labels.md G2: a sentence, list item, table row, address block or
 * label–value line — never a bare heading, a table-of-contents line or a menu), and quote that
 * sentence as the evidence.
 *
 * Works on plain text (htmlToText output, one block per line), so it serves fetched HTML,
 * text/plain documents and stored texts alike. Headings are recognised by their shape (short, no
 * closing punctuation, no value), table-of-contents entries by their repetition further down
 * (a contents list repeats the headings), list items by the lead line that introduces them
 * ("Sie haben das Recht auf:"). Pure, linear in the text length.
 */
import { isNavigationLine } from './patterns';

export type LineKind = 'content' | 'heading' | 'toc' | 'nav' | 'lead' | 'item';

export interface TextStructure {
  readonly text: string;
  /** Offset of the first character of each line. */
  readonly starts: readonly number[];
  /** Index of the line holding `offset`. */
  lineAt(offset: number): number;
  line(i: number): string;
  /** True when none of `words` occurs in the text, any case: a pattern that needs one of them cannot match. */
  lacks(words: readonly string[]): boolean;
  /** Length of line i, and its first `max` characters (cheap on a multi-megabyte line). */
  lineLength(i: number): number;
  lineHead(i: number, max?: number): string;
  kind(i: number): LineKind;
  /** [start, end) of the sentence around `offset` (within its line). */
  sentenceAt(offset: number): [number, number];
}

/** How far around a match a sentence boundary is looked for. */
const SENTENCE_WINDOW = 700;
/** Longest line that can still be a heading (longer lines are prose). */
const HEADING_MAX = 110;
const HEADING_MAX_WORDS = 14;
/** Lines ending like a sentence (but not an abbreviation such as "Abs." or a legal form "e.V."). */
const SENTENCE_END = /[.;,!]["'”“»)]?$/u;
const ABBREVIATION_END =
  /(?:^|[\s(])(?:Abs|Nr|Art|lit|Buchst|bzw|ggf|inkl|usw|etc|vgl|z\.\s?B|u\.\s?a|e\.\s?V|e\.\s?K|Co|Ltd|Inc|GmbH|mbH|Str|Dr|Prof|Dipl|S|Ziff|Hs|UAbs|ff|Tel|Fax)\.$/u;
/** A value on the line: "Telefon: 0341 …", an e-mail address, a URL, a postcode or phone digits. */
const HAS_VALUE =
  /:\s*\S|@|\((?:at|ät)\)|\[\s*at\s*\]|https?:\/\/|www\.|\d{3,}|\s\|\s|\b(?:lit|Buchst)\.?\s?[a-j]\b|\(1\)\s?\([a-j]\)/iu;
/** A line carrying a contact detail or an address part ends its own unit (address blocks are not prose). */
const HAS_CONTACT = /@|\((?:at|ät)\)|\[\s*at\s*\]|https?:\/\/|www\.|\b\d{4,5}\s+\p{Lu}|\+\d|\b0\d{2,5}[\s/-]?\d/iu;
/** Articles, prepositions and conjunctions: a line ending in one is cut mid-sentence. */
const ENDS_WITH_FUNCTION_WORD =
  /(?:^|\s)(?:der|die|das|den|dem|des|ein|eine|einer|einem|eines|und|oder|sowie|zu|zur|zum|von|vom|mit|für|auf|in|im|an|am|bei|nach|aus|über|unter|vor|durch|gegen|ohne|um|dass|wenn|sofern|soweit|ob|als|wie|the|a|an|and|or|of|to|for|with|by|in|on|at|from|that|which|whether|if|as)$/iu;
/** Question-word headings ("How long we keep your data", "Welche Daten werden erhoben?"). */
const QUESTION_HEADING =
  /^(?:\d+(?:\.\d+)*\.?\s+)?(?:Why|How|What|Where|When|Who|Which|Whom|Wie|Was|Warum|Wozu|Welche[rsmn]?|Wer|Wo|Wann|Wem|Wen|Woher|Wohin|Weshalb|Wieso)\b/u;
/**
 * A question line is a heading however long: "Zu welchen Zwecken verarbeitet die „Stabsstelle für Wahlen,
 * Europaangelegenheiten und Informationslogistik (Stabsstelle)“ Ihre personenbezogenen Daten?" asks what the
 * content below answers (docs/legal-labels.md G2: a heading is never evidence). A question word, with or
 * without a preposition before it, opens the line and a question mark ends it.
 */
const QUESTION_MAX = 220;
const QUESTION_LINE =
  /^(?:\d+(?:\.\d+)*\.?\s+)?(?:(?:Zu|An|Für|Auf|Aus|Mit|Von|Bei|Nach|Über|Seit|In|For|To|On|With|Under|By)\s+(?:welche[rsmn]?|wem|wen|was|wie|wo|wann|which|what|whom|how|when|where)|Why|How|What|Where|When|Who|Which|Whom|Wie|Was|Warum|Wozu|Welche[rsmn]?|Wer|Wo|Wann|Wem|Wen|Woher|Wohin|Weshalb|Wieso)\b[^.!;:?]{0,200}\?$/u;
/** Words that make a short line a sentence rather than a title ("Eine Weitergabe erfolgt nicht"). */
const FINITE_VERB =
  /\b(?:ist|sind|wird|werden|wurde|wurden|erfolgt|erfolgen|findet|haben|hat|kann|können|darf|dürfen|muss|müssen|verarbeiten|speichern|nutzen|verwenden|setzen|geben|übermitteln|is|are|was|were|will|may|can|must|do|does|we|you)\b/iu;

/** The shape of a heading: short, no value, no closing punctuation (a question mark is fine). */
export function headingShaped(line: string): boolean {
  const l = line.trim();
  if (l.length > HEADING_MAX && l.length <= QUESTION_MAX && QUESTION_LINE.test(l) && !HAS_VALUE.test(l)) return true;
  if (l.length === 0 || l.length > HEADING_MAX) return false;
  if (SENTENCE_END.test(l) && !ABBREVIATION_END.test(l)) return false;
  if (l.endsWith(':')) return false;
  if (HAS_VALUE.test(l)) return false;
  if (l.split(/\s+/).length > HEADING_MAX_WORDS) return false;
  if (l.endsWith('?') || QUESTION_HEADING.test(l)) return true;
  // A short line with a finite verb is a sentence without its full stop (list items, table cells).
  return !(FINITE_VERB.test(l) && l.split(/\s+/).length >= 4);
}

/** Sentence boundaries: ". " before an upper-case letter, digit or quote, unless the dot ends an abbreviation. */
const SENTENCE_BREAK = /[.!?](?=\s+(?:[-–•]\s+)?["„“(§\d\p{Lu}])/gu;
const ABBREVIATION_BEFORE =
  /(?:^|[\s(-])(?:Abs|Nr|Art|lit|Buchst|bzw|ggf|inkl|usw|vgl|z\.\s?B|u\.\s?a|d\.\s?h|i\.\s?V\.\s?m|i\.\s?S\.\s?d|e\.\s?V|e\.\s?K|Co|Ltd|Inc|Str|str|Dr|Prof|Dipl|Ing|S|Ziff|Zif|Hs|UAbs|ff|Tel|Fax|No|no|St|Mr|Mrs|Ms|gem|bzgl|ca|max|min|evtl|sog|insb|Az|Bd|Hrsg|Dez|Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|rer|medic|nat|phil|jur|oec|pol|habil|med|dent|vet|techn|paed|h\.\s?c|Univ|Mag|sec|para|art|BGBl|GVBl|LGBl|ABl|[A-Za-z]|[IVX]{2,4})$/u;

export function structureOf(text: string): TextStructure {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const n = starts.length;
  const lineEnd = (i: number) => (i + 1 < n ? starts[i + 1]! - 1 : text.length);
  const line = (i: number) => text.slice(starts[i]!, lineEnd(i));
  /** The first / last 400 characters of a line: all that the shape checks need. */
  const head = (i: number) => text.slice(starts[i]!, Math.min(lineEnd(i), starts[i]! + 400));
  const tail = (i: number) => text.slice(Math.max(starts[i]!, lineEnd(i) - 400), lineEnd(i));

  // Everything below is computed per line on first use and cached: an analysis asks about the
  // lines its candidates fall on, not about every line of a 200 KB page.

  /** Shape of line i as a heading (cached; long lines never are). */
  const shapedMemo = new Int8Array(n).fill(-1);
  const shaped = (i: number): boolean => {
    if (shapedMemo[i] === -1)
      shapedMemo[i] = lineEnd(i) - starts[i]! <= QUESTION_MAX + 20 && headingShaped(line(i)) ? 1 : 0;
    return shapedMemo[i] === 1;
  };
  const navMemo = new Int8Array(n).fill(-1);
  const isNav = (i: number): boolean => {
    if (navMemo[i] === -1) navMemo[i] = lineEnd(i) - starts[i]! <= 200 && isNavigationLine(line(i)) ? 1 : 0;
    return navMemo[i] === 1;
  };

  // A paragraph wrapped with <br> (or hard line breaks) continues on the next line: a sentence
  // fragment without closing punctuation, followed by a line that is not a new label or item.
  const contMemo = new Int8Array(n).fill(-1);
  const continues = (i: number, depth = 0): boolean => {
    if (i <= 0 || i >= n) return false;
    if (contMemo[i] !== -1) return contMemo[i] === 1;
    const prev = tail(i - 1).trim();
    const cur = head(i).trim();
    let result = true;
    if (prev.length < 30 || cur.length === 0 || /[.!?:;,]["'”“»)]?$/u.test(prev) || !/[\p{L}\-–)]$/u.test(prev))
      result = false;
    else if (!FINITE_VERB.test(prev) && prev.split(/\s+/).length < 8) result = false;
    else if (
      /^(?:[-•*·–]\s|\d+[.)]\s|[a-z]\)\s|\(?[ivx]+\)\s)/u.test(cur) ||
      /^[\p{L} .-]{1,30}:\s/u.test(cur) ||
      /^[\p{L} .-]{1,30}:\s/u.test(prev)
    )
      result = false;
    else if (isNav(i) || HAS_CONTACT.test(prev)) result = false;
    else {
      // A title over a paragraph ("How we use your data" / "Right to revoke … (Art. 7 GDPR)") is not
      // wrapped text: the break continues a sentence only after a function word, before a lower-case
      // word, or between two lines that are both prose (the line above may itself be a continuation).
      const prevProse = (depth < 50 && continues(i - 1, depth + 1)) || !shaped(i - 1);
      result = ENDS_WITH_FUNCTION_WORD.test(prev) || /^\p{Ll}/u.test(cur) || (prevProse && !shaped(i));
    }
    contMemo[i] = result ? 1 : 0;
    return result;
  };

  /** Heading-shaped lines by their text without numbering, last occurrence (for the table of contents). */
  let lastByKey: Map<string, number> | null = null;
  const keyOf = (t: string) =>
    t
      .trim()
      .replace(/^[\d.\s§IVXivx)]+(?=\p{L})/u, '')
      .toLowerCase();
  const lastOccurrence = (key: string): number => {
    if (!lastByKey) {
      lastByKey = new Map();
      for (let i = 0; i < n; i++) if (lineEnd(i) - starts[i]! <= HEADING_MAX + 20) lastByKey.set(keyOf(line(i)), i);
    }
    return lastByKey.get(key) ?? -1;
  };

  /** The next non-empty line after `i` is content (a paragraph or a lead), not another short line. */
  const headsContent = (i: number): boolean => {
    for (let j = i + 1; j < n && j <= i + 3; j++) {
      if (isNav(j)) continue;
      const b = baseKind(j);
      return b === 'content' || b === 'lead';
    }
    return false;
  };
  const kindMemo: (LineKind | undefined)[] = new Array<LineKind | undefined>(n);
  /** Kind before list items and tables of contents are told apart. */
  const baseKind = (i: number): LineKind => {
    const t = lineEnd(i) - starts[i]! > 400 ? '' : line(i).trim();
    // A line ending in ':' introduces what follows, also as the last line of a wrapped paragraph.
    if (t.endsWith(':') && !/:\s*\S/.test(t.slice(0, -1))) return 'lead';
    if (!t) return lineEnd(i) - starts[i]! > 400 ? 'content' : 'nav'; // a long line is prose
    if (isNav(i)) return 'nav';
    if (continues(i) || continues(i + 1)) return 'content';
    return shaped(i) ? 'heading' : 'content';
  };
  const kind = (i: number): LineKind => {
    if (i < 0 || i >= n) return 'nav';
    const memo = kindMemo[i];
    if (memo) return memo;
    let k = baseKind(i);
    if (k === 'heading') {
      // Lines after a lead line ("Sie haben das Recht auf:") are its list items until prose or a gap.
      for (let j = i - 1; j >= 0 && j >= i - 40; j--) {
        const b = baseKind(j);
        if (b === 'lead') {
          k = 'item';
          break;
        }
        if (b !== 'heading') break;
      }
      // A table of contents lists the headings that follow: an earlier copy of a heading that
      // comes again with text under it. (A name repeated in address blocks is not one: there the
      // later copy is followed by more short lines, not by content.)
      const last = lastOccurrence(keyOf(line(i)));
      if (last > i && shaped(last) && headsContent(last)) k = 'toc';
    }
    kindMemo[i] = k;
    return k;
  };

  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  /**
   * Sentences are looked for within SENTENCE_WINDOW characters either side of the offset, so a
   * paragraph of megabytes costs no more than a normal one (a longer sentence is cut there).
   */
  const sentenceAt = (offset: number): [number, number] => {
    // The paragraph: the line and the lines it continues into / from (wrapped text), at most 12.
    let first = lineAt(offset);
    let last = first;
    while (first > 0 && last - first < 12 && continues(first)) first--;
    while (last + 1 < n && last - first < 12 && continues(last + 1)) last++;
    const ls = Math.max(starts[first]!, offset - SENTENCE_WINDOW);
    const le = Math.min(lineEnd(last), offset + SENTENCE_WINDOW);
    const l = text.slice(ls, le);
    const at = offset - ls;
    let start = 0;
    let end = l.length;
    SENTENCE_BREAK.lastIndex = 0;
    for (let m = SENTENCE_BREAK.exec(l); m; m = SENTENCE_BREAK.exec(l)) {
      if (ABBREVIATION_BEFORE.test(l.slice(Math.max(0, m.index - 12), m.index))) continue;
      // "§ 5" / "1." numbering after a dot is not a new sentence when the dot follows a digit.
      if (/\d$/.test(l.slice(0, m.index)) && /^\s+\d/.test(l.slice(m.index + 1))) continue;
      const next = m.index + 1;
      if (next <= at) start = next;
      else {
        end = next;
        break;
      }
    }
    while (start < end && /\s/.test(l[start]!)) start++;
    return [ls + start, ls + end];
  };

  return {
    text,
    starts,
    lacks: (words) => !anyWordPattern(words).test(text),
    lineAt,
    line,
    lineLength: (i) => lineEnd(i) - starts[i]!,
    lineHead: (i, max = 160) => text.slice(starts[i]!, Math.min(lineEnd(i), starts[i]! + max)),
    kind,
    sentenceAt,
  };
}

/** True for lines that are content units by themselves (a sentence, label–value line, list item). */
export function isContentKind(kind: LineKind): boolean {
  return kind === 'content' || kind === 'item' || kind === 'lead';
}

/**
 * One case-insensitive alternation per word list, cached. Lower-casing a 200 KB text with umlauts
 * costs milliseconds (measured: 2-6 ms in tests/bench on the pinned inputs); a literal alternation
 * with the i flag scans it in tens of microseconds.
 */
const wordPatterns = new Map<string, RegExp>();
function anyWordPattern(words: readonly string[]): RegExp {
  const key = words.join('\u0000');
  let re = wordPatterns.get(key);
  if (!re) {
    re = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'iu');
    wordPatterns.set(key, re);
  }
  return re;
}

/**
 * The evidence for a match: the sentence holding it, whole when it fits in `max` characters,
 * otherwise a window of it around the match cut at word boundaries and marked with "…".
 */
export function sentenceEvidence(s: TextStructure, start: number, end: number, max = 120): string {
  const [ss, se] = s.sentenceAt(start);
  const sentence = s.text.slice(ss, se).replace(/\s+/g, ' ').trim();
  if (sentence.length <= max) return sentence;
  const ms = Math.max(ss, start);
  const me = Math.min(se, Math.max(end, start + 1));
  const room = Math.max(0, max - 2 - (me - ms));
  // More context before a match near the sentence's end ("… können Sie die Einwilligung jederzeit widerrufen").
  const after = se - me;
  // …but never so far back that the match itself would be cut off at the end.
  let from = Math.max(ss, ms - Math.max(Math.min(40, Math.floor(room / 3)), room - after), me - (max - 4));
  let to = Math.min(se, me + (room - (ms - from)));
  if (to - from > max - 4) to = from + max - 4;
  if (from > ss && /\S/.test(s.text[from - 1] ?? '')) {
    // Start at a word: within the context before the match, else (a match longer than `max`) within the match.
    const sp = s.text.slice(from, from < ms ? ms : to).search(/\s/);
    if (sp >= 0) from += sp + 1;
  }
  if (to < se) {
    const cut = s.text.slice(me, to).search(/\s\S*$/);
    if (cut >= 0) to = me + cut;
  }
  const body = s.text.slice(from, to).replace(/\s+/g, ' ').trim();
  return `${from > ss ? '… ' : ''}${body}${to < se ? ' …' : ''}`;
}

/** Evidence made of several parts of the text, joined as the rulebook quotes them (G11: " […] "). */
export function joinEvidence(parts: readonly string[], max = 120): string {
  const uniq = parts.filter((p, i) => p && parts.indexOf(p) === i);
  let out = uniq[0] ?? '';
  for (const p of uniq.slice(1)) {
    if (out.length + 5 + p.length > max) break;
    out = `${out} […] ${p}`;
  }
  return out.length > max ? `${out.slice(0, max - 1).trimEnd()}…` : out;
}
