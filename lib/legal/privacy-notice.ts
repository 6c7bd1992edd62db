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
import { type ControllerFinding, type ImprintContact, findController, findDpo } from './controller';
import type { AnalysedState, DocState } from './doc-status';
import { findOutdatedRefs } from './outdated';
import {
  findControllerByReference,
  findCookies,
  findJointControl,
  findLegalBasis,
  findLegitimateInterests,
  findPurposes,
  findRecipients,
  findSocialMedia,
  findStoragePeriod,
  findThirdCountry,
} from './privacy-elements';
import {
  type RightId,
  findComplaintRight,
  findRights,
  findSupervisoryAuthorityNamed,
  findWithdrawConsent,
} from './privacy-rights';
import { structureOf } from './structure';
import {
  type ElementFinding,
  compileEuropean,
  escapeRegExp,
  firstMatch,
  isNavigationLine,
  meaningfulCharsOf,
  normaliseForAliases,
  prepareText,
  rule,
  snippet,
} from './patterns';

export type { ImprintContact } from './controller';

/** The first finding when found, else the second when found, else the first (partial or not found). */
const orElse = (a: ElementFinding, b: ElementFinding): ElementFinding => (a.found || !b.found ? a : b);
export type { RightId } from './privacy-rights';

/** 'missing' (no link found) and 'unreachable' (fetch failed) are decided by the caller. */
export type PrivacyStatus = Exclude<DocState, 'not-checked'>;

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

/**
 * Elements beyond the eleven of Art. 13 that the rules need from a notice, with stable ids
 * (docs/legal-labels.md § 2): joint control (Art. 26(2)), legitimate interests as a basis
 * (Art. 13(1)(d)), a notice for the organisation's own social-media presence, the controller by
 * reference to the imprint, outdated law cited, a named supervisory authority; and the older
 * context elements alternative channels, Art. 22 and the Art. 14 source.
 */
export type PrivacyExtraId =
  | 'joint-control'
  | 'legitimate-interests'
  | 'social-media-notice'
  | 'controller-by-reference'
  | 'outdated-refs'
  | 'supervisory-authority-named'
  | 'alternative-channels'
  | 'automated-decision'
  | 'source-of-data';

export const PRIVACY_EXTRA_IDS: readonly PrivacyExtraId[] = [
  'joint-control',
  'legitimate-interests',
  'social-media-notice',
  'controller-by-reference',
  'outdated-refs',
  'supervisory-authority-named',
  'alternative-channels',
  'automated-decision',
  'source-of-data',
];

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
  status: AnalysedState;
  /** Every found element's evidence is a content sentence of the text (docs/legal-labels.md G2). */
  elements: Record<PrivacyElementId, ElementFinding> & { controller: ControllerFinding };
  /** Distinct rights named (order of Art. 15–21). `elements.rights.found` needs RIGHTS_MIN of them. */
  rightsNamed: RightId[];
  /** Legal bases cited (regex.privacy basis_*; national_public_law for Art. 6(3)). `legitimateInterest` = extras['legitimate-interests'].found. */
  legalBases: {
    consent: boolean;
    legitimateInterest: boolean;
    publicTask: boolean;
    legalObligation: boolean;
    nationalPublicLaw: boolean;
  };
  extras: Record<PrivacyExtraId, ElementFinding>;
  /** Outdated citations, as written (the evidence of extras['outdated-refs']). */
  outdatedRefs: string[];
  /** One entry per distinct observed service id, in input order. */
  services: ServiceMention[];
  meaningfulChars: number;
  truncated: boolean;
}

export interface PrivacyOptions {
  /**
   * The site's fetched imprint, when there is one: a notice that refers to it for the controller
   * ("Verantwortlich: siehe Impressum") is resolved against its contact details.
   */
  imprint?: ImprintContact | null;
}

/**
 * Rights found when at least this many distinct rights are named (project decision and
 * docs/legal-labels.md § 2 rights; rules.json privacy_notice pn.rights says ">= 4 of 6 -> ok",
 * which callers can apply to `rightsNamed`).
 */
export const RIGHTS_MIN = 3;
/** Below this many meaningful characters a privacy notice is 'empty'. */
export const MIN_PRIVACY_CHARS = 100;

const R = {
  consent: rule('privacy', 'basis_consent'),
  publicTask: rule('privacy', 'basis_public_task'),
  legalObligation: rule('privacy', 'basis_legal_obligation'),
  nationalLaw: rule('privacy', 'national_public_law'),
  alternative: rule('privacy', 'alternative_channels'),
  automated: rule('privacy', 'automated_decision'),
  source: rule('privacy', 'source_of_data'),
  heading: rule('privacy', 'privacy_heading'),
};

export function analysePrivacyNotice(
  input: string,
  observedServiceIds: readonly string[] = [],
  options: PrivacyOptions = {},
): PrivacyAnalysis {
  const { text, truncated } = prepareText(input);
  const s = structureOf(text);
  const has = (re: RegExp | null): boolean => firstMatch(re, text) !== null;

  const reference = findControllerByReference(s);
  const rights = findRights(s, RIGHTS_MIN);
  const outdated = findOutdatedRefs(text);
  const legitimate = findLegitimateInterests(s);

  const elements = {
    controller: findController(s, reference, options.imprint ?? null),
    dpo: findDpo(s),
    // Legitimate interests relied on are a basis in words (docs/legal-labels.md § 2 legal-basis).
    'legal-basis': orElse(findLegalBasis(s), legitimate),
    purposes: findPurposes(s),
    recipients: findRecipients(s),
    'third-country': findThirdCountry(s),
    'storage-period': findStoragePeriod(s),
    rights: rights.finding,
    'withdraw-consent': findWithdrawConsent(s),
    'complaint-right': findComplaintRight(s),
    cookies: findCookies(s),
  };

  const meaningfulChars = meaningfulCharsOf(text, (line) => isNavigationLine(line) || isHeadingOnly(line));
  const anyElement = PRIVACY_ELEMENT_IDS.some((id) => elements[id].found || elements[id].partial);

  return {
    status: anyElement && meaningfulChars >= MIN_PRIVACY_CHARS ? 'found' : 'empty',
    elements,
    rightsNamed: rights.named,
    legalBases: {
      consent: has(R.consent),
      legitimateInterest: legitimate.found,
      publicTask: has(R.publicTask),
      legalObligation: has(R.legalObligation),
      nationalPublicLaw: has(R.nationalLaw),
    },
    extras: {
      'joint-control': findJointControl(s),
      'legitimate-interests': legitimate,
      'social-media-notice': findSocialMedia(s),
      'controller-by-reference': reference,
      'outdated-refs': outdated.finding,
      'supervisory-authority-named': findSupervisoryAuthorityNamed(s),
      'alternative-channels': findRule(text, R.alternative),
      'automated-decision': findRule(text, R.automated),
      'source-of-data': findRule(text, R.source),
    },
    outdatedRefs: outdated.citations,
    services: matchServices(text, observedServiceIds),
    meaningfulChars,
    truncated,
  };
}

/** The older context elements keep their rules.json keyword (they are not labelled in the corpus yet). */
function findRule(text: string, re: RegExp | null): ElementFinding {
  const m = firstMatch(re, text);
  return m ? { found: true, evidence: snippet(text, m.index, m.end) } : { found: false };
}

function isHeadingOnly(line: string): boolean {
  const l = line.trim();
  const h = firstMatch(R.heading, l);
  return h !== null && h.index === 0 && /^[\s:.]*$/.test(l.slice(h.end));
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
  const parts = [...new Set(folded)]
    .filter((a) => a.length > 0)
    .sort((a, b) => b.length - a.length)
    .map(aliasPattern);
  if (parts.length === 0) return null;
  // Compiled without 'u' (European letter classes) so it gets a prefilter: the 'u' version with a
  // leading look-behind scanned 200 KB in ~1 ms per service (`npm run bench`).
  return compileEuropean(String.raw`(?<![\p{L}\p{N}_])(?:${parts.join('|')})(?![\p{L}\p{N}_])`);
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
    matcher = {
      specific: wholeWords(folded.filter((f) => !GENERIC.has(f))),
      generic: wholeWords(folded.filter((f) => GENERIC.has(f))),
      written,
    };
    if (aliasMatcherCache.size < 200) aliasMatcherCache.set(key, matcher);
  }
  const { text } = prepareText(input);
  if (firstMatch(matcher.specific, text)) return 'named';
  return firstMatch(matcher.generic, text) ? 'vendor-only' : 'not-named';
}
