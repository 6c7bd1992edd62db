/**
 * The data-protection authorities (DPAs) from rules.json `dpas` (`de`, `eu_eea_and_others`): the
 * German Länder and their authorities, the foreign general DPAs, the EDPS, and the Art. 77
 * placeholder "the authority where you live or work". Which of them is competent is decided in
 * competence.ts.
 */
import rules from '../../legal/rules.json';

/** German Länder, ISO 3166-2:DE suffixes. */
export type GermanState =
  | 'BW'
  | 'BY'
  | 'BE'
  | 'BB'
  | 'HB'
  | 'HH'
  | 'HE'
  | 'MV'
  | 'NI'
  | 'NW'
  | 'RP'
  | 'SL'
  | 'SN'
  | 'ST'
  | 'SH'
  | 'TH';

export const GERMAN_STATES: readonly GermanState[] = [
  'BW',
  'BY',
  'BE',
  'BB',
  'HB',
  'HH',
  'HE',
  'MV',
  'NI',
  'NW',
  'RP',
  'SL',
  'SN',
  'ST',
  'SH',
  'TH',
];

export interface Dpa {
  /** rules.json `dpas.*[].id` (datenanfragen ids), or 'ask-user' for the Art. 77 placeholder. */
  id: string;
  short: string;
  /** Official name, in the authority's own language. */
  name: string;
  /** ISO 3166-1 alpha-2; 'EU' for the EDPS; null for the placeholder. */
  country: string | null;
  state: GermanState | null;
  /** Which controllers it supervises (Bavaria is split: BayLfD public, BayLDA private). */
  sector: 'public' | 'private' | 'both';
  /** Online complaint form; null when rules.json has none (use website / e-mail). */
  complaintUrl: string | null;
  website: string | null;
  email: string | null;
  /** rules.json marks the datenanfragen snapshot data "verify_before_release". */
  verifyBeforeRelease: boolean;
  /** Only for the placeholder: a localised label instead of an official name. */
  label?: { de: string; en: string };
}

// ---------------------------------------------------------------------------------------------
// The authorities (rules.json `dpas`)

const STATE_BY_NAME: Record<string, GermanState> = {
  'baden-württemberg': 'BW',
  'baden-wuerttemberg': 'BW',
  bayern: 'BY',
  bavaria: 'BY',
  berlin: 'BE',
  brandenburg: 'BB',
  bremen: 'HB',
  hamburg: 'HH',
  hessen: 'HE',
  hesse: 'HE',
  'mecklenburg-vorpommern': 'MV',
  niedersachsen: 'NI',
  'lower saxony': 'NI',
  'nordrhein-westfalen': 'NW',
  'north rhine-westphalia': 'NW',
  nrw: 'NW',
  'rheinland-pfalz': 'RP',
  'rhineland-palatinate': 'RP',
  saarland: 'SL',
  sachsen: 'SN',
  saxony: 'SN',
  'sachsen-anhalt': 'ST',
  'saxony-anhalt': 'ST',
  'schleswig-holstein': 'SH',
  thüringen: 'TH',
  thueringen: 'TH',
  thuringia: 'TH',
};

/** 'BY', 'by', 'DE-BY', 'Bayern', 'Bavaria' → 'BY'; anything else → null. */
export function normaliseState(s: unknown): GermanState | null {
  if (typeof s !== 'string') return null;
  const t = s.trim().replace(/^DE-/i, '');
  const up = t.toUpperCase();
  if ((GERMAN_STATES as readonly string[]).includes(up)) return up as GermanState;
  return STATE_BY_NAME[t.toLowerCase()] ?? null;
}

/** ISO alpha-2, upper case; 'UK' → 'GB' and the EU's 'EL' → 'GR'; anything else → null. */
export function normaliseCountry(c: unknown): string | null {
  if (typeof c !== 'string') return null;
  const up = c.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(up)) return null;
  return up === 'UK' ? 'GB' : up === 'EL' ? 'GR' : up;
}

interface RawDpa {
  id: string;
  short?: string;
  name: string;
  state?: string;
  scope?: string;
  web?: string | null;
  email?: string | null;
  complaint_form?: string | null;
  complaint_landing?: string;
  complaint_form_note?: string;
  verify_before_release?: boolean;
  cc?: string;
}

/** Only http(s) URLs from the data file make it into links. */
const httpUrl = (u: unknown): string | null => (typeof u === 'string' && /^https?:\/\/[^\s<>"']+$/i.test(u) ? u : null);

/**
 * Bavaria is split (rules.json `dpas.de[].scope`: "PUBLIC sector in Bavaria only" / "PRIVATE
 * sector in Bavaria only"); every other Land DPA supervises both sectors.
 */
function sectorOf(r: RawDpa): Dpa['sector'] {
  const scope = (r.scope ?? '').toUpperCase();
  if (scope.includes('PUBLIC SECTOR') && scope.includes('ONLY')) return 'public';
  if (scope.includes('PRIVATE SECTOR') && scope.includes('ONLY')) return 'private';
  return 'both';
}

function toDpa(r: RawDpa, country: string | null): Dpa {
  // LfDI BW: the snapshot's form URL carries a processInstanceId and looks session-specific
  // (complaint_form_note); rules.json offers `complaint_landing` instead — prefer it.
  const complaintUrl = httpUrl(r.complaint_landing) ?? httpUrl(r.complaint_form);
  return {
    id: r.id,
    short: r.short ?? shortName(r),
    name: r.name,
    country,
    state: country === 'DE' ? normaliseState(r.state) : null,
    sector: sectorOf(r),
    complaintUrl,
    website: httpUrl(r.web),
    email: typeof r.email === 'string' && r.email.includes('@') ? r.email : null,
    verifyBeforeRelease: r.verify_before_release !== false,
  };
}

/** rules.json gives `short` only for the German DPAs; for the others the name's acronym or its first words. */
function shortName(r: RawDpa): string {
  const paren = /\(([A-Z][A-Za-z]{1,9})\)/.exec(r.name);
  if (paren?.[1]) return paren[1];
  const dash = /^(.+?)\s+[–-]\s+/.exec(r.name);
  if (dash?.[1] && dash[1].length <= 12) return dash[1];
  return r.cc ? `DPA ${r.cc}` : r.name;
}

const GERMAN: readonly Dpa[] = (rules.dpas.de as RawDpa[]).map((r) => toDpa(r, 'DE'));
const FOREIGN: readonly Dpa[] = (rules.dpas.eu_eea_and_others as RawDpa[]).map((r) =>
  toDpa(r, normaliseCountry(r.cc) ?? (r.cc === 'EU' ? 'EU' : null)),
);
const BY_ID = new Map<string, Dpa>([...GERMAN, ...FOREIGN].map((d) => [d.id, d]));

/** Every general DPA from rules.json (German first), copies. */
export function allDpas(): Dpa[] {
  return [...GERMAN, ...FOREIGN].map((d) => ({ ...d }));
}

export function dpaById(id: string): Dpa | null {
  const d = BY_ID.get(id);
  return d ? { ...d } : null;
}

const BFDI_ID = 'debfdi'; // decision_tree_de: "then": "debfdi"
export const EDPS_ID = 'edps';

export function bfdi(): Dpa {
  // rules.json always carries the BfDI; the fallback only keeps the type total.
  return dpaById(BFDI_ID) ?? { ...ASK_USER, id: BFDI_ID, short: 'BfDI', name: 'BfDI', country: 'DE' };
}

/** The Land DPA for a sector: Bavaria splits into BayLfD (public) and BayLDA (private). */
export function germanStateDpa(state: GermanState, sector: 'public' | 'private'): Dpa | null {
  const candidates = GERMAN.filter((d) => d.state === state && d.id !== BFDI_ID);
  const d = candidates.find((x) => x.sector === sector) ?? candidates.find((x) => x.sector === 'both') ?? null;
  return d ? { ...d } : null;
}

/** The foreign (non-German) general DPA of a country, or the EDPS for 'EU'. */
export function countryDpa(country: string): Dpa | null {
  const c = country === 'EU' ? 'EU' : normaliseCountry(country);
  const d = c ? FOREIGN.find((x) => x.country === c) : undefined;
  return d ? { ...d } : null;
}

/** Placeholder: "the DPA where you live or work" (Art. 77(1) GDPR). Not a real authority. */
export const ASK_USER: Readonly<Dpa> = Object.freeze({
  id: 'ask-user',
  short: '?',
  name: 'Aufsichtsbehörde Ihres Wohn- oder Arbeitsorts / supervisory authority where you live or work',
  country: null,
  state: null,
  sector: 'both',
  complaintUrl: null,
  website: 'https://edpb.europa.eu/about-edpb/about-edpb/members_en',
  email: null,
  verifyBeforeRelease: true,
  label: {
    de: 'Datenschutz-Aufsichtsbehörde Ihres Wohn- oder Arbeitsorts (bitte auswählen)',
    en: 'The data-protection authority where you live or work (please choose)',
  },
});

export const askUser = (): Dpa => ({ ...ASK_USER, label: { ...ASK_USER.label! } });

/** Land DPAs for a sector, in GERMAN_STATES order (BfDI excluded). */
export function allStateDpas(sector: 'public' | 'private'): Dpa[] {
  return GERMAN_STATES.map((s) => germanStateDpa(s, sector)).filter((d): d is Dpa => d !== null);
}

export const STATE_NAMES_DE: Record<GermanState, string> = {
  BW: 'Baden-Württemberg',
  BY: 'Bayern',
  BE: 'Berlin',
  BB: 'Brandenburg',
  HB: 'Bremen',
  HH: 'Hamburg',
  HE: 'Hessen',
  MV: 'Mecklenburg-Vorpommern',
  NI: 'Niedersachsen',
  NW: 'Nordrhein-Westfalen',
  RP: 'Rheinland-Pfalz',
  SL: 'Saarland',
  SN: 'Sachsen',
  ST: 'Sachsen-Anhalt',
  SH: 'Schleswig-Holstein',
  TH: 'Thüringen',
};
export const stateNameDe = (s: GermanState): string => STATE_NAMES_DE[s];
