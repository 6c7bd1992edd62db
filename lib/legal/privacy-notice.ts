/**
 * Privacy notice (Datenschutzerklärung) analysis on plain text: which Art. 13 GDPR information
 * can be seen, and whether the services observed on the page are named (SPEC § 2–3).
 * Patterns: rules.json `regex.privacy`; element logic: `privacy_notice.elements`; service aliases:
 * `services[].aliases` and `service_matching`. Heuristic text detection ("Hinweise"), never a
 * legal assessment; which elements are *required* is decided by the caller (context, observations).
 *
 * Pure, never throws; a 3 MB text is analysed in well under a second.
 */
import rules from './rules.json';
import { findAddress, findEmail } from './imprint';
import {
  type ElementFinding,
  type RuleMatch,
  NOT_FOUND,
  allMatches,
  countMeaningfulChars,
  escapeRegExp,
  firstMatch,
  foundAt,
  guardLetterRuns,
  isNavigationLine,
  normaliseForAddress,
  normaliseForAliases,
  partialAt,
  prepareText,
  rule,
  snippet,
} from './patterns';

/** 'missing' (no link found) and 'unreachable' (fetch failed) are decided by the caller. */
export type PrivacyStatus = 'present' | 'missing' | 'empty' | 'unreachable';

export type PrivacyElementId =
  | 'controller'
  | 'dpo'
  | 'legal-basis'
  | 'purposes'
  | 'recipients'
  | 'third-country'
  | 'storage-period'
  | 'rights'
  | 'withdraw-consent'
  | 'complaint-right'
  | 'cookies';

export const PRIVACY_ELEMENT_IDS: readonly PrivacyElementId[] = [
  'controller',
  'dpo',
  'legal-basis',
  'purposes',
  'recipients',
  'third-country',
  'storage-period',
  'rights',
  'withdraw-consent',
  'complaint-right',
  'cookies',
];

/** Data-subject rights of Art. 15–21 GDPR (Art. 13(2)(b)). */
export type RightId = 'access' | 'rectification' | 'erasure' | 'restriction' | 'objection' | 'portability';

/**
 * 'named': a specific alias of the service matched; 'vendor-only': only a generic alias such as
 * "Google" or "Meta" (service_matching.generic_aliases, R-SVC-02); 'not-named': nothing (R-SVC-01).
 */
export type ServiceMentionStatus = 'named' | 'vendor-only' | 'not-named';

export interface ServiceMention {
  id: string;
  status: ServiceMentionStatus;
  /** The rules.json alias that matched (as written there), if any. */
  alias?: string;
  evidence?: string;
  /** False when the id is not in rules.json `services` (then it can never be 'named'). */
  known: boolean;
}

export interface PrivacyAnalysis {
  /** 'empty': heading/navigation only, or no Art. 13 element at all. */
  status: Extract<PrivacyStatus, 'present' | 'empty'>;
  elements: Record<PrivacyElementId, ElementFinding>;
  /** Distinct rights named (order of Art. 15–21). `elements.rights.found` needs RIGHTS_MIN of them. */
  rightsNamed: RightId[];
  /** Legal bases cited (regex.privacy basis_*; national_public_law for Art. 6(3)). */
  legalBases: {
    consent: boolean;
    legitimateInterest: boolean;
    publicTask: boolean;
    legalObligation: boolean;
    nationalPublicLaw: boolean;
  };
  /** Context-dependent elements (SPEC § 2.1): joint control (Art. 26(2)), social-media notice, alternative channels, Art. 22, Art. 14 source. */
  extras: Record<'joint-control' | 'social-media-notice' | 'alternative-channels' | 'automated-decision' | 'source-of-data', ElementFinding>;
  /** One entry per distinct observed service id, in input order. */
  services: ServiceMention[];
  meaningfulChars: number;
  truncated: boolean;
}

/**
 * Rights found when at least this many distinct rights are named (project decision; rules.json
 * privacy_notice pn.rights says ">= 4 of 6 -> ok", which callers can apply to `rightsNamed`).
 */
export const RIGHTS_MIN = 3;
/** Below this many meaningful characters a privacy notice is 'empty'. */
export const MIN_PRIVACY_CHARS = 100;
/** Contact details expected near the controller (pn.controller "plus": 400 chars) and the DPO (pn.dpo: 300). */
const CONTROLLER_CONTACT_WINDOW = 400;
const DPO_CONTACT_WINDOW = 300;

const R = {
  controller: rule('privacy', 'controller', 'g'),
  dpo: rule('privacy', 'dpo', 'g'),
  purposes: rule('privacy', 'purposes'),
  legalBasis: rule('privacy', 'legal_basis'),
  recipients: rule('privacy', 'recipients'),
  thirdCountry: rule('privacy', 'third_country'),
  storage: rule('privacy', 'storage_period'),
  withdraw: rule('privacy', 'withdraw_consent'),
  complaint: rule('privacy', 'complaint'),
  cookies: rule('privacy', 'cookies_tdddg'),
  consent: rule('privacy', 'basis_consent'),
  legitimate: rule('privacy', 'basis_legitimate_interest'),
  publicTask: rule('privacy', 'basis_public_task'),
  legalObligation: rule('privacy', 'basis_legal_obligation'),
  nationalLaw: rule('privacy', 'national_public_law'),
  jointControl: rule('privacy', 'joint_control'),
  socialMedia: rule('privacy', 'social_media_notice'),
  alternative: rule('privacy', 'alternative_channels'),
  automated: rule('privacy', 'automated_decision'),
  source: rule('privacy', 'source_of_data'),
  heading: rule('privacy', 'privacy_heading'),
};

// Extensions beyond rules.json, kept small and documented. Each closes a gap the labelled corpus
// (tests/fixtures/corpus/privacy, `npm run eval`) showed on wordings careful readers take as the
// element; they are tried after the rules.json pattern and the earliest match wins.
/**
 * Controller labels without the "-e/-er" ending ("Verantwortlich: Beispiel GmbH") and "verantwortlich
 * für diese Website / diesen Auftritt" (social-media notices). Still needs contact details nearby.
 */
const CONTROLLER_EXTRA =
  /(?<![\p{L}])(?:Verantwortlich\s*:|verantwortlich\s+(?:f(?:ü|ue)r|ist)\s+(?:diese[nrs]?|den|die|das|unsere[nmrs]?)\s+(?:Website|Webseite|Internetseite|Internetauftritt|Internetpr(?:ä|ae)senz|Homepage|Seite|Auftritt|Angebot|Profil|Kanal|Account))/giu;
/**
 * Purposes stated in running text: "zum Zweck der Behandlung", "zu statistischen Zwecken", "Zweck:",
 * "Zwecke und Rechtsgrundlagen", "wir verarbeiten Ihre Daten zur Bearbeitung …", "wir nutzen den
 * Dienst, um Anfragen zu beantworten", "for the purposes of providing …".
 */
const PURPOSES_EXTRA = [
  /(?<![\p{L}])(?:zum\s+Zweck(?:e)?|zu\s+(?:diese[mn]|de[mn]|folgende[mn]|[\p{L}-]+en)\s+Zweck(?:en?)?|f(?:ü|ue)r\s+(?:die\s+)?Zwecke|Zweck(?:e)?\s*(?::|und\s+Rechtsgrundlage)|Zwecke\s+der\s+)(?![\p{L}])/iu,
  /(?<![\p{L}])(?:verarbeiten|verarbeitet|nutzen|verwenden|speichern|erheben)(?![\p{L}])(?:[^.\n]{0,100}?)\s(?:zur|zum)\s+\p{Lu}/u,
  /(?<![\p{L}])(?:verarbeiten|verarbeitet|nutzen|verwenden|speichern|erheben|setzen|einsetzen)(?![\p{L}])[^.\n]{0,120}?\sum\s[^.\n]{1,120}?\szu\s+\p{Ll}/u,
  // "Für den Versand unseres Newsletters nutzen wir …"
  /(?<![\p{L}])F(?:ü|ue)r\s+(?:den|die|das)\s+\p{Lu}[\p{L}-]+(?:\s+[\p{L}-]+){0,3}\s+(?:nutzen|verwenden|verarbeiten|setzen|speichern)\s+wir(?![\p{L}])/u,
  /(?<![\p{L}])for\s+the\s+purposes?\s+of(?![\p{L}])|(?<![\p{L}])(?:use|process)\s+(?:your\s+|this\s+|the\s+)?(?:personal\s+)?(?:data|information)\s+(?:to|for|in\s+order\s+to)(?![\p{L}])/iu,
];
/** Recipients: "weitergeleitet", compounds such as "Zahlungsdienstleister", "IT-Dienstleister", "we share it only with". */
const RECIPIENTS_EXTRA =
  /(?<![\p{L}])(?:weitergeleitet|weiterleiten|Weiterleitung|[\p{L}]+-?[Dd]ienstleister(?:n|s)?|share\s+(?:it|them|this|your\s+[\p{L}]+)\s+(?:only\s+)?with)(?![\p{L}])/u;
/** UK-GDPR wording: transfers "outside the UK", to "the United States", "international transfers". */
const THIRD_COUNTRY_EXTRA = /(?<![\p{L}])(?:United\s+States|outside\s+(?:of\s+)?the\s+UK|international\s+(?:data\s+)?transfers?)(?![\p{L}])/iu;
/**
 * Storage period: "bewahren … zehn Jahre auf", "Anfragen löschen wir …", "archiviert und anschließend
 * vernichtet", "Aufbewahrungsdauer", "retained for", "we hold … records for two years".
 */
const STORAGE_EXTRA =
  /(?<![\p{L}])(?:bewahren\s[^.\n]{0,80}?\sauf|l(?:ö|oe)schen\s+wir|we\s+delete|archiviert|vernichtet|Aufbewahrung(?:sdauer|szeit)?|retain(?:ed)?\s+(?:for|until)|(?:hold|keep|retain|store)\s[^.\n]{0,60}?\sfor\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|twenty-four)\s+(?:days?|weeks?|months?|years?))(?![\p{L}])/iu;
/**
 * "Löschung" in a list of data-subject rights ("Recht auf Auskunft, Berichtigung, Löschung …") is the
 * right to erasure (Art. 17), not a storage period (Art. 13(2)(a)).
 */
const RIGHTS_CONTEXT_BEFORE = /(?:Recht|Auskunft|Berichtigung)[^.\n]{0,60}$/iu;
const RIGHTS_CONTEXT_AFTER = /^[^.\n]{0,50}?(?:Einschr(?:ä|ae)nkung|Art\.?\s?17|Widerspruch|(?:ü|ue)bertragbarkeit|Berichtigung)/iu;
/** "sich bei einer (Datenschutz-)Aufsichtsbehörde … zu beschweren", "complain to the ICO / Information Commissioner". */
const COMPLAINT_EXTRA =
  /(?<![\p{L}])(?:sich\s+bei\s+[^.\n]{0,100}?(?:Aufsicht|Datenschutz|Beauftragt)[^.\n]{0,100}?\sbeschweren|complain\s+to\s+(?:the\s+)?(?:ICO|Information\s+Commissioner|supervisory\s+authority|data\s+protection\s+authority))(?![\p{L}])/iu;
/**
 * Legal basis named in words ("we rely on our legitimate interests", "on the basis of your consent",
 * "auf Grundlage Ihrer Einwilligung") rather than by "Rechtsgrundlage" or an article number.
 */
const LEGAL_BASIS_EXTRA =
  /(?<![\p{L}])(?:(?:rely|relies|based)\s+on\s+(?:our\s+|your\s+|a\s+|the\s+)?(?:legitimate\s+interests?|consent|contract|legal\s+obligation)|on\s+the\s+basis\s+of\s+(?:our\s+|your\s+|a\s+)?(?:legitimate\s+interests?|consent|contract|legal\s+obligation)|auf\s+(?:der\s+)?Grundlage\s+(?:Ihrer\s+Einwilligung|unseres\s+berechtigten\s+Interesses|eines\s+Vertrag(?:e)?s|einer\s+rechtlichen\s+Verpflichtung))(?![\p{L}])/iu;
/** Plain-language rights ("ask us for a copy of your information, ask us to correct it … to delete it"). */
const RIGHTS_EXTRA: Partial<Record<RightId, RegExp>> = {
  access: /(?<![\p{L}])(?:ask\s+(?:us\s+)?for\s+a\s+copy|(?:request|get)\s+a\s+copy\s+of\s+(?:your|the)\s+(?:personal\s+)?(?:data|information))(?![\p{L}])/iu,
  rectification: /(?<![\p{L}])(?:ask|request)\s+us\s+to\s+(?:correct|rectify|update)(?![\p{L}])/iu,
  erasure: /(?<![\p{L}])(?:ask|request)\s+us\s+to\s+(?:delete|erase)(?![\p{L}])/iu,
};
/**
 * Rights cited as a range ("Rechte aus Art. 15 bis 21 DSGVO", "Art. 15–22 GDPR"): every right whose
 * article lies in the range counts as named.
 */
const RIGHTS_RANGE = /Art(?:ikel|icles?|\.)?\s?15\s?(?:bis|to|-|–|—)\s?(?:Art(?:ikel|icle|\.)?\s?)?(1[6-9]|2[0-2])(?![\d])/iu;
const RIGHT_ARTICLE: Record<RightId, number> = { access: 15, rectification: 16, erasure: 17, restriction: 18, portability: 20, objection: 21 };

const RIGHTS: readonly [RightId, RegExp | null][] = [
  ['access', rule('privacy', 'right_access')],
  ['rectification', rule('privacy', 'right_rectification')],
  ['erasure', rule('privacy', 'right_erasure')],
  ['restriction', rule('privacy', 'right_restriction')],
  ['objection', rule('privacy', 'right_object')],
  ['portability', rule('privacy', 'right_portability')],
];

export function analysePrivacyNotice(input: string, observedServiceIds: readonly string[] = []): PrivacyAnalysis {
  const { text, truncated } = prepareText(input);
  const find = (re: RegExp | null): ElementFinding => {
    const m = firstMatch(re, text);
    return m ? foundAt(text, m) : NOT_FOUND;
  };
  /** Earliest match of any pattern (rules.json first, then the extensions above). */
  const findAny = (res: readonly (RegExp | null)[], keep: (m: RuleMatch) => boolean = () => true): ElementFinding => {
    let best: RuleMatch | null = null;
    for (const re of res) {
      // Lazily: the first kept match of each pattern, at most 100 tries (bounds hostile input).
      let from = 0;
      for (let n = 0; n < 100; n++) {
        const m = firstMatch(re, text, from);
        if (!m || (best && m.index >= best.index)) break;
        if (keep(m)) {
          best = m;
          break;
        }
        from = m.end > m.index ? m.end : m.index + 1;
      }
    }
    return best ? foundAt(text, best) : NOT_FOUND;
  };

  const rightsNamed: RightId[] = [];
  let firstRight: RuleMatch | null = null;
  const range = firstMatch(RIGHTS_RANGE, text);
  const rangeEnd = range ? Number(/(\d+)$/.exec(range.text)?.[1] ?? 0) : 0;
  for (const [id, re] of RIGHTS) {
    const m = firstMatch(re, text) ?? firstMatch(RIGHTS_EXTRA[id] ?? null, text) ?? (range && RIGHT_ARTICLE[id] <= rangeEnd ? range : null);
    if (!m) continue;
    rightsNamed.push(id);
    if (!firstRight || m.index < firstRight.index) firstRight = m;
  }
  const rights: ElementFinding = firstRight
    ? { ...(rightsNamed.length >= RIGHTS_MIN ? foundAt(text, firstRight) : partialAt(text, firstRight)), evidence: rightsEvidence(rightsNamed) }
    : NOT_FOUND;

  const elements: Record<PrivacyElementId, ElementFinding> = {
    controller: withContactNearby(
      text,
      [...allMatches(R.controller, text, 100), ...allMatches(CONTROLLER_EXTRA, text, 100)].sort((a, b) => a.index - b.index),
      CONTROLLER_CONTACT_WINDOW,
    ),
    dpo: withContactNearby(text, allMatches(R.dpo, text, 100).filter((m) => !isSupervisoryAuthorityName(text, m)), DPO_CONTACT_WINDOW),
    'legal-basis': findAny([R.legalBasis, LEGAL_BASIS_EXTRA]),
    purposes: findAny([R.purposes, ...PURPOSES_EXTRA]),
    recipients: findAny([R.recipients, RECIPIENTS_EXTRA]),
    'third-country': findAny([R.thirdCountry, THIRD_COUNTRY_EXTRA]),
    'storage-period': findAny([R.storage, STORAGE_EXTRA], (m) => !isErasureRight(text, m)),
    rights,
    'withdraw-consent': find(R.withdraw),
    'complaint-right': findAny([R.complaint, COMPLAINT_EXTRA]),
    // A footer link "Cookie-Einstellungen" is navigation, not information about cookies.
    cookies: findAny([R.cookies], (m) => !isNavigationLine(lineAt(text, m.index))),
  };

  const meaningfulChars = countMeaningfulChars(
    text
      .split('\n')
      .filter((line) => !isNavigationLine(line) && !isHeadingOnly(line))
      .join('\n'),
  );
  const anyElement = PRIVACY_ELEMENT_IDS.some((id) => elements[id].found || elements[id].partial);

  return {
    status: anyElement && meaningfulChars >= MIN_PRIVACY_CHARS ? 'present' : 'empty',
    elements,
    rightsNamed,
    legalBases: {
      consent: firstMatch(R.consent, text) !== null,
      legitimateInterest: firstMatch(R.legitimate, text) !== null,
      publicTask: firstMatch(R.publicTask, text) !== null,
      legalObligation: firstMatch(R.legalObligation, text) !== null,
      nationalPublicLaw: firstMatch(R.nationalLaw, text) !== null,
    },
    extras: {
      'joint-control': find(R.jointControl),
      'social-media-notice': find(R.socialMedia),
      'alternative-channels': find(R.alternative),
      'automated-decision': find(R.automated),
      'source-of-data': find(R.source),
    },
    services: matchServices(text, observedServiceIds),
    meaningfulChars,
    truncated,
  };
}

/** The whole line of `text` containing `index`. */
function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end < 0 ? text.length : end);
}

/** "Löschung" inside an enumeration of rights: the right to erasure, not a storage period. */
function isErasureRight(text: string, m: RuleMatch): boolean {
  if (!/^L(?:ö|oe)schung$/i.test(m.text)) return false;
  return RIGHTS_CONTEXT_BEFORE.test(text.slice(Math.max(0, m.index - 60), m.index)) || RIGHTS_CONTEXT_AFTER.test(text.slice(m.end, m.end + 50));
}

function rightsEvidence(ids: readonly RightId[]): string {
  return `${ids.length}/6: ${ids.join(', ')}`;
}

function isHeadingOnly(line: string): boolean {
  const l = line.trim();
  const h = firstMatch(R.heading, l);
  return h !== null && h.index === 0 && /^[\s:.]*$/.test(l.slice(h.end));
}

/**
 * pn.controller / pn.dpo "plus": the keyword counts as found only with an e-mail address or a
 * postal address within `window` characters after it; the keyword alone is a partial finding.
 */
function withContactNearby(text: string, matches: readonly RuleMatch[], window: number): ElementFinding {
  for (const m of matches) {
    const near = text.slice(m.index, m.end + window);
    if (findEmail(near).found || findAddress(guardLetterRuns(normaliseForAddress(near))).found) {
      return { found: true, evidence: snippet(text, m.index, m.end) };
    }
  }
  const first = matches[0];
  return first ? partialAt(text, first) : NOT_FOUND;
}

/**
 * "Der Hessische Beauftragte für Datenschutz und Informationsfreiheit" is the supervisory
 * authority a complaint goes to (Art. 77), not the controller's DPO (Art. 37).
 */
function isSupervisoryAuthorityName(text: string, m: RuleMatch): boolean {
  const after = text.slice(m.end, m.end + 60);
  const before = text.slice(Math.max(0, m.index - 16), m.index);
  return /Informationsfreiheit|Transparenz|Akteneinsicht/i.test(after) || /(?:ische|iner)\s+$/i.test(before);
}

// ---------------------------------------------------------------------------------------------
// Observed services named? (SPEC § 3, rules.json service_matching.mention_check)

interface AliasMatcher {
  specific: RegExp | null;
  generic: RegExp | null;
  /** Folded alias → alias as written in rules.json, for reporting. */
  written: Map<string, string>;
}

const GENERIC = new Set(rules.service_matching.generic_aliases.map(normaliseForAliases));
const SERVICE_ALIASES = new Map<string, readonly string[]>(rules.services.map((s) => [s.id, s.aliases ?? []]));
const matcherCache = new Map<string, AliasMatcher>();

/**
 * A regex that matches an alias on *normalised* (not folded) text with the same equivalences as
 * normalisation.steps' alias copy — case-insensitive, ß≡ss, ä≡ae, ö≡oe, ü≡ue, and '-', '_', '.',
 * whitespace interchangeable — so evidence can be cut from the original text.
 */
function aliasPattern(folded: string): string {
  return folded
    .split(' ')
    .filter((tok) => tok.length > 0)
    .map((tok) =>
      escapeRegExp(tok)
        .replace(/ss/g, '(?:ss|ß)')
        .replace(/ae/g, '(?:ae|ä)')
        .replace(/oe/g, '(?:oe|ö)')
        .replace(/ue/g, '(?:ue|ü)'),
    )
    .join('[-_.\\s]+');
}

/** Whole-word: no letter/digit/underscore directly before or after (rules.json service_matching). */
function wholeWords(folded: readonly string[]): RegExp | null {
  const parts = [...new Set(folded)].filter((a) => a.length > 0).sort((a, b) => b.length - a.length).map(aliasPattern);
  if (parts.length === 0) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${parts.join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
}

function matcherFor(id: string): AliasMatcher | null {
  const cached = matcherCache.get(id);
  if (cached) return cached;
  const aliases = SERVICE_ALIASES.get(id);
  if (!aliases) return null;
  const written = new Map<string, string>();
  for (const a of aliases) {
    const f = normaliseForAliases(a).trim();
    if (f && !written.has(f)) written.set(f, a);
  }
  const folded = [...written.keys()];
  const m: AliasMatcher = {
    specific: wholeWords(folded.filter((f) => !GENERIC.has(f))),
    generic: wholeWords(folded.filter((f) => GENERIC.has(f))),
    written,
  };
  matcherCache.set(id, m);
  return m;
}

function matchServices(text: string, ids: readonly string[]): ServiceMention[] {
  const out: ServiceMention[] = [];
  const seen = new Set<string>();
  for (const rawId of Array.isArray(ids) ? ids : []) {
    if (typeof rawId !== 'string' || seen.has(rawId)) continue;
    seen.add(rawId);
    const matcher = matcherFor(rawId);
    if (!matcher) {
      out.push({ id: rawId, status: 'not-named', known: false });
      continue;
    }
    const specific = firstMatch(matcher.specific, text);
    const hit = specific ?? firstMatch(matcher.generic, text);
    if (!hit) {
      out.push({ id: rawId, status: 'not-named', known: true });
      continue;
    }
    out.push({
      id: rawId,
      status: specific ? 'named' : 'vendor-only',
      alias: matcher.written.get(normaliseForAliases(hit.text).trim()) ?? hit.text,
      evidence: snippet(text, hit.index, hit.end),
      known: true,
    });
  }
  return out;
}

const aliasMatcherCache = new Map<string, AliasMatcher>();

/**
 * Whether a notice names something by one of `aliases`, with the matching the services get
 * (whole words; ß/ss, ä/ae …, '-', '_', '.' and spaces interchangeable; generic aliases such as
 * "Google" only as 'vendor-only'). For names that rules.json `services` does not list, e.g. a
 * site's own Lnk.Bio page (lib/page/channels.ts).
 */
export function mentionOf(input: string, aliases: readonly string[]): ServiceMentionStatus {
  const key = aliases.join('\u0000');
  let matcher = aliasMatcherCache.get(key);
  if (!matcher) {
    const written = new Map<string, string>();
    for (const a of aliases) {
      const f = normaliseForAliases(a).trim();
      if (f && !written.has(f)) written.set(f, a);
    }
    const folded = [...written.keys()];
    matcher = { specific: wholeWords(folded.filter((f) => !GENERIC.has(f))), generic: wholeWords(folded.filter((f) => GENERIC.has(f))), written };
    if (aliasMatcherCache.size < 200) aliasMatcherCache.set(key, matcher);
  }
  const { text } = prepareText(input);
  if (firstMatch(matcher.specific, text)) return 'named';
  return firstMatch(matcher.generic, text) ? 'vendor-only' : 'not-named';
}
