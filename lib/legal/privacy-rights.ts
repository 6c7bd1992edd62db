/**
 * The rights-related Art. 13 GDPR elements of a privacy notice (docs/legal-labels.md § 2): the data
 * subject's rights (Art. 13(2)(b), 15–21), consent withdrawal (Art. 13(2)(c)), the right to lodge a
 * complaint (Art. 13(2)(d), Art. 77) and whether a supervisory authority is named. Split from
 * lib/legal/privacy-elements.ts along its section marks; the same candidate/statement method
 * (lib/legal/statements.ts).
 */
import { type ElementFinding, NOT_FOUND, firstMatch, rule } from './patterns';
import { headingWithBlock } from './privacy-elements';
import { type TextStructure, isContentKind, joinEvidence, sentenceEvidence } from './structure';
import {
  type Candidate,
  candidateAt,
  casePattern,
  ctx,
  firstStatement,
  foundStatement,
  pattern,
  withLead,
} from './statements';
// ---------------------------------------------------------------------------------------------
// Rights (Art. 13(2)(b), 15–21)

export type RightId = 'access' | 'rectification' | 'erasure' | 'restriction' | 'objection' | 'portability';
export const RIGHT_ARTICLE: Record<RightId, number> = {
  access: 15,
  rectification: 16,
  erasure: 17,
  restriction: 18,
  portability: 20,
  objection: 21,
};
const ARTICLE_RIGHT: Record<number, RightId> = {
  15: 'access',
  16: 'rectification',
  17: 'erasure',
  18: 'restriction',
  20: 'portability',
  21: 'objection',
};

const RIGHT_PATTERNS: readonly [RightId, RegExp | null][] = [
  [
    'access',
    pattern(
      String.raw`(?:${rule('privacy', 'right_access')?.source ?? '(?!)'})|\b(?:Auskunft\w*|know\s+what\s+(?:personal\s+)?(?:information|data)|what\s+(?:personal\s+)?(?:information|data)\s+we\s+hold|a\s+copy\s+of\s+(?:that|your|the|any|all)|request\s+(?:a\s+copy|access)|be\s+informed\s+and\s+request|(?:entitled|right)\s+to\s+(?:view|see|access)\b)\b`,
    ),
  ],
  [
    'rectification',
    pattern(
      String.raw`\b(?:Berichtigung\w*|berichtig\w*|Art\.?\s?16|rectif\w*|correct(?:ed|ion|ing)?\b(?!\s+(?:and|or)\s+(?:up|complete))|inaccurate|amend(?:ed|ment)?)\b`,
    ),
  ],
  [
    'erasure',
    pattern(
      String.raw`\b(?:Löschung|löschen\s+(?:zu\s+)?lassen|Recht\s+auf\s+Vergessenwerden|Art\.?\s?17|erasure|erased|erase|deletion|deleted|delete|right\s+to\s+be\s+forgotten|removal)\b`,
    ),
  ],
  [
    'restriction',
    pattern(String.raw`\b(?:Einschränkung\w*|einschränken|einzuschränken|Sperrung|sperren|Art\.?\s?18|restrict\w*)\b`),
  ],
  [
    'portability',
    pattern(String.raw`\b(?:Datenübertragbarkeit|Übertragbarkeit|Art\.?\s?20|portability|machine-readable\s+format)\b`),
  ],
  [
    'objection',
    pattern(String.raw`\b(?:Widerspruch\w*|widersprechen|Art\.?\s?21|object(?:ion)?|right\s+to\s+object)\b`),
  ],
];
/** A right of the reader: the sentence, its list lead or its heading says so. */
const RIGHT_CUE = ctx(
  String.raw`\b(?:Recht\w*|berechtigt|verlangen|beantragen|fordern|Anspruch|können\s+Sie|haben\s+Sie|steh(?:t|en)\s+Ihnen|Betroffene\w*|Sie\s+können|können\s+jederzeit|right|rights|request|ask|entitled|you\s+can|you\s+may|have\s+your|to\s+have|you\s+have|Art(?:ikel|\.)?\s?(?:1[5-9]|2[01]))\b`,
);
/** "Art. 15, 16 und 18", "Art. 15 bis 21", "Articles 15–22". */
const ARTICLE_LIST = pattern(
  String.raw`\bArt(?:ikeln?|icles?|s?\.)?\s?(?:1[5-9]|2[0-2])(?:\s?(?:,|und|and|sowie|bis|to|-|–|—)\s?(?:Art(?:ikel|\.)?\s?)?(?:1[5-9]|2[0-2]))+`,
);
/** Withdrawal, complaint and Art. 22 do not count toward the three; "Löschung" in a storage statement is no right. */
const NOT_A_RIGHT = ctx(
  String.raw`\b(?:werden\s+(?:\S+\s+){0,4}gelöscht|wird\s+(?:\S+\s+){0,4}gelöscht|erfolgt\s+(?:eine\s+)?Löschung|Löschung\s+(?:der|Ihrer)\s+(?:\S+\s+){0,3}(?:erfolgt|findet)|löschen\s+wir|are\s+deleted|is\s+deleted|will\s+be\s+deleted|we\s+(?:will\s+)?delete)\b`,
);

export interface RightsResult {
  finding: ElementFinding;
  named: RightId[];
}

export function findRights(s: TextStructure, min: number): RightsResult {
  const first = new Map<RightId, Candidate>();
  const contentFirst = new Map<RightId, Candidate>();
  const rightCheck = (c: Candidate) => {
    if (c.kind === 'toc' || c.kind === 'nav') return false;
    // The sentence, its list lead, the line above, and the heading of its section ("Your rights" over a list of rights).
    const around = `${c.lead} ${s.lineHead(Math.max(0, c.line - 1), 300)} ${c.sentence} ${headingAbove(s, c.line)}`;
    if (NOT_A_RIGHT.test(c.sentence) && !/\bRecht\b|\bright\b/iu.test(c.sentence)) return false;
    return RIGHT_CUE.test(around);
  };
  for (const [id, re] of RIGHT_PATTERNS) {
    let from = 0;
    for (let n = 0; n < 60; n++) {
      const m = firstMatch(re, s.text, from);
      if (!m) break;
      from = m.end > m.index ? m.end : m.index + 1;
      const c = candidateAt(s, m);
      if (rightCheck(c)) {
        if (!first.has(id)) first.set(id, c);
        if (isContentKind(c.kind)) {
          contentFirst.set(id, c);
          break;
        }
      }
    }
  }
  // Closed ranges and lists of articles name every right they cover ("Art. 15 bis 21", "Art. 15, 16 und 18").
  let from = 0;
  for (let n = 0; n < 20; n++) {
    const m = firstMatch(ARTICLE_LIST, s.text, from);
    if (!m) break;
    from = m.end;
    const c = candidateAt(s, m);
    if (c.kind === 'toc' || c.kind === 'nav') continue;
    const nums = [...m.text.matchAll(/\d+/g)].map((x) => Number(x[0]));
    const isRange = /bis|to|-|–|—/u.test(m.text.replace(/Art\w*\.?/g, ''));
    const covered = isRange && nums.length === 2 ? range(nums[0]!, nums[1]!) : nums;
    for (const a of covered) {
      const id = ARTICLE_RIGHT[a];
      if (id && !first.has(id)) first.set(id, c);
    }
  }
  const named = (Object.keys(RIGHT_ARTICLE) as RightId[])
    .filter((id) => first.has(id))
    .sort((a, b) => RIGHT_ARTICLE[a] - RIGHT_ARTICLE[b]);
  if (named.length === 0) return { finding: NOT_FOUND, named };
  // Evidence: the sentences naming the rights, in text order; a right named only in a heading is
  // quoted with the content under it (G2: the heading qualifies the block below).
  const hits = [...new Set(named.map((id) => contentFirst.get(id) ?? first.get(id)!))].sort(
    (a, b) => a.m.index - b.m.index,
  );
  const starts = [...new Set(hits.map((c) => c.sentenceStart))].slice(0, 3);
  const parts = starts.map((start) => {
    const c = hits.find((h) => h.sentenceStart === start)!;
    if (isContentKind(c.kind)) return sentenceEvidence(s, c.m.index, c.m.end, starts.length > 1 ? 58 : 120);
    const next = c.line + 1 < s.starts.length ? s.starts[c.line + 1]! : -1;
    return joinEvidence(
      [s.lineHead(c.line, 200).trim().slice(0, 40), next >= 0 ? sentenceEvidence(s, next, next + 1, 40) : ''],
      58,
    );
  });
  const evidence = joinEvidence(parts);
  return {
    finding: named.length >= min ? { found: true, evidence } : { found: false, partial: true, evidence },
    named,
  };
}

/**
 * The short lines above `line` up to the first prose (at most 12): a list of rights without a lead
 * line is a run of short lines under its heading ("Your rights" / "right of access" / "erasure").
 */
function headingAbove(s: TextStructure, line: number): string {
  const out: string[] = [];
  for (let i = line - 1; i >= 0 && i >= line - 12; i--) {
    if (s.lineLength(i) > 160) break;
    const k = s.kind(i);
    if (k !== 'heading' && k !== 'lead' && k !== 'item') break;
    out.push(s.lineHead(i, 160));
  }
  return out.join(' ');
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = Math.min(a, b); i <= Math.max(a, b) && out.length < 10; i++) out.push(i);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Withdrawal of consent (Art. 13(2)(c), 7(3))

const WITHDRAW = pattern(
  String.raw`\b(?:widerruf\w*|wiederruf\w*|Widerruf\w*|zurückzuziehen|zurückziehen|zurücknehmen|withdraw\w*|revok\w*|revocation|widersprech\w*|Widerspruch)\b`,
);
const CONSENT_WORD = ctx(
  String.raw`\b(?:Einwilligung\w*|eingewilligt|Zustimmung\w*|Einverständnis\w*|consent\w*|permission\w*)\b`,
);
const ABILITY = ctx(
  String.raw`\b(?:können|kann|könnt|kannst|dürfen|Recht\w*|berechtigt|jederzeit|möglich|frei|widerruflich|can|may|right|rights|any\s+time|entitled|revocable)\b`,
);
/** "…, wenn Sie Ihre Einwilligung widerrufen haben" (a condition of erasure); "Wir holen keine Einwilligungen ein" (G6). */
const WITHDRAW_NOT_STATED = ctx(
  String.raw`\b(?:widerrufen\s+(?:wurde|wurden|worden|haben|hat)|has\s+been\s+withdrawn|have\s+withdrawn|keine\s+Einwilligung\w*\s+(?:ein|eingeholt)|do\s+not\s+(?:ask\s+for|rely\s+on)\s+consent|bis\s+zum\s+Widerruf\s+erfolgten)\b`,
);

export function findWithdrawConsent(s: TextStructure): ElementFinding {
  return foundStatement(
    s,
    firstStatement(s, [WITHDRAW], (c) => {
      const t = c.sentence;
      const at = c.m.index - c.sentenceStart;
      // The object is consent, close to the verb (either order; in German the verb may end a long
      // sentence that opens with its object: "Die Einwilligung zur … können Nutzer:innen jederzeit widerrufen").
      const near = t.length <= 250 ? t : t.slice(Math.max(0, at - 120), at + c.m.text.length + 120);
      // A long "sentence" may run over list items without a full stop: the match's own line is a unit too.
      const line = t.length > 250 && s.lineLength(c.line) <= 250 ? s.line(c.line) : '';
      if (!CONSENT_WORD.test(near) && !CONSENT_WORD.test(line)) return false;
      if (/^(?:widersprech|Widerspruch)/i.test(c.m.text) && !CONSENT_WORD.test(t.slice(Math.max(0, at - 10), at + 60)))
        return false;
      if (WITHDRAW_NOT_STATED.test(near) && !/\b(?:können|kann|jederzeit|can|any\s+time)\b/iu.test(near)) return false;
      return ABILITY.test(withLead(c));
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Complaint right (Art. 13(2)(d), 77) and the named supervisory authority

/** A data-protection supervisory authority, generic or named. */
const AUTHORITY = String.raw`(?:Aufsichtsbeh\w*|Datenschutzbeh\w*|Datenschutz-Aufsicht\w*|Datenschutzaufsicht\w*|Aufsicht\s+für\s+den\s+Datenschutz|(?:Landes|Bundes)?[Bb]eauftragte\w*\s+für\s+(?:den\s+)?Datenschutz|ische[nr]?\s+(?:Landes)?[Dd]atenschutzbeauftragte\w*|Landesdatenschutzbeauftragte\w*|Art(?:ikel|\.)?\s?77|\bICO\b|Information\s+Commissioner\w*|supervisory\s+authorit\w*|data\s+protection\s+(?:supervisory\s+)?authorit\w*|regulator|Beschwerdestelle|Commissioner\s+for\s+Data\s+Protection)`;
const COMPLAINT = pattern(
  String.raw`\b(?:Beschwer\w*|complain\w*|lodge|raise\s+(?:any\s+|your\s+)?concerns?|Art(?:ikel|\.)?\s?77|wenden|contact|turn\s+to|appeal)\b`,
);
const AUTHORITY_CUE = ctx(AUTHORITY);
/** "Beschwerden richten Sie an unseren Datenschutzbeauftragten", complaints to the platform. */
const NOT_TO_AUTHORITY = ctx(
  String.raw`\b(?:an\s+(?:unseren|unsere|den\s+behördlichen)\s+Datenschutzbeauftragt\w*|to\s+our\s+(?:data\s+protection\s+officer|DPO))\b`,
);

/**
 * Complaints as the object of the controller's own processing ("Bearbeitung von Eingaben und Beschwerden
 * an die Datenschutzbehörde" in a supervisory authority's notice): a purpose, not the reader's right (§ 2
 * complaint-right) nor the authority named in a complaint role for this processing.
 */
const COMPLAINTS_PROCESSED = ctx(
  String.raw`\b(?:Bearbeitung|Behandlung|Erledigung|handling|processing)\s+(?:von|der|of)\s+(?:\S+\s+){0,3}?(?:Beschwerden|complaints)\b`,
);

export function findComplaintRight(s: TextStructure): ElementFinding {
  const c = firstStatement(s, [COMPLAINT], (c) => {
    const t = withLead(c);
    if (!AUTHORITY_CUE.test(t) || COMPLAINTS_PROCESSED.test(c.sentence)) return false;
    // The Art. 15(1)(f) item of a reproduced right of access ("(6) das Bestehen eines Beschwerderechts …;") is not the notice's own statement.
    if (
      /\b(?:das\s+Bestehen|the\s+existence)\b/iu.test(c.sentence) ||
      (/;\s*$/.test(c.sentence) && /Auskunft|information|access/iu.test(c.lead))
    )
      return false;
    const word = c.m.text.toLowerCase();
    // "wenden"/"contact" only when it is the reader turning to the authority.
    if (/^(?:wenden|contact|turn)/.test(word) && !/\b(?:Sie|you|Betroffene\w*|können|can|may)\b/iu.test(t))
      return false;
    if (/^art/i.test(word) && !/\b(?:Beschwer\w*|complain\w*|Recht|right|Aufsicht\w*|supervisory)\b/iu.test(t))
      return false;
    return !NOT_TO_AUTHORITY.test(t) || /\bAufsichtsbeh|\bsupervisory/iu.test(t);
  });
  if (c) return foundStatement(s, c);
  // A heading "Beschwerderecht bei der Aufsichtsbehörde" qualifies the authority's address block below it (G2).
  return headingWithBlock(s, COMPLAINT, AUTHORITY_CUE);
}

/** The Länder by name: "der Datenschutzbeauftragte des Landes Baden-Württemberg" is that Land's authority. */
const LAENDER =
  '(?:Baden-Württemberg|Bayern|Berlin|Brandenburg|Bremen|Hamburg|Hessen|Mecklenburg-Vorpommern|Niedersachsen|Nordrhein-Westfalen|Rheinland-Pfalz|Saarland|Sachsen-Anhalt|Sachsen|Schleswig-Holstein|Thüringen)';
const SA_NAMED = pattern(
  [
    // A Land's commissioner named by the Land ("Zuständig ist der Datenschutzbeauftragte des Landes
    // Baden-Württemberg") and the Saarland authority's own name ("Unabhängiges Datenschutzzentrum Saarland").
    String.raw`\b(?:Landes)?[Dd]atenschutzbeauftragte\w*\s+des\s+Landes\s+${LAENDER}|\bUnabhängige[sn]?\s+Datenschutzzentrum\w*(?:\s+(?:des\s+)?Saarland\w*)?`,
    String.raw`\b(?:Bayerische[nr]?|Sächsische[nr]?|Hessische[nr]?|Niedersächsische[nr]?|Berliner|Hamburgische[nr]?|Brandenburgische[nr]?|Thüringer|Saarländische[nr]?|Bremische[nr]?|Baden-Württembergische[nr]?|Rheinland-Pfälzische[nr]?|Schleswig-Holsteinische[nr]?|Mecklenburg-Vorpommersche[nr]?|Bavarian|Saxon|Hessian|Lower\s+Saxony)\s+(?:State\s+)?(?:Landes)?(?:[Bb]eauftragte\w*|Datenschutz\w*|Landesamt\w*|Commissioner\w*|Data\s+Protection\s+\w+)`,
    String.raw`\b(?:Landes|Bundes)beauftragte\w*\s+für\s+(?:den\s+)?Datenschutz(?:\s+und\s+(?:die\s+)?Informationsfreiheit)?(?:\s+(?:des\s+Landes\s+)?(?:Baden-Württemberg|Bayern|Berlin|Brandenburg|Bremen|Hamburg|Hessen|Mecklenburg-Vorpommern|Niedersachsen|Nordrhein-Westfalen|NRW|Rheinland-Pfalz|Saarland|Sachsen-Anhalt|Sachsen|Schleswig-Holstein|Thüringen))`,
    String.raw`\bBundesbeauftragte\w*\s+für\s+(?:den\s+)?Datenschutz`,
    // Austria: "die Datenschutzbehörde" is the authority's proper name (§ 2 supervisory-authority-named,
    // borderline); an Austrian cue must stand near it (AUSTRIAN_CUE).
    String.raw`\bDatenschutzbehörde\b`,
    String.raw`\b(?:Unabhängige[sn]?\s+Landeszentrum\s+für\s+Datenschutz|Landesamt\s+für\s+Datenschutzaufsicht|Information\s+Commissioner\w*(?:\s+Office)?|Data\s+Protection\s+Commission|(?:State|Federal)\s+Commissioner\s+for\s+Data\s+Protection|Katholische[sn]?\s+Datenschutzzentrum\w*|Datenschutzbeauftragte\w*\s+der\s+(?:EKD|Evangelischen\s+Kirche)|österreichische[nr]?\s+Datenschutzbehörde|Datenschutzbehörde\s*,?\s*(?:Barichgasse|Wien|Österreich)|in\s+Austria\s+the\s+Data\s+Protection\s+Authority|(?:in|In)\s+Österreich\s+(?:über|die)|dsb\.gv\.at|bfdi\.bund\.de|ico\.org\.uk|datenschutz-bayern\.de|lda\.bayern\.de|ldi\.nrw\.de|baden-wuerttemberg\.datenschutz\.de|datenschutz\.hessen\.de|lfd\.niedersachsen\.de|datenschutzzentrum\.de|datenschutz-berlin\.de)`,
  ]
    .map((x) => `(?:${x})`)
    .join('|'),
);
const SA_ACRONYM = casePattern(String.raw`\b(?:ICO|BfDI|LDI\s?NRW|BayLDA|ULD|HmbBfDI|LfDI|TLfDI|LfD\s+\w+|HBDI)\b`);
/** In a supervisory or complaint role (not "laut DSK-Beschluss", "wie der BfDI empfiehlt"). */
const SA_ROLE = ctx(
  String.raw`\b(?:Beschwer\w*|Aufsicht\w*|zuständig\w*|supervis\w*|complain\w*|regulator|responsible|Kontrolle|lodge|concerns?|Art(?:ikel|\.)?\s?77|wenden|contact)\b`,
);
/** "Der Hessische Beauftragte für Datenschutz …" is the DPA; "Datenschutzbeauftragte der Universität" is a DPO. */
const DPO_NOT_SA = ctx(
  String.raw`^\S*\s*Datenschutzbeauftragte\w*\s+(?:der|des)\s+(?!EKD|Evangelischen|Landes\s+${LAENDER})`,
);

/** An Austrian document or passage: where "Datenschutzbehörde" is a name, not a generic word. */
const AUSTRIAN_CUE = ctx(
  String.raw`\b(?:Österreich\w*|österreichisch\w*|Austria\w*|Wien|Vienna|Barichgasse|DSG\s+2018|dsb\.gv\.at)\b`,
);
/** The authority given as a source of reading, not in its supervisory role ("further information … at the ICO"). */
const INFO_SOURCE = ctx(
  String.raw`\b(?:read\s+(?:more|further)|find\s+out\s+more|further\s+information|more\s+information|weitere\s+Informationen|mehr\s+Informationen|informieren\s+Sie\s+sich)\b`,
);
const INFO_ROLE = ctx(
  String.raw`\b(?:Beschwer\w*|complain\w*|lodge|Aufsicht\w*|supervis\w*|zuständig\w*|regulator|Art(?:ikel|\.)?\s?77)\b`,
);

/** A sentence that denies the authority any supervisory role names it in none (§ 2 supervisory-authority-named). */
const SA_ROLE_DENIED = ctx(
  String.raw`\b(?:ha(?:s|ve)\s+no\s+(?:regulatory|supervisory|oversight)\s+(?:function|role|powers?|remit)|(?:is|are)\s+not\s+(?:the\s+)?(?:competent|responsible)\s+(?:supervisory\s+)?authority|(?:ist|sind)\s+nicht\s+(?:die\s+)?(?:zuständig\w*|für\s+die\s+Aufsicht)|keine\s+Aufsichts(?:befugnis|zuständigkeit)\w*)\b`,
);
export function findSupervisoryAuthorityNamed(s: TextStructure): ElementFinding {
  const c = firstStatement(s, [SA_NAMED, SA_ACRONYM], (c) => {
    if (DPO_NOT_SA.test(c.m.text)) return false;
    const before = s.text.slice(Math.max(0, c.m.index - 300), c.m.index);
    if (/^Datenschutzbehörde$/iu.test(c.m.text) && !AUSTRIAN_CUE.test(c.sentence) && !AUSTRIAN_CUE.test(before))
      return false;
    // A web address inside an e-mail address ("poststelle@ldi.nrw.de") is contact, not a naming; "www." is a web address.
    if (/@[\w.-]*$|[\w-]\.$/.test(s.text.slice(Math.max(0, c.m.index - 40), c.m.index)) && !/\bwww\.$/.test(before))
      return false;
    if (INFO_SOURCE.test(c.sentence) && !INFO_ROLE.test(c.sentence)) return false;
    if (COMPLAINTS_PROCESSED.test(c.sentence)) return false;
    // "… the Information Commissioner has no regulatory function in relation to …": the role is denied.
    if (SA_ROLE_DENIED.test(c.sentence)) return false;
    // A link to a list of all authorities names none of them.
    if (
      /\.(?:de|at|uk)$/.test(c.m.text) &&
      /^[^\s]*(?:Anschrift|Links|Liste|list|members)/iu.test(s.text.slice(c.m.end, c.m.end + 60))
    )
      return false;
    return SA_ROLE.test(c.sentence) || SA_ROLE.test(before);
  });
  if (c) return foundStatement(s, c);
  // The authority's name as the first line of its address block (a heading by shape).
  for (const re of [SA_NAMED, SA_ACRONYM]) {
    const f = headingWithBlock(s, re, null, (head, before) => SA_ROLE.test(before) || SA_ROLE.test(head));
    if (f.found) return f;
  }
  return NOT_FOUND;
}
