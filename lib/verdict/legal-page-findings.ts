/**
 * Rows on the legal pages themselves: whether the imprint (§ 5 DDG) and the privacy notice
 * (Art. 13 GDPR) were found and read, and which core elements they lack; whether the notice names
 * the services the page was seen to use and the platform a profile sits on. The rows are part of
 * the findings table (lib/verdict/findings.ts spreads them first); types only are imported from
 * findings.ts. Finer text rules are in lib/verdict/legal-text-findings.ts.
 */
import { ALL, fire, list } from './evidence-text';
import type { FindingRule } from './findings';

export const LEGAL_PAGE_RULES: readonly FindingRule[] = [
  {
    id: 'imprint-missing',
    source: ['R-IMP-01'],
    kinds: ALL,
    severity: { default: 'yellow', authority: 'red' },
    certainty: 'heuristic',
    tags: ['imprint'],
    text: { de: 'Kein Impressum auffindbar.', en: 'No imprint (legal notice) found.' },
    trigger: 'No link labelled as imprint (Impressum, Legal notice, … in 11 languages) on the page or in the bio.',
    when: (f) => (f.imprint.status === 'missing' ? fire(null) : null),
  },
  {
    id: 'imprint-empty',
    source: ['R-IMP-04'],
    kinds: ALL,
    severity: { default: 'yellow', authority: 'red' },
    certainty: 'observed',
    tags: ['imprint'],
    text: { de: 'Das verlinkte Impressum ist leer.', en: 'The linked imprint has no content.' },
    trigger: 'An imprint link (or highlight) exists, but its target has no identifying element at all.',
    when: (f) => (f.imprint.status === 'empty' ? fire(f.imprint.url) : null),
  },
  {
    id: 'imprint-incomplete',
    source: ['R-IMP-04', 'R-IMP-06', 'R-IMP-08'],
    kinds: ALL,
    severity: { default: 'yellow', authority: 'red' },
    certainty: 'heuristic',
    tags: ['imprint'],
    text: { de: 'Im Impressum fehlen Pflichtangaben.', en: 'The imprint lacks mandatory details.' },
    trigger: 'The imprint was read and lacks the address, an email address or the authorised representative.',
    when: (f) => {
      if (f.imprint.status !== 'found') return null;
      const missing = f.imprint.missingElements.filter(
        (e) => e === 'address' || e === 'email' || e === 'representative',
      );
      return missing.length ? fire(missing.join(', ')) : null;
    },
  },
  {
    id: 'imprint-po-box',
    source: ['R-IMP-05'],
    kinds: ALL,
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['imprint'],
    text: {
      de: 'Nur ein Postfach statt einer ladungsfähigen Anschrift.',
      en: 'Only a PO box instead of a physical address.',
    },
    trigger: 'The imprint gives a Postfach / PO box and no street address.',
    when: (f) => (f.imprint.status === 'found' && f.imprint.poBoxOnly ? fire(f.imprint.url) : null),
  },
  {
    id: 'privacy-missing',
    // R-LIB-02 (a link page without its owner's notice) is the same gap on a link page; R-PRV-01's
    // red already covers its severities (yellow, red for authorities), so it fires once.
    source: ['R-PRV-01', 'R-LIB-02'],
    kinds: ALL,
    severity: { default: 'red' },
    certainty: 'heuristic',
    tags: ['transparency'],
    text: { de: 'Keine Datenschutzerklärung auffindbar.', en: 'No privacy notice found.' },
    trigger:
      "No link labelled as privacy notice on the page or in the bio, or on a link page none of its owner (platform-wide policies and the link service's own policy do not count).",
    when: (f) =>
      f.privacy.status === 'missing' || f.privacy.status === 'empty'
        ? fire(f.privacy.status === 'empty' ? f.privacy.url : null)
        : null,
  },
  {
    id: 'privacy-no-controller',
    source: ['R-PRV-02'],
    kinds: ALL,
    severity: { default: 'red' },
    certainty: 'heuristic',
    tags: ['transparency'],
    text: {
      de: 'Die Datenschutzerklärung nennt keinen Verantwortlichen mit Kontaktdaten.',
      en: 'The privacy notice does not name the controller with contact details.',
    },
    trigger: 'The notice was read and names no controller with contact details (Art. 13(1)(a) GDPR).',
    when: (f) =>
      f.privacy.status === 'found' && f.privacy.missingElements.includes('controller') ? fire(f.privacy.url) : null,
  },
  {
    id: 'privacy-no-dpo',
    source: ['R-PRV-03'],
    kinds: ALL,
    severity: { default: 'info', authority: 'red' },
    certainty: 'heuristic',
    tags: ['transparency'],
    text: {
      de: 'Kontaktdaten der/des Datenschutzbeauftragten fehlen (für Behörden Pflicht).',
      en: 'Contact details of the data protection officer are missing (mandatory for public bodies).',
    },
    trigger:
      'The notice was read and gives no DPO contact (Art. 13(1)(b), 37(1)(a) GDPR: every public body must designate one).',
    when: (f) =>
      f.privacy.status === 'found' && f.privacy.missingElements.includes('dpo') ? fire(f.privacy.url) : null,
  },
  {
    id: 'privacy-incomplete',
    source: ['R-PRV-04', 'R-PRV-06', 'R-PRV-07', 'R-PRV-08'],
    kinds: ALL,
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['transparency'],
    text: {
      de: 'In der Datenschutzerklärung fehlen Pflichtangaben nach Art. 13 DSGVO.',
      en: 'The privacy notice lacks information required by Art. 13 GDPR.',
    },
    trigger: 'The notice was read and lacks one of: purposes, legal basis, rights, complaint right, storage period.',
    when: (f) => {
      if (f.privacy.status !== 'found') return null;
      const required = ['purposes', 'legal-basis', 'rights', 'complaint-right', 'storage-period'];
      const missing = f.privacy.missingElements.filter((e) => required.includes(e));
      return missing.length ? fire(missing.join(', ')) : null;
    },
  },
  {
    id: 'privacy-unmentioned-service',
    source: ['R-SVC-01'],
    kinds: ALL,
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['transparency'],
    text: {
      de: 'Genutzte Dienste werden in der Datenschutzerklärung nicht genannt.',
      en: 'Services in use are not named in the privacy notice.',
    },
    trigger:
      'A service observed on the page (or the platform / link-in-bio service the account uses) is not named in the notice.',
    when: (f) =>
      f.privacy.status === 'found' && f.privacy.unmentionedServices.length
        ? fire(list(f.privacy.unmentionedServices))
        : null,
  },
  {
    id: 'privacy-vendor-only',
    source: ['R-SVC-02'],
    kinds: ALL,
    severity: { default: 'info' },
    certainty: 'heuristic',
    tags: ['transparency'],
    text: {
      de: 'Für manche Dienste nennt die Datenschutzerklärung nur den Anbieter.',
      en: 'For some services the notice only names the vendor.',
    },
    trigger: 'Only a generic vendor name ("Google", "Meta") matches an observed service.',
    when: (f) =>
      f.privacy.status === 'found' && f.privacy.vendorOnlyServices.length
        ? fire(list(f.privacy.vendorOnlyServices))
        : null,
  },
  {
    id: 'privacy-no-platform-notice',
    source: ['R-AUTH-02'],
    kinds: ['social-profile'],
    severity: { default: 'yellow', authority: 'red' },
    certainty: 'heuristic',
    tags: ['transparency'],
    text: {
      de: 'Keine vom Profil erreichbare Datenschutzerklärung deckt diese Plattform ab.',
      en: 'No privacy notice reachable from the profile covers this platform.',
    },
    trigger: 'On a social profile, the reachable notice neither names the platform nor has a social-media section.',
    when: (f) =>
      f.platform && f.privacy.status === 'found' && !f.privacy.coversPlatform
        ? fire(`${f.platform} – ${f.privacy.url ?? ''}`)
        : null,
  },
];
