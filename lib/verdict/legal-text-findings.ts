/**
 * Rows on what the imprint and the privacy notice say, from facts the analysers already give
 * (lib/legal/imprint.ts, lib/legal/privacy-notice.ts) — read, not changed, here:
 *  - R-IMP-07: an e-mail address but no second fast channel (phone or web form; CJEU C-298/07);
 *  - R-IMP-09: a public body's imprint names no supervisory authority (good practice, info);
 *  - R-IMP-10: a registered legal form (GmbH, e.V. …) without the register entry (§ 5 Abs. 1 Nr. 4 DDG);
 *  - R-IMP-11: references to repealed law (TMG, RStV, TTDSG; DDG and TDDDG since 14.05.2024);
 *  - R-PRV-05: a public body's notice cites legitimate interests (Art. 6(1) subpara. 2 GDPR);
 *  - R-PRV-09: consent is asked for (a banner, or consent cited as a basis) and the notice does not
 *    explain its withdrawal (Art. 7(3), 13(2)(c) GDPR);
 *  - R-PRV-10: trackers observed and the notice names no recipients (Art. 13(1)(e) GDPR). Its other
 *    half — non-adequate vendors and no word on third-country transfers — is R-TRK-05's condition,
 *    judged by third-country-recipient (lib/verdict/findings.ts), so one gap fires once;
 *  - R-IMP-02: the imprint link's label does not name it (lib/verdict/imprint-facts.ts);
 *  - R-IMP-12: the imprint a profile links does not say it also covers the profile (ditto).
 * Severities and certainties as rules.json gives them. The rows are part of the findings table
 * (lib/verdict/findings.ts spreads them); types only are imported from findings.ts.
 */
import { capped, fire } from './evidence-text';
import type { FindingRule, VerdictFacts } from './findings';

/** rules.json facts_schema ctx.registered_legal_form: GmbH/AG/UG/KG/OHG/e.V./eG/PartG (and their compounds). */
const REGISTERED_FORM = /\b(?:g?GmbH|AG|UG|KGaA|KG|OHG|e\.\s?V\.|eG|PartG(?:mbB)?|SE)\b/;

const imprintRead = (f: VerdictFacts) => f.imprint.status === 'found';
const noticeRead = (f: VerdictFacts) => f.privacy.status === 'found';
const lacks = (xs: readonly string[], id: string) => xs.includes(id);

export const LEGAL_TEXT_RULES: readonly FindingRule[] = [
  {
    id: 'imprint-no-second-channel',
    source: ['R-IMP-07'],
    kinds: ['website', 'social-profile', 'link-in-bio'],
    severity: { default: 'info' },
    certainty: 'heuristic',
    tags: ['imprint'],
    text: {
      de: 'Kein zweiter schneller Kontaktweg (Telefon, Kontaktformular) im Impressum.',
      en: 'No second fast contact channel (phone, web form) in the imprint.',
    },
    trigger: 'The imprint was read, gives an e-mail address, and neither a phone number nor a contact form.',
    when: (f) =>
      imprintRead(f) &&
      !lacks(f.imprint.missingElements, 'email') &&
      lacks(f.imprint.missingElements, 'phone') &&
      !f.imprint.contactForm
        ? fire(f.imprint.url)
        : null,
  },
  {
    id: 'imprint-no-supervisory-authority',
    source: ['R-IMP-09'],
    kinds: ['website', 'social-profile', 'link-in-bio'],
    severity: { default: 'info' },
    certainty: 'heuristic',
    tags: ['imprint'],
    text: {
      de: 'Keine Aufsichtsbehörde im Impressum genannt (bei Behörden üblich).',
      en: 'No supervisory authority named in the imprint (customary for public bodies).',
    },
    trigger: "A public body's imprint was read and names no supervisory authority (Aufsichtsbehörde, Rechtsaufsicht).",
    when: (f) =>
      f.authority.isAuthority && imprintRead(f) && lacks(f.imprint.missingElements, 'supervisory-authority')
        ? fire(f.imprint.url)
        : null,
  },
  {
    id: 'imprint-no-register',
    source: ['R-IMP-10'],
    kinds: ['website'],
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['imprint'],
    text: {
      de: 'Registerangaben fehlen trotz eingetragener Rechtsform.',
      en: 'Register details missing despite a registered legal form.',
    },
    trigger:
      'The imprint was read, names a registered legal form (GmbH, AG, UG, KG, OHG, e.V., eG, PartG) and no register entry (court and number).',
    when: (f) =>
      imprintRead(f) &&
      f.imprint.legalForm &&
      REGISTERED_FORM.test(f.imprint.legalForm) &&
      lacks(f.imprint.missingElements, 'register')
        ? fire(f.imprint.legalForm)
        : null,
  },
  {
    id: 'imprint-outdated-references',
    source: ['R-IMP-11'],
    kinds: ['website', 'social-profile', 'link-in-bio'],
    severity: { default: 'info' },
    certainty: 'observed',
    tags: ['imprint'],
    text: {
      de: 'Veraltete Rechtsgrundlagen im Impressum (TMG, RStV, TTDSG).',
      en: 'Outdated legal references in the imprint (TMG, RStV, TTDSG).',
    },
    trigger:
      'The imprint was read and cites a repealed statute (§ 5 TMG, § 55 RStV, TTDSG) instead of DDG, MStV, TDDDG.',
    when: (f) =>
      imprintRead(f) && f.imprint.outdatedRefs.length ? fire(capped(f.imprint.outdatedRefs, 3).join(', ')) : null,
  },
  {
    id: 'authority-legitimate-interests',
    source: ['R-PRV-05'],
    kinds: ['website', 'social-profile', 'link-in-bio'],
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['lawfulness'],
    text: {
      de: 'Behörde stützt sich auf „berechtigte Interessen“ – für die Erfüllung ihrer Aufgaben ausgeschlossen.',
      en: "Public body relies on 'legitimate interests' – excluded for the performance of its tasks.",
    },
    trigger: "A public body's notice was read and cites legitimate interests (Art. 6(1)(f) GDPR) as a legal basis.",
    when: (f) =>
      f.authority.isAuthority && noticeRead(f) && f.privacy.bases?.legitimateInterest
        ? fire(f.privacy.bases.publicTask ? 'Art. 6(1)(f) beside Art. 6(1)(e)' : 'Art. 6(1)(f) without Art. 6(1)(e)')
        : null,
  },
  {
    id: 'privacy-no-withdrawal',
    source: ['R-PRV-09'],
    kinds: ['website', 'link-in-bio'],
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['transparency'],
    text: {
      de: 'Das Recht auf Widerruf der Einwilligung wird nicht erklärt.',
      en: 'The right to withdraw consent is not explained.',
    },
    trigger:
      'Consent is asked for (a consent banner was detected, or the notice cites consent as a basis) and the notice, read in full, does not explain that it can be withdrawn.',
    when: (f) => {
      if (!noticeRead(f) || !lacks(f.privacy.missingElements, 'withdraw-consent')) return null;
      const banner = f.consent.status === 'banner-shown' || f.consent.status === 'cmp-present';
      return banner || f.privacy.bases?.consent
        ? fire(banner ? `banner: ${f.consent.cmp ?? '–'}` : 'Art. 6(1)(a)')
        : null;
    },
  },
  {
    id: 'privacy-no-recipients',
    source: ['R-PRV-10'],
    kinds: ['website', 'link-in-bio'],
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['transparency'],
    text: {
      de: 'Die Datenschutzerklärung nennt keine Empfänger, obwohl Tracking-Dienste eingebunden sind.',
      en: 'The privacy notice names no recipients although tracking services are in use.',
    },
    trigger:
      'The notice was read and names no recipients or categories of recipients, while the page sends data to advertising, analytics, social or session-replay companies. Third-country transfers without a word in the notice are third-country-recipient (R-TRK-05), not this row.',
    when: (f) =>
      noticeRead(f) && lacks(f.privacy.missingElements, 'recipients') && f.thirdParties.trackingCompanies.length
        ? fire(capped(f.thirdParties.trackingCompanies, 3).join(', '))
        : null,
  },
  {
    id: 'imprint-label-unclear',
    source: ['R-IMP-02'],
    kinds: ['website', 'social-profile', 'link-in-bio'],
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['imprint'],
    text: {
      de: 'Impressum nur über eine unklare Bezeichnung erreichbar.',
      en: 'Imprint only reachable via an unclear label.',
    },
    trigger:
      'The imprint was read, and the link to it was recognised only by its URL path or by a weak label such as "Über uns" or "About" — its text, title or field label does not say "Impressum" (or its equivalent). "Kontakt" is accepted (BGH I ZR 228/03).',
    when: (f) =>
      imprintRead(f) && f.imprint.labelUnclear !== null
        ? fire(`"${f.imprint.labelUnclear || '–'}" → ${f.imprint.url ?? '–'}`)
        : null,
  },
  {
    id: 'imprint-not-for-profile',
    source: ['R-IMP-12'],
    kinds: ['social-profile'],
    severity: { default: 'info', authority: 'yellow' },
    certainty: 'heuristic',
    tags: ['imprint'],
    text: {
      de: 'Das verlinkte Impressum erklärt nicht, dass es auch für dieses Profil gilt.',
      en: 'The linked imprint does not state that it also covers this profile.',
    },
    trigger:
      'A profile links an imprint off the platform that was read and does not say it also applies to the profile ("Dieses Impressum gilt auch für …"). A public body\'s imprint on a domain the profile links directly counts as covering it (rules.json imprint.covers_profile); one on a link-in-bio page does not.',
    when: (f) => (imprintRead(f) && f.imprint.coversProfile === false ? fire(f.imprint.url ?? '–') : null),
  },
];
