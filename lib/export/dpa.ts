/**
 * Which data-protection authority (DPA) should receive a complaint about a page's operator?
 * docs/legal/SPEC.md § 7.1 and rules.json `competence.decision_tree_de` (Germany first), with the
 * authorities from rules.json `dpas` (`de`, `eu_eea_and_others`).
 *
 * The decision, in order:
 *  1. Jobcenter gE (§ 44b SGB II) → BfDI (§ 50 Abs. 4 S. 3 SGB II); zkT (§ 6a SGB II) → the DPA of
 *     its Land (a public body: Bavaria → BayLfD); type unknown → suggest BfDI, show the Land DPA,
 *     ask the user (decision_tree_de, 3rd row).
 *  2. Federal public body → BfDI (§ 9 Abs. 1 BDSG).
 *  3. Land or municipal public body → Land DPA (LDSG; Bavaria: BayLfD, Art. 15 BayDSG).
 *  4. Private controller (company, association, person) seated in Germany → Land DPA of the seat
 *     (§ 40 Abs. 1 BDSG; Bavaria: BayLDA, Art. 18 BayDSG).
 *  5. Abroad: a public body → that state's DPA (Art. 55(2) GDPR, no one-stop-shop); a private
 *     controller in the EU/EEA → its DPA as lead authority (Art. 56(1)); EU institutions → EDPS
 *     (Regulation (EU) 2018/1725); no EU establishment / unknown → the complainant's own DPA
 *     (Art. 77(1): habitual residence, place of work or of the infringement) — we ask.
 *
 * Pure, typed, never throws. The seat is a heuristic (imprint postcode, city name, TLD), so the
 * result is a proposal the user confirms; Art. 77(1) always lets them file where they live.
 */
import rules from '../legal/rules.json';
import { findAddress } from '../legal/imprint';
import { compileRule, firstMatch, normaliseText } from '../legal/patterns';
import type { Report } from '../verdict/report';

export type ControllerKind = 'jobcenter' | 'federal-body' | 'state-body' | 'municipal-body' | 'company' | 'association' | 'person' | 'unknown';
export type JobcenterType = 'gemeinsame-einrichtung' | 'zugelassener-kommunaler-traeger';
/** German Länder, ISO 3166-2:DE suffixes. */
export type GermanState = 'BW' | 'BY' | 'BE' | 'BB' | 'HB' | 'HH' | 'HE' | 'MV' | 'NI' | 'NW' | 'RP' | 'SL' | 'SN' | 'ST' | 'SH' | 'TH';

export const GERMAN_STATES: readonly GermanState[] = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH'];

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

export interface CompetenceInput {
  controllerKind: ControllerKind;
  jobcenterType?: JobcenterType | null;
  /** ISO 3166-1 alpha-2 of the controller's seat (imprint address or TLD); 'EU' for EU institutions. */
  country: string | null;
  /** German Land of the seat ('BY', 'HH', 'Bayern', 'DE-HH' …), or null. */
  state?: string | null;
  /** The controller is a public body (authority detection) even when its kind is not known. */
  publicBody?: boolean;
}

export interface CompetentAuthority {
  primary: Dpa;
  alternatives: Dpa[];
  reason: { de: string; en: string };
  /** The provision the choice rests on (rules.json `competence.decision_tree_de[].hook`). */
  hook: string;
  /** 'observed': the inputs determine the DPA; 'heuristic': a proposal the user should confirm. */
  certainty: 'observed' | 'heuristic';
  /** The user has to choose or confirm (unknown seat/type); the reason says how. */
  askUser: boolean;
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
const FOREIGN: readonly Dpa[] = (rules.dpas.eu_eea_and_others as RawDpa[]).map((r) => toDpa(r, normaliseCountry(r.cc) ?? (r.cc === 'EU' ? 'EU' : null)));
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
const EDPS_ID = 'edps';

function bfdi(): Dpa {
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

const askUser = (): Dpa => ({ ...ASK_USER, label: { ...ASK_USER.label! } });

/** Land DPAs for a sector, in GERMAN_STATES order (BfDI excluded). */
function allStateDpas(sector: 'public' | 'private'): Dpa[] {
  return GERMAN_STATES.map((s) => germanStateDpa(s, sector)).filter((d): d is Dpa => d !== null);
}

// ---------------------------------------------------------------------------------------------
// Texts

const ART77 = {
  de: 'Unabhängig davon können Sie sich nach Art. 77 Abs. 1 DSGVO immer auch bei der Aufsichtsbehörde Ihres gewöhnlichen Aufenthaltsorts, Ihres Arbeitsplatzes oder des Orts des mutmaßlichen Verstoßes beschweren; eine unzuständige deutsche Behörde leitet die Beschwerde weiter.',
  en: 'In any case, Art. 77(1) GDPR lets you complain to the authority of your habitual residence, your place of work or the place of the alleged infringement; a German authority that is not competent forwards the complaint.',
};

const STATE_NAMES_DE: Record<GermanState, string> = {
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

const result = (
  primary: Dpa,
  alternatives: (Dpa | null)[],
  de: string,
  en: string,
  hook: string,
  certainty: CompetentAuthority['certainty'],
  ask = false,
): CompetentAuthority => {
  const seen = new Set<string>([primary.id]);
  const alts: Dpa[] = [];
  for (const a of alternatives) if (a && !seen.has(a.id)) (seen.add(a.id), alts.push(a));
  return {
    primary,
    alternatives: alts,
    reason: { de: ask ? `${de} ${ART77.de}` : de, en: ask ? `${en} ${ART77.en}` : en },
    hook,
    certainty,
    askUser: ask,
  };
};

// EU/EEA members (Art. 3, 55, 56 GDPR apply); CH and GB have their own laws and authorities.
const EEA = new Set(['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK', 'IS', 'LI', 'NO']);

const KINDS: readonly ControllerKind[] = ['jobcenter', 'federal-body', 'state-body', 'municipal-body', 'company', 'association', 'person', 'unknown'];
const PUBLIC_KINDS: readonly ControllerKind[] = ['jobcenter', 'federal-body', 'state-body', 'municipal-body'];

/**
 * The competent DPA for a controller (rules.json `competence.decision_tree_de`, SPEC § 7.1).
 * Never throws: odd input ends in "ask the user" with the Art. 77 explanation.
 */
export function competentAuthority(input: CompetenceInput): CompetentAuthority {
  const raw = (input ?? {}) as Partial<CompetenceInput>;
  const kind: ControllerKind = KINDS.includes(raw.controllerKind as ControllerKind) ? (raw.controllerKind as ControllerKind) : 'unknown';
  const jcType = raw.jobcenterType === 'gemeinsame-einrichtung' || raw.jobcenterType === 'zugelassener-kommunaler-traeger' ? raw.jobcenterType : null;
  const state = normaliseState(raw.state);
  // A German Land implies Germany; a Jobcenter exists only under SGB II, i.e. in Germany.
  let country = raw.country === 'EU' ? 'EU' : normaliseCountry(raw.country);
  if (!country && (state || kind === 'jobcenter' || kind === 'federal-body' || kind === 'state-body' || kind === 'municipal-body')) country = 'DE';
  const isPublic = PUBLIC_KINDS.includes(kind) || raw.publicBody === true;

  if (country === 'EU') {
    const edps = dpaById(EDPS_ID);
    if (edps)
      return result(
        edps,
        [],
        'Für Organe und Einrichtungen der EU ist der Europäische Datenschutzbeauftragte zuständig.',
        'EU institutions and bodies are supervised by the European Data Protection Supervisor.',
        'Verordnung (EU) 2018/1725, Art. 63',
        'observed',
      );
  }

  if (country === 'DE') return german(kind, jcType, state, isPublic);
  if (country === null) {
    return result(
      askUser(),
      [],
      'Sitz und Art der verantwortlichen Stelle sind nicht bekannt; die zuständige Behörde lässt sich daher nicht bestimmen. Bitte wählen Sie die Behörde selbst.',
      'The controller’s seat and kind are unknown, so the competent authority cannot be determined. Please choose the authority yourself.',
      'Art. 77 Abs. 1 DSGVO',
      'heuristic',
      true,
    );
  }

  const local = countryDpa(country);
  if (local && isPublic) {
    return result(
      local,
      [],
      `Behörden und öffentliche Stellen unterliegen nur der Aufsicht ihres eigenen Staats (${country}); das One-Stop-Shop-Verfahren gilt für sie nicht.`,
      `Public authorities are supervised only by the authority of their own state (${country}); the one-stop-shop does not apply to them.`,
      'Art. 55 Abs. 2 DSGVO',
      'observed',
    );
  }
  if (local && EEA.has(country)) {
    return result(
      local,
      [askUser()],
      `Die verantwortliche Stelle hat ihren Sitz in ${country}; die dortige Aufsichtsbehörde ist federführend. Art. 77 Abs. 1 DSGVO nennt den Wohnort nur „insbesondere“: Sie können sich direkt dort oder bei Ihrer eigenen Aufsichtsbehörde beschweren, die die Beschwerde weiterleitet.`,
      `The controller is established in ${country}; that country's authority is the lead authority. Art. 77(1) GDPR names the residence only "in particular": you may complain there directly or to your own authority, which forwards it.`,
      'Art. 56 Abs. 1, Art. 77 Abs. 1 DSGVO',
      'heuristic',
    );
  }
  if (local) {
    // CH, GB: outside the GDPR's cooperation mechanism; their own authority, or ours under Art. 3(2).
    return result(
      local,
      [askUser()],
      `Die verantwortliche Stelle hat ihren Sitz in ${country} (außerhalb der EU). Zuständig nach dortigem Recht ist diese Behörde; richtet sich das Angebot an Personen in der EU (Art. 3 Abs. 2 DSGVO), können Sie sich auch bei Ihrer eigenen Aufsichtsbehörde beschweren.`,
      `The controller is established in ${country} (outside the EU). That authority is competent under local law; where the service targets people in the EU (Art. 3(2) GDPR) you may also complain to your own authority.`,
      'Art. 3 Abs. 2, Art. 77 Abs. 1 DSGVO',
      'heuristic',
    );
  }
  return result(
    askUser(),
    [],
    `Die verantwortliche Stelle sitzt außerhalb der EU (${country}) ohne erkennbare Niederlassung in der EU; es gibt keine federführende Behörde, jede Aufsichtsbehörde ist zuständig. Bitte wählen Sie Ihre eigene.`,
    `The controller is outside the EU (${country}) with no visible establishment in the EU; there is no lead authority and every authority is competent. Please choose your own.`,
    'Art. 3 Abs. 2, Art. 27, Art. 77 Abs. 1 DSGVO',
    'heuristic',
    true,
  );
}

function german(kind: ControllerKind, jcType: JobcenterType | null, state: GermanState | null, isPublic: boolean): CompetentAuthority {
  const landName = state ? STATE_NAMES_DE[state] : null;
  if (kind === 'jobcenter') {
    if (jcType === 'gemeinsame-einrichtung') {
      return result(
        bfdi(),
        [],
        'Das Jobcenter ist eine gemeinsame Einrichtung von Bundesagentur für Arbeit und Kommune (§ 44b SGB II); die Datenschutzaufsicht liegt nach § 50 Abs. 4 S. 3 SGB II bei der oder dem Bundesbeauftragten für den Datenschutz und die Informationsfreiheit.',
        'The Jobcenter is a joint institution of the Federal Employment Agency and the municipality (§ 44b SGB II); § 50(4) sentence 3 SGB II makes the Federal Commissioner for Data Protection and Freedom of Information its supervisory authority.',
        '§ 50 Abs. 4 S. 3 SGB II',
        'observed',
      );
    }
    const land = state ? germanStateDpa(state, 'public') : null;
    if (jcType === 'zugelassener-kommunaler-traeger') {
      if (land)
        return result(
          land,
          [],
          `Das Jobcenter wird von einem zugelassenen kommunalen Träger allein betrieben (§ 6a SGB II) und ist damit eine öffentliche Stelle des Landes ${landName}; zuständig ist die Landesaufsicht.`,
          `The Jobcenter is run by an approved municipal body alone (§ 6a SGB II), a public body of the Land ${landName}; the Land's authority is competent.`,
          '§ 6a SGB II; Landesdatenschutzgesetz',
          'observed',
        );
      return result(
        askUser(),
        allStateDpas('public'),
        'Das Jobcenter wird von einem zugelassenen kommunalen Träger betrieben (§ 6a SGB II); zuständig ist die Datenschutzaufsicht des Landes, in dem es seinen Sitz hat. Das Land ließ sich nicht erkennen — bitte wählen Sie die Landesbehörde.',
        'The Jobcenter is run by an approved municipal body (§ 6a SGB II); the authority of the Land where it sits is competent. The Land could not be recognised — please choose the Land authority.',
        '§ 6a SGB II; Landesdatenschutzgesetz',
        'heuristic',
        true,
      );
    }
    // decision_tree_de: "suggest BfDI (most Jobcenters are gE) but show both and ask user".
    return result(
      bfdi(),
      [land],
      `Ob das Jobcenter eine gemeinsame Einrichtung (§ 44b SGB II, Aufsicht: BfDI nach § 50 Abs. 4 S. 3 SGB II) oder ein zugelassener kommunaler Träger (§ 6a SGB II, Aufsicht: Landesbehörde${land ? ` – ${land.short}` : ''}) ist, ließ sich nicht erkennen. Die meisten Jobcenter sind gemeinsame Einrichtungen; bitte prüfen Sie das Impressum des Jobcenters.`,
      `Whether the Jobcenter is a joint institution (§ 44b SGB II, supervised by the BfDI under § 50(4) sentence 3 SGB II) or an approved municipal body (§ 6a SGB II, supervised by the Land authority${land ? ` – ${land.short}` : ''}) could not be recognised. Most Jobcenters are joint institutions; please check the Jobcenter's imprint.`,
      '§ 50 Abs. 4 S. 3 SGB II / § 6a SGB II',
      'heuristic',
      true,
    );
  }

  if (kind === 'federal-body') {
    return result(
      bfdi(),
      [],
      'Öffentliche Stellen des Bundes unterliegen der Aufsicht der oder des Bundesbeauftragten für den Datenschutz und die Informationsfreiheit.',
      'Federal public bodies are supervised by the Federal Commissioner for Data Protection and Freedom of Information.',
      '§ 9 Abs. 1 BDSG',
      'observed',
    );
  }

  const sector: 'public' | 'private' = isPublic ? 'public' : 'private';
  const knownSector = isPublic || kind === 'company' || kind === 'association' || kind === 'person';
  const hook = sector === 'public' ? `Landesdatenschutzgesetz${state === 'BY' ? ' (Art. 15 BayDSG)' : ''}; Art. 55 Abs. 2 DSGVO` : `§ 40 Abs. 1 BDSG${state === 'BY' ? ' (Art. 18 BayDSG)' : ''}`;

  if (state && knownSector) {
    const land = germanStateDpa(state, sector)!;
    const de =
      sector === 'public'
        ? `Öffentliche Stellen des Landes und der Kommunen in ${landName} unterliegen der Aufsicht der Landesbehörde${state === 'BY' ? ' (in Bayern für öffentliche Stellen: BayLfD)' : ''}.`
        : `Nicht-öffentliche Stellen (Unternehmen, Vereine, Privatpersonen) unterliegen der Aufsicht des Landes, in dem sie ihren Sitz haben: ${landName}${state === 'BY' ? ' (in Bayern für nicht-öffentliche Stellen: BayLDA)' : ''}.`;
    const en =
      sector === 'public'
        ? `Land and municipal public bodies in ${landName} are supervised by the Land authority${state === 'BY' ? ' (in Bavaria, for public bodies: BayLfD)' : ''}.`
        : `Private bodies (companies, associations, individuals) are supervised by the authority of the Land where they are established: ${landName}${state === 'BY' ? ' (in Bavaria, for private bodies: BayLDA)' : ''}.`;
    return result(land, [], de, en, hook, 'observed');
  }

  if (state && !knownSector) {
    // Kind unknown: only Bavaria's answer depends on public/private.
    const pub = germanStateDpa(state, 'public')!;
    const priv = germanStateDpa(state, 'private')!;
    if (pub.id === priv.id)
      return result(
        pub,
        [],
        `Die verantwortliche Stelle sitzt vermutlich in ${landName}; die Landesbehörde ist dort für öffentliche und nicht-öffentliche Stellen zuständig.`,
        `The controller is probably established in ${landName}; the Land authority there supervises public and private bodies alike.`,
        'Landesdatenschutzgesetz / § 40 Abs. 1 BDSG',
        'heuristic',
      );
    return result(
      askUser(),
      [pub, priv],
      'In Bayern ist die Aufsicht geteilt: öffentliche Stellen beaufsichtigt der BayLfD, Unternehmen und andere nicht-öffentliche Stellen das BayLDA. Ob die verantwortliche Stelle öffentlich ist, ließ sich nicht erkennen — bitte wählen Sie.',
      'Bavaria splits supervision: the BayLfD supervises public bodies, the BayLDA companies and other private bodies. Whether the controller is public could not be recognised — please choose.',
      'Art. 15, 18 BayDSG; § 40 Abs. 1 BDSG',
      'heuristic',
      true,
    );
  }

  // Germany, Land unknown.
  return result(
    askUser(),
    allStateDpas(knownSector ? sector : 'public').concat(knownSector ? [] : allStateDpas('private')),
    knownSector
      ? 'Zuständig ist die Datenschutzaufsicht des Landes, in dem die verantwortliche Stelle ihren Sitz hat; das Land ließ sich nicht erkennen (kein Impressum mit Anschrift). Bitte wählen Sie die Landesbehörde.'
      : 'Die verantwortliche Stelle sitzt vermutlich in Deutschland; Art und Bundesland ließen sich nicht erkennen. Bitte wählen Sie die Behörde.',
    knownSector
      ? 'The authority of the Land where the controller is established is competent; the Land could not be recognised (no imprint with an address). Please choose the Land authority.'
      : 'The controller is probably in Germany; its kind and Land could not be recognised. Please choose the authority.',
    knownSector ? hook : 'Art. 77 Abs. 1 DSGVO',
    'heuristic',
    true,
  );
}

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
  '01': 'SN', '02': 'SN', '03': 'BB', '04': 'SN', '06': 'ST', '07': 'TH', '08': 'SN', '09': 'SN',
  '10': 'BE', '12': 'BE', '13': 'BE', '14': 'BB', '15': 'BB', '16': 'BB', '17': 'MV', '18': 'MV', '19': 'MV',
  '20': 'HH', '21': 'NI', '22': 'HH', '23': 'SH', '24': 'SH', '25': 'SH', '26': 'NI', '27': 'NI', '28': 'HB', '29': 'NI',
  '30': 'NI', '31': 'NI', '32': 'NW', '33': 'NW', '34': 'HE', '35': 'HE', '36': 'HE', '37': 'NI', '38': 'NI', '39': 'ST',
  '40': 'NW', '41': 'NW', '42': 'NW', '44': 'NW', '45': 'NW', '46': 'NW', '47': 'NW', '48': 'NW', '49': 'NI',
  '50': 'NW', '51': 'NW', '52': 'NW', '53': 'NW', '54': 'RP', '55': 'RP', '56': 'RP', '57': 'NW', '58': 'NW', '59': 'NW',
  '60': 'HE', '61': 'HE', '63': 'HE', '64': 'HE', '65': 'HE', '66': 'SL', '67': 'RP', '68': 'BW', '69': 'BW',
  '70': 'BW', '71': 'BW', '72': 'BW', '73': 'BW', '74': 'BW', '75': 'BW', '76': 'BW', '77': 'BW', '78': 'BW', '79': 'BW',
  '80': 'BY', '81': 'BY', '82': 'BY', '83': 'BY', '84': 'BY', '85': 'BY', '86': 'BY', '87': 'BY', '88': 'BW', '89': 'BW',
  '90': 'BY', '91': 'BY', '92': 'BY', '93': 'BY', '94': 'BY', '95': 'BY', '96': 'BY', '97': 'BY', '98': 'TH', '99': 'TH',
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
  [/\bBerlin\b/u, 'BE'], [/\bHamburg\b/u, 'HH'], [/\bBremerhaven\b|\bBremen\b/u, 'HB'],
  [/\bMünchen\b|\bMuenchen\b|\bNürnberg\b|\bNuernberg\b|\bAugsburg\b|\bRegensburg\b|\bWürzburg\b/u, 'BY'],
  [/\bStuttgart\b|\bKarlsruhe\b|\bMannheim\b|\bFreiburg im Breisgau\b/u, 'BW'],
  [/\bKöln\b|\bKoeln\b|\bDüsseldorf\b|\bDuesseldorf\b|\bDortmund\b|\bEssen\b|\bDuisburg\b|\bBochum\b|\bMünster\b|\bBielefeld\b/u, 'NW'],
  [/\bFrankfurt am Main\b|\bFrankfurt a\. ?M\.|\bWiesbaden\b|\bKassel\b|\bDarmstadt\b/u, 'HE'],
  [/\bHannover\b|\bBraunschweig\b|\bOsnabrück\b|\bOldenburg \(Oldb\)/u, 'NI'],
  [/\bLeipzig\b|\bDresden\b|\bChemnitz\b/u, 'SN'],
  [/\bMagdeburg\b|\bHalle \(Saale\)/u, 'ST'], [/\bErfurt\b|\bJena\b/u, 'TH'], [/\bPotsdam\b|\bCottbus\b|\bFrankfurt \(Oder\)/u, 'BB'],
  [/\bSchwerin\b|\bRostock\b/u, 'MV'], [/\bKiel\b|\bLübeck\b/u, 'SH'], [/\bMainz\b|\bKoblenz\b|\bTrier\b/u, 'RP'], [/\bSaarbrücken\b/u, 'SL'],
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
const NATIONAL_TLDS = new Set(['de', 'at', 'ch', 'fr', 'it', 'es', 'nl', 'be', 'pl', 'dk', 'se', 'fi', 'no', 'ie', 'pt', 'cz', 'sk', 'hu', 'si', 'hr', 'ro', 'bg', 'gr', 'lu', 'lt', 'lv', 'mt', 'cy', 'li', 'is', 'uk']);

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
const STATE_RE = /\b(?:Staatsministerium|Landesministerium|Ministerium\s+(?:f(?:ü|ue)r|des|der)\b[^\n]{0,80}\bdes\s+Landes|Landesamt|Landesregierung|Landespolizei|Polizeipr(?:ä|ae)sidium|Staatskanzlei|Senatsverwaltung|Landratsamt\b)/iu;
const MUNICIPAL_RE = /\b(?:Stadt|Gemeinde|Landkreis|Kreis|Landeshauptstadt|Stadtverwaltung|Bezirksamt|Rathaus|Markt|Samtgemeinde|Verbandsgemeinde|Amt|Kreisverwaltung|Stadtwerke)\b/u;
const COMPANY_RE = /(?:\bGmbH\b|\bAG\b|\bUG\b|\bKG\b|\bOHG\b|\bGbR\b|\be\.\s?K\.|\bSE\b|\bLtd\.?|\bInc\.?|\bLLC\b|\bS\.?A\.?R\.?L\.?|\bB\.?V\.|\bPty\b)/u;
const ASSOCIATION_RE = /(?:\be\.\s?V\.|\beingetragener\s+Verein\b|\bVerein\b|\bStiftung\b|\bGenossenschaft\b|\be\.\s?G\.)/u;

// rules.json `authority_detection.jobcenter_type`: gE / zkT signals. Short acronyms compiled
// case-sensitively, as lib/verdict/authority.ts does ("ge" is too common in lower case).
const JT = rules.authority_detection.jobcenter_type;
const compileJt = (list: readonly string[]) =>
  list.map((s) => (/^\\b[A-Za-z]{2,3}\\b$/.test(s) ? compileRule(s, '', 'u') : compileRule(s))).filter((r): r is RegExp => r !== null);
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

const str = (x: unknown): string => (typeof x === 'string' ? x : '');

/** Imprint headings and boilerplate that precede the provider's name. */
const IMPRINT_BOILERPLATE = /^(?:impressum|imprint|legal notice|angaben\s+gem(?:ä|ae)(?:ß|ss)|anbieter|herausgeber|diensteanbieter|verantwortlich|kontakt)\b/iu;

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
  const hit = lines.find((l) => l.length <= 120 && (JOBCENTER_RE.test(l) || FEDERAL_RE.test(l) || STATE_RE.test(l) || MUNICIPAL_RE.test(l) || COMPANY_RE.test(l) || ASSOCIATION_RE.test(l)));
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
  const privacy = (r.privacyNotice && typeof r.privacyNotice === 'object' ? r.privacyNotice : {}) as Partial<Report['privacyNotice']>;
  const imprintEvidence = (imprint.evidence && typeof imprint.evidence === 'object' ? imprint.evidence : {}) as Record<string, unknown>;
  const itext = typeof imprintText === 'string' ? imprintText.slice(0, MAX_SEAT_TEXT) : '';
  const evidence: string[] = [];

  const name = nameFromImprint(itext) || str(page.profileName).trim() || str(page.title).trim() || null;
  const handle = str(page.handle);
  const names = normaliseText([name ?? '', handle.replace(/_/g, ' '), ...(Array.isArray(authority.signals) ? authority.signals.map((s) => str(s?.evidence)) : [])].join('\n'));
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

  const jobcenterType = kind === 'jobcenter' ? jobcenterTypeFromText(`${itext}\n${names}`) : null;
  if (jobcenterType) evidence.push(`jobcenter type: ${jobcenterType}`);

  let seat = seatFromText(itext);
  if (!seat.country) seat = seatFromText(str(imprintEvidence.address));
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

  let address = str(imprintEvidence.address).slice(0, 200) || null;
  if (!address && itext) {
    try {
      const a = findAddress(normaliseText(itext));
      // "Musterstraße 12 45127 Musterstadt" → "Musterstraße 12, 45127 Musterstadt"
      if (a.found && a.evidence) address = a.evidence.replace(/\s*\n\s*/g, ', ').replace(/(\d[a-z]?)\s+(?=(?:D-?\s?)?\d{5}\s)/i, '$1, ');
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
