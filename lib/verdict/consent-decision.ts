/**
 * The audit's answer to a consent banner, folded into one report: the first load as the extension
 * reported it (unchanged: cookies-before-consent keeps its meaning for that load), the decision
 * the audit gave ("reject all" or opt-in, by @duckduckgo/autoconsent's own rule for the banner,
 * in a fresh profile: scripts/audit-consent.ts), and what followed it — the rest of the same page
 * after the click and a reload — as `consent.decision`, `consent.answer` and
 * `consent.afterDecision`, plus the findings of lib/verdict/consent-findings.ts.
 *
 * Pure. Only third parties contacted and cookies set or updated after the decision count as
 * "after": a cookie still present from before is not in the reload's tally (the tally records
 * cookies set during a visit, lib/tally/visit.ts `cookieBelongsToVisit`), and on the first page
 * only cookies first observed after the decision and hosts first contacted (or contacted again)
 * after it are taken.
 */
import { isTrackingCookieName } from '../parties/service-overlay';
import { AFTER_REJECT_CATEGORIES, CONSENT_DECISION_RULES, type ConsentDecisionFacts } from './consent-findings';
import { CERTAINTY_RANK, type Finding, SEVERITY_RANK, contextFactsOf, evaluateFindings } from './findings';
import { GREY_REASONS } from './grey-reasons';
import type { Report } from './report';
import type { Visit } from '../tally/types';

export type ConsentMode = 'reject' | 'accept';
export type ConsentDecision = 'rejected' | 'accepted';
/**
 * Why no decision was given: no banner a rule answers was found; the only rule that matched can
 * merely hide the banner (a cosmetic rule: hiding is no answer); the rule's answer failed or did
 * not finish in time; the page could not be driven at all.
 */
export type NoDecisionReason = 'no-banner' | 'cosmetic-only' | 'answer-failed' | 'answer-timeout' | 'page-failed';

/** What the audit did with the banner (measured by scripts/audit-consent.ts). Times in epoch ms. */
export interface ConsentAnswer {
  requested: ConsentMode;
  decision: ConsentDecision | null;
  reason: NoDecisionReason | null;
  /** The autoconsent rule that found and answered the banner ("Onetrust", "usercentrics-api"). */
  rule: string | null;
  /** "@duckduckgo/autoconsent 16.23.0" */
  library: string;
  /** When the audit told the library to answer. */
  answeredAt: number | null;
  /** The last click of the answer; without clicks (the platform's API or cookie), when the library reported it done. */
  decidedAt: number | null;
  /** Click events the library's answer dispatched; null when no answer was given. */
  clicks: number | null;
  /** The opposite answer (opt-in) in its own fresh profile, to compare the clicks; only when the opt-out took two or more. */
  optInProbe: { clicks: number | null; rule: string | null; reason: NoDecisionReason | null } | null;
}

/** A report of the page plus when the tally first observed each of its cookies (from the visit). */
export interface VisitSnapshot {
  report: Report;
  cookies: readonly { name: string; domain: string; observedAt: number }[];
}

/** A snapshot from what the background answers (`get-visit`: the visit and its report). */
export function snapshotOf(report: Report, visit: Pick<Visit, 'cookies'> | null): VisitSnapshot {
  return {
    report,
    cookies: (visit?.cookies ?? []).map((c) => ({ name: c.name, domain: c.domain, observedAt: c.observedAt })),
  };
}

export interface ConsentMeasurement {
  answer: ConsentAnswer;
  /** The first page, taken when the answer was done … */
  atDecision: VisitSnapshot | null;
  /** … and again just before the reload. */
  beforeReload: VisitSnapshot | null;
  /** The reload after the decision. */
  reload: VisitSnapshot | null;
  reloadedAt: number | null;
  /** End of the measurement (the reload's report was taken). */
  until: number | null;
}

export type AfterPhase = 'same-page' | 'reload';

/** `consent.answer` in the report (docs/report-schema.json). */
export interface ConsentAnswerReport {
  requested: ConsentMode;
  rule: string | null;
  library: string;
  reason: NoDecisionReason | null;
  /** The audit answered in a fresh temporary profile (no cookies, storage or cache), never a person's browser. */
  freshProfile: true;
  answeredAt: string | null;
  decidedAt: string | null;
  clicks: number | null;
  optIn: { clicks: number | null; rule: string | null; reason: NoDecisionReason | null } | null;
  /** true: one click rejects; false: rejecting took ≥ 2 clicks while accepting took 1; null: not judged. */
  rejectOnFirstLayer: boolean | null;
}

/** `consent.afterDecision` in the report. */
export interface AfterDecision {
  decidedAt: string;
  reloadedAt: string | null;
  until: string | null;
  thirdParties: {
    host: string;
    owner: string | null;
    category: string;
    service: string | null;
    tracking: boolean;
    /** Requests after the decision (same page: those made after it; reload: all). */
    requests: number;
    /** First contact after the decision; null when a host already contacted before was contacted again (time not recorded per request). */
    firstSeenAt: string | null;
    afterMs: number | null;
    phases: AfterPhase[];
  }[];
  cookies: {
    name: string;
    domain: string;
    thirdParty: boolean;
    tracking: boolean;
    observedAt: string | null;
    afterMs: number | null;
    phases: AfterPhase[];
  }[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const cookieId = (name: string, domain: string) => `${name}\u0000${domain}`;
/** "ad.doubleclick.net" is under the cookie domain ".doubleclick.net" (RFC 6265 §5.1.3 domain-match). */
const domainMatches = (host: string, domain: string) => {
  const d = domain.replace(/^\./, '').toLowerCase();
  const h = host.toLowerCase();
  return h === d || h.endsWith(`.${d}`);
};

/** Was the opt-out on the first layer? Judged only from clicks: an opt-out without clicks is not judged. */
export function rejectOnFirstLayer(answer: ConsentAnswer): boolean | null {
  if (answer.requested !== 'reject' || answer.decision !== 'rejected' || answer.clicks === null || answer.clicks === 0)
    return null;
  if (answer.clicks === 1) return true;
  return answer.optInProbe?.clicks === 1 ? false : null;
}

/** Whether the opt-in probe is worth a fresh profile: only an opt-out that took two or more clicks can be compared. */
export function needsOptInProbe(answer: ConsentAnswer): boolean {
  return answer.requested === 'reject' && answer.decision === 'rejected' && (answer.clicks ?? 0) >= 2;
}

export function answerReportOf(answer: ConsentAnswer): ConsentAnswerReport {
  return {
    requested: answer.requested,
    rule: answer.rule,
    library: answer.library,
    reason: answer.reason,
    freshProfile: true,
    answeredAt: answer.answeredAt === null ? null : iso(answer.answeredAt),
    decidedAt: answer.decidedAt === null ? null : iso(answer.decidedAt),
    clicks: answer.clicks,
    optIn: answer.optInProbe,
    rejectOnFirstLayer: rejectOnFirstLayer(answer),
  };
}

type HostRow = AfterDecision['thirdParties'][number];
type CookieRow = AfterDecision['cookies'][number];

/**
 * What followed the decision: third parties and cookies on the same page after it, and on the
 * reload. Null without a decision (nothing was answered, so nothing follows an answer).
 */
export function afterDecisionOf(m: ConsentMeasurement): AfterDecision | null {
  const t0 = m.answer.decidedAt;
  if (m.answer.decision === null || t0 === null) return null;
  const hosts = new Map<string, HostRow>();
  const cookies = new Map<string, CookieRow>();

  const addHost = (
    h: Report['requests']['thirdPartyHosts'][number],
    requests: number,
    firstSeen: number | null,
    phase: AfterPhase,
  ) => {
    if (requests <= 0) return;
    const row = hosts.get(h.host);
    if (!row) {
      hosts.set(h.host, {
        host: h.host,
        owner: h.owner,
        category: h.category,
        service: h.service,
        tracking: AFTER_REJECT_CATEGORIES.includes(h.category),
        requests,
        firstSeenAt: firstSeen === null ? null : iso(firstSeen),
        afterMs: firstSeen === null ? null : Math.max(0, Math.round(firstSeen - t0)),
        phases: [phase],
      });
      return;
    }
    row.requests += requests;
    if (!row.phases.includes(phase)) row.phases.push(phase);
    if (firstSeen !== null && (row.afterMs === null || Math.round(firstSeen - t0) < row.afterMs)) {
      row.firstSeenAt = iso(firstSeen);
      row.afterMs = Math.max(0, Math.round(firstSeen - t0));
    }
  };

  const addCookies = (snap: VisitSnapshot, phase: AfterPhase, since: number) => {
    const items = new Map(snap.report.cookies.items.map((c) => [cookieId(c.name, c.domain), c]));
    for (const c of snap.cookies) {
      if (c.observedAt < since) continue;
      const item = items.get(cookieId(c.name, c.domain));
      const key = cookieId(c.name, c.domain);
      const row = cookies.get(key);
      if (row) {
        if (!row.phases.includes(phase)) row.phases.push(phase);
        continue;
      }
      cookies.set(key, {
        name: c.name,
        domain: c.domain,
        thirdParty: item?.thirdParty ?? false,
        tracking: false,
        observedAt: iso(c.observedAt),
        afterMs: Math.max(0, Math.round(c.observedAt - t0)),
        phases: [phase],
      });
    }
  };

  // The same page after the decision: hosts first contacted after it, or contacted more often by
  // the end than when the answer was done.
  if (m.beforeReload) {
    const earlier = new Map((m.atDecision?.report.requests.thirdPartyHosts ?? []).map((h) => [h.host, h.requests]));
    for (const h of m.beforeReload.report.requests.thirdPartyHosts) {
      const first = Date.parse(h.firstSeenAt);
      if (Number.isFinite(first) && first >= t0) addHost(h, h.requests, first, 'same-page');
      else addHost(h, h.requests - (earlier.get(h.host) ?? h.requests), null, 'same-page');
    }
    addCookies(m.beforeReload, 'same-page', t0);
  }
  // The reload: everything in its tally came after the decision.
  if (m.reload) {
    for (const h of m.reload.report.requests.thirdPartyHosts) {
      const first = Date.parse(h.firstSeenAt);
      addHost(h, h.requests, Number.isFinite(first) ? first : null, 'reload');
    }
    addCookies(m.reload, 'reload', Number.NEGATIVE_INFINITY);
  }

  const trackingHosts = [...hosts.values()].filter((h) => h.tracking);
  for (const c of cookies.values())
    c.tracking =
      isTrackingCookieName(c.name) || (c.thirdParty && trackingHosts.some((h) => domainMatches(h.host, c.domain)));

  const byTime = <T extends { afterMs: number | null }>(a: T, b: T) =>
    (a.afterMs ?? Number.MAX_SAFE_INTEGER) - (b.afterMs ?? Number.MAX_SAFE_INTEGER);
  return {
    decidedAt: iso(t0),
    reloadedAt: m.reloadedAt === null ? null : iso(m.reloadedAt),
    until: m.until === null ? null : iso(m.until),
    thirdParties: [...hosts.values()].sort((a, b) => byTime(a, b) || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)),
    cookies: [...cookies.values()].sort((a, b) => byTime(a, b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/** The facts the consent rows of the findings table read. */
export function consentDecisionFacts(answer: ConsentAnswer, after: AfterDecision | null): ConsentDecisionFacts {
  return {
    decision: answer.decision,
    rule: answer.rule,
    trackingHosts: (after?.thirdParties ?? [])
      .filter((h) => h.tracking)
      .map((h) => ({ host: h.host, category: h.category, afterMs: h.afterMs })),
    trackingCookies: (after?.cookies ?? [])
      .filter((c) => c.tracking)
      .map((c) => ({ name: c.name, domain: c.domain, afterMs: c.afterMs })),
    rejectClicks: answer.requested === 'reject' && answer.decision === 'rejected' ? answer.clicks : null,
    acceptClicks: answer.optInProbe?.clicks ?? null,
  };
}

const VERDICT_RANK: Record<string, number> = { grey: 0, green: 0, yellow: 1, red: 2 };

/**
 * The first-load report with the decision, what followed it, and the consent findings; the
 * verdict takes the worst severity (a page whose content could not be read at all stays grey).
 */
export function combineConsentAudit(firstLoad: Report, m: ConsentMeasurement): Report {
  const after = afterDecisionOf(m);
  const facts = consentDecisionFacts(m.answer, after);
  const added: Finding[] = evaluateFindings(
    { ...contextFactsOf(firstLoad), consentDecision: facts },
    CONSENT_DECISION_RULES,
  );
  const findings = [...firstLoad.findings, ...added.map((f) => ({ ...f }))].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      CERTAINTY_RANK[b.certainty] - CERTAINTY_RANK[a.certainty],
  );
  let verdict = firstLoad.verdict;
  let greyReason = firstLoad.greyReason;
  const unread = firstLoad.verdict === 'grey' && firstLoad.greyReason === GREY_REASONS.notRead;
  for (const f of added) {
    const level = f.severity === 'red' ? 'red' : f.severity === 'yellow' ? 'yellow' : null;
    if (!unread && level && VERDICT_RANK[level]! > (VERDICT_RANK[verdict] ?? 0)) {
      verdict = level;
      greyReason = null;
    }
  }
  const consent = firstLoad.consent ?? { status: 'not-checked' as const, cmp: null, shownAt: null };
  return {
    ...firstLoad,
    verdict,
    greyReason,
    findings,
    consent: { ...consent, decision: m.answer.decision, answer: answerReportOf(m.answer), afterDecision: after },
  };
}
