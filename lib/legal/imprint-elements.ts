/**
 * The eight imprint elements of § 5 Abs. 1 DDG and § 18 MStV (address, e-mail, phone,
 * representative, supervisory authority, register, VAT id, responsible for content), one detector
 * each, and whose block a line belongs to (the provider's or another party's). Patterns: rules.json
 * `regex.imprint` plus the documented extensions below; the analyser that runs them and decides
 * the imprint's status is lib/legal/imprint.ts, the elements beyond these eight are in
 * lib/legal/imprint-extras.ts.
 *
 * Pure, never throws, linear-ish time: regexes with unbounded loops over letters (e-mail) only run
 * in small windows around the character that anchors them.
 */
import rules from './rules.json';
import { type TextStructure, joinEvidence, sentenceEvidence } from './structure';
import {
  type ElementFinding,
  type RuleMatch,
  NOT_FOUND,
  allMatches,
  compileEuropean,
  compileRule,
  mergeMatches,
  eachMatch,
  firstMatch,
  foundAt,
  guardLetterRuns,
  partialAt,
  rule,
  snippet,
} from './patterns';

/** rules.json `regex.imprint`, compiled once (the analyser and the extras use some of them too). */
export const R = {
  composite: rule('imprint', 'de_address_composite', 'g'),
  dePlzCity: rule('imprint', 'de_plz_city', 'g'),
  atPlzCity: rule('imprint', 'at_plz_city', 'g'),
  chPlzCity: rule('imprint', 'ch_plz_city', 'g'),
  streetNumber: rule('imprint', 'street_number', 'g'),
  streetSuffix: rule('imprint', 'street_suffix'),
  streetPrefix: rule('imprint', 'street_prefix'),
  postfach: rule('imprint', 'postfach'),
  email: rule('imprint', 'email'),
  emailObfuscated: rule('imprint', 'email_obfuscated'),
  phoneDe: rule('imprint', 'phone_de', 'g'),
  phoneIntl: rule('imprint', 'phone_intl', 'g'),
  phoneLabel: rule('imprint', 'phone_label', 'g'),
  contactForm: rule('imprint', 'contact_form'),
  representative: rule('imprint', 'representative', 'g'),
  supervisory: rule('imprint', 'supervisory', 'g'),
  vatLabel: rule('imprint', 'vat_label', 'g'),
  vatValues: ['vat_value_de', 'wid_value_de', 'vat_value_at', 'uid_value_ch'].map((k) => rule('imprint', k)),
  registerLabel: rule('imprint', 'register_label', 'g'),
  registerValues: ['register_value_de', 'register_value_at'].map((k) => rule('imprint', k)),
  mstv: rule('imprint', 'mstv_responsible'),
  outdated: rule('imprint', 'outdated_refs', 'g'),
  publicLaw: rule('imprint', 'public_law_entity'),
  heading: rule('imprint', 'imprint_heading'),
};

/**
 * vat_value_eu contains upper-case codes ("DE", "AB", "SE") but no \p{Lu}, so the convention would
 * compile it with 'i' and it would match the words "de", "ab", "se". We compile it case-sensitively
 * (reported to the rules authors; legal_form_regex likewise, lib/legal/imprint-extras.ts).
 */
const VAT_VALUE_EU = compileRule(rules.regex.imprint.vat_value_eu, '', 'u');

// Extensions beyond rules.json, kept small and documented:
/** English street addresses ("1 Grand Canal Street", "221b Baker Street"), EU e-Commerce Directive Art. 5(1)(b). */
const EN_STREET = compileEuropean(
  String.raw`(?<![\p{L}\p{N}])\d{1,5}[a-z]?,?\s+(?:\p{Lu}[\p{L}'.-]*\s+){1,4}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Square|Lane|Way|Place|Drive|Boulevard|Blvd\.|Court|Quay|Row|Terrace|Close|Crescent|Hill|Park|Gardens|Parkway)(?![\p{L}])`,
  true,
);
/**
 * § 18 Abs. 2 MStV wordings missing from regex.imprint.mstv_responsible ("verantwortlich nach/gemäß
 * § 18 Abs. 2 MStV", the old "§ 55 Abs. 2 RStV") and English labels (SPEC § 1.2).
 */
const RESPONSIBLE_EXTRA = compileEuropean(
  String.raw`(?<![\p{L}])(?:verantwortlich(?:e[rn]?)?\s+(?:nach|gem(?:ä|ae)(?:ß|ss)|gem\.)\s*§\s?(?:18\s*(?:Abs\.?\s*2\s*)?MStV|55\s*(?:Abs\.?\s*2\s*)?RStV)|responsible\s+for\s+(?:the\s+)?content|editor[-\s]in[-\s]chief)`,
);
/**
 * Representative labels missing from regex.imprint.representative: school heads ("Schulleitung:",
 * "Schulleiterin", "Rektor"), who represent a public school, the head of a municipal fire brigade
 * ("Gemeindewehrführer", who leads the Feuerwehr as a municipal body), and UK "Directors:" lists. A
 * personal name must still follow (or precede) within 80 characters.
 */
const REPRESENTATIVE_EXTRA = compileEuropean(
  String.raw`(?<![\p{L}])(?:Schulleit(?:er|erin|ung)|Rektor(?:in)?|(?:Gemeinde|Stadt|Orts|Kreis)?[Ww]ehrführer(?:in)?|(?:Company\s+)?Directors?\s*:)(?![\p{L}])`,
  true,
);
/**
 * A person named by salutation, titles and surname ("Herr OStD Dr. Gorsler", "Frau Prof. Schmidt"): a
 * named natural person (docs/legal-labels.md § 3 representative) though no given name is written.
 */
const SALUTATION_SURNAME =
  /^[\s:]*(?:Herrn?|Frau|Mr\.?|Mrs\.?|Ms\.?)\s+(?:(?:Dr\.|Prof\.|Dipl\.-[\p{L}]+\.?|Mag\.|[\p{Lu}][\p{L}]{0,4}D|StR|OStR|Bürgermeister(?:in)?|Landrat|Landrätin)\s+)*\p{Lu}[\p{Ll}'’]{2,}(?:-\p{Lu}[\p{Ll}'’]+)?(?![\p{L}])/u;
/**
 * Supervisory bodies written as compounds ("Schulaufsicht: Bezirksregierung …", "Stiftungsaufsicht",
 * "Gewerbeaufsicht"); rules.json's word boundary stops "…aufsicht" matching inside them. The
 * Austrian Vereinsbehörde (§ 9 VerG, https://www.ris.bka.gv.at/GeltendeFassung.wxe?Abfrage=Bundesnormen&Gesetzesnummer=20001917)
 * and Gewerbebehörde (§ 5 Abs. 1 Nr. 5 ECG) supervise associations and trades, also in English;
 * English imprints of German bodies label the supervisor "Responsible regulatory agency" (the usual
 * translation of "Zuständige Aufsichtsbehörde", docs/legal-labels.md § 3 supervisory-authority).
 */
const SUPERVISORY_EXTRA = compileEuropean(
  String.raw`(?<![\p{L}])(?:(?:Schul|Stiftungs|Gewerbe|Heim|Banken|Finanz|Versicherungs|Berufs)aufsicht(?:sbeh(?:ö|oe)rde)?|Vereinsbeh(?:ö|oe)rde|Gewerbebeh(?:ö|oe)rde|(?:Association|Trade)\s+Authority|(?:Responsible|Competent)\s+(?:regulatory|supervisory)\s+(?:agency|authority|body))(?![\p{L}])`,
);
/**
 * register_label contains \p{Lu}, so the convention compiles it case-sensitively and "registered in
 * Ireland under company number 654321" never matched "Company number". Lower-case English labels here.
 */
const REGISTER_LABEL_EN = compileEuropean(
  String.raw`(?<![\p{L}])(?:company\s+(?:no\.?|number|registration(?:\s+number)?)|registered\s+(?:in\s+[\p{L} ]{2,30}\s+)?under\s+(?:no\.?|number)|(?:registered\s+)?charity\s+(?:no\.?|number|registration\s+number)|ZVR(?:-?(?:Zahl|Nummer|Nr\.?)|\s+(?:No\.?|Number|Nr\.?))?|Stiftungsregister|Vereinsregister-?(?:Nr\.?|Nummer))(?![\p{L}])`,
);
/**
 * Registers that are not of legal entities (docs/legal-labels.md § 3 register): a trade mark's
 * register number, the Handwerksrolle, Gewerbe-, Transparenz- and Lobbyregister, chamber numbers.
 */
const NOT_ENTITY_REGISTER =
  /\b(?:Marke\w*|Markenamt|Patent\w*|trade\s?mark\w*|Handwerksrolle|Gewerberegister|Transparenzregister|Lobbyregister|Kammer-?(?:Mitglieds)?-?(?:nummer|Nr))/iu;
/** UK VAT registration numbers (GB + 9 or 12 digits): GB left vat_value_eu's EU list, UK imprints still show them. */
const VAT_VALUE_GB = /(?<![\p{L}])GB\s?\d{3}\s?\d{4}\s?\d{2}(?:\s?\d{3})?(?!\d)/u;
/** "(at)", "[at]", "{at}", "(ät)", " at ", " @ " — anchors for email_obfuscated. */
const OBFUSCATED_AT = /\(at\)|\[at\]|\{at\}|\(ät\)|\[ät\]|\s(?:at|ät)\s|\s@\s/gi;
/** A personal name: two capitalised words, optionally with academic titles and particles. */
const NAME_PAIR =
  /(?<![\p{L}])(\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?)\s+(?:\p{Lu}\.\s+)?(?:(?:von|van|de|zu|vom|der|den|del|da)\s+)*(\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?)(?![\p{L}])/gu;
/** Capitalised words that are roles, articles or institutions, not parts of a person's name. */
const NOT_A_NAME = new Set(
  (
    'Der Die Das Den Dem Des Ein Eine Einer The A An Herr Frau Mr Mrs Ms Dr Prof Vertreten Vertretungsberechtigt ' +
    'Vertretungsberechtigter Vertretungsberechtigte Geschäftsführer Geschäftsführerin Geschäftsführung ' +
    'Geschäftsführende Geschäftsführender Vorstand Vorsitzender Vorsitzende Bürgermeister Bürgermeisterin ' +
    'Oberbürgermeister Oberbürgermeisterin Landrat Landrätin Präsident Präsidentin Direktor Direktorin ' +
    'Leiter Leiterin Leitung Behördenleitung Behördenleiter Behördenleiterin Amtsleitung Inhaber Inhaberin ' +
    'Minister Ministerin Senator Senatorin Staatssekretär Staatssekretärin Managing Director Directors ' +
    'Jobcenter Agentur Arbeit Bundesagentur Stadt Kreis Landkreis Gemeinde Amt Behörde Land Bund ' +
    'Ministerium Bundesministerium Verwaltung Rat Kammer Gesellschaft Verein Stiftung Anstalt Körperschaft ' +
    'Rechts Öffentlichen Telefon Tel Fax Mail Kontakt Anschrift Adresse Straße Impressum Sitz Registergericht ' +
    'Amtsgericht Handelsregister Gmbh Mbh Ag Kg Ug Co Ltd Inc Llc Aufsichtsbehörde Verantwortlich Board ' +
    'Referat Stabsstelle Abteilung Pressestelle Pressesprecher Pressesprecherin Team Redaktion Dezernat Fachbereich ' +
    'Sachgebiet Bereich Corporate Research Department Office Press Communications Marketing Members Management ' +
    'Universität University Hochschule Institut Institute Zentrum Center Centre Fakultät Faculty Lehrstuhl Chair ' +
    'Landeshauptstadt Hansestadt Bezirksamt Landratsamt Rathaus Bürgerbüro Technische Freie Deutsche Deutschen Germany'
  )
    .toLowerCase()
    .split(/\s+/),
);

/**
 * Labels that open another party's block: the web agency, the hoster, photographers, the
 * supervising body. Addresses, e-mails, phones and legal forms below them are not the provider's
 * (docs/legal-labels.md § 3: "Details of other parties … never count for the provider's elements").
 */
export const OTHER_PARTY_LABEL =
  /^(?:Technische[rns]?\s+(?:Realisierung|Umsetzung|Betreuung|Entwicklung|Betrieb|Dienstleister)|Realisierung|Umsetzung|(?:Web)?[Gg]estaltung|(?:Web)?[Dd]esign|Konzept(?:ion)?(?:\s+und\s+[\p{L}]+)?|Programmierung|(?:Software)?[Ee]ntwicklung|(?:Web)?[Hh]osting|Hoster|Betrieb\s+und\s+Hosting|Rechenzentrum|Bildnachweis\w*|Bildquellen|Bildrechte|Fotos?|Fotografie|Fotonachweis|Illustration\w*|Kartendaten|Kartengrundlage|Agentur|Layout|Satz|Druck|Webmaster|(?:Zuständige\s+)?Aufsichtsbeh(?:ö|oe)rde|Rechtsaufsicht|Fachaufsicht|Dienstaufsicht|Kommunalaufsicht|Technical\s+(?:implementation|realisation|realization)|Development|Design(?:\s+and\s+\w+)?|Hosting\s+provider|(?:Photo|Image)\s+credits|Powered\s+by|Supervisory\s+authority)(?:\s*(?:und|and|&|\/|,)\s*[\p{L}-]+){0,3}\s*(?::|$|\s+(?:by|von|durch|für\s+(?:unsere|die|den))\b)/u;
/** Labels of the provider's own details: they end another party's block. */
export const PROVIDER_LABEL =
  /^(?:Impressum|Imprint|Herausgeber\w*|Anbieter\w*|Diensteanbieter\w*|Betreiber\w*|Medieninhaber\w*|Angaben\s+gem|Kontakt|Anschrift|Postanschrift|Hausanschrift|Besucheranschrift|Sitz|Vertreten|Vertretungsberechtigt|Inhaltlich|Verantwortlich|Redaktion|V\.?\s?i\.?\s?S\.?\s?d\.?\s?P|Register|Handelsregister|Vereinsregister|Umsatzsteuer|USt|Träger|Provider|Publisher|Contact|Address|Name\s+and\s+address|Responsible|Editor|Haftung|Disclaimer|Urheberrecht|Copyright|Datenschutz)/iu;

/** True when the line holding `offset` belongs to another party's block (the nearest label above it is theirs). */
export function otherPartyAt(s: TextStructure, offset: number): boolean {
  const line = s.lineAt(offset);
  for (let i = line; i >= 0 && i >= line - 8; i--) {
    const l = s.lineHead(i, 80).trim();
    if (OTHER_PARTY_LABEL.test(l)) return true;
    if (i < line && (PROVIDER_LABEL.test(l) || s.lineLength(i) > 200)) return false;
  }
  return false;
}

/** "Postfach 10 01 23", "P.O. Box 12" inside a street match: a PO box is not an address (§ 5 Abs. 1 Nr. 1 DDG). */
const PO_BOX =
  /(?:^|[^\p{L}])(?:Postfach|Postf\.|PF|P\.?\s?O\.?\s?Box|Case\s+postale|Casella\s+postale|Apartado)(?![\p{L}])/iu;

/** Where an address can end: a postcode and a capitalised town (DE/AT/CH), the anchor of every address window. */
const PLZ_ANCHOR = compileRule(String.raw`(?<![0-9])(?:D-?\s?|A-?\s?|CH-?\s?)?[0-9]{4,5}\s+[A-ZÄÖÜ]`, '', '');

/**
 * imp.address logic: de_address_composite, or street_number with a street suffix/prefix followed
 * within 150 characters by a PLZ + city (DE/AT/CH), or an English street address. `keep` filters
 * by position (another party's address does not count for the provider); `t` is the text after
 * normaliseForAddress, `shown` the text the evidence is quoted from (same length).
 *
 * Speed: the address patterns (Unicode letter classes, nested quantifiers) run only in a window
 * before each postcode, guarded by guardLetterRuns — not over the whole page.
 */
export function findAddress(
  t: string,
  keep: (index: number) => boolean = () => true,
  shown: string = t,
): ElementFinding {
  for (const anchor of eachMatch(PLZ_ANCHOR, t, 100)) {
    const ws = Math.max(0, anchor.index - 160);
    const win = guardLetterRuns(t.slice(ws, Math.min(t.length, anchor.end + 80)));
    for (const m of allMatches(R.composite, win, 5)) {
      const street = m.groups?.street ?? m.text;
      if (PO_BOX.test(street)) continue;
      // The street group may reach back over line breaks ("Stadt Musterstadt\nMusterstraße 12"):
      // start the evidence at the line holding the house number.
      const lineStart = win.lastIndexOf('\n', m.index + street.length - 1) + 1;
      const from = ws + Math.max(m.index, lineStart);
      if (!keep(from)) continue;
      return { found: true, evidence: snippet(shown, from, ws + m.end) };
    }
    if (!keep(anchor.index)) continue;
    for (const re of [R.dePlzCity, R.atPlzCity, R.chPlzCity]) {
      const pc = firstMatch(re, win, anchor.index - ws);
      if (!pc || pc.index !== anchor.index - ws) continue;
      const windowStart = Math.max(0, pc.index - 150);
      const before = win.slice(windowStart, pc.index);
      for (const sn of allMatches(R.streetNumber, before, 20)) {
        const street = sn.groups?.street ?? '';
        if (PO_BOX.test(street)) continue;
        if (firstMatch(R.streetSuffix, sn.text) || firstMatch(R.streetPrefix, sn.text)) {
          return { found: true, evidence: snippet(shown, ws + windowStart + sn.index, ws + pc.end) };
        }
      }
    }
  }
  for (const en of eachMatch(EN_STREET, t, 20)) if (keep(en.index)) return foundAt(shown, en);
  return NOT_FOUND;
}

/** "robert.haase (at] uni-leipzig.de", "office [ A T ] datenschutz-nord.de": mixed or spaced brackets, found from their marker. */
const LOOSE_AT = /[([{<]\s?(?:a\s?t|ä\s?t|a|@)\s?[)\]}>]|-at-|\s@\s/gi;
const LOOSE_EMAIL =
  /[A-Z0-9._%+-]+\s?(?:[([{<]\s?(?:a\s?t|ä\s?t|a|@)\s?[)\]}>]|-at-|\s@\s)\s?[A-Z0-9-]+(?:\s?(?:\.|\(dot\)|\[dot\]|\(punkt\)|\[punkt\])\s?[A-Z0-9-]+)*\s?(?:\.|\(dot\)|\[dot\]|\(punkt\)|\[punkt\])\s?[A-Z]{2,}/gi;

/**
 * imp.email: `email` and `email_obfuscated`, each run only in a window around its anchor ('@' or
 * an "(at)" marker): both start with an unbounded character class that would otherwise backtrack
 * quadratically over long runs of letters.
 */
export function findEmail(t: string, keep: (index: number) => boolean = () => true): ElementFinding {
  let from = 0;
  for (let n = 0; n < 500; n++) {
    const at = t.indexOf('@', from);
    if (at < 0) break;
    from = at + 1;
    const start = Math.max(0, at - 80);
    const win = t.slice(start, Math.min(t.length, at + 260));
    const m = firstMatch(R.email, win);
    if (m && start + m.index <= at && start + m.end > at && keep(start + m.index))
      return { found: true, evidence: snippet(t, start + m.index, start + m.end) };
  }
  for (const marker of allMatches(OBFUSCATED_AT, t, 500)) {
    const start = Math.max(0, marker.index - 80);
    const win = t.slice(start, Math.min(t.length, marker.end + 120));
    const m = firstMatch(R.emailObfuscated, win);
    // The spaced " at " form also matches prose ("we are at Berlin. We"): no sentence breaks allowed.
    if (
      m &&
      start + m.index <= marker.index &&
      !/[.]\s|\s[.]/.test(m.text.replace(/\s(?:dot|punkt)\s/gi, '')) &&
      keep(start + m.index)
    ) {
      return { found: true, evidence: snippet(t, start + m.index, start + m.end) };
    }
  }
  // Run the address pattern only in a window around each marker: its leading character class would
  // otherwise backtrack over every long run of letters (quadratic on hostile input).
  for (const marker of allMatches(LOOSE_AT, t, 200)) {
    const start = Math.max(0, marker.index - 64);
    const win = t.slice(start, Math.min(t.length, marker.end + 120));
    LOOSE_EMAIL.lastIndex = 0;
    const m = LOOSE_EMAIL.exec(win);
    if (m && start + m.index <= marker.index && start + m.index + m[0].length > marker.index && keep(start + m.index)) {
      return { found: true, evidence: snippet(t, start + m.index, start + m.index + m[0].length) };
    }
  }
  return NOT_FOUND;
}

/** Post-filter of imp.fast_second_channel: 7–15 digits, not a date. */
function plausiblePhone(s: string): boolean {
  const digits = s.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15 && !/^\s*\d{1,2}\.\d{1,2}\.\d{2,4}\s*$/.test(s);
}

/** A fax number is not a fast channel: ignore numbers whose label (just before) is "Fax". */
function labelledFax(t: string, index: number): boolean {
  return /fax\s*[:.]?\s*$/i.test(t.slice(Math.max(0, index - 12), index));
}

/** The nationwide authority number 115, given as the provider's phone ("Behördenrufnummer: 115"). */
const AUTHORITY_NUMBER = compileEuropean(
  String.raw`(?:Behörden(?:ruf)?nummer|Bürgertelefon|Servicenummer|Telefon|Tel\.?)\s*:?\s*115(?![\d\s]*\d)`,
);

export function findPhone(t: string, keep: (index: number) => boolean = () => true, shown: string = t): ElementFinding {
  // A number under a phone label first; then any number of phone shape that is not a Postfach's
  // ("Postfach 21 02 53 76152 Karlsruhe" has the shape of a phone number too).
  let unlabelled: RuleMatch | null = null;
  for (const re of [R.phoneDe, R.phoneIntl]) {
    for (const m of allMatches(re, t, 100)) {
      if (!plausiblePhone(m.text) || labelledFax(t, m.index) || !keep(m.index)) continue;
      const before = t.slice(Math.max(0, m.index - 30), m.index);
      if (/(?:Postfach|Postf\.|PF|P\.\s?O\.\s?Box|Box)\s*$/i.test(before)) continue;
      if (firstMatch(R.phoneLabel, before.slice(-25)) && !/fax/i.test(before.slice(-12))) return foundAt(shown, m);
      unlabelled ??= m;
    }
  }
  if (unlabelled) return foundAt(shown, unlabelled);
  // Lower-confidence numbers (no leading 0/+) count only within 25 chars after a phone label.
  for (const label of allMatches(R.phoneLabel, t, 100)) {
    if (/fax/i.test(label.text) || !keep(label.index)) continue;
    const win = t.slice(label.end, label.end + 25);
    const num = /\+?\d[\d\s/().-]{5,22}\d/.exec(win);
    if (num && plausiblePhone(num[0]))
      return { found: true, evidence: snippet(shown, label.index, label.end + num.index + num[0].length) };
  }
  const n115 = firstMatch(AUTHORITY_NUMBER, t);
  return n115 && keep(n115.index) ? { found: true, evidence: snippet(shown, n115.index, n115.end) } : NOT_FOUND;
}

/** Labels that start another element's line: a name after them is not the representative's. */
const OTHER_LABEL_START =
  /^(?:Verantwortlich|V\.?\s?i\.?\s?S\.?\s?d|Inhaltlich|Redaktion|Kontakt|Telefon|Tel\.|E-?Mail|Aufsicht|Register|Umsatzsteuer|USt|Ansprechpartner|Datenschutz|Responsible|Editor|Contact)/iu;
/** Board lists: "Members of the Board of Management", "Vorstandsmitglieder" (§ 5 Abs. 1 Nr. 1 DDG: the representatives). */
const BOARD = compileEuropean(
  String.raw`(?<![\p{L}])(?:Members\s+of\s+the\s+(?:Board\s+of\s+Management|Management\s+Board|Executive\s+Board|Board)|Board\s+of\s+(?:Management|Directors)|Management\s+Board|Executive\s+Board|Vorstandsmitglieder|Mitglieder\s+des\s+Vorstand(?:e)?s)(?![\p{L}])`,
  true,
);

/** imp.representative: keyword AND a personal name within 80 characters (before, or after up to the next label). */
export function findRepresentative(s: TextStructure, keep: (index: number) => boolean): ElementFinding {
  const t = s.text;
  let partial: RuleMatch | null = null;
  for (const m of mergeMatches(t, [R.representative, REPRESENTATIVE_EXTRA, BOARD])) {
    if (!keep(m.index)) continue;
    const winStart = Math.max(0, m.index - 80);
    // After the keyword: the rest of its sentence; the next line only when the keyword ends its
    // line ("Vertreten durch:" / "Dr. X"), and not when that line starts another label.
    const lineEnd = s.starts[s.lineAt(m.index) + 1] ?? t.length;
    let after = t.slice(m.end, Math.min(lineEnd, m.end + 80));
    const sentenceEnd = /[.!?](?:\s|$)/.exec(after);
    if (
      sentenceEnd &&
      !/\b(?:Dr|Prof|Dipl|Mag|St|Ing|med|rer|nat|phil|jur|habil|[A-Z])$/.test(after.slice(0, sentenceEnd.index))
    )
      after = after.slice(0, sentenceEnd.index);
    else if (
      /:\s*$/.test(after) ||
      !/[\p{L}\p{N}]{2}/u.test(after.replace(/^[\s:]*(?:de[nm]|die|the)?\s*/u, '').replace(/^[\p{Ll}\s-]*$/u, ''))
    ) {
      const next = t.slice(lineEnd, Math.min(t.length, lineEnd + 80)).split('\n')[0] ?? '';
      if (!OTHER_LABEL_START.test(next.trim())) after += `\n${next}`;
    }
    const before = t.slice(winStart, m.index);
    let nameEnd = personNameEnd(after);
    if (nameEnd < 0) {
      // After the label, or on the next line after a bare label ("Schulleiter:" / "Herr OStD Dr. Gorsler").
      const next = after.indexOf('\n');
      const from = next >= 0 ? next + 1 : 0;
      const sal = SALUTATION_SURNAME.exec(after.slice(from));
      if (sal) nameEnd = from + sal[0].length;
    }
    if (nameEnd >= 0) return unitEvidence(s, m.index, m.end + nameEnd, true);
    const lineBefore = before.slice(before.lastIndexOf('\n') + 1);
    if (personNameEnd(lineBefore) >= 0)
      return { found: true, evidence: sentenceEvidence(s, m.index - lineBefore.length, m.end) };
    partial ??= m;
  }
  return partial ? partialAt(t, partial) : NOT_FOUND;
}

/**
 * A role or institution word, also in the genitive: "Der Landrat des Landkreises Roth" names an office, not a
 * person ("Landkreises", "Kreises", "Landes", "Amtes" are "Landkreis", "Kreis", "Land", "Amt").
 */
function notAName(word: string): boolean {
  return NOT_A_NAME.has(word) || (/(?:es|s)$/u.test(word) && NOT_A_NAME.has(word.replace(/e?s$/u, '')));
}

/** End offset of the first personal name in `window`, or -1. A name followed by a legal form is a company ("Robert Bosch GmbH"). */
function personNameEnd(window: string): number {
  const re = new RegExp(NAME_PAIR.source, NAME_PAIR.flags);
  for (let m = re.exec(window); m; m = re.exec(window)) {
    const a = (m[1] ?? '').toLowerCase();
    const b = (m[2] ?? '').toLowerCase();
    const rest = window.slice(m.index + m[0].length);
    // "Robert Bosch GmbH" is a company, "Agnes Pockels Bogen 21" a street.
    const company =
      /^\s*(?:GmbH|AG|KG|SE|e\.\s?V\.|gGmbH|mbH|Ltd|Inc|LLC|UG|OHG|GbR|Stiftung|&)/u.test(rest) ||
      /^[ \t-]+(?:\p{L}+[ \t-]+)?\d{1,4}[a-z]?(?![\d.])/u.test(rest);
    if (!notAName(a) && !notAName(b) && !company && !NOUN_ENDING.test(m[2] ?? '') && !NOUN_ENDING.test(m[1] ?? ''))
      return m.index + m[0].length;
    // Retry from the second word: "Geschäftsführerin Maria Muster" → "Maria Muster".
    re.lastIndex = m.index + (m[1]?.length ?? 1);
  }
  return -1;
}

/** Institutions that supervise ("Die Rechtsaufsicht führt das … Ministerium"). */
const SUPERVISING_BODY =
  /(?<![\p{L}])(?:[\p{L}-]*[Mm]inisteri\w*|Ministry|Minister\w*|Senat\w*|[\p{L}-]*[Rr]egierung\w*|Landes(?:amt|verwaltungsamt|direktion|behörde)|Regierungspräsidium|Landratsamt|Kreisverwaltung|Bezirksamt|Magistrat\w*|Bezirkshauptmannschaft|[\p{L}-]*[Kk]ammer|Department|Direktion|Präsidium|Bundesamt|Council|Authority|Agency)(?![\p{L}])/u;
/** "under the legal supervision of the Ministry …", "unter der Rechtsaufsicht des …". */
const SUPERVISION_PHRASE = compileEuropean(
  String.raw`(?<![\p{L}])(?:under\s+the\s+(?:legal|technical|administrative)\s+supervision\s+of|supervised\s+by|unter\s+der\s+(?:Rechts|Fach|Dienst|Kommunal)?-?[Aa]ufsicht\s+(?:des|der))(?![\p{L}])`,
);

/**
 * imp.supervisory. Imprint pages often carry the privacy notice too, whose "Beschwerde bei einer
 * Aufsichtsbehörde" (Art. 77 GDPR) names the *data protection* authority — not the body's supervisor.
 */
export function findSupervisory(s: TextStructure): ElementFinding {
  const t = s.text;
  for (const m of mergeMatches(t, [R.supervisory, SUPERVISORY_EXTRA, SUPERVISION_PHRASE])) {
    const around = t.slice(Math.max(0, m.index - 60), m.end + 40);
    if (
      /beschwer|complain|datenschutz-?aufsicht|data\s+protection\s+(?:supervisory|authority)|Art\.?\s?77/i.test(around)
    )
      continue;
    // A body must be named: "Aufsichtsbehörde: …" with a value on the line or the next, or a supervising institution in the sentence.
    const next = t.slice(m.end, m.end + 150).replace(/^[\s:]+/, '');
    const sentence = next.split(/\.\s/)[0] ?? '';
    const named =
      /^(?:de[rsmn]\s+|die\s+|das\s+|the\s+)?[\p{Lu}]/u.test(next) ||
      /:\s*\p{Lu}/u.test(sentence) ||
      firstMatch(SUPERVISING_BODY, sentence) !== null;
    if (!named && !/\n/.test(t.slice(m.end, m.end + 3))) continue;
    return unitEvidence(s, m.index, m.end);
  }
  return NOT_FOUND;
}

/**
 * Value pattern anywhere, or a label followed by a value within its sentence or the next line
 * (≤ 90 chars; `valueEnd` gives where the value ends, or -1); a label alone is partial.
 */
function findLabelledValue(
  s: TextStructure,
  labels: readonly (RegExp | null)[],
  values: readonly (RegExp | null)[],
  valueEnd: (following: string) => number,
  accept: (m: RuleMatch) => boolean = () => true,
): ElementFinding {
  const t = s.text;
  for (const v of values) {
    for (const m of eachMatch(v, t, 20)) if (accept(m)) return unitEvidence(s, m.index, m.end, true);
  }
  let partial: RuleMatch | null = null;
  for (const label of labels) {
    for (const m of allMatches(label, t, 50)) {
      if (!accept(m)) continue;
      const near = (t.slice(m.end, m.end + 90).split(/\.\s|\n(?=[^\n]*:)/)[0] ?? '').split('\n').slice(0, 2).join('\n');
      const end = valueEnd(near);
      if (end >= 0) return unitEvidence(s, m.index, m.end + end, true);
      partial ??= m;
    }
  }
  return partial ? partialAt(t, partial) : NOT_FOUND;
}

/** imp.register: rules.json label/values, then the case-insensitive English labels (REGISTER_LABEL_EN). */
export function findRegister(s: TextStructure): ElementFinding {
  return findLabelledValue(
    s,
    [R.registerLabel, REGISTER_LABEL_EN],
    R.registerValues,
    (near) => {
      const m = /\d{3,}[a-z]?/.exec(near);
      return m ? m.index + m[0].length : -1;
    },
    (m) => !NOT_ENTITY_REGISTER.test(s.text.slice(Math.max(0, m.index - 80), m.end + 120)),
  );
}

/** "USt-Identifikations-Nr.", "USt.-ID" — spellings beyond regex.imprint.vat_label. */
const VAT_LABEL_MORE = compileEuropean(
  String.raw`(?<![\p{L}])(?:USt\.?-?Identifikations-?(?:Nr\.?|[Nn]ummer)|Ust\.-ID|VAT\s+identification\s+number|Value[-\s]added\s+tax\s+identification\s+number)`,
  true,
);

/** imp.vat: a national VAT/W-IdNr./UID value, or a VAT label followed by an EU VAT number. */
export function findVat(s: TextStructure): ElementFinding {
  return findLabelledValue(s, [R.vatLabel, VAT_LABEL_MORE], R.vatValues, (near) => {
    const gb = VAT_VALUE_GB.exec(near);
    if (gb) return gb.index + gb[0].length;
    // "IE 6543210K", "DE 123 456 789", "DE - 811335517", "DE 13 66 30 206": spaces and dashes are layout.
    const raw = /(?<![A-Za-z])([A-Z]{2}U?)\s*[-–]?\s*(\d[\d ]{4,14}\d[A-Z]?)(?![\d])/.exec(near);
    if (!raw) return -1;
    const compact = `${raw[1]}${raw[2]!.replace(/ /g, '')}`;
    const m = firstMatch(VAT_VALUE_EU, compact);
    return m !== null && /\d{5,}/.test(m.text) ? raw.index + raw[0].length : -1;
  });
}

/**
 * Evidence for a label–value unit: the sentence holding it; when the label stands alone on its
 * line ("Aufsichtsbehörde" over the ministry's name), the label and the next line joined as the
 * rulebook quotes them (G11: " […] ").
 */
function unitEvidence(s: TextStructure, start: number, end: number, valueIncluded = false): ElementFinding {
  const line = s.lineAt(start);
  const lineEnd = s.starts[line + 1] !== undefined ? s.starts[line + 1]! - 1 : s.text.length;
  const next = line + 1;
  if (end <= lineEnd && valueIncluded) {
    // A value alone on its line ("DE811128135") is quoted with its label on the line above.
    const shown = s.text.slice(s.starts[line]!, lineEnd).trim();
    const above = line > 0 ? s.lineHead(line - 1, 200).trim() : '';
    if (above && shown === s.text.slice(start, end).trim() && !/[.!?]$/.test(above) && above.length <= 120) {
      return { found: true, evidence: joinEvidence([above.slice(0, 60), sentenceEvidence(s, start, end, 58)]) };
    }
    return { found: true, evidence: sentenceEvidence(s, start, end) };
  }
  if (end <= lineEnd) {
    // A label alone on its line ("Zuständige Aufsichtsbehörde") is quoted with the value line below it.
    const rest = s.text
      .slice(end, lineEnd)
      .replace(/^[\s:]*(?:gem(?:äß|\.)|nach|i\.\s?S\.\s?d\.?)?[^\p{L}\p{N}]*/u, '');
    if (next >= s.starts.length || /[\p{L}\p{N}]{2}/u.test(rest))
      return { found: true, evidence: sentenceEvidence(s, start, end) };
    return {
      found: true,
      evidence: joinEvidence([
        s.lineHead(line, 200).trim().slice(0, 50),
        sentenceEvidence(s, s.starts[next]!, s.starts[next]! + 1, 68),
      ]),
    };
  }
  // The value is on the next line: its end must be in the quote ("… Geschäftsführerin Dr. Anna Beispiel").
  const valueEnd = Math.min(end, s.text.length);
  const from = valueEnd - s.starts[next]! > 60 ? valueEnd - 50 : s.starts[next]!;
  return {
    found: true,
    evidence: joinEvidence([s.lineHead(line, 200).trim().slice(0, 50), sentenceEvidence(s, from, valueEnd, 68)]),
  };
}

/**
 * § 18 Abs. 2 MStV labels beyond rules.json: a bare "Verantwortlich (ist):" followed by a person's name
 * (the person check below decides), "Inhaltliche Verantwortung", "Verantwortlich i. S. d.
 * Rundfunkstaatsvertrages", "Responsible for this website"; also "i. S. v." and the older § 10 Abs. 3
 * MDStV (Mediendienste-Staatsvertrag, in force until 2007) that still-published imprints cite.
 */
const RESPONSIBLE_MORE = compileEuropean(
  String.raw`(?<![\p{L}])(?:Verantwortlich(?:\s+(?:ist|sind))?\s*:(?=[ \t]*(?:\n[ \t]*)?(?:Herr|Frau|Dr\.|Prof\.|\p{Lu}[\p{Ll}]+\s+\p{Lu}))|Inhaltliche\s+Verantwortung|Redaktionsverantwortlich\w*|Redaktionelle\s+Verantwortung|Verantwortlich(?:e[r]?)?\s+(?:für\s+[^\n:]{3,90}?\s)?(?:i\.\s?S\.\s?[dv]\.?|im\s+Sinne\s+(?:des|von))\s*(?:§\s?\d+[^\n]{0,20}?)?(?:Rundfunkstaatsvertrag\w*|Medienstaatsvertrag\w*|Mediendienste-Staatsvertrag\w*|MStV|RStV|MDStV)|Responsib(?:le|ility)\s+(?:for\s+(?:this\s+)?(?:website|site|the\s+content|content)|in\s+accordance\s+with\s+(?:section|§)\s?18|(?:person\s+)?according\s+to\s+(?:section|§)\s?18|under\s+(?:section|§)\s?18))`,
);

const RESPONSIBLE_INVERTED = compileEuropean(
  String.raw`(?<![\p{L}])Für\s+(?:den|die)\s+(?:[\p{L}-]+\s+){0,2}Inhalt\w*\s+(?:[\p{L}-]+\s+){0,3}?(?:ist|sind)\s+(?<who>[^\n]{3,80}?)\s+(?:inhaltlich\s+)?verantwortlich(?![\p{L}])`,
  true,
);
/** A value that is a person: optional role word and titles, then two or three name words, nothing else. */
const PERSON_SEGMENT =
  /^(?:(?:Herr|Frau|Mr\.?|Mrs\.?|Ms\.?|Dr\.|Prof\.|Dipl\.-[\p{L}]+\.?|Mag\.(?:a\.)?|Univ\.-Prof\.|Dr\.-Ing\.|[\p{Ll}]{1,6}\.(?:[\p{Ll}]{1,4}\.)?|[\p{Lu}][\p{Ll}]+(?:in|er|ent|or|eur|rat|meister|sprecher|sprecherin|leiter|leiterin|leitung))\s+)*\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?(?:\s+\p{Lu}\.)?(?:\s+(?:von|van|de|zu|vom|der|den)){0,2}(?:\s+\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?){1,2}(?![\p{L}])/u;
/** The person a value starts with (titles and role word included), or null: "Dr. rer. medic. Robert Haase Data Science Center" → "Dr. rer. medic. Robert Haase". */
function personAtStart(value: string): string | null {
  const m = PERSON_SEGMENT.exec(value);
  if (!m) return initialAndSurname(value);
  // Checked on the whole value, so what follows the name counts ("Agnes Pockels Bogen 21" is a street).
  const end = personNameEnd(value);
  return end < 0 || end > m[0].length ? null : value.slice(0, end);
}
/**
 * An initial and a surname name a person too ("T. Dornblüth (Schulleiter)", docs/legal-labels.md § 3:
 * a named natural person), unless a house number follows (a street) or the word is an institution's.
 */
const INITIAL_SURNAME =
  /^(?:(?:Herr|Frau|Dr\.|Prof\.)\s+)*\p{Lu}\.\s?\p{Lu}[\p{Ll}'’]{2,}(?:-\p{Lu}[\p{Ll}'’]+)?(?![\p{L}.])/u;
function initialAndSurname(value: string): string | null {
  const m = INITIAL_SURNAME.exec(value);
  if (!m || /^[ \t-]*\d/u.test(value.slice(m[0].length))) return null;
  return NOUN_ENDING.test(m[0]) ? null : m[0];
}
/** Words that end like nouns of institutions and things, or like adjectives, not like surnames ("Smart City", "State Media", "Mecklenburgische Seenplatte"). */
const NOUN_ENDING =
  /(?:ung|heit|keit|schaft|tion|sion|ität|stelle|amt|zentrum|büro|vertrag|gesetz|isch(?:e[nrs]?)?|ment|ity|ance|ence|ship|ture|ness|ism|ology|ics|Media|Treaty|Office|City|Research)$/u;

/** § 18 Abs. 2 MStV: the label and a natural person's name after it, up to the next label (docs/legal-labels.md § 3). */
export function findResponsible(s: TextStructure): ElementFinding {
  const t = s.text;
  // "Für die angebotenen Inhalte ist Prof. Dr. David Rügamer verantwortlich": the person between.
  for (const m of allMatches(RESPONSIBLE_INVERTED, t, 20)) {
    if (personAtStart((m.groups?.who ?? '').trim()))
      return { found: true, evidence: sentenceEvidence(s, m.index, m.end) };
  }
  for (const m of mergeMatches(t, [R.mstv, RESPONSIBLE_EXTRA, RESPONSIBLE_MORE], 50)) {
    // The liability disclaimer "Als Diensteanbieter sind wir … verantwortlich" is no such statement.
    if (
      /Diensteanbieter|Betreiber\s+(?:der|verantwortlich)|verlinkten/iu.test(
        t.slice(Math.max(0, m.index - 80), m.index),
      )
    )
      continue;
    const line = s.lineAt(m.index);
    const lineEnd = s.starts[line + 1] ?? t.length;
    const parts = [t.slice(m.end, lineEnd)];
    for (let j = line + 1; j < s.starts.length && j <= line + 4; j++) {
      if (s.lineLength(j) > 160) break;
      const l = s.line(j).trim();
      if (OTHER_LABEL_START.test(l) || OTHER_PARTY_LABEL.test(l)) break;
      parts.push(l);
    }
    for (const [i, part] of parts.entries()) {
      // On the label's own line only what follows its colon is the value ("… (MStV): Bernhard Steffen");
      // each value segment must be a name (titles and a role word allowed), not prose ("State Media Treaty").
      const value = i === 0 ? (part.includes(':') ? part.slice(part.indexOf(':') + 1) : part) : part;
      const name = value
        .split(/\s*[,;|&]\s*|\s+[-–]\s+|\s+(?:und|and)\s+/)
        .map((x) => personAtStart(x.trim()))
        .find((x) => x !== null);
      if (!name) continue;
      const label = sentenceEvidence(s, m.index, m.end, 70);
      return {
        found: true,
        evidence: i === 0 ? sentenceEvidence(s, m.index, lineEnd - 1) : joinEvidence([label, name]),
      };
    }
  }
  return NOT_FOUND;
}
