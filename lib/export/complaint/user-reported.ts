/**
 * The user's own observations in the complaint (lib/verdict/user-reported.ts): the ticked
 * statements, listed in the user's block (7) before the free text, and the findings they raise
 * (R-AUTH-06 …), judged against the site's context and marked 'user-reported' in the assessment
 * (6). The extension records none of this; the complaint says so.
 */
import { contextFactsOf, evaluateFindings } from '../../verdict/findings';
import {
  USER_OBSERVATIONS,
  USER_REPORTED_RULES,
  type UserObservationId,
  parseUserObservations,
} from '../../verdict/user-reported';
import type { Report } from '../../verdict/report';
import { type ComplaintFinding, type Lang, type Visit, arr, obj, str } from './model';

/** The ticked observations as sentences in the complaint's language, in the list's order. */
export function observationTexts(observations: unknown, lang: Lang): string[] {
  const ticked = parseUserObservations(observations);
  return USER_OBSERVATIONS.filter((o) => ticked.includes(o.id)).map((o) => o.text[lang]);
}

/**
 * The findings the observations raise, each judged against the newest visit whose context it
 * applies to (a public body's profile or website, rules.json `contexts`), once.
 */
export function userReportedFindingsOf(visits: Visit[], observations: unknown, lang: Lang): ComplaintFinding[] {
  const ticked: UserObservationId[] = parseUserObservations(observations);
  if (!ticked.length) return [];
  const out: ComplaintFinding[] = [];
  for (const visit of [...visits].reverse()) {
    const report = obj(visit.report) as unknown as Report;
    for (const f of evaluateFindings({ ...contextFactsOf(report), userReported: ticked }, USER_REPORTED_RULES)) {
      if (out.some((x) => x.id === f.id)) continue;
      out.push({
        id: f.id,
        severity: f.severity,
        certainty: f.certainty,
        text: f.text[lang],
        evidence: f.evidence,
        legal: arr(f.legal).map((l) => str(l, 200)),
        url: visit.url,
        at: visit.visitedAt,
      });
    }
  }
  return out;
}
