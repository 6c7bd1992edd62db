/**
 * The complaint-ready summary as one neutral document model (SPEC § 7.3, § 7.4; rules.json
 * `complaint.minimum_content`, `complaint.templates`). Markdown (lib/export/markdown.ts) and the
 * printable HTML page (lib/export/html.ts) both render this model, so they cannot disagree.
 *
 * The model holds plain text only. Everything in it that comes from a page (titles, handles,
 * URLs, cookie names, imprint snippets) is untrusted: renderers escape every string, and only
 * `href`s that pass `safeHref` become links.
 *
 * Sections (rules.json `complaint.minimum_content`): complainant (placeholders), controller,
 * competent authority (lib/export/dpa/competence.ts), facts in time order with ISO 8601 timestamps, technical
 * observations (third parties, companies, countries, cookies before any interaction), findings
 * with their legal hooks marked as a preliminary assessment, the user's own statements in a
 * separate labelled block (certainty 'user-reported'), the request (Art. 58(2), 77(2) GDPR),
 * annexes, and the disclaimer (rules.json `meta.disclaimer_*`: no legal advice).
 *
 * Pure, typed, never throws on odd input; German texts use proper umlauts.
 */
import { type CompetentAuthority, type JobcenterType, competentAuthority } from './dpa/competence';
import { type ControllerGuess, controllerFromReport } from './dpa/controller';
import type { Dpa } from './dpa/directory';
import { categoryLabel } from '../i18n/ui';
import { RULES_VERSION, type Report } from '../verdict/report';

export type Lang = 'de' | 'en';

export interface ComplaintInput {
  /** The site or presence complained about ("instagram.com/jobcenter_musterstadt"); a label. */
  site: string;
  /** The user's visits belonging to this complaint, any order. */
  reports: Report[];
  lang: Lang;
  /** The user's own account (user-reported, printed in a separate block). */
  userStatement?: string;
  complainant?: { name?: string; address?: string; email?: string };
  /** Readable text of the controller's imprint / privacy notice (for the seat and the annexes). */
  imprintText?: string | null;
  privacyText?: string | null;
  /** From lib/verdict/authority.ts detectAuthority; wins over the guess from the imprint text. */
  jobcenterType?: JobcenterType | null;
  screenshot?: { dataUrl: string; takenAt: string } | null;
  toolVersion: string;
  /** Creation time, ISO 8601 (or epoch ms), passed in: the model is pure. */
  now: string | number;
}

export interface TextItem {
  text: string;
  /** A link target; renderers only link it when `safeHref` accepts it. */
  href?: string;
  /** ISO 8601 timestamp the item is about. */
  at?: string;
}

export type Block =
  | { kind: 'paragraph'; text: string; tone?: 'note' | 'warning' }
  | { kind: 'fields'; rows: { label: string; value: string; href?: string; placeholder?: boolean }[] }
  | { kind: 'list'; items: TextItem[]; ordered?: boolean }
  | { kind: 'table'; caption?: string; columns: string[]; rows: string[][]; note?: string }
  | { kind: 'image'; alt: string; dataUrl: string; caption: string };

export type SectionId = 'complainant' | 'controller' | 'authority' | 'facts' | 'technical' | 'assessment' | 'user-reported' | 'request' | 'annexes' | 'disclaimer';

export interface Section {
  id: SectionId;
  heading: string;
  blocks: Block[];
}

export interface ComplaintFinding {
  id: string;
  severity: string;
  certainty: string;
  text: string;
  evidence: string;
  legal: string[];
  url: string;
  at: string;
}

export interface Complaint {
  format: 'datenschutz-ampel/complaint';
  version: 1;
  lang: Lang;
  createdAt: string;
  tool: { name: 'Datenschutz-Ampel'; version: string; rulesVersion: string };
  /** "Beschwerde nach Art. 77 DSGVO – …" */
  title: string;
  subtitle: string;
  site: string;
  controller: ControllerGuess;
  authority: CompetentAuthority;
  findings: ComplaintFinding[];
  /** Page visits in time order (url, visitedAt). */
  visits: { url: string; visitedAt: string; title: string }[];
  sections: Section[];
}

// ---------------------------------------------------------------------------------------------
// Plain-text hygiene shared by the renderers

/** C0/C1 controls (except none: newlines are handled by the caller), bidi overrides, zero-width. */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\u061C\uFEFF]/g;

/**
 * Untrusted text as one clean line: invisible and control characters removed (bidi overrides can
 * reorder what a reader sees), all line breaks and runs of white space collapsed to one space,
 * capped at `max` code points with an ellipsis. Renderers escape the result for their syntax.
 */
export function cleanLine(x: unknown, max = 500): string {
  const s = typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : '';
  const flat = s.slice(0, max * 4 + 16).replace(INVISIBLE, '').replace(/[\s\u2028\u2029\u0085]+/g, ' ').trim();
  const cps = Array.from(flat);
  return cps.length > max ? `${cps.slice(0, Math.max(1, max - 1)).join('').trimEnd()}…` : flat;
}

// ---------------------------------------------------------------------------------------------
// Safe accessors: reports come from storage and imports and may be partial or hostile.

const MAX_REPORTS = 50;
const MAX_ROWS = 150;
const MAX_TEXT = 2_000;
const MAX_STATEMENT = 10_000;

const obj = (x: unknown): Record<string, unknown> => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {});
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const str = (x: unknown, max = MAX_TEXT): string => (typeof x === 'string' ? x.slice(0, max) : typeof x === 'number' && Number.isFinite(x) ? String(x) : '');
const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
const bool = (x: unknown): boolean => x === true;

/** A valid ISO timestamp, normalised to UTC "…Z"; '' when unparsable. */
export function isoOrEmpty(x: unknown): string {
  if (typeof x === 'number') return Number.isFinite(x) && Math.abs(x) < 8.64e15 ? new Date(x).toISOString() : '';
  if (typeof x !== 'string' || x.length > 40) return '';
  const t = Date.parse(x);
  return Number.isFinite(t) ? new Date(t).toISOString() : '';
}

/** http(s) and mailto links only; everything else (javascript:, data:, …) is rendered as text. */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string' || href.length > 2_048) return null;
  if (/^mailto:[^\s<>"'`]+@[^\s<>"'`]+$/i.test(href)) return href;
  if (!/^https?:\/\//i.test(href)) return null;
  try {
    const u = new URL(href);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (u.username || u.password) return null;
    return u.href;
  } catch {
    return null;
  }
}

interface Visit {
  url: string;
  visitedAt: string;
  title: string;
  report: Report;
}

function visitsOf(reports: unknown): Visit[] {
  const out: Visit[] = [];
  for (const raw of arr(reports).slice(0, MAX_REPORTS)) {
    const r = obj(raw);
    if (!Object.keys(r).length) continue;
    const page = obj(r.page);
    out.push({
      url: str(r.url),
      visitedAt: isoOrEmpty(r.visitedAt),
      title: str(page.profileName) || str(page.title),
      report: r as unknown as Report,
    });
  }
  // Time order; unparsable timestamps last, then by URL for a stable result.
  return out.sort((a, b) => cmp(a.visitedAt || '~', b.visitedAt || '~') || cmp(a.url, b.url));
}

// ---------------------------------------------------------------------------------------------
// Texts

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
    anonymousNote: 'Eine anonyme Eingabe ist möglich, wird aber meist nur als Kontrollanregung ohne Rückmeldung behandelt.',
    confidentiality: 'Ich bitte darum, meine Identität gegenüber der verantwortlichen Stelle nur offenzulegen, soweit dies für die Bearbeitung unerlässlich ist.',
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
    jobcenterTypes: { 'gemeinsame-einrichtung': 'gemeinsame Einrichtung (§ 44b SGB II)', 'zugelassener-kommunaler-traeger': 'zugelassener kommunaler Träger (§ 6a SGB II)' } as Record<string, string>,
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
    verify: 'Anschriften und Formular-Links stammen aus einem Datenbestand (datenanfragen.de, CC0); bitte vor dem Absenden auf der Website der Behörde prüfen.',
    facts: '4. Sachverhalt',
    factsIntro: 'Ich habe die folgenden Seiten selbst aufgerufen. Die Angaben wurden beim Aufruf automatisch erfasst (Zeitangaben in UTC, ISO 8601).',
    visit: (url: string, title: string) => `Aufruf von ${url}${title ? ` („${title}“)` : ''}`,
    firstInteraction: 'Erste eigene Interaktion (Klick oder Tastendruck) auf der Seite',
    noInteraction: 'keine Interaktion mit der Seite bis zur Auswertung',
    consentShown: (cmp: string) => `Einwilligungsbanner (${cmp}) wird angezeigt und wartet auf eine Entscheidung`,
    reconciled: (req: number, ck: number) => `Davon ${req} Anfragen und ${ck} Cookies aus den Aufzeichnungen der Seite (Resource Timing) und dem Cookie-Speicher ergänzt, weil der Browser die Erweiterung während des Ladens angehalten hatte`,
    consentNone: 'Kein Einwilligungsbanner einer bekannten Einwilligungsplattform erkannt (Erkennungsregeln von @duckduckgo/autoconsent)',
    requests: (total: number, third: number, hosts: number) => `${total} Anfragen insgesamt, davon ${third} an ${hosts} fremde Hosts (Drittanbieter)`,
    cookies: (n: number, before: number) => `${n} Cookies, davon ${before} vor jeder Interaktion – also vor einer möglichen Einwilligung – gesetzt`,
    imprint: (s: string) => `Impressum: ${s}`,
    privacy: (s: string) => `Datenschutzerklärung: ${s}`,
    unmentioned: (list: string) => `In der Datenschutzerklärung nicht genannte Dienste: ${list}`,
    docStatus: { found: 'gefunden', missing: 'nicht auffindbar', empty: 'verlinkt, aber ohne Inhalt', unreachable: 'nicht erreichbar', 'not-checked': 'nicht geprüft' } as Record<string, string>,
    messenger: (k: string, u: string) => `Kontaktangebot über Messenger (${k}): ${u}`,
    dm: (q: string) => `Einladung zu Direktnachrichten: „${q}“`,
    bioLink: (u: string, lib: boolean) => `Link im Profil: ${u}${lib ? ' (Link-in-Bio-Dienst)' : ''}`,
    thirdPartyFirst: (host: string, owner: string) => `Erste Anfrage an ${host}${owner ? ` (${owner})` : ''}`,
    technical: '5. Technische Beobachtungen',
    technicalIntro: (tool: string, rules: string) => `Automatisch erfasst mit Datenschutz-Ampel ${tool}, Regeln ${rules}. Länder: Sitz des Unternehmens; Serverland = registriertes Land des Netzes (bei CDNs nicht zuverlässig).`,
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
    transfer: { eea: 'EU/EWR', adequate: 'Angemessenheitsbeschluss', conditional: 'USA: nur mit DPF-Zertifizierung angemessen', 'third-country': 'Drittland ohne Angemessenheitsbeschluss', unknown: 'unbekannt' } as Record<string, string>,
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
    assessmentIntro: 'Vorläufige Einschätzung, ohne Anspruch auf Vollständigkeit: Die folgenden Punkte sind automatisch erzeugte Hinweise und bedürfen der Prüfung durch die Aufsichtsbehörde.',
    noFindings: 'Keine Auffälligkeiten erkannt.',
    severity: { red: 'erheblich', yellow: 'auffällig', info: 'Hinweis' } as Record<string, string>,
    certaintyLabel: { observed: 'technisch beobachtet', heuristic: 'Texterkennung, Irrtum möglich', contested: 'rechtlich umstritten', 'user-reported': 'eigene Angabe' } as Record<string, string>,
    finding: (sev: string, text: string) => `[${sev}] ${text}`,
    evidence: 'Beleg',
    legal: 'Normen',
    onPage: 'Seite',
    userReported: '7. Eigene Angaben (nicht technisch erfasst)',
    userReportedIntro: 'Die folgenden Angaben stammen von mir selbst; die Erweiterung hat sie nicht erfasst und kann sie nicht überprüfen.',
    noStatement: 'Keine eigenen Angaben.',
    request: '8. Bitte',
    requestText: [
      'Ich bitte Sie, den Sachverhalt zu prüfen und erforderlichenfalls Maßnahmen nach Art. 58 Abs. 2 DSGVO zu ergreifen.',
      'Bitte unterrichten Sie mich gemäß Art. 77 Abs. 2 DSGVO über den Stand und das Ergebnis der Beschwerde.',
      'Die verantwortliche Stelle oder ihre Datenschutzbeauftragte habe ich {bereits am … / noch nicht} kontaktiert.',
    ],
    annexes: '9. Anlagen',
    annexBundle: 'Beweis-Bundle (JSON): vollständige Berichte, Anfragen- und Cookie-Listen, Textkopien mit SHA-256-Prüfsummen, Werkzeug- und Regelversion',
    annexImprint: (n: number) => `Textkopie des Impressums (${n} Zeichen, SHA-256 im Beweis-Bundle)`,
    annexPrivacy: (n: number) => `Textkopie der Datenschutzerklärung (${n} Zeichen, SHA-256 im Beweis-Bundle)`,
    annexScreenshot: (at: string) => `Bildschirmfoto, aufgenommen ${at} (SHA-256 im Beweis-Bundle)`,
    annexSummary: 'Diese Zusammenfassung (Markdown bzw. druckbare HTML-Fassung)',
    screenshotAlt: 'Bildschirmfoto der Seite',
    disclaimer: 'Hinweis',
    disclaimerText:
      'Automatisch erzeugte Hinweise, keine Rechtsberatung. Die Befunde sind Indizien, die eine menschliche Prüfung erfordern. Bitte prüfen und ergänzen Sie den Text vor dem Absenden; reichen Sie Beschwerden nur zu Seiten ein, die Sie selbst besucht haben, und schwärzen Sie personenbezogene Daten Dritter.',
    yes: 'ja',
    no: 'nein',
    none: '–',
};

type Texts = typeof DE;

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
    anonymousNote: 'Anonymous submissions are possible but are usually handled only as a prompt for an inspection, without feedback.',
    confidentiality: 'Please disclose my identity to the controller only where strictly necessary for handling the complaint.',
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
    jobcenterTypes: { 'gemeinsame-einrichtung': 'joint institution (§ 44b SGB II)', 'zugelassener-kommunaler-traeger': 'approved municipal body (§ 6a SGB II)' } as Record<string, string>,
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
    verify: 'Addresses and form links come from a data set (datenanfragen.de, CC0); please check them on the authority’s website before sending.',
    facts: '4. Facts',
    factsIntro: 'I personally visited the following pages. The details were recorded automatically during the visit (times in UTC, ISO 8601).',
    visit: (url: string, title: string) => `Visit to ${url}${title ? ` ("${title}")` : ''}`,
    firstInteraction: 'My first interaction (click or key press) on the page',
    noInteraction: 'no interaction with the page before the analysis',
    consentShown: (cmp: string) => `Consent banner (${cmp}) is showing and waiting for a choice`,
    reconciled: (req: number, ck: number) => `Of these, ${req} requests and ${ck} cookies were completed from the page's own records (Resource Timing) and the cookie jar, because the browser had stopped the extension while the page loaded`,
    consentNone: 'No consent banner of a known consent-management platform detected (detection rules of @duckduckgo/autoconsent)',
    requests: (total: number, third: number, hosts: number) => `${total} requests in total, ${third} of them to ${hosts} foreign hosts (third parties)`,
    cookies: (n: number, before: number) => `${n} cookies, ${before} of them set before any interaction – i.e. before any consent could be given`,
    imprint: (s: string) => `Imprint: ${s}`,
    privacy: (s: string) => `Privacy notice: ${s}`,
    unmentioned: (list: string) => `Services not named in the privacy notice: ${list}`,
    docStatus: { found: 'found', missing: 'not found', empty: 'linked but empty', unreachable: 'unreachable', 'not-checked': 'not checked' } as Record<string, string>,
    messenger: (k: string, u: string) => `Contact offered via messenger (${k}): ${u}`,
    dm: (q: string) => `Invitation to direct messages: "${q}"`,
    bioLink: (u: string, lib: boolean) => `Profile link: ${u}${lib ? ' (link-in-bio service)' : ''}`,
    thirdPartyFirst: (host: string, owner: string) => `First request to ${host}${owner ? ` (${owner})` : ''}`,
    technical: '5. Technical observations',
    technicalIntro: (tool: string, rules: string) => `Recorded automatically with Datenschutz-Ampel ${tool}, rules ${rules}. Countries: the company's seat; server country = registered country of the network (unreliable for CDNs).`,
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
    transfer: { eea: 'EU/EEA', adequate: 'adequacy decision', conditional: 'USA: adequate only if DPF-certified', 'third-country': 'third country without adequacy decision', unknown: 'unknown' } as Record<string, string>,
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
    assessmentIntro: 'Preliminary assessment, non-exhaustive: the following points are automatically generated indicators that require review by the supervisory authority.',
    noFindings: 'No issues recognised.',
    severity: { red: 'serious', yellow: 'notable', info: 'note' } as Record<string, string>,
    certaintyLabel: { observed: 'technically observed', heuristic: 'text recognition, may err', contested: 'legally contested', 'user-reported': 'own statement' } as Record<string, string>,
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
    annexBundle: 'Evidence bundle (JSON): complete reports, request and cookie lists, text snapshots with SHA-256 checksums, tool and rules version',
    annexImprint: (n: number) => `Text snapshot of the imprint (${n} characters, SHA-256 in the evidence bundle)`,
    annexPrivacy: (n: number) => `Text snapshot of the privacy notice (${n} characters, SHA-256 in the evidence bundle)`,
    annexScreenshot: (at: string) => `Screenshot taken ${at} (SHA-256 in the evidence bundle)`,
    annexSummary: 'This summary (Markdown or printable HTML version)',
    screenshotAlt: 'Screenshot of the page',
    disclaimer: 'Note',
    disclaimerText:
      'Automatically generated indicators, not legal advice. Findings are hints that require human review. Please check and complete the text before sending; complain only about pages you visited yourself, and redact other people’s personal data.',
    yes: 'yes',
    no: 'no',
    none: '–',
};

const T: Record<Lang, Texts> = { de: DE, en: EN };

// ---------------------------------------------------------------------------------------------

/** Code-point order: locale-independent, so the output is byte-stable everywhere. */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function lifetime(seconds: unknown, session: boolean, t: Texts, lang: Lang): string {
  if (session) return t.session;
  const s = num(seconds);
  if (s <= 0) return t.none;
  const days = s / 86_400;
  const unit = (n: string, one: boolean, de: [string, string], en: [string, string]) => `${n} ${lang === 'de' ? de[one ? 0 : 1] : en[one ? 0 : 1]}`;
  if (days >= 365) {
    const y = (days / 365).toFixed(1);
    const shown = y.endsWith('.0') ? y.slice(0, -2) : lang === 'de' ? y.replace('.', ',') : y;
    return unit(shown, shown === '1', ['Jahr', 'Jahre'], ['year', 'years']);
  }
  if (days >= 1) {
    const d = Math.round(days);
    return unit(String(d), d === 1, ['Tag', 'Tage'], ['day', 'days']);
  }
  const h = Math.max(1, Math.round(s / 3600));
  return unit(String(h), h === 1, ['Stunde', 'Stunden'], ['hour', 'hours']);
}

function dpaName(d: Dpa, lang: Lang): string {
  return d.label ? d.label[lang] : d.short && d.short !== d.name ? `${d.name} (${d.short})` : d.name;
}

function controllerOf(visits: Visit[], imprintText: string | null): ControllerGuess {
  // The visit that looks most like the controller's own presence: an authority's page first,
  // then the first visit.
  const pick = visits.find((v) => bool(obj(v.report.authority).isAuthority)) ?? visits[0];
  return controllerFromReport(pick?.report ?? null, imprintText);
}

/**
 * Builds the complaint model. Never throws: whatever the input, a document with placeholders
 * comes out.
 */
export function buildComplaint(input: ComplaintInput): Complaint {
  const inp = obj(input) as Partial<ComplaintInput>;
  const lang: Lang = inp.lang === 'en' ? 'en' : 'de';
  const t: Texts = T[lang];
  const createdAt = isoOrEmpty(inp.now) || '1970-01-01T00:00:00.000Z';
  const toolVersion = str(inp.toolVersion, 40) || '0.0.0';
  const site = str(inp.site, 300);
  const imprintText = typeof inp.imprintText === 'string' ? inp.imprintText : null;
  const privacyText = typeof inp.privacyText === 'string' ? inp.privacyText : null;
  const visits = visitsOf(inp.reports);

  const guess = controllerOf(visits, imprintText);
  const jobcenterType =
    inp.jobcenterType === 'gemeinsame-einrichtung' || inp.jobcenterType === 'zugelassener-kommunaler-traeger' ? inp.jobcenterType : guess.jobcenterType;
  const controller: ControllerGuess = { ...guess, jobcenterType: guess.controllerKind === 'jobcenter' ? jobcenterType : null };
  const authority = competentAuthority(controller);
  const controllerName = controller.name || site || t.unknownController;

  const sections: Section[] = [];

  // 1. Complainant -------------------------------------------------------------------------
  const cp = obj(inp.complainant);
  const field = (label: string, value: unknown, ph: string) => {
    const v = str(value, 300).trim();
    return v ? { label, value: v } : { label, value: ph, placeholder: true };
  };
  sections.push({
    id: 'complainant',
    heading: t.complainant,
    blocks: [
      { kind: 'fields', rows: [field(t.name, cp.name, t.phName), field(t.address, cp.address, t.phAddress), field(t.email, cp.email, t.phEmail)] },
      { kind: 'paragraph', text: t.confidentiality },
      { kind: 'paragraph', text: t.anonymousNote, tone: 'note' },
    ],
  });

  // 2. Controller --------------------------------------------------------------------------
  const offers: TextItem[] = [];
  const seenUrls = new Set<string>();
  for (const v of visits) {
    if (!v.url || seenUrls.has(v.url)) continue;
    seenUrls.add(v.url);
    const handle = str(obj(v.report.page).handle, 100);
    offers.push({ text: handle ? `${v.url} (@${handle})` : v.url, href: v.url });
  }
  const seat = controller.state ? `${controller.country ?? 'DE'}-${controller.state}` : (controller.country ?? t.none);
  const controllerRows: { label: string; value: string; placeholder?: boolean }[] = [
    { label: t.controllerName, value: controllerName },
    controller.address ? { label: t.controllerAddress, value: controller.address } : { label: t.controllerAddress, value: t.controllerAddressUnknown, placeholder: true },
    { label: t.kind, value: t.kinds[controller.controllerKind] ?? controller.controllerKind },
  ];
  if (controller.controllerKind === 'jobcenter')
    controllerRows.push({ label: t.jobcenterType, value: controller.jobcenterType ? (t.jobcenterTypes[controller.jobcenterType] ?? t.none) : t.kinds.unknown! });
  controllerRows.push({ label: t.seat, value: seat });
  sections.push({
    id: 'controller',
    heading: t.controller,
    blocks: [{ kind: 'fields', rows: controllerRows }, ...(offers.length ? [{ kind: 'paragraph' as const, text: `${t.offers}:` }, { kind: 'list' as const, items: offers }] : [])],
  });

  // 3. Authority ---------------------------------------------------------------------------
  const p = authority.primary;
  const dpaRows: { label: string; value: string; href?: string; placeholder?: boolean }[] = [{ label: t.dpa, value: dpaName(p, lang), placeholder: p.id === 'ask-user' }];
  if (p.complaintUrl) dpaRows.push({ label: t.form, value: p.complaintUrl, href: p.complaintUrl });
  else if (p.id !== 'ask-user') dpaRows.push({ label: t.form, value: t.noForm });
  if (p.website) dpaRows.push({ label: t.website, value: p.website, href: p.website });
  if (p.email) dpaRows.push({ label: t.dpaEmail, value: p.email, href: `mailto:${p.email}` });
  dpaRows.push({ label: t.hook, value: authority.hook });
  dpaRows.push({ label: t.certainty, value: authority.certainty === 'observed' ? t.certaintyObserved : t.certaintyHeuristic });
  const authorityBlocks: Block[] = [{ kind: 'fields', rows: dpaRows }, { kind: 'paragraph', text: `${t.reason}: ${authority.reason[lang]}` }];
  if (authority.alternatives.length) {
    authorityBlocks.push({ kind: 'paragraph', text: `${t.alternatives}:` });
    authorityBlocks.push({
      kind: 'list',
      items: authority.alternatives.map((a) => ({ text: `${dpaName(a, lang)}${a.complaintUrl ? ` – ${a.complaintUrl}` : ''}`, ...(a.complaintUrl || a.website ? { href: (a.complaintUrl ?? a.website)! } : {}) })),
    });
  }
  authorityBlocks.push({ kind: 'paragraph', text: t.verify, tone: 'note' });
  sections.push({ id: 'authority', heading: t.authority, blocks: authorityBlocks });

  // 4. Facts in time order ----------------------------------------------------------------
  const facts: (TextItem & { order: number })[] = [];
  let order = 0;
  const fact = (at: string, text: string, href?: string) => facts.push({ at, text, ...(href ? { href } : {}), order: order++ });
  const allFindings: ComplaintFinding[] = [];
  for (const v of visits) {
    const r = obj(v.report);
    const at = v.visitedAt;
    fact(at, t.visit(v.url, v.title), v.url);
    const imp = obj(r.imprint);
    const prv = obj(r.privacyNotice);
    const impUrl = str(imp.url);
    const prvUrl = str(prv.url);
    fact(at, t.imprint(`${t.docStatus[str(imp.status)] ?? t.none}${impUrl ? ` (${impUrl})` : ''}`), impUrl || undefined);
    fact(at, t.privacy(`${t.docStatus[str(prv.status)] ?? t.none}${prvUrl ? ` (${prvUrl})` : ''}`), prvUrl || undefined);
    const unmentioned = arr(prv.unmentionedServices).map((s) => str(s, 60)).filter(Boolean);
    if (unmentioned.length) fact(at, t.unmentioned(unmentioned.join(', ')));
    for (const b of arr(r.bioLinks).slice(0, 10)) fact(at, t.bioLink(str(obj(b).url), bool(obj(b).linkInBio)), str(obj(b).url) || undefined);
    for (const m of arr(r.messengers).slice(0, 10)) fact(at, t.messenger(str(obj(m).kind, 40), str(obj(m).url)), str(obj(m).url) || undefined);
    for (const d of arr(r.dmInvitations).slice(0, 5)) fact(at, t.dm(str(d, 300)));
    const req = obj(r.requests);
    const hosts = arr(req.thirdPartyHosts).map(obj);
    fact(isoOrEmpty(r.analysedAt) || at, t.requests(num(req.total), num(req.thirdParty), hosts.length));
    const firstHost = hosts.filter((h) => isoOrEmpty(h.firstSeenAt)).sort((a, b) => cmp(isoOrEmpty(a.firstSeenAt), isoOrEmpty(b.firstSeenAt)))[0];
    if (firstHost) fact(isoOrEmpty(firstHost.firstSeenAt), t.thirdPartyFirst(str(firstHost.host, 200), str(firstHost.owner, 100)));
    const ck = obj(r.cookies);
    const items = arr(ck.items).map(obj);
    if (items.length) fact(isoOrEmpty(r.analysedAt) || at, t.cookies(items.length, items.filter((c) => bool(c.beforeInteraction)).length));
    const rec = obj(r.reconciled);
    if (num(rec.requests) || num(rec.cookies)) fact(isoOrEmpty(r.analysedAt) || at, t.reconciled(num(rec.requests), num(rec.cookies)));
    const consent = obj(r.consent);
    if (str(consent.status) === 'banner-shown') fact(isoOrEmpty(consent.shownAt) || at, t.consentShown(str(consent.cmp, 100) || '?'));
    else if (str(consent.status) === 'none-found') fact(isoOrEmpty(r.analysedAt) || at, t.consentNone);
    const fi = isoOrEmpty(r.firstInteractionAt);
    fact(fi || isoOrEmpty(r.analysedAt) || at, fi ? t.firstInteraction : t.noInteraction);
    for (const f of arr(r.findings).slice(0, 40).map(obj)) {
      const text = obj(f.text);
      allFindings.push({
        id: str(f.id, 60),
        severity: str(f.severity, 10),
        certainty: str(f.certainty, 20),
        text: str(text[lang], 500) || str(text.en, 500),
        evidence: str(f.evidence, 300),
        legal: arr(f.legal).map((l) => str(l, 200)).filter(Boolean).slice(0, 10),
        url: v.url,
        at,
      });
    }
  }
  // Stable time order (ties keep insertion order); undated facts last.
  facts.sort((a, b) => cmp(a.at || '~', b.at || '~') || a.order - b.order);
  sections.push({
    id: 'facts',
    heading: t.facts,
    blocks: [
      { kind: 'paragraph', text: t.factsIntro },
      { kind: 'list', ordered: true, items: facts.map(({ order: _o, ...item }) => item) },
    ],
  });

  // 5. Technical observations -------------------------------------------------------------
  const tech: Block[] = [{ kind: 'paragraph', text: t.technicalIntro(toolVersion, RULES_VERSION) }];
  const countries = new Set<string>();
  const companies = new Map<string, string[]>();
  for (const v of visits) {
    const r = obj(v.report);
    const hosts = arr(obj(r.requests).thirdPartyHosts).map(obj);
    const rows = hosts
      .sort((a, b) => num(b.requests) - num(a.requests) || cmp(str(a.host), str(b.host)))
      .map((h) => {
        const server = arr(h.serverCountries).map((c) => str(c, 2)).filter(Boolean);
        if (str(h.country, 2)) countries.add(str(h.country, 2));
        server.forEach((c) => countries.add(c));
        return [str(h.host, 200), str(h.owner, 100) || t.none, str(h.country, 2) || t.none, server.join(', ') || t.none, (str(h.category, 40) ? categoryLabel(str(h.category, 40), lang) : t.none), String(num(h.requests)), isoOrEmpty(h.firstSeenAt) || t.none];
      });
    if (rows.length)
      tech.push({
        kind: 'table',
        caption: t.thirdParties(v.url, v.visitedAt || t.none),
        columns: [t.colHost, t.colCompany, t.colCountry, t.colServer, t.colCategory, t.colRequests, t.colFirstSeen],
        rows: rows.slice(0, MAX_ROWS),
        ...(rows.length > MAX_ROWS ? { note: t.more(rows.length - MAX_ROWS) } : {}),
      });
    else tech.push({ kind: 'paragraph', text: `${t.thirdParties(v.url, v.visitedAt || t.none)}: ${t.noThirdParties}` });
    for (const c of arr(r.companies).map(obj)) {
      const name = str(c.name, 100) || str(c.site, 100);
      if (!name || companies.has(name)) continue;
      if (str(c.country, 2)) countries.add(str(c.country, 2));
      companies.set(name, [name, str(c.country, 2) || t.none, t.transfer[str(c.transferStatus)] ?? t.none, arr(c.categories).map((x) => categoryLabel(str(x, 40), lang)).join(', ') || t.none, String(num(c.requests))]);
    }
    const cookies = arr(obj(r.cookies).items).map(obj).filter((c) => bool(c.beforeInteraction));
    if (cookies.length) {
      const crow = cookies
        .sort((a, b) => Number(bool(b.thirdParty)) - Number(bool(a.thirdParty)) || cmp(str(a.domain).toLowerCase(), str(b.domain).toLowerCase()) || cmp(str(a.name).toLowerCase(), str(b.name).toLowerCase()) || cmp(str(a.name), str(b.name)))
        .map((c) => [str(c.name, 200), str(c.domain, 200), bool(c.thirdParty) ? t.thirdParty : t.firstParty, lifetime(c.lifetimeSeconds, bool(c.session), t, lang)]);
      tech.push({
        kind: 'table',
        caption: t.cookiesBefore(v.url),
        columns: [t.colName, t.colDomain, t.colParty, t.colLifetime],
        rows: crow.slice(0, MAX_ROWS),
        ...(crow.length > MAX_ROWS ? { note: t.more(crow.length - MAX_ROWS) } : {}),
      });
    } else tech.push({ kind: 'paragraph', text: `${t.cookiesBefore(v.url)}: ${t.noCookies}` });
    if (bool(r.truncated)) tech.push({ kind: 'paragraph', text: t.truncated, tone: 'note' });
  }
  if (companies.size)
    tech.push({
      kind: 'table',
      caption: t.companies,
      columns: [t.colCompany, t.colCountry, t.colTransfer, t.colCategory, t.colRequests],
      rows: [...companies.values()].slice(0, MAX_ROWS),
    });
  if (countries.size) tech.push({ kind: 'paragraph', text: t.countries([...countries].sort().join(', ')) });
  sections.push({ id: 'technical', heading: t.technical, blocks: tech });

  // 6. Preliminary assessment -------------------------------------------------------------
  const seenFinding = new Set<string>();
  const assessment: TextItem[] = [];
  for (const f of allFindings) {
    // One entry per finding and page; the same finding on two pages names both.
    const key = `${f.id}\u0000${f.url}`;
    if (seenFinding.has(key)) continue;
    seenFinding.add(key);
    const parts = [t.finding(t.severity[f.severity] ?? f.severity, f.text), `${t.onPage}: ${f.url}`];
    if (f.evidence && f.evidence !== '–') parts.push(`${t.evidence}: ${f.evidence}`);
    if (f.legal.length) parts.push(`${t.legal}: ${f.legal.join('; ')}`);
    parts.push(t.certaintyLabel[f.certainty] ?? f.certainty);
    assessment.push({ text: parts.join(' — ') });
  }
  sections.push({
    id: 'assessment',
    heading: t.assessment,
    blocks: [{ kind: 'paragraph', text: t.assessmentIntro, tone: 'warning' }, assessment.length ? { kind: 'list', items: assessment } : { kind: 'paragraph', text: t.noFindings }],
  });

  // 7. User-reported ----------------------------------------------------------------------
  const statement = str(inp.userStatement, MAX_STATEMENT).trim();
  const paragraphs = statement
    .split(/\n\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 30);
  sections.push({
    id: 'user-reported',
    heading: t.userReported,
    blocks: paragraphs.length
      ? [{ kind: 'paragraph', text: t.userReportedIntro, tone: 'note' }, ...paragraphs.map((text) => ({ kind: 'paragraph' as const, text }))]
      : [{ kind: 'paragraph', text: t.noStatement }],
  });

  // 8. Request ----------------------------------------------------------------------------
  sections.push({ id: 'request', heading: t.request, blocks: t.requestText.map((text) => ({ kind: 'paragraph' as const, text })) });

  // 9. Annexes ----------------------------------------------------------------------------
  const annexes: TextItem[] = [{ text: t.annexBundle }];
  if (imprintText) annexes.push({ text: t.annexImprint(imprintText.length) });
  if (privacyText) annexes.push({ text: t.annexPrivacy(privacyText.length) });
  const shot = obj(inp.screenshot);
  const shotAt = isoOrEmpty(shot.takenAt);
  const shotUrl = typeof shot.dataUrl === 'string' ? shot.dataUrl : '';
  if (shotUrl) annexes.push({ text: t.annexScreenshot(shotAt || t.none), ...(shotAt ? { at: shotAt } : {}) });
  annexes.push({ text: t.annexSummary });
  const annexBlocks: Block[] = [{ kind: 'list', ordered: true, items: annexes }];
  if (/^data:image\/(?:png|jpeg|webp);base64,[A-Za-z0-9+/]+=*$/.test(shotUrl) && shotUrl.length <= 8_000_000)
    annexBlocks.push({ kind: 'image', alt: t.screenshotAlt, dataUrl: shotUrl, caption: t.annexScreenshot(shotAt || t.none) });
  sections.push({ id: 'annexes', heading: t.annexes, blocks: annexBlocks });

  // Disclaimer (rules.json meta.disclaimer_de/en; complaint.anti_abuse) -------------------
  sections.push({ id: 'disclaimer', heading: t.disclaimer, blocks: [{ kind: 'paragraph', text: t.disclaimerText, tone: 'warning' }] });

  return {
    format: 'datenschutz-ampel/complaint',
    version: 1,
    lang,
    createdAt,
    tool: { name: 'Datenschutz-Ampel', version: toolVersion, rulesVersion: RULES_VERSION },
    title: t.title(controllerName),
    subtitle: t.subtitle(site || t.none, createdAt),
    site,
    controller,
    authority,
    findings: allFindings,
    visits: visits.map((v) => ({ url: v.url, visitedAt: v.visitedAt, title: v.title })),
    sections,
  };
}
