/**
 * The complaint's texts, German and English (rules.json `complaint.templates`). German texts use
 * proper umlauts.
 */
import type { Lang } from './model';
import { countOf } from '../../i18n/plural';

const DE = {
  title: (c: string) => `Beschwerde nach Art. 77 DSGVO – ${c}`,
  subtitle: (site: string, date: string) => `Betroffenes Angebot: ${site} · erstellt am ${date}`,
  unknownController: 'unbekannte verantwortliche Stelle',
  complainant: '1. Beschwerdeführer/in',
  name: 'Name',
  address: 'Anschrift',
  email: 'E-Mail',
  phName: '{Ihr Name}',
  phAddress: '{Ihre Anschrift}',
  phEmail: '{Ihre E-Mail-Adresse}',
  anonymousNote:
    'Eine anonyme Eingabe ist möglich, wird aber meist nur als Kontrollanregung ohne Rückmeldung behandelt.',
  confidentiality:
    'Ich bitte darum, meine Identität gegenüber der verantwortlichen Stelle nur offenzulegen, soweit dies für die Bearbeitung unerlässlich ist.',
  controller: '2. Verantwortliche Stelle',
  controllerName: 'Name',
  controllerAddress: 'Anschrift (laut Impressum)',
  controllerAddressUnknown: '{nicht ermittelt – bitte ergänzen}',
  kind: 'Art der Stelle (Einschätzung)',
  kinds: {
    jobcenter: 'Jobcenter',
    'federal-body': 'öffentliche Stelle des Bundes',
    'state-body': 'öffentliche Stelle eines Landes',
    'municipal-body': 'kommunale Stelle',
    company: 'Unternehmen',
    association: 'Verein / Verband',
    person: 'Privatperson',
    unknown: 'nicht erkannt',
  } as Record<string, string>,
  jobcenterType: 'Trägerschaft',
  jobcenterTypes: {
    'gemeinsame-einrichtung': 'gemeinsame Einrichtung (§ 44b SGB II)',
    'zugelassener-kommunaler-traeger': 'zugelassener kommunaler Träger (§ 6a SGB II)',
  } as Record<string, string>,
  seat: 'Sitz (Einschätzung)',
  offers: 'Betroffene Angebote',
  handle: 'Profil',
  authority: '3. Zuständige Aufsichtsbehörde',
  dpa: 'Behörde',
  form: 'Beschwerdeformular',
  website: 'Website',
  dpaEmail: 'E-Mail',
  noForm: 'kein Online-Formular bekannt – per E-Mail oder Post einreichen',
  reason: 'Begründung',
  hook: 'Rechtsgrundlage',
  certainty: 'Sicherheit',
  certaintyObserved: 'aus den Angaben abgeleitet',
  certaintyHeuristic: 'Einschätzung – bitte prüfen',
  alternatives: 'Ebenfalls in Betracht',
  verify:
    'Anschriften und Formular-Links stammen aus einem Datenbestand (datenanfragen.de, CC0); bitte vor dem Absenden auf der Website der Behörde prüfen.',
  facts: '4. Sachverhalt',
  factsIntro:
    'Ich habe die folgenden Seiten selbst aufgerufen. Die Angaben wurden beim Aufruf automatisch erfasst (Zeitangaben in UTC, ISO 8601).',
  visit: (url: string, title: string, loads = 1) =>
    `Aufruf von ${url}${title ? ` („${title}“)` : ''}${loads > 1 ? `, ${loads}-mal geladen` : ''}`,
  reachedInApp:
    'Die Seite wurde innerhalb der App der Plattform geöffnet (ohne neues Laden, über die History-API des Browsers); gezählt sind die Anfragen ab diesem Zeitpunkt',
  firstInteraction: 'Erste eigene Interaktion (Klick oder Tastendruck) auf der Seite',
  noInteraction: 'keine Interaktion mit der Seite bis zur Auswertung',
  consentShown: (cmp: string) => `Einwilligungsbanner (${cmp}) wird angezeigt und wartet auf eine Entscheidung`,
  reconciled: (req: number, ck: number) =>
    `Davon ${countOf(req, 'de', 'Anfrage', 'Anfragen')} und ${countOf(ck, 'de', 'Cookie', 'Cookies')} aus den Aufzeichnungen der Seite (Resource Timing) und dem Cookie-Speicher ergänzt, weil der Browser die Erweiterung während des Ladens angehalten hatte`,
  consentNone:
    'Kein Einwilligungsbanner einer bekannten Einwilligungsplattform erkannt (Erkennungsregeln von @duckduckgo/autoconsent)',
  requests: (total: number, third: number, hosts: number) =>
    `${countOf(total, 'de', 'Anfrage', 'Anfragen')} insgesamt, davon ${third} an ${countOf(hosts, 'de', 'fremden Host', 'fremde Hosts')} (Drittanbieter)`,
  cookies: (n: number, before: number) =>
    `${countOf(n, 'de', 'Cookie', 'Cookies')}, davon ${before} vor jeder Interaktion – also vor einer möglichen Einwilligung – gesetzt`,
  imprint: (s: string) => `Impressum: ${s}`,
  privacy: (s: string) => `Datenschutzerklärung: ${s}`,
  unmentioned: (list: string) => `In der Datenschutzerklärung nicht genannte Dienste: ${list}`,
  docStatus: {
    found: 'gefunden',
    missing: 'nicht auffindbar',
    empty: 'verlinkt, aber ohne Inhalt',
    unreachable: 'nicht erreichbar',
    'not-checked': 'nicht geprüft',
  } as Record<string, string>,
  messenger: (k: string, u: string) => `Kontaktangebot über Messenger (${k}): ${u}`,
  dm: (q: string) => `Einladung zu Direktnachrichten: „${q}“`,
  bioLink: (u: string, lib: boolean) => `Link im Profil: ${u}${lib ? ' (Link-in-Bio-Dienst)' : ''}`,
  thirdPartyFirst: (host: string, owner: string) => `Erste Anfrage an ${host}${owner ? ` (${owner})` : ''}`,
  technical: '5. Technische Beobachtungen',
  technicalIntro: (tool: string, rules: string) =>
    `Automatisch erfasst mit Datenschutz-Ampel ${tool}, Regeln ${rules}. Länder: Sitz des Unternehmens; Serverland = registriertes Land des Netzes (bei CDNs nicht zuverlässig).`,
  thirdParties: (url: string, at: string) => `Drittanbieter beim Aufruf von ${url} (${at})`,
  colHost: 'Host',
  colCompany: 'Unternehmen',
  colCountry: 'Sitzland',
  colServer: 'Serverland',
  colCategory: 'Kategorie',
  colRequests: 'Anfragen',
  colFirstSeen: 'Erste Anfrage',
  companies: 'Unternehmen und Übermittlungsstatus',
  colTransfer: 'Übermittlung',
  transfer: {
    eea: 'EU/EWR',
    adequate: 'Angemessenheitsbeschluss',
    conditional: 'USA: nur mit DPF-Zertifizierung angemessen',
    'third-country': 'Drittland ohne Angemessenheitsbeschluss',
    unknown: 'unbekannt',
  } as Record<string, string>,
  countries: (list: string) => `Beteiligte Länder (Sitz und Server): ${list}`,
  cookiesBefore: (url: string) => `Cookies vor jeder Interaktion auf ${url}`,
  colName: 'Name',
  colDomain: 'Domain',
  colParty: 'Partei',
  colLifetime: 'Laufzeit',
  firstParty: 'eigene',
  thirdParty: 'fremde',
  session: 'Sitzung',
  noThirdParties: 'Keine Anfragen an Drittanbieter beobachtet.',
  noCookies: 'Keine Cookies vor einer Interaktion beobachtet.',
  more: (n: number) => `… und ${n} weitere (vollständig im Beweis-Bundle).`,
  truncated: 'Hinweis: Die Erfassung dieser Seite wurde wegen ihres Umfangs gekürzt.',
  assessment: '6. Vorläufige rechtliche Einordnung',
  assessmentIntro:
    'Vorläufige Einschätzung, ohne Anspruch auf Vollständigkeit: Die folgenden Punkte sind automatisch erzeugte Hinweise und bedürfen der Prüfung durch die Aufsichtsbehörde.',
  noFindings: 'Keine Auffälligkeiten erkannt.',
  severity: { red: 'erheblich', yellow: 'auffällig', info: 'Hinweis' } as Record<string, string>,
  certaintyLabel: {
    observed: 'technisch beobachtet',
    heuristic: 'Texterkennung, Irrtum möglich',
    contested: 'rechtlich umstritten',
    'user-reported': 'eigene Angabe',
  } as Record<string, string>,
  finding: (sev: string, text: string) => `[${sev}] ${text}`,
  evidence: 'Beleg',
  legal: 'Normen',
  onPage: 'Seite',
  userReported: '7. Eigene Angaben (nicht technisch erfasst)',
  userReportedIntro:
    'Die folgenden Angaben stammen von mir selbst; die Erweiterung hat sie nicht erfasst und kann sie nicht überprüfen.',
  noStatement: 'Keine eigenen Angaben.',
  request: '8. Bitte',
  requestText: [
    'Ich bitte Sie, den Sachverhalt zu prüfen und erforderlichenfalls Maßnahmen nach Art. 58 Abs. 2 DSGVO zu ergreifen.',
    'Bitte unterrichten Sie mich gemäß Art. 77 Abs. 2 DSGVO über den Stand und das Ergebnis der Beschwerde.',
    'Die verantwortliche Stelle oder ihre Datenschutzbeauftragte habe ich {bereits am … / noch nicht} kontaktiert.',
  ],
  annexes: '9. Anlagen',
  annexBundle:
    'Beweis-Bundle (JSON): vollständige Berichte, Anfragen- und Cookie-Listen, Textkopien, Werkzeug- und Regelversion und die SHA-256-Prüfsummen aller Dateien dieser Beschwerde, auch dieser Zusammenfassung',
  annexImprint: (n: number, sha: string | null) =>
    `Textkopie des Impressums (${n} Zeichen, im Beweis-Bundle)${sha ? `, SHA-256 ${sha}` : ''}`,
  annexPrivacy: (n: number, sha: string | null) =>
    `Textkopie der Datenschutzerklärung (${n} Zeichen, im Beweis-Bundle)${sha ? `, SHA-256 ${sha}` : ''}`,
  annexScreenshot: (file: string, at: string, size: string, sha: string) =>
    `Bildschirmfoto „${file}“ (JPEG, ${size}), aufgenommen ${at}, SHA-256 ${sha}`,
  annexHar: (file: string, n: number, size: string, sha: string) =>
    `Netzwerkprotokoll „${file}“ (HAR 1.2, ${countOf(n, 'de', 'Anfrage', 'Anfragen')}, ohne Inhalte, Werte von Cookies, Zugangsdaten und Token geschwärzt, ${size}), SHA-256 ${sha}`,
  annexRequestsCsv: (file: string, n: number, size: string, sha: string) =>
    `Tabelle der Drittanbieter „${file}“ (CSV, ${countOf(n, 'de', 'Zeile', 'Zeilen')}, ${size}), SHA-256 ${sha}`,
  annexCookiesCsv: (file: string, n: number, size: string, sha: string) =>
    `Tabelle der Cookies „${file}“ (CSV, ${countOf(n, 'de', 'Zeile', 'Zeilen')}, ${size}), SHA-256 ${sha}`,
  annexSummary: 'Diese Zusammenfassung (Markdown, HTML oder PDF; ihre Prüfsumme steht im Beweis-Bundle)',
  screenshotAlt: 'Bildschirmfoto der Seite',
  screenshotCaption: (file: string, at: string) => `Bildschirmfoto „${file}“, aufgenommen ${at}`,
  disclaimer: 'Hinweis',
  disclaimerText:
    'Automatisch erzeugte Hinweise, keine Rechtsberatung. Die Befunde sind Indizien, die eine menschliche Prüfung erfordern. Bitte prüfen und ergänzen Sie den Text vor dem Absenden; reichen Sie Beschwerden nur zu Seiten ein, die Sie selbst besucht haben, und schwärzen Sie personenbezogene Daten Dritter.',
  yes: 'ja',
  no: 'nein',
  none: '–',
};

export type Texts = typeof DE;

const EN: Texts = {
  title: (c: string) => `Complaint under Art. 77 GDPR – ${c}`,
  subtitle: (site: string, date: string) => `Service concerned: ${site} · created ${date}`,
  unknownController: 'unknown controller',
  complainant: '1. Complainant',
  name: 'Name',
  address: 'Address',
  email: 'Email',
  phName: '{your name}',
  phAddress: '{your address}',
  phEmail: '{your email address}',
  anonymousNote:
    'Anonymous submissions are possible but are usually handled only as a prompt for an inspection, without feedback.',
  confidentiality:
    'Please disclose my identity to the controller only where strictly necessary for handling the complaint.',
  controller: '2. Controller',
  controllerName: 'Name',
  controllerAddress: 'Address (from the imprint)',
  controllerAddressUnknown: '{not found – please add}',
  kind: 'Kind of body (assessment)',
  kinds: {
    jobcenter: 'Jobcenter',
    'federal-body': 'federal public body',
    'state-body': 'public body of a German Land',
    'municipal-body': 'municipal body',
    company: 'company',
    association: 'association',
    person: 'private individual',
    unknown: 'not recognised',
  } as Record<string, string>,
  jobcenterType: 'Organisation',
  jobcenterTypes: {
    'gemeinsame-einrichtung': 'joint institution (§ 44b SGB II)',
    'zugelassener-kommunaler-traeger': 'approved municipal body (§ 6a SGB II)',
  } as Record<string, string>,
  seat: 'Seat (assessment)',
  offers: 'Services concerned',
  handle: 'Profile',
  authority: '3. Competent supervisory authority',
  dpa: 'Authority',
  form: 'Complaint form',
  website: 'Website',
  dpaEmail: 'Email',
  noForm: 'no online form known – submit by email or post',
  reason: 'Reason',
  hook: 'Legal basis',
  certainty: 'Certainty',
  certaintyObserved: 'derived from the data',
  certaintyHeuristic: 'assessment – please check',
  alternatives: 'Also to consider',
  verify:
    'Addresses and form links come from a data set (datenanfragen.de, CC0); please check them on the authority’s website before sending.',
  facts: '4. Facts',
  factsIntro:
    'I personally visited the following pages. The details were recorded automatically during the visit (times in UTC, ISO 8601).',
  visit: (url: string, title: string, loads = 1) =>
    `Visit to ${url}${title ? ` ("${title}")` : ''}${loads > 1 ? `, loaded ${loads} times` : ''}`,
  reachedInApp:
    "The page was opened inside the platform's app (without a new page load, through the browser's History API); the requests counted are those from that moment on",
  firstInteraction: 'My first interaction (click or key press) on the page',
  noInteraction: 'no interaction with the page before the analysis',
  consentShown: (cmp: string) => `Consent banner (${cmp}) is showing and waiting for a choice`,
  reconciled: (req: number, ck: number) =>
    `Of these, ${countOf(req, 'en', 'request', 'requests')} and ${countOf(ck, 'en', 'cookie', 'cookies')} were completed from the page's own records (Resource Timing) and the cookie jar, because the browser had stopped the extension while the page loaded`,
  consentNone:
    'No consent banner of a known consent-management platform detected (detection rules of @duckduckgo/autoconsent)',
  requests: (total: number, third: number, hosts: number) =>
    `${countOf(total, 'en', 'request', 'requests')} in total, ${third} of them to ${countOf(hosts, 'en', 'foreign host', 'foreign hosts')} (third parties)`,
  cookies: (n: number, before: number) =>
    `${countOf(n, 'en', 'cookie', 'cookies')}, ${before} of them set before any interaction – i.e. before any consent could be given`,
  imprint: (s: string) => `Imprint: ${s}`,
  privacy: (s: string) => `Privacy notice: ${s}`,
  unmentioned: (list: string) => `Services not named in the privacy notice: ${list}`,
  docStatus: {
    found: 'found',
    missing: 'not found',
    empty: 'linked but empty',
    unreachable: 'unreachable',
    'not-checked': 'not checked',
  } as Record<string, string>,
  messenger: (k: string, u: string) => `Contact offered via messenger (${k}): ${u}`,
  dm: (q: string) => `Invitation to direct messages: "${q}"`,
  bioLink: (u: string, lib: boolean) => `Profile link: ${u}${lib ? ' (link-in-bio service)' : ''}`,
  thirdPartyFirst: (host: string, owner: string) => `First request to ${host}${owner ? ` (${owner})` : ''}`,
  technical: '5. Technical observations',
  technicalIntro: (tool: string, rules: string) =>
    `Recorded automatically with Datenschutz-Ampel ${tool}, rules ${rules}. Countries: the company's seat; server country = registered country of the network (unreliable for CDNs).`,
  thirdParties: (url: string, at: string) => `Third parties on ${url} (${at})`,
  colHost: 'Host',
  colCompany: 'Company',
  colCountry: 'Country',
  colServer: 'Server country',
  colCategory: 'Category',
  colRequests: 'Requests',
  colFirstSeen: 'First request',
  companies: 'Companies and transfer status',
  colTransfer: 'Transfer',
  transfer: {
    eea: 'EU/EEA',
    adequate: 'adequacy decision',
    conditional: 'USA: adequate only if DPF-certified',
    'third-country': 'third country without adequacy decision',
    unknown: 'unknown',
  } as Record<string, string>,
  countries: (list: string) => `Countries involved (seat and servers): ${list}`,
  cookiesBefore: (url: string) => `Cookies before any interaction on ${url}`,
  colName: 'Name',
  colDomain: 'Domain',
  colParty: 'Party',
  colLifetime: 'Lifetime',
  firstParty: 'first',
  thirdParty: 'third',
  session: 'session',
  noThirdParties: 'No third-party requests observed.',
  noCookies: 'No cookies observed before an interaction.',
  more: (n: number) => `… and ${n} more (complete in the evidence bundle).`,
  truncated: 'Note: recording of this page was truncated because of its size.',
  assessment: '6. Preliminary legal assessment',
  assessmentIntro:
    'Preliminary assessment, non-exhaustive: the following points are automatically generated indicators that require review by the supervisory authority.',
  noFindings: 'No issues recognised.',
  severity: { red: 'serious', yellow: 'notable', info: 'note' } as Record<string, string>,
  certaintyLabel: {
    observed: 'technically observed',
    heuristic: 'text recognition, may err',
    contested: 'legally contested',
    'user-reported': 'own statement',
  } as Record<string, string>,
  finding: (sev: string, text: string) => `[${sev}] ${text}`,
  evidence: 'Evidence',
  legal: 'Provisions',
  onPage: 'Page',
  userReported: '7. My own statements (not technically recorded)',
  userReportedIntro: 'The following statements are my own; the extension did not record them and cannot verify them.',
  noStatement: 'No statements of my own.',
  request: '8. Request',
  requestText: [
    'Please examine this matter and take measures under Article 58(2) GDPR where appropriate.',
    'Please inform me of the progress and outcome of the complaint pursuant to Article 77(2) GDPR.',
    'I have {already contacted the controller or its data protection officer on … / not contacted the controller}.',
  ],
  annexes: '9. Attachments',
  annexBundle:
    'Evidence bundle (JSON): complete reports, request and cookie lists, text snapshots, tool and rules version, and the SHA-256 checksums of every file of this complaint, this summary included',
  annexImprint: (n: number, sha: string | null) =>
    `Text snapshot of the imprint (${countOf(n, 'en', 'character', 'characters')}, in the evidence bundle)${sha ? `, SHA-256 ${sha}` : ''}`,
  annexPrivacy: (n: number, sha: string | null) =>
    `Text snapshot of the privacy notice (${countOf(n, 'en', 'character', 'characters')}, in the evidence bundle)${sha ? `, SHA-256 ${sha}` : ''}`,
  annexScreenshot: (file: string, at: string, size: string, sha: string) =>
    `Screenshot "${file}" (JPEG, ${size}), taken ${at}, SHA-256 ${sha}`,
  annexHar: (file: string, n: number, size: string, sha: string) =>
    `Network log "${file}" (HAR 1.2, ${countOf(n, 'en', 'request', 'requests')}, no contents, values of cookies, credentials and tokens redacted, ${size}), SHA-256 ${sha}`,
  annexRequestsCsv: (file: string, n: number, size: string, sha: string) =>
    `Table of third parties "${file}" (CSV, ${countOf(n, 'en', 'row', 'rows')}, ${size}), SHA-256 ${sha}`,
  annexCookiesCsv: (file: string, n: number, size: string, sha: string) =>
    `Table of cookies "${file}" (CSV, ${countOf(n, 'en', 'row', 'rows')}, ${size}), SHA-256 ${sha}`,
  annexSummary: 'This summary (Markdown, HTML or PDF; its checksum is in the evidence bundle)',
  screenshotAlt: 'Screenshot of the page',
  screenshotCaption: (file: string, at: string) => `Screenshot "${file}", taken ${at}`,
  disclaimer: 'Note',
  disclaimerText:
    'Automatically generated indicators, not legal advice. Findings are hints that require human review. Please check and complete the text before sending; complain only about pages you visited yourself, and redact other people’s personal data.',
  yes: 'yes',
  no: 'no',
  none: '–',
};

export const T: Record<Lang, Texts> = { de: DE, en: EN };
