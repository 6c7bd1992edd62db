/**
 * UI strings in German and English. German first; English for every other browser language.
 * Kept in code (not only _locales) so the same strings serve the popup, the history page,
 * exports and the CLI, and so the language can be switched at run time.
 */
export type Lang = 'de' | 'en';

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
  failedBlocked: 'Fehlgeschlagen / blockiert',
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
  attemptedOnly: 'nur versucht (vom Browser abgelehnt)',
  truncated: 'Sehr viele Einträge: die Zahlen sind Untergrenzen.',
  noThirdParties: 'Keine Drittanbieter-Anfragen beobachtet.',
  noCookies: 'Keine Cookies beobachtet.',
  disclaimer: 'Hinweise, keine Rechtsberatung.',
  language: 'Sprache',
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
  failedBlocked: 'Failed / blocked',
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
  attemptedOnly: 'attempted only (refused by the browser)',
  truncated: 'Very many entries: the numbers are lower bounds.',
  noThirdParties: 'No third-party requests observed.',
  noCookies: 'No cookies observed.',
  disclaimer: 'Indicators, not legal advice.',
  language: 'Language',
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
