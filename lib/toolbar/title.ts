/**
 * The toolbar button's title (its tooltip and what a screen reader announces): the verdict in
 * words and the two counts, e.g. "Rot: 3 Hinweise · 21 Drittanbieter-Hosts", in the UI language.
 */
import { fill } from '../i18n/plural';
import { type Lang, messages } from '../i18n/ui';
import { verdictWord } from '../i18n/history';

export interface TitleFacts {
  /** null while the page is still being checked. */
  verdict: string | null;
  /** Findings that count (red and yellow; info-only ones are not reasons). */
  findings: number;
  hosts: number;
}

export function toolbarTitle(facts: TitleFacts, lang: Lang): string {
  const t = messages[lang];
  const hosts = fill(t.toolbarHosts, { n: facts.hosts }, lang);
  if (facts.verdict === null) return `${t.appName} – ${t.toolbarChecking} · ${hosts}`;
  return `${verdictWord(facts.verdict, lang)}: ${fill(t.toolbarFindings, { n: facts.findings }, lang)} · ${hosts}`;
}

/** Findings that are reasons (red and yellow), as the popup lists them first. */
export function reasonCount(findings: readonly { severity: string }[]): number {
  return findings.filter((f) => f.severity !== 'info').length;
}
