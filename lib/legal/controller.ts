/**
 * Who is responsible, and how to reach them (Art. 13(1)(a), (b) GDPR; docs/legal-labels.md § 2
 * controller, dpo). The controller is found from the sentence that names it — "Verantwortlich(er)
 * … ist", "Verantwortliche Stelle", "Verantwortlicher im Sinne der DSGVO", "Verantwortlich für den
 * Betrieb … ist die …, Anschrift", "X is the data controller", a heading "Name und Kontaktdaten
 * des Verantwortlichen" over an address block — together with a contact detail of it (a postal
 * address or Postfach, an e-mail address, a telephone number) in the block that follows or, when
 * the notice names it once and gives the contact elsewhere, anywhere in the notice outside the
 * blocks of other parties (the supervisory authority, processors, platforms) and the DPO's mailbox.
 *
 * A notice that refers to the imprint for the controller ("Verantwortlich ist die im Impressum
 * genannte Stelle") is resolved against the fetched imprint when the caller passes it: the
 * controller is then reachable, with the imprint's contact as evidence (`via: 'imprint'`).
 */
import { findAddress, findEmail } from './imprint-elements';
import {
  type ElementFinding,
  NOT_FOUND,
  allMatches,
  eachMatch,
  firstMatch,
  normaliseForAddress,
  rule,
  type RuleMatch,
} from './patterns';
import { type TextStructure, isContentKind, joinEvidence, sentenceEvidence } from './structure';
import { RIGHTS_DESCRIPTION, candidateAt, casePattern, clauseAround, ctx, pattern } from './statements';

/** What the privacy analysis needs of the imprint to resolve "siehe Impressum". */
export interface ImprintContact {
  elements: Record<'address' | 'email' | 'phone', ElementFinding>;
}

/** A controller finding may say where its contact came from. */
export type ControllerFinding = ElementFinding & { via?: 'notice' | 'imprint' };

const CONTROLLER = pattern(
  [
    String.raw`\b(?:datenschutzrechtlich\s+)?Verantwortliche[rn]?\b`,
    // Also the compounds "Zentralverantwortlich / Gesamtverantwortlich für die Verarbeitung … ist das …".
    String.raw`\b(?:Zentral|Gesamt|Haupt)?[Vv]erantwortlich\s+(?:im\s+Sinne|i\.\s?S\.\s?d|gem(?:\.|äß)|nach\s+Art|für\s+(?:die|den|das|diese[nrs]?|unsere[nmrs]?)\s+(?:\S+\s+){0,3}?(?:Daten)?(?:[Vv]erarbeitung\w*|Betrieb\w*|Website|Webseite\w*|Internetseite\w*|Internetauftritt\w*|Internetpräsenz|Homepage|Angebot\w*|Portal\w*|Anwendung\w*|App|Dienst\w*|Plattform\w*|Service|Erhebung|Seite\w*|Auftritt\w*|Profil\w*|Kanal|Account\w*|Exemplar\w*|Software))`,
    // "Verantwortlich für den Datenschutz ist der Präsident": the controller named by its function.
    String.raw`\bVerantwortlich\s+für\s+den\s+Datenschutz\s+(?:ist|sind)\b`,
    String.raw`(?:^|\n)\s*(?:Verantwortlich|Datenverarbeitende\s+Stelle|Anbieter(?:in)?|Betreiber(?:in)?|Herausgeber(?:in)?|Diensteanbieter(?:in)?)\s*:`,
    String.raw`\b(?:(?:data\s+)?controller|responsible\s+(?:person|entity|party|body|organi[sz]ation)|under\s+the\s+responsibility\s+of|who\s+is\s+responsible)\b`,
    // "Das RKI ist auch dafür verantwortlich, dass Ihre personenbezogenen Daten … verarbeitet werden",
    // "X is responsible for ensuring that your personal data is processed …": the controller's duty (Art. 5(2), 24 GDPR).
    String.raw`\b(?:(?:ist|sind)\s+(?:auch\s+|zudem\s+|ferner\s+)?(?:dafür\s+)?verantwortlich,?\s+dass(?=\s+(?:Ihre\s+|die\s+)?(?:personenbezogenen\s+)?Daten)|(?:is|are)\s+(?:also\s+)?responsible\s+for(?=\s+(?:ensuring\s+that\s+)?(?:your\s+|the\s+)?(?:personal\s+)?(?:data|information)\b))`,
  ]
    .map((x) => `(?:${x})`)
    .join('|'),
);
/** "Wir, die Stadt X, …", "Die X GmbH verarbeitet …", "Der OFFIS e.V., Escherweg 2, … nimmt den Schutz …" (near the start). */
const WE_ARE = casePattern(
  String.raw`(?:Wir,\s+(?:die|der|das)\s|(?:Die|Der|Das)\s+[^\n]{3,160}?\s(?:verarbeitet|verarbeiten|betreibt|betreiben|nimmt\s+den\s+Schutz|erhebt|ist\s+Betreiber\w*|ist\s+Anbieter\w*)\b|(?:Die|Der|Das)\s+[^\n]{3,80}?\s(?:wird|werden)\s[^\n]{0,220}?\s(?:betrieben|angeboten|herausgegeben|bereitgestellt)\b|We\s+are\s+(?:the\s+)?[A-Z])`,
);
const WE_ARE_START = /^(?:Wir,|Die\s|Der\s|Das\s|We\s+are)/;
/** Headings over the controller's block. */
const CONTROLLER_HEADING = ctx(
  String.raw`^(?:[\dIVX]+\.?[\d.]*\s*)?(?:(?:Name\s+und\s+)?(?:Kontaktdaten|Anschrift|Kontakt)\s+(?:des|der)\s+(?:datenschutzrechtlich\s+)?Verantwortlichen|(?:Der\s+|Die\s+)?Verantwortliche[rn]?(?:\s+Stelle)?(?:\s+(?:im\s+Sinne|und|gem|nach|für)\b.*)?|Verantwortlich(?:\s+(?:für|im\s+Sinne)\b.*)?|(?:Data\s+)?[Cc]ontroller(?:\s+and\s+contact.*)?|Responsible\s+(?:body|entity|party|person).*|Who\s+(?:is\s+responsible|we\s+are).*|Anbieter(?:in)?|Betreiber(?:in)?|Herausgeber(?:in)?|Diensteanbieter(?:in)?)(?:\s*\([^()\n]{1,60}\))?\s*:?$`,
);
/** The role is stated ("ist", "is", ":"), not merely mentioned ("vom Verantwortlichen verlangen"). */
const ROLE_STATED = ctx(String.raw`(?:\b(?:ist|sind|is|are|liegt|obliegt|falls)\b|:)`);
/** Third parties and joint control are not our controller (G5); rights text mentions "den Verantwortlichen". */
const NOT_OUR_CONTROLLER = ctx(
  String.raw`\b(?:independent\s+controller|eigenverantwortlich|(?:Meta|Facebook|Google|Instagram|YouTube|Microsoft|Twitter|LinkedIn|TikTok|Apple|Amazon|Mailchimp|Matomo|Cloudflare)\b[^.]{0,40}\b(?:ist|is|sind|are|als)\b|(?:vom|beim|dem|den)\s+Verantwortlichen|Verantwortlich\w*\s+für\s+(?:den\s+)?Inhalt|inhaltlich\s+verantwortlich|(?:jeweilige[rn]?|stets\s+der)\s+(?:Anbieter|Betreiber)|not\s+responsible|nicht\s+verantwortlich|keine\s+Verantwortung)\b`,
);
/**
 * A processor is not our controller — checked in the clause of the match only, since UK notices name
 * both in one sentence ("… is provided by the Scottish Government (the data controller), however, we
 * use a third party … (the data processor)").
 */
const PROCESSOR = ctx(String.raw`\b(?:processor|Auftragsverarbeit\w*)\b`);
const CLAUSE_CUT = /[;,]\s|\s(?:however|but|whereas|while|jedoch|während|wohingegen)\s/g;
/** Where a block ends: the next section (DPO, purposes, authority, …). */
const SECTION_BREAK = ctx(
  String.raw`\b(?:Datenschutzbeauftragt\w*|Datenschutzkoordinator\w*|DSB|data\s+protection\s+officer|DPO|Zweck(?:e|en)?|Rechtsgrundlage\w*|Empfänger\w*|Speicher\w*|Betroffenenrecht\w*|Ihre\s+Rechte|Beschwer\w*|Aufsicht\w*|Cookie\w*|purpose\w*|legal\s+basis|lawful\s+basis|recipients?|your\s+rights|complain\w*|retention|supervisory|Hosting|Hoster|Dienstleister|Auftragsverarbeit\w*)\b`,
);
/** Blocks of other parties whose contact details are not the controller's. */
const OTHER_PARTY = ctx(
  String.raw`\b(?:Aufsichtsbeh\w*|Landesbeauftragt\w*|Bundesbeauftragt\w*|ische[nr]?\s+(?:Landes)?[Dd]atenschutzbeauftragt\w*|Commissioner|ICO|supervisory|regulator|Hosting\w*|Hoster|gehostet|hosted|Dienstleister\w*|Auftragsverarbeit\w*|processor|Anbieter\s+(?:des|der|von)|Google|Meta|Facebook|Microsoft|Amazon|GitHub|Github|Netlify|Cloudflare|LLC|Inc\.?|Ltd\.?|Limited|Ireland|Irland|USA)\b`,
);
const DPO_BLOCK = ctx(String.raw`\b(?:Datenschutzbeauftragt\w*|data\s+protection\s+officer|DPO)\b`);
/** A mailbox of the data-protection officer is not the controller's contact (§ 2 controller, borderline). */
const DPO_MAILBOX =
  /^(?:datenschutz\w*|dsb|dpo|privacy|data\.?protection|dataprotection|beauftragter|datenschutzbeauftragte\w*|bds)\b/i;

const PHONE_RULES = [rule('imprint', 'phone_de', 'g'), rule('imprint', 'phone_intl', 'g')];
const PHONE_LABEL = ctx(
  String.raw`\b(?:Tel(?:efon|ephone)?\.?|Fon|Phone|helpline|Telefonnummer|Rufnummer|Hotline|call)\b`,
);
const POSTFACH = rule('imprint', 'postfach');
/** A UK postcode after a town ("London SW1A 2EG", "Bristol BS1 5AH"): the end of a British postal address. */
const UK_POSTCODE = /\b[A-Z][a-z]+[\s,]+[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b/;

interface Contact {
  /** Offset of the contact detail in the text. */
  index: number;
  kind: 'email' | 'phone' | 'address' | 'postfach';
  /** The e-mail address, when an e-mail. */
  mailbox?: string;
}

/** Contact details in text[from, to): e-mail (also obfuscated), telephone (labelled or +49/0… form), street address, Postfach. */
export function contactsIn(text: string, from: number, to: number): Contact[] {
  const win = text.slice(from, to);
  const out: Contact[] = [];
  const email = findEmail(win);
  if (email.found) {
    // The mailbox (local part) decides whether it is the DPO's; findEmail also reads obfuscated forms.
    const local = /([A-Z0-9._%+-]+)\s?(?:@|[([{<]\s?(?:a\s?t|ä\s?t|a|@)\s?[)\]}>]|\s(?:at|ät)\s|-at-)/i.exec(
      (email.evidence ?? '').replace(/^… /, ''),
    );
    const at = local ? win.indexOf(local[1]!) : 0;
    out.push({ index: from + Math.max(0, at), kind: 'email', mailbox: local?.[1] ?? '' });
  }
  for (const re of PHONE_RULES) {
    for (const m of allMatches(re, win, 20)) {
      const digits = m.text.replace(/\D/g, '').length;
      const before = win.slice(Math.max(0, m.index - 25), m.index);
      if (digits < 7 || digits > 15 || /fax\w*\s*[:.]?\s*$/i.test(before)) continue;
      // A bare number needs a phone label nearby (postcodes, register numbers and dates are digits too).
      if (!PHONE_LABEL.test(before) && !/^\+|^00/.test(m.text.trim())) continue;
      out.push({ index: from + m.index, kind: 'phone' });
      break;
    }
  }
  const addr = findAddress(normaliseForAddress(win));
  if (addr.found) {
    // Where the quoted address is: its longest leading piece found (a short piece such as "protection o"
    // also occurs in a heading above it).
    const ev = (addr.evidence ?? '').replace(/^… /, '');
    const at = [40, 24, 12].map((n) => win.indexOf(ev.slice(0, n))).find((i) => i >= 0) ?? 0;
    out.push({ index: from + at, kind: 'address' });
  } else {
    const uk = UK_POSTCODE.exec(win);
    // At the postcode, so that the quote shows "London SW1A 2EG", not only the town line.
    if (uk) out.push({ index: from + uk.index + uk[0].search(/[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}$/), kind: 'address' });
  }
  const pf = firstMatch(POSTFACH, win);
  if (pf) out.push({ index: from + pf.index, kind: 'postfach' });
  return out.sort((a, b) => a.index - b.index);
}

/** The contact line's evidence: the line holding the contact detail (with the line above when both are short: "London" / "SW1P 4DF"). */
function contactEvidence(s: TextStructure, c: Contact, max: number): string {
  const line = s.lineAt(c.index);
  let start = Math.max(s.starts[line]!, c.index - 30);
  // At a word's start, so that a short quote does not begin mid-word.
  const sp = start > s.starts[line]! ? s.text.slice(start, c.index).search(/\s/) : -1;
  if (sp >= 0) start += sp + 1;
  const own = sentenceEvidence(s, start, c.index + 20, max);
  if (own.length < 25 && line > 0 && s.lineLength(line - 1) < 30) return `${s.lineHead(line - 1, 30).trim()} ${own}`;
  return own;
}

/** End of the block that starts at `from`: at most `max` characters, up to the next section line. */
function blockEnd(s: TextStructure, from: number, max: number): number {
  const first = s.lineAt(from);
  let end = Math.min(s.text.length, from + max);
  for (let i = first + 1; i < s.starts.length && s.starts[i]! < end; i++) {
    const l = s.lineHead(i, 300);
    if (SECTION_BREAK.test(l) && !/@|\(at\)|\[at\]|Tel|Telefon|Phone|E-Mail/i.test(l)) {
      end = s.starts[i]!;
      break;
    }
  }
  return end;
}

const isControllerContact = (c: Contact) => c.kind !== 'email' || !DPO_MAILBOX.test(c.mailbox ?? '');

/** A contact detail of the organisation anywhere in the notice: outside other parties' blocks. */
function ownContactAnywhere(s: TextStructure, skipUntil: number): Contact | null {
  // Scan line by line (bounded): the first content line with a contact whose block is not another party's.
  const limit = Math.min(s.starts.length, 4000);
  for (let i = 0; i < limit; i++) {
    const ls = s.starts[i]!;
    if (ls < skipUntil && i < s.lineAt(skipUntil)) continue;
    // Contact lines are short; a long line is prose (and would make the scan quadratic).
    if (s.lineLength(i) > 600) continue;
    const l = s.line(i);
    if (!/@|\(at\)|\[\s?at\s?\]|\d{4,}|\d{3}[\s/-]\d|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b/i.test(l)) continue;
    const kind = s.kind(i);
    if (kind === 'nav' || kind === 'toc') continue;
    // The line with the one before it: a street line and a "12345 Stadt" / "London SW1A 2AA" line belong together.
    const ws = i > 0 ? s.starts[i - 1]! : ls;
    const contacts = contactsIn(s.text, ws, ls + l.length).filter(
      (c) => isControllerContact(c) && (c.index >= ls || c.kind === 'address'),
    );
    if (!contacts.length) continue;
    // The block above (up to 4 lines) must not belong to the authority, a processor or a platform.
    // A heading starts a new block: what stands above it belongs to the previous section.
    let top = i;
    while (top > 0 && top > i - 4 && s.kind(top) !== 'heading') top--;
    const blockStart = s.starts[top]!;
    const above = s.text.slice(blockStart, ls + l.length);
    if (OTHER_PARTY.test(above) || RIGHTS_DESCRIPTION.test(l)) continue;
    // Under the DPO's heading only the organisation's postal address or switchboard counts (§ 2 controller, borderline).
    const own = DPO_BLOCK.test(above) ? contacts.filter((c) => c.kind !== 'email') : contacts;
    if (!own.length) continue;
    return own[0]!;
  }
  return null;
}

/** The matches of a short list and of a lazy sequence, in text order (the sequence is read only as far as needed). */
function* mergeByIndex(few: readonly RuleMatch[], many: Iterable<RuleMatch>): Generator<RuleMatch> {
  let i = 0;
  for (const m of many) {
    while (i < few.length && few[i]!.index <= m.index) yield few[i++]!;
    yield m;
  }
  while (i < few.length) yield few[i++]!;
}

export function findController(
  s: TextStructure,
  reference: ElementFinding,
  imprint: ImprintContact | null = null,
): ControllerFinding {
  let named: RuleMatch | null = null;
  let namedByRole = false;
  for (const m of mergeByIndex(allMatches(WE_ARE, s.text.slice(0, 2500), 10), eachMatch(CONTROLLER, s.text, 80))) {
    const c = candidateAt(s, m);
    if (c.kind === 'toc' || c.kind === 'nav') continue;
    if (c.kind === 'heading' || (c.kind === 'lead' && CONTROLLER_HEADING.test(s.lineHead(c.line, 200).trim()))) {
      // A heading over the controller's block: name and contact below it.
      if (!CONTROLLER_HEADING.test(s.lineHead(c.line, 200).trim())) continue;
      const from = s.starts[c.line + 1] ?? s.text.length;
      if (from >= s.text.length) continue;
      const end = blockEnd(s, from, 500);
      const contact = contactsIn(s.text, from, end).find(isControllerContact);
      if (contact) {
        const nameLine = sentenceEvidence(s, from, from + 1, 60);
        return { found: true, via: 'notice', evidence: joinEvidence([nameLine, contactEvidence(s, contact, 58)]) };
      }
      continue;
    }
    const t = c.sentence;
    const weAre = WE_ARE_START.test(c.m.text) && !/Verantwortlich|controller/i.test(c.m.text);
    if (!weAre) {
      if (
        NOT_OUR_CONTROLLER.test(t) ||
        PROCESSOR.test(clauseAround(c, CLAUSE_CUT)) ||
        (RIGHTS_DESCRIPTION.test(t) && !/\bist\b[^.]{0,20}:?$|\bis\b/iu.test(t))
      )
        continue;
      const after = t.slice(c.m.index - c.sentenceStart);
      if (!ROLE_STATED.test(after) && !ROLE_STATED.test(t) && c.kind !== 'lead') continue;
    } else if (/\b(?:Auftragsverarbeit\w*|Hoster|Hosting|Dienstleister|Google|Meta|Facebook)\b/iu.test(t.slice(0, 80)))
      continue;
    // "Wir, die X" / "Die X verarbeitet" name the controller; "… wird betrieben" only with a contact right there.
    // A sentence that states the role outranks a "Die X verarbeitet …" before it.
    if (!weAre) named = namedByRole ? named : c.m;
    else if (/verarbeit|erhebt|Schutz|We\s+are/.test(c.m.text)) named ??= c.m;
    if (!weAre) namedByRole = true;
    const end = weAre ? Math.min(s.sentenceAt(c.m.index)[1] + 1, s.text.length) : blockEnd(s, c.m.index, 450);
    // The contact may come first in the sentence ("X Ltd, 14 Harbour Lane, Bristol BS1 4XY, is the controller").
    const contact = contactsIn(s.text, Math.min(c.m.index, c.sentenceStart), end).find(isControllerContact);
    if (contact) {
      const [ss, se] = s.sentenceAt(c.m.index);
      const sameSentence = contact.index < se && contact.index >= ss;
      return {
        found: true,
        via: 'notice',
        evidence: sameSentence
          ? sentenceEvidence(s, c.m.index, Math.min(se, contact.index + 20))
          : joinEvidence([sentenceEvidence(s, c.m.index, c.m.end, 60), contactEvidence(s, contact, 58)]),
      };
    }
  }
  if (named) {
    // Named once, reachable elsewhere in the notice ("MHCLG is the data controller" … the address at the end).
    const contact = ownContactAnywhere(s, 0);
    if (contact)
      return {
        found: true,
        via: 'notice',
        // Each part short enough that both fit the 120 characters (with "… " and " …" around each).
        evidence: joinEvidence([
          sentenceEvidence(s, named.index, Math.min(named.end, named.index + 24), 56),
          contactEvidence(s, contact, 54),
        ]),
      };
  }
  // Resolved against the imprint the notice refers to.
  if (imprint && (reference.found || named)) {
    const imp = imprint.elements;
    const detail = [imp.address, imp.email, imp.phone].find((e) => e.found && e.evidence);
    if (detail) {
      const pointer = reference.found ? (reference.evidence ?? '') : sentenceEvidence(s, named!.index, named!.end, 60);
      return { found: true, via: 'imprint', evidence: joinEvidence([pointer, `Impressum: ${detail.evidence}`]) };
    }
  }
  return named ? { found: false, partial: true, evidence: sentenceEvidence(s, named.index, named.end) } : NOT_FOUND;
}

// ---------------------------------------------------------------------------------------------
// The data-protection officer (Art. 13(1)(b), 37(7))

/**
 * regex.privacy.dpo without its optional leading adjective ("behördlicher", "externe" …): a pattern
 * that starts with an optional group has no literal to scan for (measured: the rules.json pattern
 * took most of the privacy analysis on 200 KB). The adjective is not needed to find the role.
 */
const DPO = pattern(
  String.raw`\b(?:Datenschutzbeauftragte[rn]?|Beauftragte[rn]?\s+für\s+(?:den\s+)?Datenschutz|data\s+protection\s+officer|DPO|(?:behördliche[rn]?|betriebliche[rn]?)\s+DSB)\b`,
);
/** "Wir haben keinen Datenschutzbeauftragten benannt" (G6: a negative does not count for the DPO). */
const DPO_NEGATED = ctx(
  String.raw`\b(?:keine[nr]?\s+(?:\w+\s+)?Datenschutzbeauftragt\w*|nicht\s+(?:benannt|bestellt|verpflichtet)|not\s+(?:appointed|required\s+to\s+appoint)|no\s+(?:data\s+protection\s+officer|DPO))\b`,
);
/** The supervisory authority's title contains "Beauftragte … für Datenschutz" (Art. 77, not Art. 37). */
function isSupervisoryAuthorityName(text: string, m: RuleMatch): boolean {
  const after = text.slice(m.end, m.end + 60);
  const before = text.slice(Math.max(0, m.index - 16), m.index);
  return /Informationsfreiheit|Transparenz|Akteneinsicht/i.test(after) || /(?:ische[nr]?|iner)\s+$/i.test(before);
}
/** Someone else's DPO: the platform's, a processor's. */
const OTHER_DPO = ctx(
  String.raw`\b(?:Meta|Facebook|Google|Instagram|Microsoft|LinkedIn|TikTok|Auftragsverarbeiter\w*|processor)\b`,
);
/** "erreichen Sie unter unserer Postanschrift", "über unsere Postadresse", "at our postal address". */
const VIA_OUR_ADDRESS = ctx(
  String.raw`\b(?:(?:unter|über)\s+(?:unsere[rn]?|der\s+oben\s+genannten)\s+(?:Post)?(?:anschrift|adresse)|at\s+our\s+(?:postal\s+)?address|Zusatz\s+["„]?(?:Der|Die)\s+Datenschutzbeauftragte)`,
);

export function findDpo(s: TextStructure): ElementFinding {
  // Sentences about the DPO first; a heading that also names the controller ("Verantwortlicher
  // und Datenschutzbeauftragter") would otherwise take the controller's contact below it.
  let fromHeading: ElementFinding | null = null;
  for (const m of eachMatch(DPO, s.text, 80)) {
    if (isSupervisoryAuthorityName(s.text, m)) continue;
    const c = candidateAt(s, m);
    if (c.kind === 'toc' || c.kind === 'nav') continue;
    if (!isContentKind(c.kind) && fromHeading) continue;
    const t = c.sentence;
    if (
      DPO_NEGATED.test(t) ||
      OTHER_DPO.test(
        t.slice(Math.max(0, m.index - c.sentenceStart - 10), m.index - c.sentenceStart + m.text.length + 40),
      )
    )
      continue;
    // The contact follows in the same sentence or the block below (not past the next section).
    const lineEnd = s.starts[c.line + 1] ?? s.text.length;
    const end = Math.max(lineEnd, blockEndForDpo(s, c.line, 350));
    const contact = contactsIn(s.text, m.index, end)[0] ?? (VIA_OUR_ADDRESS.test(t) ? ownContactAnywhere(s, 0) : null);
    if (!contact) continue;
    const [ss, se] = s.sentenceAt(m.index);
    if (isContentKind(c.kind) && contact.index >= ss && contact.index < se)
      return { found: true, evidence: sentenceEvidence(s, m.index, Math.min(se, contact.index + 20)) };
    const head = isContentKind(c.kind)
      ? sentenceEvidence(s, m.index, m.end, 60)
      : s.lineHead(c.line, 200).trim().slice(0, 60);
    const found = { found: true, evidence: joinEvidence([head, contactEvidence(s, contact, 58)]) };
    if (isContentKind(c.kind) && !/Verantwortlich|controller/i.test(head)) return found;
    fromHeading ??= found;
  }
  return fromHeading ?? NOT_FOUND;
}

/** The DPO's block: up to `max` characters, ending at an authority/complaint line or a new section heading. */
function blockEndForDpo(s: TextStructure, line: number, max: number): number {
  const from = s.starts[line]!;
  let end = Math.min(s.text.length, from + max);
  for (let i = line + 1; i < s.starts.length && s.starts[i]! < end; i++) {
    const l = s.lineHead(i, 300);
    if (
      /Aufsichtsbeh|Beschwer|Landesbeauftragt|Commissioner|supervisory|complain|\bZweck(?:e|en)?\b|Rechtsgrundlage|purpose|legal basis/i.test(
        l,
      )
    ) {
      end = s.starts[i]!;
      break;
    }
  }
  return end;
}
