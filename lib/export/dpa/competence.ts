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
import {
  type Dpa,
  EDPS_ID,
  type GermanState,
  STATE_NAMES_DE,
  allStateDpas,
  askUser,
  bfdi,
  countryDpa,
  dpaById,
  germanStateDpa,
  normaliseCountry,
  normaliseState,
} from './directory';

export type ControllerKind =
  | 'jobcenter'
  | 'federal-body'
  | 'state-body'
  | 'municipal-body'
  | 'company'
  | 'association'
  | 'person'
  | 'unknown';
export type JobcenterType = 'gemeinsame-einrichtung' | 'zugelassener-kommunaler-traeger';

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
// Texts

const ART77 = {
  de: 'Unabhängig davon können Sie sich nach Art. 77 Abs. 1 DSGVO immer auch bei der Aufsichtsbehörde Ihres gewöhnlichen Aufenthaltsorts, Ihres Arbeitsplatzes oder des Orts des mutmaßlichen Verstoßes beschweren; eine unzuständige deutsche Behörde leitet die Beschwerde weiter.',
  en: 'In any case, Art. 77(1) GDPR lets you complain to the authority of your habitual residence, your place of work or the place of the alleged infringement; a German authority that is not competent forwards the complaint.',
};
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
  for (const a of alternatives) {
    if (!a || seen.has(a.id)) continue;
    seen.add(a.id);
    alts.push(a);
  }
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
const EEA = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
  'IS',
  'LI',
  'NO',
]);

const KINDS: readonly ControllerKind[] = [
  'jobcenter',
  'federal-body',
  'state-body',
  'municipal-body',
  'company',
  'association',
  'person',
  'unknown',
];
export const PUBLIC_KINDS: readonly ControllerKind[] = ['jobcenter', 'federal-body', 'state-body', 'municipal-body'];

/**
 * The competent DPA for a controller (rules.json `competence.decision_tree_de`, SPEC § 7.1).
 * Never throws: odd input ends in "ask the user" with the Art. 77 explanation.
 */
export function competentAuthority(input: CompetenceInput): CompetentAuthority {
  const raw = (input ?? {}) as Partial<CompetenceInput>;
  const kind: ControllerKind = KINDS.includes(raw.controllerKind as ControllerKind)
    ? (raw.controllerKind as ControllerKind)
    : 'unknown';
  const jcType =
    raw.jobcenterType === 'gemeinsame-einrichtung' || raw.jobcenterType === 'zugelassener-kommunaler-traeger'
      ? raw.jobcenterType
      : null;
  const state = normaliseState(raw.state);
  // A German Land implies Germany; a Jobcenter exists only under SGB II, i.e. in Germany.
  let country = raw.country === 'EU' ? 'EU' : normaliseCountry(raw.country);
  if (
    !country &&
    (state || kind === 'jobcenter' || kind === 'federal-body' || kind === 'state-body' || kind === 'municipal-body')
  )
    country = 'DE';
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

function german(
  kind: ControllerKind,
  jcType: JobcenterType | null,
  state: GermanState | null,
  isPublic: boolean,
): CompetentAuthority {
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
  const hook =
    sector === 'public'
      ? `Landesdatenschutzgesetz${state === 'BY' ? ' (Art. 15 BayDSG)' : ''}; Art. 55 Abs. 2 DSGVO`
      : `§ 40 Abs. 1 BDSG${state === 'BY' ? ' (Art. 18 BayDSG)' : ''}`;

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
