/**
 * Legal hooks are stored in the report as written in rules.json (English citation style:
 * "Art. 13(1)(a) GDPR", "CJEU C-673/17"); they are data and stay so (report schema,
 * docs/report-schema.json). Shown to a German reader they read the way German law is cited:
 * "Art. 13 Abs. 1 lit. a DSGVO", "EuGH C-673/17" (the official German short title of the GDPR is
 * "Datenschutz-Grundverordnung – DSGVO", https://eur-lex.europa.eu/eli/reg/2016/679/oj?locale=de).
 * German statutes (§ 5 Abs. 1 DDG) are already cited in German and pass unchanged.
 */
import type { Lang } from './ui';

const GERMAN: readonly (readonly [RegExp, string])[] = [
  // Art. 13(1)(a) -> Art. 13 Abs. 1 lit. a; Art. 6(3) -> Art. 6 Abs. 3; a following ",(f)" -> ", lit. f".
  [/(\d+)\((\d+)\)\(([a-z])\)/g, '$1 Abs. $2 lit. $3'],
  [/(\d+)\((\d+)\)/g, '$1 Abs. $2'],
  [/,\(([a-z])\)/g, ', lit. $1'],
  [/,\((\d+)\)/g, ', Abs. $1'],
  [/\bsubpara\.? (\d+)/g, 'UAbs. $1'],
  [/\bGDPR\b/g, 'DSGVO'],
  [/\bCJEU\b/g, 'EuGH'],
  [/\bDirective (\d{4}\/\d+)\/EC\b/g, 'Richtlinie $1/EG'],
];

/** One hook in the reader's language (German citation style for 'de'; as stored for 'en'). */
export function legalHookText(hook: string, lang: Lang): string {
  if (lang !== 'de') return hook;
  return GERMAN.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), hook);
}

/** Hooks joined for one line ("Art. 13 DSGVO; § 25 TDDDG"). */
export function legalHooksLine(hooks: readonly string[], lang: Lang): string {
  return hooks.map((h) => legalHookText(h, lang)).join('; ');
}
