/**
 * Imprint elements beyond the eight of § 5 DDG / § 18 MStV (docs/legal-labels.md § 3): the
 * provider's legal form, its status as a public-law entity (SPEC § 5; feeds authority detection),
 * a contact form as second fast channel (CJEU C-298/07) and the statement that the imprint also
 * covers social-media profiles (R-IMP-12). Outdated citations are found by lib/legal/outdated.ts;
 * the analyser that combines them all is lib/legal/imprint.ts.
 *
 * Pure, never throws; like the eight elements, only the provider's own lines count.
 */
import rules from './rules.json';
import { OTHER_PARTY_LABEL, PROVIDER_LABEL, R } from './imprint-elements';
import { type TextStructure, sentenceEvidence } from './structure';
import {
  type ElementFinding,
  type RuleMatch,
  NOT_FOUND,
  compileEuropean,
  compileRule,
  eachMatch,
  europeanise,
  firstMatch,
} from './patterns';

/**
 * legal_form_regex contains upper-case codes ("AG", "AB", "SE") but no \p{Lu}, so the convention
 * would compile it with 'i' and it would match the words "ab", "se". We compile it case-sensitively
 * (reported to the rules authors).
 */
const LEGAL_FORM = compileRule(
  // Its trailing '\b' needs a word character after "e.V." / "Ltd." / "S.A.", so forms ending in a
  // dot never matched at the end of a line; "not followed by a letter/digit" is what is meant.
  europeanise(
    (
      rules.imprint.elements.find((e) => e.id === 'imp.name' && 'legal_form_regex' in e)?.legal_form_regex ?? '(?!)'
    ).replace(/\\b$/, '(?![\\p{L}\\p{N}_])'),
  ),
  '',
  '',
);

/** Public-law legal forms (docs/legal-labels.md § 3 legal-form): KdöR, AöR, Eigenbetrieb, gemeinsame Einrichtung … */
export const PUBLIC_LAW_FORM = compileEuropean(
  String.raw`(?<![\p{L}])(?:K(?:ö|oe)rperschaft\s+(?:des\s+)?(?:ö|oe)ffentlichen\s+\p{L}+|KdöR|Anstalt\s+(?:des\s+)?(?:ö|oe)ffentlichen\s+Rechts|A(?:ö|oe)R|Stiftung\s+(?:des\s+)?(?:ö|oe)ffentlichen\s+Rechts|Stiftung\s+b(?:ü|ue)rgerlichen\s+Rechts|(?:Eigenbetrieb|Regiebetrieb)|gemeinsame\s+Einrichtung|eingetragener\s+Verein|(?:a\s+)?(?:corporation|body\s+corporate|body)\s+(?:under|of)\s+public\s+law|public[-\s]law\s+(?:corporation|body|institution|foundation))(?![\p{L}])`,
);

export function legalFormToken(evidence: string): string | null {
  const m = firstMatch(LEGAL_FORM, evidence) ?? firstMatch(PUBLIC_LAW_FORM, evidence);
  return m ? m.text : null;
}

/** "Die Stadt X ist eine Körperschaft …", "TU Dortmund University … is a corporation under public law", "in der Rechtsform der GmbH". */
const DESCRIBES_PROVIDER =
  /(?<![\p{L}])(?:ist\s+(?:eine?|die|der)|sind\s+(?:eine?)|is\s+an?|in\s+der\s+Rechtsform|Rechtsform\s*:|als\s+(?:eine?\s+)?)(?![\p{L}])/iu;

/**
 * Where the provider describes itself: its name block at the top (the first lines of content),
 * a line under one of its own labels ("Herausgeber", "Anbieter", "Anschrift" …), or a sentence
 * saying what it is ("… ist eine Körperschaft des öffentlichen Rechts").
 */
function providerContext(s: TextStructure, index: number): boolean {
  const line = s.lineAt(index);
  const [ss, se] = s.sentenceAt(index);
  if (DESCRIBES_PROVIDER.test(s.text.slice(ss, se))) return true;
  if (s.lineLength(line) > 200) return false;
  let contentLines = 0;
  for (let i = 0; i < line && contentLines <= 10; i++) if (s.kind(i) !== 'nav') contentLines++;
  if (contentLines <= 10) return true;
  for (let i = line; i >= 0 && i >= line - 8; i--) {
    const l = s.lineHead(i, 80).trim();
    if (OTHER_PARTY_LABEL.test(l)) return false;
    if (PROVIDER_LABEL.test(l) && !/^(?:Haftung|Disclaimer|Urheberrecht|Copyright|Datenschutz)/iu.test(l)) return true;
    if (i < line && s.lineLength(i) > 200) return false;
  }
  return false;
}

/** The provider's legal form: a form in the provider's own lines (not the agency's "… GmbH" under "Technische Umsetzung"). */
export function findLegalForm(s: TextStructure, own: (index: number) => boolean): ElementFinding {
  for (const re of [LEGAL_FORM, PUBLIC_LAW_FORM]) {
    for (const m of eachMatch(re, s.text, 50)) {
      if (!own(m.index) || !providerContext(s, m.index)) continue;
      const before = s.text.slice(Math.max(0, m.index - 60), m.index);
      // A hoster's, processor's or platform's form in running text ("hosted on servers of Github Inc.").
      if (
        /(?:hosted|gehostet|Server\w*|servers|Hoster|Dienstleister|Auftragsverarbeiter|powered|Mitglied\s+(?:der|des|im)|member\s+of)[^\n]{0,50}$/iu.test(
          before,
        )
      )
        continue;
      return { found: true, evidence: sentenceEvidence(s, m.index, m.end) };
    }
  }
  return NOT_FOUND;
}

/** Status terms that make the provider a public-law body; "Behörde" only when it describes the provider. */
const BEHOERDE_STATUS =
  /(?<![\p{L}])(?:(?:ist|sind|als)\s+(?:eine|die|der)?\s*[\p{L}-]*(?:behörde|Behörde)|(?:Bundesober|Landesober|Ober|Bundes|Landes|Kommunal)behörde|Behörde\s+(?:für|des|der)\s+\p{Lu})(?![\p{L}])/gu;

/** English status terms (docs/legal-labels.md § 3 public-law-entity). */
const PUBLIC_STATUS_EN = compileEuropean(
  String.raw`(?<![\p{L}])(?:local\s+authority|public\s+(?:authority|body)|statutory\s+(?:body|corporation)|government\s+(?:department|agency)|non-ministerial\s+(?:government\s+)?department|executive\s+agency)(?![\p{L}])`,
);

/**
 * An authority named by its level and subject ("Untere Vermessungs- und Geoinformationsbehörde", "Obere
 * Naturschutzbehörde"): "Behörde" in the name (docs/legal-labels.md § 3 public-law-entity), as a compound.
 */
const LEVELLED_AUTHORITY = compileEuropean(
  String.raw`(?<![\p{L}])(?:Untere|Obere|Oberste|Höhere)\s+(?:[\p{L}]+-\s+und\s+)?[\p{L}]+behörde(?![\p{L}])`,
);

export function findPublicLawEntity(s: TextStructure, own: (index: number) => boolean): ElementFinding {
  // The English status terms only where English words for them occur at all (a full scan otherwise).
  const english = !s.lacks(['authority', 'public body', 'statutory', 'government', 'agency', 'department']);
  const sources = english
    ? [PUBLIC_LAW_FORM, R.publicLaw, LEVELLED_AUTHORITY, PUBLIC_STATUS_EN]
    : [PUBLIC_LAW_FORM, R.publicLaw, LEVELLED_AUTHORITY];
  let best: RuleMatch | null = null;
  for (const re of sources) {
    for (const m of eachMatch(re, s.text, 50)) {
      if (best && m.index >= best.index) break;
      // "Behörde" alone is any authority ("verfahrensführende Behörde"): only as the provider's status.
      if (/^(?:Beh(?:ö|oe)rde|(?:ö|oe)ffentliche\s+Stelle)$/iu.test(m.text)) {
        const [ss, se] = s.sentenceAt(m.index);
        const line = s.text.slice(ss, se);
        BEHOERDE_STATUS.lastIndex = 0;
        if (!BEHOERDE_STATUS.test(line)) continue;
      }
      if (!own(m.index) || !providerContext(s, m.index)) continue;
      best = m;
      break;
    }
  }
  return best ? { found: true, evidence: sentenceEvidence(s, best.index, best.end) } : NOT_FOUND;
}

/** A form recognisable as a form (a bare "Kontakt" link is not: docs/legal-labels.md § 3 second-contact-channel). */
const CONTACT_FORM = compileEuropean(
  String.raw`(?<![\p{L}])(?:Kontakt-?[Ff]ormular\w*|Online-?[Ff]ormular\w*|Web-?[Ff]ormular\w*|E-?Mail-?Formular|[Ff]ormular\s+für\s+(?:Ihre\s+)?(?:Anfragen|Kontakt)|contact\s+form|web\s+form|online\s+form|Live-?Chat|Chatbot|(?:WhatsApp|Signal|Threema|Telegram)\s*:\s*\+?\d|formulaire\s+de\s+contact|formulario\s+de\s+contacto|contactformulier)(?![\p{L}])`,
);

/**
 * A generic form ("Online-Formular", "online form") that serves another purpose — filing a criminal
 * complaint, an application, a registration — is no contact channel of the provider (§ 3
 * second-contact-channel: a channel to reach the provider), unless the same sentence speaks of contact.
 */
const FORM_FOR_OTHER_PURPOSE = compileRule(
  String.raw`\b(?:Strafanzeige|Anzeige\s+erstatten|Antr(?:ag|äge)\w*|beantragen|Bewerbung\w*|bewerben|Anmeldung\w*|anmelden|Registrierung|registrieren|apply|application|register|report\s+a\s+crime)\b`,
  '',
  'iu',
);
const FORM_FOR_CONTACT = compileRule(
  String.raw`\b(?:Kontakt\w*|kontaktieren|Anfrage\w*|Frage\w*|erreichen|Nachricht\s+an\s+uns|contact|enquir\w*|get\s+in\s+touch|reach\s+us)\b`,
  '',
  'iu',
);

/** The form offered for use ("Nutzen Sie unser Online-Formular", "über das Web-Formular"), not described ("Die Realisierung der Online-Formulare erfolgt mit …"). */
const FORM_IN_USE = compileRule(
  String.raw`\b(?:Sie\s+können|können\s+Sie|nutzen|benutzen|verwenden|über\s+(?:unser|das|ein|dieses)|ausfüllen|senden|schreiben|use|using|via|through|fill\s+in|send)\b`,
  '',
  'iu',
);
export function findContactForm(s: TextStructure): ElementFinding {
  for (const m of eachMatch(CONTACT_FORM, s.text, 20)) {
    if (/^(?:Online|Web|online|web)/.test(m.text)) {
      const [ss, se] = s.sentenceAt(m.index);
      const sentence = s.text.slice(ss, se).trim();
      // The bare link text "Online-Formular" is a form (§ 3); in prose the form must be offered for use.
      if (sentence.length > m.text.length + 3) {
        const contact = FORM_FOR_CONTACT!.test(sentence);
        if (!contact && !FORM_IN_USE!.test(sentence)) continue;
        if (FORM_FOR_OTHER_PURPOSE!.test(sentence) && !contact) continue;
      }
    }
    return { found: true, evidence: sentenceEvidence(s, m.index, m.end) };
  }
  return NOT_FOUND;
}

/** "Dieses Impressum gilt auch für unsere Auftritte bei Facebook …", "This legal notice also applies to our social media accounts". */
const COVERS_PROFILES = compileEuropean(
  String.raw`(?<![\p{L}])(?:(?:Dieses|Das|Unser)\s+Impressum\s+gilt\s+(?:auch|ebenfalls|zugleich|gleichermaßen)?\s*(?:für|bei)\s+[^.\n]{0,120}?(?:Auftritt|Profil|Kanal|Kanäle|Account|Präsenz|Seite|Social[-\s]?Media|sozialen\s+(?:Medien|Netzwerken)|Facebook|Instagram|YouTube|TikTok|LinkedIn|Mastodon|Twitter|Threads|X\b)|Impressum\s+(?:für|zu)\s+(?:unsere[nmrs]?\s+)?(?:Social[-\s]?Media|Facebook|Instagram|YouTube|TikTok|LinkedIn|Mastodon|Twitter|X)[-\s]?(?:Auftritt\w*|Seite\w*|Profil\w*|Kan(?:al|äle)|Accounts?|Präsenz\w*|Fanpage)?|(?:This|Our)\s+(?:legal\s+notice|imprint|site\s+notice)\s+(?:also\s+)?applies\s+(?:also\s+)?to\s+[^.\n]{0,80}?(?:social\s+media|profiles?|accounts?|channels?|pages?|Facebook|Instagram|YouTube|TikTok|LinkedIn|Mastodon))`,
);

/** Where such a statement can be: the words for the imprint itself (the full pattern runs on their sentences only). */
const COVERS_ANCHOR = compileRule(String.raw`Impressum|imprint|legal\s+notice|site\s+notice`, '', 'i');

export function findCoversProfiles(s: TextStructure): ElementFinding {
  let last = -1;
  for (const a of eachMatch(COVERS_ANCHOR, s.text, 60)) {
    const [ss, se] = s.sentenceAt(a.index);
    if (ss === last) continue;
    last = ss;
    const m = firstMatch(COVERS_PROFILES, s.text.slice(ss, se));
    if (!m) continue;
    const kind = s.kind(s.lineAt(ss + m.index));
    if (kind === 'toc' || kind === 'nav') continue;
    return { found: true, evidence: sentenceEvidence(s, ss + m.index, ss + m.end) };
  }
  return NOT_FOUND;
}
