/**
 * The controller behind a page, heuristically, for the competence decision (competence.ts): its
 * kind (Jobcenter and its type, federal, Land, municipal, company, association) and its seat (the
 * imprint's postcode or city, the national TLD). Pure, never throws; the user confirms the result.
 */
import rules from '../../legal/rules.json';
import { findAddress } from '../../legal/imprint-elements';
import { compileRule, firstMatch, normaliseText } from '../../legal/patterns';
import type { Report } from '../../verdict/report';
import { type CompetenceInput, type ControllerKind, type JobcenterType, PUBLIC_KINDS } from './competence';
import { type GermanState, normaliseCountry } from './directory';
import { text } from '../untrusted';

// ---------------------------------------------------------------------------------------------
// The seat: postcode → Land

/**
 * German postcodes do not follow Land borders. This table maps the two-digit postcode region
 * (Leitregion) to the Land holding most of it, then corrects well-known border ranges. It is a
 * heuristic (certainty 'heuristic'), good for the imprint address of a town or company; the user
 * confirms the proposed authority. rules.json has no city or postcode table (SPEC § 7.1).
 * Source: Deutsche Post postcode regions (public knowledge); checked against the Land capitals
 * and the border towns listed in RANGES.
 */
const REGION: Record<string, GermanState> = {
  '01': 'SN',
  '02': 'SN',
  '03': 'BB',
  '04': 'SN',
  '06': 'ST',
  '07': 'TH',
  '08': 'SN',
  '09': 'SN',
  '10': 'BE',
  '12': 'BE',
  '13': 'BE',
  '14': 'BB',
  '15': 'BB',
  '16': 'BB',
  '17': 'MV',
  '18': 'MV',
  '19': 'MV',
  '20': 'HH',
  '21': 'NI',
  '22': 'HH',
  '23': 'SH',
  '24': 'SH',
  '25': 'SH',
  '26': 'NI',
  '27': 'NI',
  '28': 'HB',
  '29': 'NI',
  '30': 'NI',
  '31': 'NI',
  '32': 'NW',
  '33': 'NW',
  '34': 'HE',
  '35': 'HE',
  '36': 'HE',
  '37': 'NI',
  '38': 'NI',
  '39': 'ST',
  '40': 'NW',
  '41': 'NW',
  '42': 'NW',
  '44': 'NW',
  '45': 'NW',
  '46': 'NW',
  '47': 'NW',
  '48': 'NW',
  '49': 'NI',
  '50': 'NW',
  '51': 'NW',
  '52': 'NW',
  '53': 'NW',
  '54': 'RP',
  '55': 'RP',
  '56': 'RP',
  '57': 'NW',
  '58': 'NW',
  '59': 'NW',
  '60': 'HE',
  '61': 'HE',
  '63': 'HE',
  '64': 'HE',
  '65': 'HE',
  '66': 'SL',
  '67': 'RP',
  '68': 'BW',
  '69': 'BW',
  '70': 'BW',
  '71': 'BW',
  '72': 'BW',
  '73': 'BW',
  '74': 'BW',
  '75': 'BW',
  '76': 'BW',
  '77': 'BW',
  '78': 'BW',
  '79': 'BW',
  '80': 'BY',
  '81': 'BY',
  '82': 'BY',
  '83': 'BY',
  '84': 'BY',
  '85': 'BY',
  '86': 'BY',
  '87': 'BY',
  '88': 'BW',
  '89': 'BW',
  '90': 'BY',
  '91': 'BY',
  '92': 'BY',
  '93': 'BY',
  '94': 'BY',
  '95': 'BY',
  '96': 'BY',
  '97': 'BY',
  '98': 'TH',
  '99': 'TH',
};

/** Border ranges [from, to] that belong to another Land than their region (first match wins). */
const RANGES: readonly (readonly [number, number, GermanState])[] = [
  [1940, 1998, 'BB'], // Senftenberg, Ruhland
  [4600, 4639, 'TH'], // Altenburg
  [4900, 4939, 'BB'], // Elsterwerda, Herzberg
  [14000, 14199, 'BE'], // Berlin-Wannsee, -Zehlendorf, Charlottenburg (140xx/141xx)
  [17268, 17291, 'BB'], // Templin, Prenzlau
  [19300, 19357, 'BB'], // Wittenberge, Perleberg
  [21029, 21149, 'HH'], // Hamburg-Bergedorf, -Harburg
  [22800, 22999, 'SH'], // Norderstedt, Wedel, Ahrensburg
  [23923, 23999, 'MV'], // Grevesmühlen, Wismar
  [27568, 27580, 'HB'], // Bremerhaven
  [28780, 28999, 'NI'], // Schwanewede, Stuhr, Syke (Bremen city is 28195–28779)
  [34414, 34439, 'NW'], // Warburg, Marsberg
  [36400, 36469, 'TH'], // Bad Salzungen
  [37200, 37299, 'HE'], // Witzenhausen, Eschwege
  [37300, 37359, 'TH'], // Heiligenstadt, Leinefelde
  [38800, 38899, 'ST'], // Halberstadt, Wernigerode
  [48455, 48531, 'NI'], // Bad Bentheim, Nordhorn
  [49477, 49549, 'NW'], // Ibbenbüren, Tecklenburg
  [53424, 53579, 'RP'], // Remagen, Bad Neuenahr, Linz am Rhein
  [57500, 57648, 'RP'], // Betzdorf, Altenkirchen
  [63700, 63939, 'BY'], // Aschaffenburg, Miltenberg
  [66482, 66509, 'RP'], // Zweibrücken
  [66800, 66999, 'RP'], // Landstuhl, Kusel, Pirmasens
  [76720, 76891, 'RP'], // Germersheim, Landau
  [88100, 88199, 'BY'], // Lindau
  [89200, 89499, 'BY'], // Neu-Ulm, Günzburg, Dillingen
  [96500, 96529, 'TH'], // Sonneberg
  [97900, 97999, 'BW'], // Tauberbischofsheim, Bad Mergentheim
];

/** A five-digit German postcode → its (probable) Land; null for anything else. */
export function stateFromPostcode(plz: unknown): GermanState | null {
  const s = typeof plz === 'string' ? plz.trim() : typeof plz === 'number' ? String(plz).padStart(5, '0') : '';
  if (!/^\d{5}$/.test(s)) return null;
  const n = Number(s);
  for (const [from, to, st] of RANGES) if (n >= from && n <= to) return st;
  return REGION[s.slice(0, 2)] ?? null;
}

/**
 * Cities whose name settles the Land when an imprint gives no postcode (Land capitals and the
 * largest cities). "Frankfurt" alone is ambiguous (am Main: HE, an der Oder: BB) and not listed.
 */
const CITIES: readonly (readonly [RegExp, GermanState])[] = [
  [/\bBerlin\b/u, 'BE'],
  [/\bHamburg\b/u, 'HH'],
  [/\bBremerhaven\b|\bBremen\b/u, 'HB'],
  [/\bMünchen\b|\bMuenchen\b|\bNürnberg\b|\bNuernberg\b|\bAugsburg\b|\bRegensburg\b|\bWürzburg\b/u, 'BY'],
  [/\bStuttgart\b|\bKarlsruhe\b|\bMannheim\b|\bFreiburg im Breisgau\b/u, 'BW'],
  [
    /\bKöln\b|\bKoeln\b|\bDüsseldorf\b|\bDuesseldorf\b|\bDortmund\b|\bEssen\b|\bDuisburg\b|\bBochum\b|\bMünster\b|\bBielefeld\b/u,
    'NW',
  ],
  [/\bFrankfurt am Main\b|\bFrankfurt a\. ?M\.|\bWiesbaden\b|\bKassel\b|\bDarmstadt\b/u, 'HE'],
  [/\bHannover\b|\bBraunschweig\b|\bOsnabrück\b|\bOldenburg \(Oldb\)/u, 'NI'],
  [/\bLeipzig\b|\bDresden\b|\bChemnitz\b/u, 'SN'],
  [/\bMagdeburg\b|\bHalle \(Saale\)/u, 'ST'],
  [/\bErfurt\b|\bJena\b/u, 'TH'],
  [/\bPotsdam\b|\bCottbus\b|\bFrankfurt \(Oder\)/u, 'BB'],
  [/\bSchwerin\b|\bRostock\b/u, 'MV'],
  [/\bKiel\b|\bLübeck\b/u, 'SH'],
  [/\bMainz\b|\bKoblenz\b|\bTrier\b/u, 'RP'],
  [/\bSaarbrücken\b/u, 'SL'],
];

// rules.json `regex.imprint.de_plz_city`, `at_plz_city`, `ch_plz_city`.
const REGEX_IMPRINT = rules.regex.imprint as Record<string, string | undefined>;
const DE_PLZ_CITY = compileRule(REGEX_IMPRINT.de_plz_city ?? '', '', 'u');
const AT_PLZ_CITY = compileRule(REGEX_IMPRINT.at_plz_city ?? '', '', 'u');
const CH_PLZ_CITY = compileRule(REGEX_IMPRINT.ch_plz_city ?? '', '', 'u');

export interface SeatGuess {
  country: string | null;
  state: GermanState | null;
  /** What the guess rests on (≤ 120 chars, plain text). */
  evidence: string | null;
  source: 'postcode' | 'city' | 'tld' | 'kind' | null;
}

const MAX_SEAT_TEXT = 20_000;

/** The seat from an address text: a German postcode + city, an Austrian/Swiss one, or a city name. */
export function seatFromText(text: unknown): SeatGuess {
  const none: SeatGuess = { country: null, state: null, evidence: null, source: null };
  if (typeof text !== 'string' || !text) return none;
  const t = normaliseText(text.slice(0, MAX_SEAT_TEXT));
  try {
    const atHint = /Österreich|Oesterreich|Austria|\bWien\b|\bA-\d{4}\b/u.test(t);
    const chHint = /Schweiz|Switzerland|Suisse|Svizzera|\bCH-\d{4}\b/u.test(t);
    const de = firstMatch(DE_PLZ_CITY, t);
    if (de?.groups?.plz && !(atHint || chHint)) {
      const st = stateFromPostcode(de.groups.plz);
      if (st) return { country: 'DE', state: st, evidence: de.text.slice(0, 120), source: 'postcode' };
    }
    if (atHint) {
      const at = firstMatch(AT_PLZ_CITY, t);
      return { country: 'AT', state: null, evidence: (at?.text ?? 'Österreich').slice(0, 120), source: 'postcode' };
    }
    if (chHint) {
      const ch = firstMatch(CH_PLZ_CITY, t);
      return { country: 'CH', state: null, evidence: (ch?.text ?? 'Schweiz').slice(0, 120), source: 'postcode' };
    }
    for (const [re, st] of CITIES) {
      const m = re.exec(t);
      if (m) return { country: 'DE', state: st, evidence: m[0], source: 'city' };
    }
  } catch {
    // A hostile text must not break the export.
  }
  return none;
}

/**
 * Country-code top-level domains that in practice mean a seat in that country. Deliberately
 * short: .ee (linktr.ee), .io, .co, .me, .tv, .ly … are sold worldwide and say nothing.
 */
const NATIONAL_TLDS = new Set([
  'de',
  'at',
  'ch',
  'fr',
  'it',
  'es',
  'nl',
  'be',
  'pl',
  'dk',
  'se',
  'fi',
  'no',
  'ie',
  'pt',
  'cz',
  'sk',
  'hu',
  'si',
  'hr',
  'ro',
  'bg',
  'gr',
  'lu',
  'lt',
  'lv',
  'mt',
  'cy',
  'li',
  'is',
  'uk',
]);

export function countryFromHost(host: unknown): string | null {
  if (typeof host !== 'string') return null;
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'europa.eu' || h.endsWith('.europa.eu')) return 'EU';
  const tld = h.split('.').pop() ?? '';
  return NATIONAL_TLDS.has(tld) ? (normaliseCountry(tld) ?? null) : null;
}

const hostOf = (u: unknown): string | null => {
  if (typeof u !== 'string' || !/^https?:/i.test(u)) return null;
  try {
    return new URL(u).hostname;
  } catch {
    return null;
  }
};

// ---------------------------------------------------------------------------------------------
// The controller from a report

export interface ControllerGuess extends CompetenceInput {
  /** Display name: the profile name or page title (page-derived, escape before rendering). */
  name: string | null;
  /** The imprint's address snippet, if any (page-derived). */
  address: string | null;
  jobcenterType: JobcenterType | null;
  state: GermanState | null;
  publicBody: boolean;
  /** Why, as short plain-text notes. */
  evidence: string[];
}

const JOBCENTER_RE = /\bjob\s?-?center\b/iu;
const FEDERAL_RE =
  /\b(?:Bundesagentur\s+f(?:ü|ue)r\s+Arbeit|Agentur\s+f(?:ü|ue)r\s+Arbeit|Bundesministerium|Bundesamt|Bundesanstalt|Bundespolizei|Bundeswehr|Bundeskriminalamt|Deutsche\s+Rentenversicherung\s+Bund|Generalzolldirektion|Zoll|Bundesregierung|Presse-\s?und\s+Informationsamt\s+der\s+Bundesregierung)\b/iu;
const STATE_RE =
  /\b(?:Staatsministerium|Landesministerium|Ministerium\s+(?:f(?:ü|ue)r|des|der)\b[^\n]{0,80}\bdes\s+Landes|Landesamt|Landesregierung|Landespolizei|Polizeipr(?:ä|ae)sidium|Staatskanzlei|Senatsverwaltung|Landratsamt\b)/iu;
const MUNICIPAL_RE =
  /\b(?:Stadt|Gemeinde|Landkreis|Kreis|Landeshauptstadt|Stadtverwaltung|Bezirksamt|Rathaus|Markt|Samtgemeinde|Verbandsgemeinde|Amt|Kreisverwaltung|Stadtwerke)\b/u;
const COMPANY_RE =
  /(?:\bGmbH\b|\bAG\b|\bUG\b|\bKG\b|\bOHG\b|\bGbR\b|\be\.\s?K\.|\bSE\b|\bLtd\.?|\bInc\.?|\bLLC\b|\bS\.?A\.?R\.?L\.?|\bB\.?V\.|\bPty\b)/u;
const ASSOCIATION_RE =
  /(?:\be\.\s?V\.|\beingetragener\s+Verein\b|\bVerein\b|\bStiftung\b|\bGenossenschaft\b|\be\.\s?G\.)/u;

// rules.json `authority_detection.jobcenter_type`: gE / zkT signals. Short acronyms compiled
// case-sensitively, as lib/verdict/authority-signals.ts does ("ge" is too common in lower case).
const JT = rules.authority_detection.jobcenter_type;
const compileJt = (list: readonly string[]) =>
  list
    .map((s) => (/^\\b[A-Za-z]{2,3}\\b$/.test(s) ? compileRule(s, '', 'u') : compileRule(s)))
    .filter((r): r is RegExp => r !== null);
const GE_SIGNALS = compileJt(JT.gE_signals);
const ZKT_SIGNALS = compileJt(JT.zkT_signals);

/** gE / zkT from a text (imprint, bio); null when neither or both are signalled. */
export function jobcenterTypeFromText(text: unknown): JobcenterType | null {
  if (typeof text !== 'string' || !text) return null;
  const t = normaliseText(text.slice(0, MAX_SEAT_TEXT));
  const ge = GE_SIGNALS.some((re) => firstMatch(re, t) !== null);
  const zkt = ZKT_SIGNALS.some((re) => firstMatch(re, t) !== null);
  return ge === zkt ? null : ge ? 'gemeinsame-einrichtung' : 'zugelassener-kommunaler-traeger';
}

/** Imprint headings and boilerplate that precede the provider's name. */
const IMPRINT_BOILERPLATE =
  /^(?:impressum|imprint|legal notice|angaben\s+gem(?:ä|ae)(?:ß|ss)|anbieter|herausgeber|diensteanbieter|verantwortlich|kontakt)\b/iu;

/**
 * The provider's name from the imprint: the first of its first lines that names a Jobcenter, a
 * public body or a legal form (§ 5 Abs. 1 Nr. 1 DDG puts the name first). Null otherwise.
 */
function nameFromImprint(text: string): string | null {
  if (!text) return null;
  const lines = normaliseText(text.slice(0, 2_000))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !IMPRINT_BOILERPLATE.test(l))
    .slice(0, 6);
  const hit = lines.find(
    (l) =>
      l.length <= 120 &&
      (JOBCENTER_RE.test(l) ||
        FEDERAL_RE.test(l) ||
        STATE_RE.test(l) ||
        MUNICIPAL_RE.test(l) ||
        COMPANY_RE.test(l) ||
        ASSOCIATION_RE.test(l)),
  );
  return hit ?? null;
}

/**
 * The controller behind a report, heuristically: the kind from the names (Jobcenter, federal,
 * Land, municipal, company, association) and the authority recognition; the seat from the
 * imprint text (postcode → Land), the imprint address snippet, or the national TLD of the page's
 * own imprint/notice/page host. Never throws.
 */
export function controllerFromReport(report: Report | null | undefined, imprintText?: string | null): ControllerGuess {
  const r = (report && typeof report === 'object' ? report : {}) as Partial<Report>;
  const page = (r.page && typeof r.page === 'object' ? r.page : {}) as Partial<Report['page']>;
  const authority = (r.authority && typeof r.authority === 'object' ? r.authority : {}) as Partial<Report['authority']>;
  const imprint = (r.imprint && typeof r.imprint === 'object' ? r.imprint : {}) as Partial<Report['imprint']>;
  const privacy = (r.privacyNotice && typeof r.privacyNotice === 'object' ? r.privacyNotice : {}) as Partial<
    Report['privacyNotice']
  >;
  const imprintEvidence = (imprint.evidence && typeof imprint.evidence === 'object' ? imprint.evidence : {}) as Record<
    string,
    unknown
  >;
  const itext = typeof imprintText === 'string' ? imprintText.slice(0, MAX_SEAT_TEXT) : '';
  const evidence: string[] = [];

  const name = nameFromImprint(itext) || text(page.profileName).trim() || text(page.title).trim() || null;
  const handle = text(page.handle);
  const names = normaliseText(
    [
      name ?? '',
      handle.replace(/_/g, ' '),
      ...(Array.isArray(authority.signals) ? authority.signals.map((s) => text(s?.evidence)) : []),
    ].join('\n'),
  );
  const head = normaliseText(itext.slice(0, 600));
  const isAuthority = authority.isAuthority === true;

  let kind: ControllerKind = 'unknown';
  if (JOBCENTER_RE.test(names) && (isAuthority || JOBCENTER_RE.test(head))) kind = 'jobcenter';
  else if (JOBCENTER_RE.test(head)) kind = 'jobcenter';
  else if (isAuthority || FEDERAL_RE.test(head)) {
    const hay = `${names}\n${head}`;
    if (FEDERAL_RE.test(hay)) kind = 'federal-body';
    else if (STATE_RE.test(hay)) kind = 'state-body';
    else if (MUNICIPAL_RE.test(hay)) kind = 'municipal-body';
  } else if (ASSOCIATION_RE.test(head)) kind = 'association';
  else if (COMPANY_RE.test(head)) kind = 'company';
  if (kind !== 'unknown') evidence.push(`kind: ${kind}`);

  // The recognition's own answer (from the profile's or its linked website's imprint) when the
  // texts at hand do not say: a profile visited alone still has a competent authority.
  const recognised =
    authority.jobcenterType === 'gemeinsame-einrichtung' ||
    authority.jobcenterType === 'zugelassener-kommunaler-traeger'
      ? authority.jobcenterType
      : null;
  const jobcenterType = kind === 'jobcenter' ? (jobcenterTypeFromText(`${itext}\n${names}`) ?? recognised) : null;
  if (jobcenterType) evidence.push(`jobcenter type: ${jobcenterType}`);

  let seat = seatFromText(itext);
  if (!seat.country) seat = seatFromText(text(imprintEvidence.address));
  if (!seat.country) {
    for (const u of [imprint.url, privacy.url, r.url]) {
      const host = hostOf(u);
      const c = host ? countryFromHost(host) : null;
      if (c) {
        seat = { country: c, state: null, evidence: host, source: 'tld' };
        break;
      }
    }
  }
  if (!seat.country && PUBLIC_KINDS.includes(kind)) {
    seat = { country: 'DE', state: null, evidence: kind, source: 'kind' };
  }
  if (seat.evidence) evidence.push(`seat (${seat.source}): ${seat.evidence}`);

  let address = text(imprintEvidence.address).slice(0, 200) || null;
  if (!address && itext) {
    try {
      const a = findAddress(normaliseText(itext));
      // "Musterstraße 12 45127 Musterstadt" → "Musterstraße 12, 45127 Musterstadt"
      if (a.found && a.evidence)
        address = a.evidence.replace(/\s*\n\s*/g, ', ').replace(/(\d[a-z]?)\s+(?=(?:D-?\s?)?\d{5}\s)/i, '$1, ');
    } catch {
      // keep null
    }
  }
  if (!address && seat.source === 'postcode') address = seat.evidence;
  return {
    controllerKind: kind,
    jobcenterType,
    country: seat.country,
    state: seat.state,
    publicBody: isAuthority || PUBLIC_KINDS.includes(kind),
    name,
    address,
    evidence,
  };
}
