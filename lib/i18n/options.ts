/**
 * Strings of the options page (entrypoints/options/) and the first-run page (entrypoints/welcome/),
 * German and English. Labels of the history settings come from lib/i18n/history.ts.
 */
import type { Lang } from './ui';

const de = {
  pageTitle: 'Datenschutz-Ampel – Einstellungen',
  title: 'Einstellungen',
  language: 'Sprache',
  languageAuto: 'Wie der Browser ({lang})',
  network: 'Abrufe',
  fetchLegalPages:
    'Impressum und Datenschutzerklärung abrufen – bei Profilen auch das Impressum der verlinkten Website (ohne Cookies)',
  fetchLegalPagesHelp:
    'Das sind die einzigen Netzwerkanfragen der Erweiterung: an die Website, die Sie gerade besuchen, ohne Cookies und ohne Referrer. Ausgeschaltet bleiben Impressum und Datenschutzerklärung ungeprüft.',
  history: 'Verlauf',
  historyHelp:
    'Der Verlauf bleibt in Ihrem Browser. Exportieren, importieren und löschen können Sie ihn auf der Verlaufsseite.',
  openHistory: 'Verlauf öffnen',
  saved: 'Gespeichert.',
  welcomeTitle: 'Willkommen bei der Datenschutz-Ampel',
  welcomeIntro:
    'Die Datenschutz-Ampel prüft jede Seite, die Sie besuchen: welche Drittanbieter Daten erhalten, welche Cookies gesetzt werden, ob Impressum und Datenschutzerklärung vollständig sind. Das Ergebnis zeigt die Ampel in der Symbolleiste: oben rot, Mitte gelb, unten grün; die Zahl nennt die Drittanbieter. Ein Klick darauf zeigt die Gründe.',
  welcomeLocal: 'Alles bleibt in Ihrem Browser: keine Statistik, kein Konto, nichts wird an uns gesendet.',
  welcomeFetch:
    'Um Impressum und Datenschutzerklärung zu prüfen, ruft die Erweiterung diese Seiten der besuchten Website selbst ab (ohne Cookies). Das können Sie hier oder später in den Einstellungen ausschalten.',
  welcomeAdvice: 'Die Ampel gibt Hinweise, keine Rechtsberatung.',
  openOptions: 'Alle Einstellungen',
} as const;

export type OptionsMessages = { readonly [K in keyof typeof de]: string };

const en: OptionsMessages = {
  pageTitle: 'Datenschutz-Ampel – Settings',
  title: 'Settings',
  language: 'Language',
  languageAuto: 'Like the browser ({lang})',
  network: 'Fetches',
  fetchLegalPages: "Fetch imprint and privacy notice – for profiles also the linked website's imprint (no cookies)",
  fetchLegalPagesHelp:
    'These are the only network requests the extension makes: to the website you are visiting, without cookies or referrer. Turned off, imprint and privacy notice stay unchecked.',
  history: 'History',
  historyHelp: 'The history stays in your browser. Export, import and delete it on the history page.',
  openHistory: 'Open the history',
  saved: 'Saved.',
  welcomeTitle: 'Welcome to Datenschutz-Ampel',
  welcomeIntro:
    'Datenschutz-Ampel checks every page you visit: which third parties receive data, which cookies are set, whether the imprint and privacy notice are complete. The traffic light in the toolbar shows the result: red at the top, yellow in the middle, green at the bottom; the number counts the third parties. Click it for the reasons.',
  welcomeLocal: 'Everything stays in your browser: no analytics, no account, nothing is sent to us.',
  welcomeFetch:
    'To check the imprint and privacy notice, the extension fetches these pages of the website you visit itself (without cookies). You can turn this off here or later in the settings.',
  welcomeAdvice: 'The traffic light gives indicators, not legal advice.',
  openOptions: 'All settings',
};

export const optionsMessages: Record<Lang, OptionsMessages> = { de, en };
