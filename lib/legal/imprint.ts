/**
 * Imprint (Impressum / Anbieterkennzeichnung) analysis on plain text: which of the elements of
 * § 5 Abs. 1 DDG and § 18 MStV can be seen. Patterns: rules.json `regex.imprint`, logic:
 * rules.json `imprint.elements` (SPEC § 1.3). Results are heuristics ("Hinweise"), not a legal
 * assessment; whether an element is *required* depends on context and is decided by the caller.
 *
 * Pure, never throws, linear-ish time: regexes with unbounded loops over letters (e-mail) only run
 * in small windows around the character that anchors them.
 */
import rules from './rules.json';
import {
  type ElementFinding,
  type RuleMatch,
  NOT_FOUND,
  allMatches,
  compileRule,
  countMeaningfulChars,
  firstMatch,
  foundAt,
  guardLetterRuns,
  isNavigationLine,
  normaliseForAddress,
  partialAt,
  prepareText,
  rule,
  snippet,
} from './patterns';

/** 'missing' (no link/label found) and 'unreachable' (fetch failed) are decided by the caller. */
export type ImprintStatus = 'present' | 'missing' | 'empty' | 'unreachable';

export type ImprintElementId =
  | 'address'
  | 'email'
  | 'phone'
  | 'representative'
  | 'supervisory-authority'
  | 'register'
  | 'vat-id'
  | 'responsible-for-content';

export const IMPRINT_ELEMENT_IDS: readonly ImprintElementId[] = [
  'address',
  'email',
  'phone',
  'representative',
  'supervisory-authority',
  'register',
  'vat-id',
  'responsible-for-content',
];

export interface ImprintAnalysis {
  /** 'empty': a heading, navigation or boilerplate only — no identifying element at all. */
  status: Extract<ImprintStatus, 'present' | 'empty'>;
  elements: Record<ImprintElementId, ElementFinding>;
  /** Only a Postfach / P.O. box was found, no street address (not ladungsfähig, § 5 Abs. 1 Nr. 1 DDG). */
  poBoxOnly: boolean;
  /** A contact form is mentioned (alternative second channel, CJEU C-298/07). */
  contactForm: boolean;
  /** First legal form seen (GmbH, e.V., AG …; rules.json imp.name legal_form_regex), or null. */
  legalForm: string | null;
  /** "Körperschaft des öffentlichen Rechts", "gemeinsame Einrichtung" … (regex.imprint.public_law_entity; feeds authority detection). */
  publicLawEntity: ElementFinding;
  /** Outdated statute references such as "§ 5 TMG", "§ 55 RStV", "TTDSG" (info only). */
  outdatedRefs: string[];
  /** Letters and digits outside headings/navigation lines. */
  meaningfulChars: number;
  /** Input longer than MAX_ANALYSED_CHARS; only the start was analysed. */
  truncated: boolean;
}

/** Imprints are short (a few kB); longer input is cut here (reported as `truncated`). */
export const MAX_IMPRINT_CHARS = 300_000;

/** Below this many meaningful characters an imprint is 'empty' whatever matched. */
export const MIN_IMPRINT_CHARS = 25;

const R = {
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
 * vat_value_eu and legal_form_regex contain upper-case codes ("DE", "AG", "AB", "SE") but no \p{Lu},
 * so the convention would compile them with 'i' and they would match the words "de", "ab", "se".
 * We compile them case-sensitively (reported to the rules authors).
 */
const VAT_VALUE_EU = compileRule(rules.regex.imprint.vat_value_eu, '', 'u');
const LEGAL_FORM = compileRule(
  // Its trailing '\b' needs a word character after "e.V." / "Ltd." / "S.A.", so forms ending in a
  // dot never matched at the end of a line; "not followed by a letter/digit" is what is meant.
  (rules.imprint.elements.find((e) => e.id === 'imp.name' && 'legal_form_regex' in e)?.legal_form_regex ?? '(?!)').replace(
    /\\b$/,
    '(?![\\p{L}\\p{N}_])',
  ),
  '',
  'u',
);

// Extensions beyond rules.json, kept small and documented:
/** English street addresses ("1 Grand Canal Street", "221b Baker Street"), EU e-Commerce Directive Art. 5(1)(b). */
const EN_STREET =
  /(?<![\p{L}\p{N}])\d{1,5}[a-z]?,?\s+(?:\p{Lu}[\p{L}'.-]*\s+){1,4}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Square|Lane|Way|Place|Drive|Boulevard|Blvd\.|Court|Quay|Row|Terrace|Close|Crescent|Hill|Park|Gardens|Parkway)(?![\p{L}])/gu;
/**
 * § 18 Abs. 2 MStV wordings missing from regex.imprint.mstv_responsible ("verantwortlich nach/gemäß
 * § 18 Abs. 2 MStV", the old "§ 55 Abs. 2 RStV") and English labels (SPEC § 1.2).
 */
const RESPONSIBLE_EXTRA =
  /(?<![\p{L}])(?:verantwortlich(?:e[rn]?)?\s+(?:nach|gem(?:ä|ae)(?:ß|ss)|gem\.)\s*§\s?(?:18\s*(?:Abs\.?\s*2\s*)?MStV|55\s*(?:Abs\.?\s*2\s*)?RStV)|responsible\s+for\s+(?:the\s+)?content|editor[-\s]in[-\s]chief)/iu;
/**
 * Representative labels missing from regex.imprint.representative: school heads ("Schulleitung:",
 * "Schulleiterin", "Rektor"), who represent a public school, and UK "Directors:" lists. A personal
 * name must still follow (or precede) within 80 characters.
 */
const REPRESENTATIVE_EXTRA =
  /(?<![\p{L}])(?:Schulleit(?:er|erin|ung)|Rektor(?:in)?|(?:Company\s+)?Directors?\s*:)(?![\p{L}])/gu;
/**
 * Supervisory bodies written as compounds ("Schulaufsicht: Bezirksregierung …", "Stiftungsaufsicht",
 * "Gewerbeaufsicht"); rules.json's word boundary stops "…aufsicht" matching inside them.
 */
const SUPERVISORY_EXTRA =
  /(?<![\p{L}])(?:Schul|Stiftungs|Gewerbe|Heim|Banken|Finanz|Versicherungs|Berufs)aufsicht(?:sbeh(?:ö|oe)rde)?(?![\p{L}])/giu;
/**
 * register_label contains \p{Lu}, so the convention compiles it case-sensitively and "registered in
 * Ireland under company number 654321" never matched "Company number". Lower-case English labels here.
 */
const REGISTER_LABEL_EN = /(?<![\p{L}])(?:company\s+(?:no\.?|number|registration(?:\s+number)?)|registered\s+(?:in\s+[\p{L} ]{2,30}\s+)?under\s+(?:no\.?|number))(?![\p{L}])/giu;
/** UK VAT registration numbers (GB + 9 or 12 digits): GB left vat_value_eu's EU list, UK imprints still show them. */
const VAT_VALUE_GB = /(?<![\p{L}])GB\s?\d{3}\s?\d{4}\s?\d{2}(?:\s?\d{3})?(?!\d)/u;
/** "(at)", "[at]", "{at}", "(ät)", " at ", " @ " — anchors for email_obfuscated. */
const OBFUSCATED_AT = /\(at\)|\[at\]|\{at\}|\(ät\)|\[ät\]|\s(?:at|ät)\s|\s@\s/gi;
/** A personal name: two capitalised words, optionally with academic titles and particles. */
const NAME_PAIR =
  /(?<![\p{L}])(\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?)\s+(?:(?:von|van|de|zu|vom|der|den|del|da)\s+)*(\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?)(?![\p{L}])/gu;
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
    'Amtsgericht Handelsregister Gmbh Mbh Ag Kg Ug Co Ltd Inc Llc Aufsichtsbehörde Verantwortlich Board'
  )
    .toLowerCase()
    .split(/\s+/),
);

/** A line that is only a heading ("Impressum", "Angaben gemäß § 5 DDG") or navigation. */
function isBoilerplateLine(line: string): boolean {
  const l = line.trim();
  if (isNavigationLine(l)) return true;
  const h = firstMatch(R.heading, l);
  return h !== null && h.index === 0 && /^[\s:.]*$/.test(l.slice(h.end));
}

export function analyseImprint(input: string): ImprintAnalysis {
  const { text, truncated } = prepareText(input, MAX_IMPRINT_CHARS);
  const addrText = guardLetterRuns(normaliseForAddress(text));

  const address = findAddress(addrText);
  const postfach = firstMatch(R.postfach, addrText);
  const elements: Record<ImprintElementId, ElementFinding> = {
    address,
    email: findEmail(text),
    phone: findPhone(addrText),
    representative: findRepresentative(text),
    'supervisory-authority': findSupervisory(text),
    register: findRegister(text),
    'vat-id': findVat(text),
    'responsible-for-content': findResponsible(text),
  };
  const poBoxOnly = !address.found && postfach !== null;
  if (poBoxOnly && postfach) elements.address = { found: false, partial: true, evidence: snippet(addrText, postfach.index, postfach.end) };

  const meaningfulChars = countMeaningfulChars(
    text
      .split('\n')
      .filter((line) => !isBoilerplateLine(line))
      .join('\n'),
  );
  const anyElement = IMPRINT_ELEMENT_IDS.some((id) => elements[id].found) || poBoxOnly;
  const publicLaw = firstMatch(R.publicLaw, text);
  const legalForm = LEGAL_FORM ? firstMatch(LEGAL_FORM, text) : null;

  return {
    status: anyElement && meaningfulChars >= MIN_IMPRINT_CHARS ? 'present' : 'empty',
    elements,
    poBoxOnly,
    contactForm: firstMatch(R.contactForm, text) !== null,
    legalForm: legalForm ? legalForm.text : null,
    publicLawEntity: publicLaw ? foundAt(text, publicLaw) : NOT_FOUND,
    outdatedRefs: [...new Set(allMatches(R.outdated, text, 20).map((m) => m.text.replace(/\s+/g, ' ')))].slice(0, 10),
    meaningfulChars,
    truncated,
  };
}

/** "Postfach 10 01 23", "P.O. Box 12" inside a street match: a PO box is not an address (§ 5 Abs. 1 Nr. 1 DDG). */
const PO_BOX = /(?:^|[^\p{L}])(?:Postfach|Postf\.|PF|P\.?\s?O\.?\s?Box|Case\s+postale|Casella\s+postale|Apartado)(?![\p{L}])/iu;

/**
 * imp.address logic: de_address_composite, or street_number with a street suffix/prefix followed
 * within 150 characters by a PLZ + city (DE/AT/CH), or an English street address.
 */
export function findAddress(t: string): ElementFinding {
  for (const m of allMatches(R.composite, t, 100)) {
    const street = m.groups?.street ?? m.text;
    if (PO_BOX.test(street)) continue;
    // The street group may reach back over line breaks ("Stadt Musterstadt\nMusterstraße 12"):
    // start the evidence at the line holding the house number.
    const lineStart = t.lastIndexOf('\n', m.index + street.length - 1) + 1;
    return { found: true, evidence: snippet(t, Math.max(m.index, lineStart), m.end) };
  }
  const plzCities = [R.dePlzCity, R.atPlzCity, R.chPlzCity].flatMap((re) => allMatches(re, t, 100));
  for (const pc of plzCities) {
    const windowStart = Math.max(0, pc.index - 150);
    const before = t.slice(windowStart, pc.index);
    for (const sn of allMatches(R.streetNumber, before, 20)) {
      const street = sn.groups?.street ?? '';
      if (PO_BOX.test(street)) continue;
      if (firstMatch(R.streetSuffix, sn.text) || firstMatch(R.streetPrefix, sn.text)) {
        return { found: true, evidence: snippet(t, windowStart + sn.index, pc.end) };
      }
    }
  }
  const en = firstMatch(EN_STREET, t);
  return en ? foundAt(t, en) : NOT_FOUND;
}

/**
 * imp.email: `email` and `email_obfuscated`, each run only in a window around its anchor ('@' or
 * an "(at)" marker): both start with an unbounded character class that would otherwise backtrack
 * quadratically over long runs of letters.
 */
export function findEmail(t: string): ElementFinding {
  let from = 0;
  for (let n = 0; n < 500; n++) {
    const at = t.indexOf('@', from);
    if (at < 0) break;
    from = at + 1;
    const start = Math.max(0, at - 80);
    const win = t.slice(start, Math.min(t.length, at + 260));
    const m = firstMatch(R.email, win);
    if (m && start + m.index <= at && start + m.end > at) return { found: true, evidence: snippet(t, start + m.index, start + m.end) };
  }
  for (const marker of allMatches(OBFUSCATED_AT, t, 500)) {
    const start = Math.max(0, marker.index - 80);
    const win = t.slice(start, Math.min(t.length, marker.end + 120));
    const m = firstMatch(R.emailObfuscated, win);
    // The spaced " at " form also matches prose ("we are at Berlin. We"): no sentence breaks allowed.
    if (m && start + m.index <= marker.index && !/[.]\s|\s[.]/.test(m.text.replace(/\s(?:dot|punkt)\s/gi, ''))) {
      return { found: true, evidence: snippet(t, start + m.index, start + m.end) };
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

function findPhone(t: string): ElementFinding {
  for (const re of [R.phoneDe, R.phoneIntl]) {
    for (const m of allMatches(re, t, 100)) {
      if (plausiblePhone(m.text) && !labelledFax(t, m.index)) return foundAt(t, m);
    }
  }
  // Lower-confidence numbers (no leading 0/+) count only within 25 chars after a phone label.
  for (const label of allMatches(R.phoneLabel, t, 100)) {
    if (/fax/i.test(label.text)) continue;
    const win = t.slice(label.end, label.end + 25);
    const num = /\+?\d[\d\s/().-]{5,22}\d/.exec(win);
    if (num && plausiblePhone(num[0])) return { found: true, evidence: snippet(t, label.index, label.end + num.index + num[0].length) };
  }
  return NOT_FOUND;
}

/** imp.representative: keyword AND a personal name within 80 characters (before or after). */
function findRepresentative(t: string): ElementFinding {
  let partial: RuleMatch | null = null;
  const matches = [...allMatches(R.representative, t, 100), ...allMatches(REPRESENTATIVE_EXTRA, t, 100)].sort((a, b) => a.index - b.index);
  for (const m of matches) {
    const winStart = Math.max(0, m.index - 80);
    const after = t.slice(m.end, m.end + 80);
    const before = t.slice(winStart, m.index);
    const nameEnd = personNameEnd(after);
    if (nameEnd >= 0) return { found: true, evidence: snippet(t, m.index, m.end + nameEnd) };
    if (personNameEnd(before.slice(before.lastIndexOf('\n') + 1)) >= 0) return foundAt(t, m);
    partial ??= m;
  }
  return partial ? partialAt(t, partial) : NOT_FOUND;
}

/** End offset of the first personal name in `window`, or -1. */
function personNameEnd(window: string): number {
  const re = new RegExp(NAME_PAIR.source, NAME_PAIR.flags);
  for (let m = re.exec(window); m; m = re.exec(window)) {
    const a = (m[1] ?? '').toLowerCase();
    const b = (m[2] ?? '').toLowerCase();
    if (!NOT_A_NAME.has(a) && !NOT_A_NAME.has(b)) return m.index + m[0].length;
    // Retry from the second word: "Geschäftsführerin Maria Muster" → "Maria Muster".
    re.lastIndex = m.index + (m[1]?.length ?? 1);
  }
  return -1;
}

/**
 * imp.supervisory. Imprint pages often carry the privacy notice too, whose "Beschwerde bei einer
 * Aufsichtsbehörde" (Art. 77 GDPR) names the *data protection* authority — not the body's supervisor.
 */
function findSupervisory(t: string): ElementFinding {
  const matches = [...allMatches(R.supervisory, t, 100), ...allMatches(SUPERVISORY_EXTRA, t, 100)].sort((a, b) => a.index - b.index);
  for (const m of matches) {
    const around = t.slice(Math.max(0, m.index - 60), m.end + 40);
    if (/beschwer|complain|datenschutz-?aufsicht|data\s+protection\s+(?:supervisory|authority)|Art\.?\s?77/i.test(around)) continue;
    return foundAt(t, m);
  }
  return NOT_FOUND;
}

/** Value pattern anywhere, or a label followed by a value-like token within 40 chars; label alone = partial. */
function findLabelledValue(
  t: string,
  label: RegExp | null,
  values: readonly (RegExp | null)[],
  valueNear: (following: string) => boolean,
): ElementFinding {
  for (const v of values) {
    const m = firstMatch(v, t);
    if (m) return foundAt(t, m);
  }
  let partial: RuleMatch | null = null;
  for (const m of allMatches(label, t, 50)) {
    if (valueNear(t.slice(m.end, m.end + 40))) return { found: true, evidence: snippet(t, m.index, m.end + 40) };
    partial ??= m;
  }
  return partial ? partialAt(t, partial) : NOT_FOUND;
}

/** imp.register: rules.json label/values, then the case-insensitive English labels (REGISTER_LABEL_EN). */
function findRegister(t: string): ElementFinding {
  const r = findLabelledValue(t, R.registerLabel, R.registerValues, (near) => /\d{3,}/.test(near));
  if (r.found) return r;
  const en = findLabelledValue(t, REGISTER_LABEL_EN, [], (near) => /\d{3,}/.test(near));
  return en.found || en.partial ? en : r;
}

/** imp.vat: a national VAT/W-IdNr./UID value, or a VAT label followed by an EU VAT number. */
function findVat(t: string): ElementFinding {
  return findLabelledValue(t, R.vatLabel, R.vatValues, (near) => {
    if (VAT_VALUE_GB.test(near)) return true;
    // "IE 6543210K", "DE 123 456 789": spaces inside the number and after the country code are layout.
    const m = firstMatch(VAT_VALUE_EU, near.replace(/(\d) (?=\d)/g, '$1').replace(/(?<![A-Za-z])([A-Z]{2}) (?=\d)/g, '$1'));
    return m !== null && /\d{5,}/.test(m.text);
  });
}

function findResponsible(t: string): ElementFinding {
  const m = firstMatch(R.mstv, t) ?? firstMatch(RESPONSIBLE_EXTRA, t);
  return m ? foundAt(t, m) : NOT_FOUND;
}
