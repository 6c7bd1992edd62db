/**
 * Tables a spreadsheet opens as they are: per site the third parties and the cookies of every
 * visit in the export, and the whole history, one row per site.
 *
 * The format (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180): CRLF line ends, a cell quoted
 * when it holds the separator, a quote, CR or LF, quotes doubled. UTF-8 with a byte-order mark
 * (Excel reads BOM-less CSV in the system's ANSI code page and breaks umlauts). `;` for German,
 * `,` for English: German Excel and LibreOffice take `;` as the list separator, since `,` is the
 * decimal mark.
 *
 * Cells come from pages (cookie names, hosts, titles) and may be hostile:
 * - a cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`, so no spreadsheet
 *   runs it as a formula (OWASP, CSV Injection: https://owasp.org/www-community/attacks/CSV_Injection);
 *   numbers we write ourselves are never prefixed;
 * - bidirectional controls (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069) are removed: they
 *   can make a cell read differently from what it holds (CVE-2021-42574, "Trojan Source").
 */
import { stripBidi } from '../page/bidi';
import { categoryLabel, transferLabel } from '../i18n/ui';
import type { Report } from '../verdict/report';
import { verdictStyle, isVerdict } from '../verdict/verdict-table';
import { lifetime } from './complaint/evidence';
import { type Lang, arr, bool, cmp, isoOrEmpty, num, obj, str } from './complaint/model';
import { T } from './complaint/texts';

export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export const separatorFor = (lang: Lang): ';' | ',' => (lang === 'de' ? ';' : ',');

/** One cell, neutralised and quoted as needed. */
export function csvCell(value: Cell, separator: ';' | ','): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = typeof value === 'boolean' ? String(value) : stripBidi(String(value));
  if (FORMULA_START.test(s)) s = `'${s}`;
  return s.includes(separator) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole CSV file: BOM, header row, data rows, CRLF after every row. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[], lang: Lang): string {
  const sep = separatorFor(lang);
  const line = (r: readonly Cell[]) => `${r.map((c) => csvCell(c, sep)).join(sep)}\r\n`;
  return `\uFEFF${line(header)}${rows.map(line).join('')}`;
}

const HEADERS = {
  requests: {
    de: [
      'Seite',
      'Besuch',
      'Host',
      'Unternehmen',
      'Land des Unternehmens',
      'Übermittlung',
      'Kategorie',
      'Anfragen',
      'Zuerst gesehen',
    ],
    en: ['Page', 'Visit', 'Host', 'Company', 'Company country', 'Transfer', 'Category', 'Requests', 'First seen'],
  },
  cookies: {
    de: ['Seite', 'Besuch', 'Name', 'Domain', 'Partei', 'Laufzeit', 'Laufzeit (Sekunden)', 'Vor jeder Interaktion'],
    en: ['Page', 'Visit', 'Name', 'Domain', 'Party', 'Lifetime', 'Lifetime (seconds)', 'Before any interaction'],
  },
  history: {
    de: ['Website', 'Letzter Besuch', 'Ampel', 'Behörde', 'Seitentyp', 'Fremde Hosts', 'Cookies', 'Befunde'],
    en: ['Site', 'Last visit', 'Verdict', 'Authority', 'Page kind', 'Third-party hosts', 'Cookies', 'Findings'],
  },
} as const;

export const CSV_HEADERS = HEADERS;

const reportsOf = (reports: unknown): Record<string, unknown>[] =>
  arr(reports)
    .slice(0, 50)
    .map(obj)
    .filter((r) => Object.keys(r).length)
    .sort((a, b) => cmp(isoOrEmpty(a.visitedAt) || '~', isoOrEmpty(b.visitedAt) || '~') || cmp(str(a.url), str(b.url)));

/** Third parties of every visit: one row per visit and host (transfer status of the host's company). */
export function requestsCsv(reports: unknown, lang: Lang): { text: string; rows: number } {
  const t = T[lang];
  const rows: Cell[][] = [];
  for (const r of reportsOf(reports)) {
    const transferOf = new Map<string, string>();
    for (const c of arr(r.companies).map(obj))
      for (const h of arr(c.hosts)) transferOf.set(str(h, 300), str(c.transferStatus, 30));
    for (const h of arr(obj(r.requests).thirdPartyHosts).map(obj)) {
      const host = str(h.host, 300);
      const category = str(h.category, 40);
      const transfer = transferOf.get(host);
      rows.push([
        str(r.url),
        isoOrEmpty(r.visitedAt),
        host,
        str(h.owner, 200) || t.none,
        str(h.country, 2),
        transfer ? transferLabel(transfer, lang) : '',
        category ? categoryLabel(category, lang) : '',
        num(h.requests),
        isoOrEmpty(h.firstSeenAt),
      ]);
    }
  }
  return { text: toCsv(HEADERS.requests[lang], rows, lang), rows: rows.length };
}

/** Cookies of every visit: one row per visit and cookie. */
export function cookiesCsv(reports: unknown, lang: Lang): { text: string; rows: number } {
  const t = T[lang];
  const rows: Cell[][] = [];
  for (const r of reportsOf(reports)) {
    for (const c of arr(obj(r.cookies).items).map(obj)) {
      const session = bool(c.session);
      const seconds =
        typeof c.lifetimeSeconds === 'number' && Number.isFinite(c.lifetimeSeconds)
          ? Math.round(c.lifetimeSeconds)
          : null;
      rows.push([
        str(r.url),
        isoOrEmpty(r.visitedAt),
        str(c.name, 500),
        str(c.domain, 300),
        bool(c.thirdParty) ? t.thirdParty : t.firstParty,
        lifetime(c.lifetimeSeconds, session, t, lang),
        session ? null : seconds,
        bool(c.beforeInteraction) ? t.yes : t.no,
      ]);
    }
  }
  return { text: toCsv(HEADERS.cookies[lang], rows, lang), rows: rows.length };
}

const PAGE_KINDS: Record<Lang, Record<string, string>> = {
  de: { 'social-profile': 'Social-Media-Profil', 'link-in-bio': 'Link-in-Bio-Seite', website: 'Website' },
  en: { 'social-profile': 'social-media profile', 'link-in-bio': 'link-in-bio page', website: 'website' },
};

/** The whole history, one row per site from its newest visit's report (newest first as given). */
export function historyCsv(
  latest: readonly { site: string; lastVisit: number; report: Report | null }[],
  lang: Lang,
): { text: string; rows: number } {
  const t = T[lang];
  const rows: Cell[][] = latest.map(({ site, lastVisit, report }) => {
    const r = obj(report);
    const findings = arr(r.findings)
      .map(obj)
      .map((f) => str(f.id, 60))
      .filter(Boolean);
    return [
      str(site, 300),
      isoOrEmpty(lastVisit),
      isVerdict(str(r.verdict)) ? verdictStyle(str(r.verdict)).word[lang].toLocaleLowerCase(lang) : str(r.verdict),
      bool(obj(r.authority).isAuthority) ? t.yes : t.no,
      PAGE_KINDS[lang][str(r.pageKind)] ?? str(r.pageKind),
      arr(obj(r.requests).thirdPartyHosts).length,
      num(obj(r.cookies).total),
      findings.join(' '),
    ];
  });
  return { text: toCsv(HEADERS.history[lang], rows, lang), rows: rows.length };
}
