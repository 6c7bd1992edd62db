/**
 * Imprint (Impressum / Anbieterkennzeichnung) analysis on plain text: which of the elements of
 * § 5 Abs. 1 DDG and § 18 MStV can be seen. Patterns: rules.json `regex.imprint`, logic:
 * rules.json `imprint.elements` (SPEC § 1.3). Results are heuristics ("Hinweise"), not a legal
 * assessment; whether an element is *required* depends on context and is decided by the caller.
 *
 * The detectors are in lib/legal/imprint-elements.ts (the eight elements; whose block a line is in)
 * and lib/legal/imprint-extras.ts (legal form, public-law entity, contact form, covers profiles);
 * this module holds the result types and combines the detectors into one analysis.
 *
 * Pure, never throws, linear-ish time: regexes with unbounded loops over letters (e-mail) only run
 * in small windows around the character that anchors them.
 */
import type { AnalysedState, DocState } from './doc-status';
import { findOutdatedRefs } from './outdated';
import { structureOf } from './structure';
import {
  type ElementFinding,
  allMatches,
  firstMatch,
  isNavigationLine,
  meaningfulCharsOf,
  normaliseForAddress,
  prepareText,
  snippet,
} from './patterns';
import {
  R,
  findAddress,
  findEmail,
  findPhone,
  findRegister,
  findRepresentative,
  findResponsible,
  findSupervisory,
  findVat,
  otherPartyAt,
} from './imprint-elements';
import {
  PUBLIC_LAW_FORM,
  findContactForm,
  findCoversProfiles,
  findLegalForm,
  findPublicLawEntity,
  legalFormToken,
} from './imprint-extras';

/** 'missing' (no link/label found) and 'unreachable' (fetch failed) are decided by the caller. */
export type ImprintStatus = Exclude<DocState, 'not-checked'>;

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

/**
 * Elements beyond the eight of § 5 DDG / § 18 MStV with stable ids (docs/legal-labels.md § 3):
 * the statement that the imprint also covers social-media profiles (R-IMP-12), outdated law cited
 * (R-IMP-11), a fast second contact channel besides e-mail (CJEU C-298/07), the provider's legal
 * form and its status as a public-law entity (SPEC § 5).
 */
export type ImprintExtraId =
  | 'covers-profiles'
  | 'outdated-refs'
  | 'second-contact-channel'
  | 'legal-form'
  | 'public-law-entity';
export const IMPRINT_EXTRA_IDS: readonly ImprintExtraId[] = [
  'covers-profiles',
  'outdated-refs',
  'second-contact-channel',
  'legal-form',
  'public-law-entity',
];

export interface ImprintAnalysis {
  /** 'empty': a heading, navigation or boilerplate only — no identifying element at all. */
  status: AnalysedState;
  /** Elements of the provider, not of the web agency, hoster or supervising body named in the imprint. */
  elements: Record<ImprintElementId, ElementFinding>;
  extras: Record<ImprintExtraId, ElementFinding>;
  /** Only a Postfach / P.O. box was found, no street address (not ladungsfähig, § 5 Abs. 1 Nr. 1 DDG). */
  poBoxOnly: boolean;
  /** A contact form is mentioned (alternative second channel, CJEU C-298/07). */
  contactForm: boolean;
  /** The provider's legal form (GmbH, e.V., AG, KdöR …) as written, or null (= extras['legal-form']). */
  legalForm: string | null;
  /** "Körperschaft des öffentlichen Rechts", "gemeinsame Einrichtung" … of the provider (= extras['public-law-entity']; feeds authority detection). */
  publicLawEntity: ElementFinding;
  /** Outdated citations such as "§ 5 TMG", "§ 55 Abs. 2 RStV", "TTDSG" (lib/legal/outdated.ts; = extras['outdated-refs']). */
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

/** A line that is only a heading ("Impressum", "Angaben gemäß § 5 DDG") or navigation. */
function isBoilerplateLine(line: string): boolean {
  const l = line.trim();
  if (isNavigationLine(l)) return true;
  const h = firstMatch(R.heading, l);
  return h !== null && h.index === 0 && /^[\s:.]*$/.test(l.slice(h.end));
}

export function analyseImprint(input: string): ImprintAnalysis {
  const { text, truncated } = prepareText(input, MAX_IMPRINT_CHARS);
  // Dashes unified for the address and phone patterns (same length: offsets and evidence match the text).
  const addrText = normaliseForAddress(text);
  const s = structureOf(text);
  // Whose line it is, decided once per line (each candidate asks).
  const ownLine = new Map<number, boolean>();
  const own = (index: number) => {
    const line = s.lineAt(index);
    let v = ownLine.get(line);
    if (v === undefined) {
      v = !otherPartyAt(s, index);
      ownLine.set(line, v);
    }
    return v;
  };

  // Matched on the address copy (dashes unified, letter runs guarded; same length), quoted from the text.
  const address = findAddress(addrText, own, text);
  const postfach = allMatches(R.postfach, addrText, 20).find((m) => own(m.index)) ?? null;
  const phone = findPhone(addrText, own, text);
  const elements: Record<ImprintElementId, ElementFinding> = {
    address,
    email: findEmail(text, own),
    phone,
    representative: findRepresentative(s, own),
    'supervisory-authority': findSupervisory(s),
    register: findRegister(s),
    'vat-id': findVat(s),
    'responsible-for-content': findResponsible(s),
  };
  const poBoxOnly = !address.found && postfach !== null;
  if (poBoxOnly && postfach)
    elements.address = { found: false, partial: true, evidence: snippet(text, postfach.index, postfach.end) };

  const meaningfulChars = meaningfulCharsOf(text, isBoilerplateLine);
  const anyElement = IMPRINT_ELEMENT_IDS.some((id) => elements[id].found) || poBoxOnly;
  const outdated = findOutdatedRefs(text);
  const form = findLegalForm(s, own);
  const publicLaw = findPublicLawEntity(s, own);
  const form2 = form.found
    ? form
    : publicLaw.found && firstMatch(PUBLIC_LAW_FORM, publicLaw.evidence ?? '') !== null
      ? publicLaw
      : form;
  const contactForm = findContactForm(s);

  return {
    status: anyElement && meaningfulChars >= MIN_IMPRINT_CHARS ? 'found' : 'empty',
    elements,
    extras: {
      'covers-profiles': findCoversProfiles(s),
      'outdated-refs': outdated.finding,
      'second-contact-channel': phone.found ? phone : contactForm,
      'legal-form': form2,
      'public-law-entity': publicLaw,
    },
    poBoxOnly,
    contactForm: contactForm.found,
    legalForm: form2.found ? (legalFormToken(form2.evidence ?? '') ?? null) : null,
    publicLawEntity: publicLaw,
    outdatedRefs: outdated.citations,
    meaningfulChars,
    truncated,
  };
}
