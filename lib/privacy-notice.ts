/**
 * Privacy notice (Datenschutzerklärung) analysis on plain text: which Art. 13 GDPR information
 * can be seen, and whether the services observed on the page are named (SPEC § 2–3).
 * Patterns: rules.json `regex.privacy`; element logic: `privacy_notice.elements`; service aliases:
 * `services[].aliases` and `service_matching`. Heuristic text detection ("Hinweise"), never a
 * legal assessment; which elements are *required* is decided by the caller (context, observations).
 *
 * Pure, never throws; a 3 MB text is analysed in well under a second.
 */
import rules from './legal/rules.json';
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
} from './legal-patterns';

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

  const rightsNamed: RightId[] = [];
  let firstRight: RuleMatch | null = null;
  for (const [id, re] of RIGHTS) {
    const m = firstMatch(re, text);
    if (!m) continue;
    rightsNamed.push(id);
    if (!firstRight || m.index < firstRight.index) firstRight = m;
  }
  const rights: ElementFinding = firstRight
    ? { ...(rightsNamed.length >= RIGHTS_MIN ? foundAt(text, firstRight) : partialAt(text, firstRight)), evidence: rightsEvidence(rightsNamed) }
    : NOT_FOUND;

  const elements: Record<PrivacyElementId, ElementFinding> = {
    controller: withContactNearby(text, allMatches(R.controller, text, 100), CONTROLLER_CONTACT_WINDOW),
    dpo: withContactNearby(text, allMatches(R.dpo, text, 100).filter((m) => !isSupervisoryAuthorityName(text, m)), DPO_CONTACT_WINDOW),
    'legal-basis': find(R.legalBasis),
    purposes: find(R.purposes),
    recipients: find(R.recipients),
    'third-country': find(R.thirdCountry),
    'storage-period': find(R.storage),
    rights,
    'withdraw-consent': find(R.withdraw),
    'complaint-right': find(R.complaint),
    cookies: find(R.cookies),
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
