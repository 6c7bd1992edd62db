/**
 * The one plural helper of every count string, in the UI, the exports and the CLI, on the
 * browser's (or Node's) own CLDR rules through `Intl.PluralRules`
 * (https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Intl/PluralRules),
 * so "1 weiterer Hinweis" / "2 weitere Hinweise" come out right without a table of our own.
 *
 * Templates carry their forms inline: `{n|Hinweis|Hinweise}` lists one form per plural category
 * of the language, in the order `resolvedOptions().pluralCategories` gives them (German and
 * English: `one`, `other`). tests/unit/i18n/plural.test.ts checks every catalog template.
 */
import type { Lang } from './ui';

const rulesCache = new Map<Lang, Intl.PluralRules>();

function rulesOf(lang: Lang): Intl.PluralRules {
  let rules = rulesCache.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    rulesCache.set(lang, rules);
  }
  return rules;
}

/** The CLDR categories a language distinguishes, in the order templates list their forms. */
export function pluralCategories(lang: Lang): readonly Intl.LDMLPluralRule[] {
  const order: Intl.LDMLPluralRule[] = ['zero', 'one', 'two', 'few', 'many', 'other'];
  const present = new Set(rulesOf(lang).resolvedOptions().pluralCategories);
  return order.filter((c) => present.has(c));
}

/** The form for n out of forms listed in pluralCategories order (the last one is `other`). */
export function pluralForm(n: number, lang: Lang, forms: readonly string[]): string {
  const index = pluralCategories(lang).indexOf(rulesOf(lang).select(n));
  return forms[index] ?? forms[forms.length - 1] ?? '';
}

/** "1 Hinweis", "3 Hinweise": the number and the noun that agrees with it. */
export function countOf(n: number, lang: Lang, ...forms: string[]): string {
  return `${n} ${pluralForm(n, lang, forms)}`;
}

/** `{name|form|form}` placeholders: a plural choice by the number in values[name]. */
export const PLURAL_PLACEHOLDER = /\{(\w+)((?:\|[^|{}]*)+)\}/g;

/**
 * Fills `{name}` placeholders and picks plural forms `{name|one|other}` by the language's rules.
 * Unknown names stay as they are (visible rather than silently empty).
 */
export function fill(template: string, values: Record<string, string | number>, lang: Lang): string {
  return template
    .replace(PLURAL_PLACEHOLDER, (m, k: string, forms: string) =>
      k in values ? pluralForm(Number(values[k]), lang, forms.slice(1).split('|')) : m,
    )
    .replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
