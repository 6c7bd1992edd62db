import { describe, expect, it } from 'vitest';
import { PLURAL_PLACEHOLDER, countOf, fill, pluralCategories, pluralForm } from '@/lib/i18n/plural';
import { type Lang, messages, partySummaryLine } from '@/lib/i18n/ui';
import { historyMessages } from '@/lib/i18n/history';
import { optionsMessages } from '@/lib/i18n/options';
import { T } from '@/lib/export/complaint/texts';
import { afterDecisionCell } from '@/lib/cli/consent-answer';

const LANGS: Lang[] = ['de', 'en'];

/** Placeholders that receive a number in every catalog of the UI. */
const COUNT_NAMES = new Set(['n', 'hosts', 'total', 'requests', 'cookies', 'shown', 'added', 'updated', 'unchanged']);
/**
 * Templates whose number is not followed by a noun it agrees with (checked by eye, German and English):
 * `{added} neu` / `{added} new`, "{shown} von {total} …" where the noun follows {total}, "Alle {n} anzeigen".
 */
const NO_NOUN: Record<string, string[]> = {
  sitesCount: ['shown'],
  imported: ['added', 'updated', 'unchanged'],
  showAll: ['n'],
};

const catalogs = LANGS.flatMap((lang) => [
  { name: `ui.${lang}`, lang, entries: Object.entries(messages[lang]) },
  { name: `history.${lang}`, lang, entries: Object.entries(historyMessages[lang]) },
  { name: `options.${lang}`, lang, entries: Object.entries(optionsMessages[lang]) },
]);

describe('plural rules', () => {
  it('German and English distinguish one and other, and only 1 is "one"', () => {
    for (const lang of LANGS) {
      expect(pluralCategories(lang)).toEqual(['one', 'other']);
      expect([0, 1, 2, 21, 1.5].map((n) => pluralForm(n, lang, ['one', 'other']))).toEqual([
        'other',
        'one',
        'other',
        'other',
        'other',
      ]);
    }
  });

  it('countOf puts the number before the form that agrees with it', () => {
    expect(countOf(1, 'de', 'Hinweis', 'Hinweise')).toBe('1 Hinweis');
    expect(countOf(0, 'en', 'host', 'hosts')).toBe('0 hosts');
  });

  it('fill picks forms and leaves unknown names visible', () => {
    expect(fill('{n} {n|Besuch|Besuche} von {site}', { n: 1, site: 'a.de' }, 'de')).toBe('1 Besuch von a.de');
    expect(fill('{x} {x|a|b}', {}, 'en')).toBe('{x} {x|a|b}');
  });
});

describe('catalogs', () => {
  for (const { name, lang, entries } of catalogs) {
    it(`${name}: every count placeholder has its plural forms, one per category of the language`, () => {
      const categories = pluralCategories(lang).length;
      for (const [key, template] of entries) {
        for (const m of template.matchAll(PLURAL_PLACEHOLDER))
          expect(m[2]!.slice(1).split('|').length, `${key}: ${m[0]}`).toBe(categories);
        const plain = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((k) => COUNT_NAMES.has(k));
        for (const k of plain) {
          if (NO_NOUN[key]?.includes(k)) continue;
          expect(template, `${key}: {${k}} is a count without {${k}|…} forms`).toContain(`{${k}|`);
        }
      }
    });
  }
});

/** Every count string at n = 0, 1, 2 in both languages, as one reviewed file. */
function goldenLines(): string[] {
  const lines: string[] = [];
  for (const lang of LANGS) {
    for (const { name, entries } of catalogs.filter((c) => c.lang === lang)) {
      for (const [key, template] of entries) {
        if (!/\{\w+\|/.test(template)) continue;
        for (const n of [0, 1, 2]) {
          const values: Record<string, number | string> = { site: 'beispiel.de', from: 'Gelb', to: 'Rot', last: 3 };
          for (const k of COUNT_NAMES) values[k] = n;
          Object.assign(values, { max: 5, min: 1 });
          lines.push(`${name}.${key} n=${n}: ${fill(template, values, lang)}`);
        }
      }
    }
    const t = T[lang];
    for (const n of [0, 1, 2]) {
      const summary = {
        requests: n,
        thirdParties: n,
        companies: n,
        unknownHosts: n,
        countries: ['US', 'IE'].slice(0, n),
      };
      lines.push(`partySummaryLine.${lang} n=${n}: ${partySummaryLine(summary, lang)}`);
      lines.push(`complaint.${lang}.requests n=${n}: ${t.requests(n, n, n)}`);
      lines.push(`complaint.${lang}.cookies n=${n}: ${t.cookies(n, n)}`);
      lines.push(`complaint.${lang}.reconciled n=${n}: ${t.reconciled(n, n)}`);
      lines.push(`complaint.${lang}.annexHar n=${n}: ${t.annexHar('a.har', n, '1 kB', 'ab')}`);
      lines.push(`complaint.${lang}.annexRequestsCsv n=${n}: ${t.annexRequestsCsv('a.csv', n, '1 kB', 'ab')}`);
      const tracking = Array.from({ length: n }, () => ({ tracking: true }));
      const report = {
        consent: { answer: {}, decision: 'rejected', afterDecision: { thirdParties: tracking, cookies: tracking } },
      } as unknown as Parameters<typeof afterDecisionCell>[0];
      lines.push(`cli.afterDecisionCell.${lang} n=${n}: ${afterDecisionCell(report, lang)}`);
    }
  }
  return lines;
}

it('golden count strings at n = 0, 1, 2 (tests/golden/plurals.txt)', async () => {
  await expect(`${goldenLines().join('\n')}\n`).toMatchFileSnapshot('../../golden/plurals.txt');
});
