/**
 * Which rules of lib/legal/rules.json (`verdict.rules`) the findings table judges, and why the
 * others are not judged. Every rule id is in exactly one place:
 *  - a row of the findings table (lib/verdict/findings.ts) names it in `source`;
 *  - DECLINED_RULES: deliberately not judged, with the reason (shown in docs/findings.md);
 *  - PENDING_RULES: to be judged once the facts they need exist, with what is missing.
 * tests/unit/verdict/rule-coverage.test.ts fails for a rule id in none of them, or in a finding
 * row and one of these lists at once: implementing a pending rule means deleting its line here
 * and adding its row to the findings table, nothing else.
 */
import { verdict as rulesVerdict } from '../legal/rules.json';
import type { FindingRule } from './findings';

export interface NotJudged {
  /** rules.json `verdict.rules` id. */
  rule: string;
  /** One line, for docs/findings.md. */
  reason: string;
}

/** Rules the extension does not judge, by design. */
export const DECLINED_RULES: readonly NotJudged[] = [
  {
    rule: 'R-IMP-03',
    reason:
      'Needs the click depth of the imprint. The extension reads the visited page and the legal pages it links (one click deep); an imprint further away looks exactly like a missing one, which imprint-missing (R-IMP-01) reports. Counting clicks would mean crawling the site.',
  },
];

/** Rules waiting for facts other work is adding; each line goes when its finding row arrives. */
export const PENDING_RULES: readonly NotJudged[] = [];

export type Coverage =
  | { rule: string; kind: 'finding'; findings: string[] }
  | { rule: string; kind: 'declined' | 'pending'; reason: string }
  | { rule: string; kind: 'none' };

/** Every rules.json rule id, in its order, with where it is judged (or why not). */
export function ruleCoverage(findings: readonly FindingRule[]): Coverage[] {
  return rulesVerdict.rules.map(({ id }): Coverage => {
    const rows = findings.filter((f) => f.source.includes(id)).map((f) => f.id);
    if (rows.length) return { rule: id, kind: 'finding', findings: rows };
    const declined = DECLINED_RULES.find((d) => d.rule === id);
    if (declined) return { rule: id, kind: 'declined', reason: declined.reason };
    const pending = PENDING_RULES.find((d) => d.rule === id);
    if (pending) return { rule: id, kind: 'pending', reason: pending.reason };
    return { rule: id, kind: 'none' };
  });
}
