/**
 * Finding a kind of statement in a legal text: a pattern proposes candidates anywhere in the
 * text; a candidate counts only when it sits in a content unit (lib/legal/structure.ts) and its
 * sentence passes the element's checks — the negative contexts of docs/legal-labels.md G4
 * (announced or referred elsewhere), G6 (negated where a negative does not count), G7
 * (conditional that only defers) and the heading rule G2. The evidence is that sentence.
 *
 * Bounded work: at most `limit` candidates per pattern, each checked on its own sentence.
 */
import {
  type ElementFinding,
  NOT_FOUND,
  compileEuropean,
  compileRule,
  europeanise,
  firstMatch,
  type RuleMatch,
} from './patterns';
import { type TextStructure, isContentKind, sentenceEvidence } from './structure';

/** What a check sees of one candidate. */
export interface Candidate {
  m: RuleMatch;
  /** The sentence holding the match (whitespace as in the text). */
  sentence: string;
  /** Offset of the sentence in the text. */
  sentenceStart: number;
  /** The line holding the match and its kind. */
  line: number;
  kind: ReturnType<TextStructure['kind']>;
  /** For a list item or short line: the lead line introducing the list ("Sie haben das Recht auf:"), else ''. */
  lead: string;
}

export type Check = (c: Candidate) => boolean;

/** Compiles a pattern per rules.json's convention ('\\b' = word boundary, case-insensitive, prefiltered). */
export const pattern = (source: string): RegExp | null => compileRule(europeanise(source));
/** The same, case-sensitive (abbreviations such as "ICO", "TMG"). */
export const casePattern = (source: string): RegExp | null => compileRule(europeanise(source), '', '');

/** What a context check needs of a pattern. */
export interface Test {
  test(text: string): boolean;
}

/**
 * A context check for one sentence or line. Compiled like the scanning patterns — without 'u',
 * European letter classes, a prefilter (patterns.ts compileEuropean) — because these checks run
 * on every candidate: with 'u' and a Unicode look-behind at every '\\b' they took half of the
 * analysis time on 200 KB (measured with `npm run bench`). `flags`: 'iu' (default) is
 * case-insensitive, 'u' case-sensitive.
 */
export const ctx = (source: string, flags = 'iu'): Test => {
  const re = compileEuropean(source, !flags.includes('i'));
  if (!re) throw new Error(`statements: pattern does not compile: ${source.slice(0, 80)}`);
  return { test: (text: string) => firstMatch(re, text) !== null };
};

/**
 * The lead line of a list item: the nearest line above that ends with ':' ("You have the right
 * to:"), across the list's other items (short lines), within 15 lines and before any heading.
 */
export function leadOf(s: TextStructure, line: number): string {
  if (s.lineLength(line) > 250) return '';
  for (let i = line - 1; i >= 0 && i >= line - 15; i--) {
    const k = s.kind(i);
    if (k === 'lead') return s.lineLength(i) <= 250 ? s.line(i) : '';
    if (k === 'heading' || k === 'toc' || k === 'nav' || s.lineLength(i) > 250) return '';
  }
  return '';
}

export function candidateAt(s: TextStructure, match: RuleMatch): Candidate {
  // Patterns anchored at a line start ("(?:^|\n)Verantwortlich:") match the break before it.
  const skip = /^\s*/.exec(match.text)?.[0].length ?? 0;
  const m = skip ? { ...match, index: match.index + skip, text: match.text.slice(skip) } : match;
  const line = s.lineAt(m.index);
  const kind = s.kind(line);
  const [ss, se] = s.sentenceAt(m.index);
  return {
    m,
    sentence: s.text.slice(ss, se),
    sentenceStart: ss,
    line,
    kind,
    lead: kind === 'item' || kind === 'content' ? leadOf(s, line) : '',
  };
}

/**
 * The first candidate (in text order, across the patterns) in a content unit that passes `check`.
 * `limit` bounds the candidates tried per pattern.
 */
export function firstStatement(
  s: TextStructure,
  patterns: readonly (RegExp | null)[],
  check: Check = () => true,
  limit = 60,
): Candidate | null {
  let best: Candidate | null = null;
  for (const re of patterns) {
    let from = 0;
    for (let n = 0; n < limit; n++) {
      const m = firstMatch(re, s.text, from);
      if (!m || (best && m.index >= best.m.index)) break;
      from = m.end > m.index ? m.end : m.index + 1;
      const c = candidateAt(s, m);
      if (!isContentKind(c.kind)) continue;
      if (check(c)) {
        best = c;
        break;
      }
    }
  }
  return best;
}

/** Clause breaks for label–link lists: ';', '•', a bare comma, a link. */
export const LINK_CLAUSE_CUT = /[;•]|\s,\s|https?:\/\/\S+|www\.\S+/g;

/** The clause of the candidate's sentence around its match: cut where `cut` (a /g pattern) matches. */
export function clauseAround(c: Candidate, cut: RegExp): string {
  const at = c.m.index - c.sentenceStart;
  let start = 0;
  let end = c.sentence.length;
  for (const m of c.sentence.matchAll(cut)) {
    if (m.index + m[0].length <= at) start = m.index + m[0].length;
    else if (m.index >= at + c.m.text.length) {
      end = m.index;
      break;
    }
  }
  return c.sentence.slice(start, end);
}

/** A found finding quoting the candidate's sentence. */
export function foundStatement(s: TextStructure, c: Candidate | null): ElementFinding {
  return c ? { found: true, evidence: sentenceEvidence(s, c.m.index, c.m.end) } : NOT_FOUND;
}

/** The sentence and, for a list item, its lead line: what a reader takes together. */
export const withLead = (c: Candidate): string => (c.lead ? `${c.lead} ${c.sentence}` : c.sentence);

// ---------------------------------------------------------------------------------------------
// Negative contexts shared by several elements (docs/legal-labels.md G4, G6, G7)

/**
 * A description of a data-subject right (Art. 15–21): "Recht auf Auskunft über … Empfänger",
 * "Sie können die Löschung verlangen, wenn …", "right to request information about …".
 * Words of the rights text are not statements about the processing itself.
 */
export const RIGHTS_DESCRIPTION = ctx(
  String.raw`\b(?:Recht\w*\s+(?:auf|zur?|gem(?:äß|\.)|nach)|Auskunft\w*\s+(?:über|darüber|zu|,)|Auskunftsrecht|(?:verlangen|beantragen|fordern)\s+(?:Sie\s+)?(?:können|könnten|dürfen)|können\s+Sie\b[^.]{0,80}\b(?:verlangen|beantragen)|right\s+(?:of|to)\s+(?:access|rectification|erasure|restriction|object|be\s+informed|data\s+portability|request|information|know)|zu\s+welchem\s+Zweck|for\s+(?:what|which)\s+purposes?|(?:ask|request)\s+(?:us\s+)?(?:for\s+)?(?:access|information\s+about|a\s+copy)|unterrichtet\s+zu\s+werden|to\s+be\s+informed\s+(?:about|of)|gegenüber\s+denen\s+(?:die\s+)?(?:Sie\s+betreffenden\s+)?personenbezogenen\s+Daten\s+offengelegt|to\s+whom\s+the\s+personal\s+data\s+(?:have\s+been|are|will\s+be)|das\s+Bestehen\s+(?:eines|des)\s+|(?:die\s+)?(?:Verarbeitungszwecke|Zwecke,?\s+zu\s+denen)|the\s+existence\s+of\s+(?:the|a)\s+right|die\s+geplante\s+Dauer|the\s+envisaged\s+period|Art(?:ikel|\.)?\s?(?:1[5-9]|2[0-2])\b|Übertragung\s+(?:\S+\s+){0,3}?an\s+einen\s+anderen\s+Verantwortlichen|(?:transmit|transfer)\w*\s+(?:\S+\s+){0,4}?to\s+another\s+controller)`,
);

/** Objection to processing (Art. 21): bases quoted there are conditions of the right, not the bases used. */
export const OBJECTION_CONTEXT = ctx(
  String.raw`\b(?:widersprech\w*|Widerspruch\w*|object(?:ion)?\s+to|right\s+to\s+object|Art(?:ikel|\.)?\s?21)\b`,
);

/**
 * A sentence that says what the notice covers, not what happens (G4): "This privacy notice sets out …
 * how you can get access to a copy of your personal data", "Details of what information we collect
 * from you, what we do with it and who we might share it with".
 */
export const ANNOUNCES_CONTENTS = ctx(
  String.raw`(?:^|[.:]\s)(?:Details\s+of\s+(?:what|how|why|who)|(?:This|Our|The)\s+(?:privacy\s+)?(?:notice|policy|statement|charter|page)\s+(?:explains|sets\s+out|describes|tells\s+you|outlines)\b[^.]{0,160}\b(?:what|how|why|who|whom)\b)`,
);

/** Deferral or reference instead of the information (G4, G7): "informieren wir Sie gesondert", "see our …". */
export const DEFERS = ctx(
  String.raw`\b(?:informieren\s+wir\s+(?:Sie\s+)?(?:gesondert|separat|vorab|dort|hier(?:über)?|an\s+(?:der|dieser)\s+(?:jeweiligen\s+)?Stelle)|weisen\s+wir\s+(?:Sie\s+)?(?:an\s+der\s+jeweiligen\s+Stelle|gesondert)|(?:nachfolgend|unten|im\s+Folgenden)\s+(?:erläutert|beschrieben|informiert)|we\s+will\s+inform\s+you\s+separately|will\s+be\s+informed\s+separately)\b`,
);
