/**
 * Strings of the history page (entrypoints/sites/) in German and English. Kept apart from
 * lib/i18n/ui.ts so that the popup's strings stay small; shared labels (verdicts, certainty,
 * categories) still come from there.
 */
import type { Lang } from './ui';
import { VERDICT_TABLE, isVerdict, verdictStyle } from '../verdict/verdict-table';

const de = {
  title: 'Verlauf',
  pageTitle: 'Datenschutz-Ampel – Verlauf',
  language: 'Sprache',
  loading: 'Der Verlauf wird geladen …',
  empty: 'Noch keine Besuche gespeichert. Öffnen Sie eine Website; jede geprüfte Seite erscheint hier.',
  noMatch: 'Keine Website passt zu den Filtern.',
  filters: 'Filter',
  search: 'Suche (Website, Titel)',
  verdict: 'Ampel',
  authority: 'Behörde',
  pageKind: 'Art der Seite',
  all: 'alle',
  yes: 'ja',
  no: 'nein',
  kindWebsite: 'Website',
  kindSocial: 'Profil in sozialen Medien',
  kindLinkInBio: 'Link-in-Bio-Seite',
  sitesCount: '{shown} von {total} {total|Website|Websites}',
  site: 'Website',
  lastVisit: 'Letzter Besuch',
  thirdParties: 'Drittanbieter',
  visits: 'Besuche',
  isAuthority: 'Behörde',
  listLabel: 'Websites im Verlauf',
  listHelp: 'Mit Pfeiltasten, Bild auf/ab, Pos1 und Ende durch die Liste bewegen; Eingabe öffnet den Zeitverlauf.',
  back: '← Alle Websites',
  timeline: 'Zeitverlauf',
  noVisits: 'Für diese Website sind keine Besuche gespeichert.',
  chartTitle: 'Drittanbieter-Anfragen je Besuch',
  chartSummary:
    'Drittanbieter-Anfragen bei {n} {n|Besuch|Besuchen}: zuletzt {last}, höchstens {max}, mindestens {min}.',
  chartOnePoint: 'Nur ein Besuch: {n} {n|Drittanbieter-Anfrage|Drittanbieter-Anfragen}.',
  changes: 'Änderungen seit dem vorigen Besuch',
  firstVisit: 'Erster gespeicherter Besuch.',
  noChanges: 'Keine Änderungen seit dem vorigen Besuch.',
  newThirdParties: 'Neue Drittanbieter',
  goneThirdParties: 'Nicht mehr kontaktiert',
  newCookies: 'Neue Cookies',
  goneCookies: 'Verschwundene Cookies',
  newFindings: 'Neue Hinweise',
  resolvedFindings: 'Erledigte Hinweise',
  verdictChanged: 'Ampel geändert: {from} → {to}',
  requests: '{n} {n|Drittanbieter-Anfrage|Drittanbieter-Anfragen} an {hosts} {hosts|Host|Hosts}',
  findings: '{n} {n|Hinweis|Hinweise}',
  deleteVisit: 'Besuch löschen',
  deleteSite: 'Website aus dem Verlauf löschen',
  confirmDeleteSite: '{n|Den|Alle} {n} {n|Besuch|Besuche} von {site} endgültig löschen?',
  confirmYes: 'Ja, löschen',
  cancel: 'Abbrechen',
  visitDeleted: 'Besuch gelöscht.',
  siteDeleted: '{n} {n|Besuch|Besuche} von {site} gelöscht.',
  exportTitle: 'Beschwerde-Zusammenfassung exportieren',
  exportHelp:
    'Die Exporte enthalten die gespeicherten Besuche dieser Website. Nichts wird hochgeladen; die Datei wird nur heruntergeladen.',
  observationsTitle: 'Was Sie selbst erlebt haben (nur für die Beschwerde, als Ihre Angabe ausgewiesen)',
  observationsNotSaved: 'Ihre Auswahl konnte nicht gespeichert werden; sie gilt nur bis zum Schließen der Seite.',
  statement: 'Ihre eigenen Angaben (werden als „von Ihnen angegeben“ getrennt ausgewiesen)',
  statementPlaceholder: 'z. B. Ich wurde vom Jobcenter aufgefordert, mich per Direktnachricht zu melden.',
  includeScreenshot: 'Bildschirmfoto vom {at} beifügen',
  exportMarkdown: 'Markdown (.md)',
  exportHtml: 'Druckbares HTML (.html)',
  exportJson: 'Beweis-Bundle (JSON)',
  exportPdf: 'Als PDF speichern',
  exportHar: 'Netzwerkprotokoll (HAR)',
  exportRequestsCsv: 'Drittanbieter als Tabelle (CSV)',
  exportCookiesCsv: 'Cookies als Tabelle (CSV)',
  exportScreenshot: 'Bildschirmfoto (JPEG)',
  exportPreparing: 'Dateien werden vorbereitet …',
  exportTotal: 'Alle Dateien zusammen: {size}.',
  exportTooLarge:
    'Das ist mehr, als manche Upload-Formulare von Aufsichtsbehörden annehmen (das bayerische etwa 1,5 MB insgesamt). Senden Sie dann die PDF-Zusammenfassung und lassen Sie große Anlagen weg: ihre SHA-256-Prüfsummen stehen in der Zusammenfassung.',
  exportHistoryCsv: 'Gesamten Verlauf als Tabelle (CSV)',
  printTitle: 'Druckansicht der Beschwerde',
  printHelp: 'Wählen Sie im Druckdialog als Ziel „Als PDF speichern“.',
  printAgain: 'Drucken …',
  close: 'Schließen',
  exported: 'Heruntergeladen: {file}',
  exportFailed: 'Der Export ist fehlgeschlagen.',
  settings: 'Gesamter Verlauf',
  settingsMoved: 'Aufbewahrung, Pause und alle anderen Einstellungen:',
  openOptions: 'Einstellungen öffnen',
  retention: 'Aufbewahrung (Tage)',
  save: 'Speichern',
  saved: 'Gespeichert.',
  pause: 'Aufzeichnung pausieren',
  paused: 'Die Aufzeichnung ist pausiert: neue Besuche werden nicht gespeichert.',
  exportAll: 'Gesamten Verlauf exportieren (JSON)',
  importLabel: 'Verlauf importieren (JSON-Datei)',
  imported:
    'Importiert: {added} neu, {updated} aktualisiert, {unchanged} unverändert ({total} {total|Eintrag|Einträge} in der Datei).',
  importTooLarge: 'Die Datei ist zu groß. Es wurde nichts importiert.',
  deleteAll: 'Gesamten Verlauf löschen',
  confirmDeleteAll: 'Wirklich alle gespeicherten Besuche löschen? Das kann nicht rückgängig gemacht werden.',
  allDeleted: 'Der Verlauf wurde gelöscht.',
  skipped: '{n} {n|beschädigter Eintrag wurde|beschädigte Einträge wurden} übersprungen.',
  retry: 'Erneut versuchen',
  errorTitle: 'Problem mit dem Verlaufsspeicher',
  blockedHint: 'Bitte schließen Sie andere Verlaufs-Tabs der Erweiterung.',
  blockedWaiting:
    'Der Verlauf wartet auf einen anderen Tab der Erweiterung, der die Datenbank noch offen hält. Bitte schließen Sie andere Verlaufs-Tabs.',
  refresh: 'Aktualisieren',
  url: 'Adresse',
  pageTitleCol: 'Titel',
  never: '–',
} as const;

export type HistoryMessages = { readonly [K in keyof typeof de]: string };

const en: HistoryMessages = {
  title: 'History',
  pageTitle: 'Datenschutz-Ampel – History',
  language: 'Language',
  loading: 'Loading the history …',
  empty: 'No visits stored yet. Open a website; every checked page appears here.',
  noMatch: 'No site matches the filters.',
  filters: 'Filters',
  search: 'Search (site, title)',
  verdict: 'Verdict',
  authority: 'Authority',
  pageKind: 'Kind of page',
  all: 'all',
  yes: 'yes',
  no: 'no',
  kindWebsite: 'Website',
  kindSocial: 'Social media profile',
  kindLinkInBio: 'Link-in-bio page',
  sitesCount: '{shown} of {total} {total|site|sites}',
  site: 'Site',
  lastVisit: 'Last visit',
  thirdParties: 'Third parties',
  visits: 'Visits',
  isAuthority: 'Authority',
  listLabel: 'Sites in the history',
  listHelp: 'Move through the list with the arrow keys, Page Up/Down, Home and End; Enter opens the timeline.',
  back: '← All sites',
  timeline: 'Timeline',
  noVisits: 'No visits are stored for this site.',
  chartTitle: 'Third-party requests per visit',
  chartSummary: 'Third-party requests over {n} {n|visit|visits}: latest {last}, highest {max}, lowest {min}.',
  chartOnePoint: 'Only one visit: {n} third-party {n|request|requests}.',
  changes: 'Changes since the previous visit',
  firstVisit: 'First stored visit.',
  noChanges: 'No changes since the previous visit.',
  newThirdParties: 'New third parties',
  goneThirdParties: 'No longer contacted',
  newCookies: 'New cookies',
  goneCookies: 'Cookies gone',
  newFindings: 'New findings',
  resolvedFindings: 'Resolved findings',
  verdictChanged: 'Verdict changed: {from} → {to}',
  requests: '{n} third-party {n|request|requests} to {hosts} {hosts|host|hosts}',
  findings: '{n} {n|finding|findings}',
  deleteVisit: 'Delete visit',
  deleteSite: 'Delete site from the history',
  confirmDeleteSite: 'Permanently delete {n|the|all} {n} {n|visit|visits} of {site}?',
  confirmYes: 'Yes, delete',
  cancel: 'Cancel',
  visitDeleted: 'Visit deleted.',
  siteDeleted: 'Deleted {n} {n|visit|visits} of {site}.',
  exportTitle: 'Export a complaint summary',
  exportHelp: 'The exports contain the stored visits of this site. Nothing is uploaded; the file is only downloaded.',
  observationsTitle: 'What you experienced yourself (for the complaint only, marked as your statement)',
  observationsNotSaved: 'Your choice could not be saved; it holds only until this page is closed.',
  statement: 'Your own account (marked separately as “reported by you”)',
  statementPlaceholder: 'e.g. The job centre asked me to get in touch by direct message.',
  includeScreenshot: 'Attach the screenshot taken {at}',
  exportMarkdown: 'Markdown (.md)',
  exportHtml: 'Printable HTML (.html)',
  exportJson: 'Evidence bundle (JSON)',
  exportPdf: 'Save as PDF',
  exportHar: 'Network log (HAR)',
  exportRequestsCsv: 'Third parties as a table (CSV)',
  exportCookiesCsv: 'Cookies as a table (CSV)',
  exportScreenshot: 'Screenshot (JPEG)',
  exportPreparing: 'Preparing the files …',
  exportTotal: 'All files together: {size}.',
  exportTooLarge:
    'That is more than some authorities’ upload forms take (the Bavarian one about 1.5 MB in all). Then send the PDF summary and leave out large attachments: their SHA-256 checksums are in the summary.',
  exportHistoryCsv: 'The whole history as a table (CSV)',
  printTitle: 'Print view of the complaint',
  printHelp: 'In the print dialog, choose “Save as PDF” as the destination.',
  printAgain: 'Print …',
  close: 'Close',
  exported: 'Downloaded: {file}',
  exportFailed: 'The export failed.',
  settings: 'The whole history',
  settingsMoved: 'Retention, pause and every other setting:',
  openOptions: 'Open the settings',
  retention: 'Keep visits for (days)',
  save: 'Save',
  saved: 'Saved.',
  pause: 'Pause recording',
  paused: 'Recording is paused: new visits are not stored.',
  exportAll: 'Export the whole history (JSON)',
  importLabel: 'Import a history (JSON file)',
  imported:
    'Imported: {added} new, {updated} updated, {unchanged} unchanged ({total} {total|entry|entries} in the file).',
  importTooLarge: 'The file is too large. Nothing was imported.',
  deleteAll: 'Delete the whole history',
  confirmDeleteAll: 'Really delete all stored visits? This cannot be undone.',
  allDeleted: 'The history was deleted.',
  skipped: '{n} damaged {n|entry was|entries were} skipped.',
  retry: 'Try again',
  errorTitle: 'Problem with the history storage',
  blockedHint: 'Please close other history tabs of the extension.',
  blockedWaiting:
    'The history is waiting for another tab of the extension that still holds the database open. Please close other history tabs.',
  refresh: 'Refresh',
  url: 'Address',
  pageTitleCol: 'Title',
  never: '–',
};

export const historyMessages: Record<Lang, HistoryMessages> = { de, en };

/** The one placeholder filler (lib/i18n/plural.ts), here for the history page's imports. */
export { fill } from './plural';

/** The short verdict word ("Rot"), for lists; lib/i18n/ui.ts verdictLabel has the long form. */
export function verdictWord(verdict: string, lang: Lang): string {
  return isVerdict(verdict) ? VERDICT_TABLE[verdict].word[lang] : verdict;
}

/** The verdict's icon (lib/verdict/verdict-table.ts); '?' for anything unknown. */
export const verdictIcon = (verdict: string): string => verdictStyle(verdict).icon;

export function pageKindLabel(kind: string, lang: Lang): string {
  const t = historyMessages[lang];
  return kind === 'social-profile'
    ? t.kindSocial
    : kind === 'link-in-bio'
      ? t.kindLinkInBio
      : kind === 'website'
        ? t.kindWebsite
        : kind;
}

const dateFormats = new Map<Lang, Intl.DateTimeFormat>();
/** "12.03.2026, 14:05" / "03/12/2026, 2:05 PM"; '–' for an invalid time. */
export function formatDateTime(ms: number, lang: Lang): string {
  if (!Number.isFinite(ms)) return '–';
  let f = dateFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
    dateFormats.set(lang, f);
  }
  try {
    return f.format(ms);
  } catch {
    return '–';
  }
}
