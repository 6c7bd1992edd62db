/**
 * UI strings in German and English. German first; English for every other browser language.
 * Kept in code (not only _locales) so the same strings serve the popup, the history page,
 * exports and the CLI, and so the language can be switched at run time.
 */
import { GREY_REASONS } from '../verdict/grey-reasons';
import { VERDICT_TABLE, isVerdict } from '../verdict/verdict-table';
import { countOf } from './plural';

export type Lang = 'de' | 'en';

export function isLang(value: unknown): value is Lang {
  return value === 'de' || value === 'en';
}

/** The UI language: the stored choice, else the first of the browser's languages we have, else English. */
export function resolveLang(stored: Lang | null | undefined, preferred: readonly string[] | string | undefined): Lang {
  return stored ?? pickLang(preferred);
}

export function pickLang(preferred: readonly string[] | string | undefined): Lang {
  const list = typeof preferred === 'string' ? [preferred] : (preferred ?? []);
  for (const tag of list) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (base === 'de') return 'de';
    if (base === 'en') return 'en';
  }
  return 'en';
}

const de = {
  appName: 'Datenschutz-Ampel',
  noVisit: 'Für diesen Tab liegen keine Daten vor. Laden Sie die Seite neu, um sie zu prüfen.',
  requests: 'Anfragen',
  requestsTotal: 'Anfragen gesamt',
  firstParty: 'Erstanbieter',
  thirdParty: 'Drittanbieter',
  failed: 'fehlgeschlagen',
  requestsFailed: 'Fehlgeschlagen',
  notSent: 'Nicht gesendet (Cache-Probe / Cache / blockiert)',
  notSentHint:
    'Anfragen, die den Browser nie verlassen haben und darum nicht mitgezählt sind: Nur-Cache-Versuche (etwa vor jeder Webschrift), Antworten aus dem HTTP-Cache, von einer anderen Erweiterung blockierte Anfragen.',
  thirdPartyHosts: 'Drittanbieter-Hosts',
  host: 'Host',
  types: 'Arten',
  serverIp: 'Server-IP',
  cookies: 'Cookies',
  cookiesTotal: 'Cookies gesamt',
  name: 'Name',
  domain: 'Domain',
  lifetime: 'Laufzeit',
  session: 'Sitzung',
  partitioned: 'partitioniert',
  lifetimeCapped: 'vom Browser auf 400 Tage gekürzt; verlangt: {requested}',
  attemptedOnly: 'nur versucht (vom Browser abgelehnt)',
  truncated: 'Sehr viele Einträge: die Zahlen sind Untergrenzen.',
  reconciled:
    'Die Erweiterung wurde beim Laden der Seite vom Browser angehalten: {requests} {requests|Anfrage|Anfragen} und {cookies} {cookies|Cookie|Cookies} wurden aus den eigenen Aufzeichnungen der Seite ergänzt.',
  noThirdParties: 'Keine Drittanbieter-Anfragen beobachtet.',
  noCookies: 'Keine Cookies beobachtet.',
  disclaimer: 'Hinweise, keine Rechtsberatung.',
  language: 'Sprache',
  about: 'Über & Datenquellen',
  companies: 'Empfänger nach Unternehmen',
  company: 'Unternehmen',
  category: 'Kategorie',
  country: 'Land',
  unknownCompany: 'Unbekanntes Unternehmen',
  companySeat: 'Sitz',
  serverNetwork: 'Servernetz (registriertes Land, Richtwert)',
  contractingEntity: 'Vertragspartner in der EU',
  parentCompany: 'Mutterkonzern',
  selfHosted: 'Selbst gehostete Werkzeuge',
  dataMissing: 'Die Unternehmensdaten konnten nicht geladen werden; Empfänger bleiben unbekannt.',
  pageChecks: 'Impressum, Datenschutzerklärung, Kontaktwege',
  imprint: 'Impressum',
  privacyNotice: 'Datenschutzerklärung',
  servicesNamed: 'Beobachtete Dienste in der Datenschutzerklärung',
  messengers: 'Messenger-Kontakt',
  dmInvitations: 'Aufforderung zu Direktnachrichten',
  poBoxOnly: 'Nur ein Postfach, keine ladungsfähige Anschrift.',
  checksPending: 'Die Seite wird noch gelesen …',
  capped: 'Sehr große Seite: nur ein Teil wurde gelesen.',
  pageKindProfile: '{platform}-Profil',
  pageKindChannel: '{platform}-Kanal',
  pageKindLinkInBio: 'Link-in-Bio-Seite',
  pageKindWebsite: 'Website',
  bioLinks: 'Links in der Profilbeschreibung',
  consentBanner: 'Einwilligungsbanner',
  moreFindings: '{n} {n|weiterer Hinweis|weitere Hinweise}',
  showAll: 'Alle {n} anzeigen',
  openHistory: 'Verlauf dieser Website',
  openExport: 'Beschwerde-Zusammenfassung exportieren',
  authorityQuestion: 'Ist das eine Behörde?',
  authorityYes: 'Als Behörde erkannt: strengster Maßstab.',
  authorityNo: 'Nicht als Behörde erkannt.',
  authorityByUser: 'von Ihnen festgelegt',
  markAuthority: 'Ist eine Behörde',
  unmarkAuthority: 'Ist keine Behörde',
  resetAuthority: 'Automatisch erkennen',
  linkInBio: 'Link-in-Bio-Dienst',
  viaRedirector: 'über den Weiterleitungsdienst der Plattform',
  sectionLegal: 'Impressum & Datenschutz',
  sectionCounts: 'Anfragen & Hosts',
  companyPrivacyPolicy: 'Datenschutzerklärung von {company}',
  companiesShort: '{n} {n|Unternehmen|Unternehmen}',
  toolbarFindings: '{n} {n|Hinweis|Hinweise}',
  toolbarHosts: '{n} {n|Drittanbieter-Host|Drittanbieter-Hosts}',
  toolbarChecking: 'wird geprüft …',
  settings: 'Einstellungen',
} as const;

export type Messages = { readonly [K in keyof typeof de]: string };

const en: Messages = {
  appName: 'Datenschutz-Ampel',
  noVisit: 'No data for this tab yet. Reload the page to check it.',
  requests: 'Requests',
  requestsTotal: 'Requests in total',
  firstParty: 'First party',
  thirdParty: 'Third party',
  failed: 'failed',
  requestsFailed: 'Failed',
  notSent: 'Not sent (cache probe / cache / blocked)',
  notSentHint:
    'Requests that never left the browser and are not counted: cache-only attempts (e.g. before each web font), answers from the HTTP cache, requests blocked by another extension.',
  thirdPartyHosts: 'Third-party hosts',
  host: 'Host',
  types: 'Types',
  serverIp: 'Server IP',
  cookies: 'Cookies',
  cookiesTotal: 'Cookies in total',
  name: 'Name',
  domain: 'Domain',
  lifetime: 'Lifetime',
  session: 'session',
  partitioned: 'partitioned',
  lifetimeCapped: 'capped by the browser at 400 days; the site asked for {requested}',
  attemptedOnly: 'attempted only (refused by the browser)',
  truncated: 'Very many entries: the numbers are lower bounds.',
  reconciled:
    'The browser stopped the extension while the page loaded: {requests} {requests|request|requests} and {cookies} {cookies|cookie|cookies} were completed from the page’s own records.',
  noThirdParties: 'No third-party requests observed.',
  noCookies: 'No cookies observed.',
  disclaimer: 'Indicators, not legal advice.',
  language: 'Language',
  about: 'About & data sources',
  companies: 'Recipients by company',
  company: 'Company',
  category: 'Category',
  country: 'Country',
  unknownCompany: 'Unknown company',
  companySeat: 'Seat',
  serverNetwork: 'Server network (registered country, indicative)',
  contractingEntity: 'Contracting entity in the EU',
  parentCompany: 'Parent company',
  selfHosted: 'Self-hosted tools',
  dataMissing: 'The company data could not be loaded; recipients stay unknown.',
  pageChecks: 'Imprint, privacy notice, contact channels',
  imprint: 'Imprint',
  privacyNotice: 'Privacy notice',
  servicesNamed: 'Observed services in the privacy notice',
  messengers: 'Messenger contact',
  dmInvitations: 'Invitations to send direct messages',
  poBoxOnly: 'Only a PO box, no address for service.',
  checksPending: 'The page is still being read …',
  capped: 'Very large page: only part of it was read.',
  pageKindProfile: '{platform} profile',
  pageKindChannel: '{platform} channel',
  pageKindLinkInBio: 'Link-in-bio page',
  pageKindWebsite: 'Website',
  bioLinks: 'Links in the profile bio',
  consentBanner: 'Consent banner',
  moreFindings: '{n} more {n|indicator|indicators}',
  showAll: 'Show all {n}',
  openHistory: "This site's history",
  openExport: 'Export a complaint summary',
  authorityQuestion: 'Is this a public authority?',
  authorityYes: 'Recognised as a public authority: strictest standard.',
  authorityNo: 'Not recognised as a public authority.',
  authorityByUser: 'set by you',
  markAuthority: 'Is an authority',
  unmarkAuthority: 'Is not an authority',
  resetAuthority: 'Detect automatically',
  linkInBio: 'link-in-bio service',
  viaRedirector: "through the platform's redirector",
  sectionLegal: 'Imprint & privacy',
  sectionCounts: 'Requests & hosts',
  companyPrivacyPolicy: "{company}'s privacy policy",
  companiesShort: '{n} {n|company|companies}',
  toolbarFindings: '{n} {n|indicator|indicators}',
  toolbarHosts: '{n} third-party {n|host|hosts}',
  toolbarChecking: 'checking …',
  settings: 'Settings',
};

export const messages: Record<Lang, Messages> = { de, en };

/** "2 d", "5 h", "30 min", "45 s" — lifetime of a cookie in the largest whole unit. */
export function formatDuration(seconds: number, lang: Lang): string {
  const units: Array<[number, string, string]> = [
    [365 * 86400, 'J.', 'y'],
    [86400, 'T.', 'd'],
    [3600, 'Std.', 'h'],
    [60, 'Min.', 'min'],
  ];
  for (const [size, deUnit, enUnit] of units) {
    if (seconds >= size) return `${Math.floor(seconds / size)} ${lang === 'de' ? deUnit : enUnit}`;
  }
  return `${Math.max(0, Math.round(seconds))} s`;
}

const CATEGORY_LABELS: Record<Lang, Record<string, string>> = {
  de: {
    advertising: 'Werbung',
    analytics: 'Analyse',
    social: 'Soziales Netzwerk',
    messaging: 'Messenger',
    'link-in-bio': 'Link-in-Bio',
    'tag-manager': 'Tag-Manager',
    'session-replay': 'Sitzungsaufzeichnung',
    consent: 'Einwilligungsverwaltung',
    cdn: 'CDN / Hosting',
    fonts: 'Schriften',
    embed: 'Eingebettete Inhalte',
    maps: 'Karten',
    captcha: 'Captcha',
    payment: 'Zahlung',
    'customer-interaction': 'Kundenkontakt',
    utilities: 'Hilfsdienst',
    misc: 'Sonstiges',
    unknown: 'unbekannt',
  },
  en: {
    advertising: 'Advertising',
    analytics: 'Analytics',
    social: 'Social network',
    messaging: 'Messenger',
    'link-in-bio': 'Link in bio',
    'tag-manager': 'Tag manager',
    'session-replay': 'Session replay',
    consent: 'Consent management',
    cdn: 'CDN / hosting',
    fonts: 'Fonts',
    embed: 'Embedded content',
    maps: 'Maps',
    captcha: 'Captcha',
    payment: 'Payment',
    'customer-interaction': 'Customer interaction',
    utilities: 'Utility',
    misc: 'Other',
    unknown: 'unknown',
  },
};

export function categoryLabel(category: string, lang: Lang): string {
  return CATEGORY_LABELS[lang][category] ?? category;
}

const TRANSFER_LABELS: Record<Lang, Record<string, string>> = {
  de: {
    eea: 'EU/EWR',
    adequate: 'Angemessenheitsbeschluss',
    conditional: 'USA: nur mit DPF-Zertifizierung angemessen',
    'third-country': 'Drittland ohne Angemessenheitsbeschluss',
    unknown: 'unbekannt',
  },
  en: {
    eea: 'EU/EEA',
    adequate: 'adequacy decision',
    conditional: 'USA: adequate only if DPF-certified',
    'third-country': 'third country without adequacy decision',
    unknown: 'unknown',
  },
};

export function transferLabel(status: string, lang: Lang): string {
  return TRANSFER_LABELS[lang][status] ?? status;
}

/** Regional-indicator flag for an ISO 3166-1 alpha-2 code ("DE" -> 🇩🇪); '' for anything else. */
export function flagEmoji(country: string | null | undefined): string {
  if (!country || !/^[A-Z]{2}$/.test(country)) return '';
  return String.fromCodePoint(...[...country].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

const countryNames = new Map<Lang, Intl.DisplayNames | null>();
/** Country name in the UI language via the browser's own ICU data (no dataset shipped). */
export function countryName(country: string, lang: Lang): string {
  let names = countryNames.get(lang);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([lang], { type: 'region' });
    } catch {
      names = null;
    }
    countryNames.set(lang, names);
  }
  try {
    return names?.of(country) ?? country;
  } catch {
    return country;
  }
}

/** "68 requests to 21 third parties of 9 companies in 3 countries (US, AU, IE)". */
export function partySummaryLine(
  s: { requests: number; thirdParties: number; companies: number; unknownHosts: number; countries: readonly string[] },
  lang: Lang,
): string {
  const countries = s.countries.length ? ` (${s.countries.join(', ')})` : '';
  if (lang === 'de') {
    const unknown = s.unknownHosts
      ? `, ${countOf(s.unknownHosts, lang, 'Host', 'Hosts')} ohne bekanntes Unternehmen`
      : '';
    return (
      `${countOf(s.requests, lang, 'Anfrage', 'Anfragen')} an ${s.thirdParties} Drittanbieter von ` +
      `${s.companies} Unternehmen in ${countOf(s.countries.length, lang, 'Land', 'Ländern')}${countries}${unknown}`
    );
  }
  const unknown = s.unknownHosts ? `, ${countOf(s.unknownHosts, lang, 'host', 'hosts')} without a known company` : '';
  return (
    `${countOf(s.requests, lang, 'request', 'requests')} to ${countOf(s.thirdParties, lang, 'third party', 'third parties')} of ` +
    `${countOf(s.companies, lang, 'company', 'companies')} in ${countOf(s.countries.length, lang, 'country', 'countries')}${countries}${unknown}`
  );
}

const ELEMENT_LABELS: Record<Lang, Record<string, string>> = {
  de: {
    address: 'Ladungsfähige Anschrift',
    email: 'E-Mail-Adresse',
    phone: 'Telefon oder zweiter schneller Kontaktweg',
    representative: 'Vertretungsberechtigte Person',
    'supervisory-authority': 'Aufsichtsbehörde',
    register: 'Register und Registernummer',
    'vat-id': 'USt-IdNr.',
    'responsible-for-content': 'Inhaltlich Verantwortliche/r (§ 18 Abs. 2 MStV)',
    controller: 'Verantwortlicher mit Kontaktdaten',
    dpo: 'Datenschutzbeauftragte/r',
    'legal-basis': 'Rechtsgrundlagen',
    purposes: 'Zwecke',
    recipients: 'Empfänger',
    'third-country': 'Drittlandübermittlung',
    'storage-period': 'Speicherdauer',
    rights: 'Betroffenenrechte (mind. 3)',
    'withdraw-consent': 'Widerruf der Einwilligung',
    'complaint-right': 'Beschwerderecht bei der Aufsichtsbehörde',
    cookies: 'Cookies / Endgerätezugriff (§ 25 TDDDG)',
  },
  en: {
    address: 'Postal address for service',
    email: 'Email address',
    phone: 'Phone or second fast contact channel',
    representative: 'Authorised representative',
    'supervisory-authority': 'Supervisory authority',
    register: 'Register and number',
    'vat-id': 'VAT ID',
    'responsible-for-content': 'Person responsible for content (§ 18(2) MStV)',
    controller: 'Controller with contact details',
    dpo: 'Data protection officer',
    'legal-basis': 'Legal bases',
    purposes: 'Purposes',
    recipients: 'Recipients',
    'third-country': 'Third-country transfers',
    'storage-period': 'Storage period',
    rights: 'Data subject rights (at least 3)',
    'withdraw-consent': 'Withdrawal of consent',
    'complaint-right': 'Right to complain to a supervisory authority',
    cookies: 'Cookies / device access (§ 25 TDDDG)',
  },
};

export function elementLabel(id: string, lang: Lang): string {
  return ELEMENT_LABELS[lang][id] ?? id;
}

const DOC_STATUS: Record<Lang, Record<string, string>> = {
  de: {
    found: 'gefunden',
    missing: 'kein Link gefunden',
    empty: 'leer (kein Inhalt)',
    unreachable: 'nicht erreichbar',
    pending: 'wird geladen …',
    'not-checked': 'nicht abgerufen (Einstellung)',
  },
  en: {
    found: 'found',
    missing: 'no link found',
    empty: 'empty (no content)',
    unreachable: 'unreachable',
    pending: 'loading …',
    'not-checked': 'not fetched (setting)',
  },
};

export function docStatusLabel(status: string, lang: Lang): string {
  return DOC_STATUS[lang][status] ?? status;
}

const CONSENT_LABELS: Record<Lang, Record<string, string>> = {
  de: {
    'banner-shown': '{cmp}: Banner wurde angezeigt',
    'cmp-present': '{cmp}: eingebunden, Banner nicht angezeigt',
    'none-found': 'Keine bekannte Einwilligungsplattform erkannt',
    'not-checked': 'Wird noch geprüft …',
  },
  en: {
    'banner-shown': '{cmp}: banner was shown',
    'cmp-present': '{cmp}: present, banner not shown',
    'none-found': 'No known consent platform detected',
    'not-checked': 'Still checking …',
  },
};

/** One line on the page's consent banner (lib/page/consent.ts statuses). */
export function consentLabel(consent: { status: string; cmp: string | null }, lang: Lang): string {
  return (CONSENT_LABELS[lang][consent.status] ?? consent.status).replace('{cmp}', consent.cmp ?? '?');
}

const MENTION_LABELS: Record<Lang, Record<string, string>> = {
  de: { named: 'genannt', 'vendor-only': 'nur Anbieter genannt', 'not-named': 'nicht genannt' },
  en: { named: 'named', 'vendor-only': 'only the vendor named', 'not-named': 'not named' },
};

export function mentionLabel(status: string, lang: Lang): string {
  return MENTION_LABELS[lang][status] ?? status;
}

/** The popup's headline ("Rot: erhebliche Hinweise"), from the one verdict table. */
export function verdictLabel(verdict: string, lang: Lang): string {
  return isVerdict(verdict) ? VERDICT_TABLE[verdict].label[lang] : verdict;
}

const CERTAINTY_LABELS: Record<Lang, Record<string, string>> = {
  de: {
    observed: 'beobachtet',
    heuristic: 'Heuristik',
    contested: 'rechtlich umstritten',
    'user-reported': 'von Ihnen angegeben',
  },
  en: {
    observed: 'observed',
    heuristic: 'heuristic',
    contested: 'legally contested',
    'user-reported': 'reported by you',
  },
};

export function certaintyLabel(certainty: string, lang: Lang): string {
  return CERTAINTY_LABELS[lang][certainty] ?? certainty;
}

/** Why a report is grey (lib/verdict/grey-reasons.ts): stored in English in the report (data), shown in the UI language. */
const GREY_REASON_TEXT: Record<Lang, Record<string, string>> = {
  de: {
    [GREY_REASONS.notRead]: 'der Seiteninhalt konnte (noch) nicht gelesen werden',
    [GREY_REASONS.docsUnreadable]: 'Impressum oder Datenschutzerklärung konnten nicht gelesen werden',
    [GREY_REASONS.profileUnreadable]:
      'die Plattform zeigt kein lesbares Profil (Anmeldeseite, Fehlerseite oder unbekannter Aufbau)',
  },
  en: {
    [GREY_REASONS.notRead]: GREY_REASONS.notRead,
    [GREY_REASONS.docsUnreadable]: GREY_REASONS.docsUnreadable,
    [GREY_REASONS.profileUnreadable]: GREY_REASONS.profileUnreadable,
  },
};

export function greyReasonText(reason: string, lang: Lang): string {
  return GREY_REASON_TEXT[lang][reason] ?? reason;
}
