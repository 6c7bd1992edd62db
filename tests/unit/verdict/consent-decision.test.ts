/**
 * The audit's answer to a consent banner folded into one report (lib/verdict/consent-decision.ts)
 * and the two findings it can raise (lib/verdict/consent-findings.ts): only what came after the
 * decision counts, "without cookies" contacts still count, the first-layer judgement needs both
 * click counts, and the result stays a valid report.
 */
import { describe, expect, it } from 'vitest';
import {
  type ConsentAnswer,
  type ConsentMeasurement,
  type VisitSnapshot,
  afterDecisionOf,
  combineConsentAudit,
  consentDecisionFacts,
  needsOptInProbe,
  rejectOnFirstLayer,
} from '@/lib/verdict/consent-decision';
import { afterRejectEvidence } from '@/lib/verdict/consent-findings';
import { FINDING_RULES, legalHooksOf } from '@/lib/verdict/findings';
import { GREY_REASONS } from '@/lib/verdict/grey-reasons';
import type { Report } from '@/lib/verdict/report';
import { reportSchemaErrors } from '../../report-schema';
import { T0, makeReport } from '../helpers/reports';

const DECIDED = T0 + 10_000;

function answer(p: Partial<ConsentAnswer> = {}): ConsentAnswer {
  return {
    requested: 'reject',
    decision: 'rejected',
    reason: null,
    rule: 'Onetrust',
    library: '@duckduckgo/autoconsent 16.23.0',
    answeredAt: DECIDED - 600,
    decidedAt: DECIDED,
    clicks: 1,
    optInProbe: null,
    ...p,
  };
}

/** A report of the page whose third-party hosts were first seen at the given times (ms). */
function snapshot(
  hosts: Record<string, { requests: number; at: number }>,
  cookies: { name: string; domain: string; at: number; thirdParty?: boolean }[] = [],
): VisitSnapshot {
  const report = makeReport({
    thirdParties: Object.fromEntries(Object.entries(hosts).map(([h, v]) => [h, v.requests])),
    cookies: cookies.map((c) => ({ name: c.name, domain: c.domain, thirdParty: c.thirdParty ?? false })),
  });
  for (const row of report.requests.thirdPartyHosts) row.firstSeenAt = new Date(hosts[row.host]!.at).toISOString();
  return { report, cookies: cookies.map((c) => ({ name: c.name, domain: c.domain, observedAt: c.at })) };
}

function measurement(p: Partial<ConsentMeasurement> = {}): ConsentMeasurement {
  return {
    answer: answer(),
    atDecision: null,
    beforeReload: null,
    reload: null,
    reloadedAt: null,
    until: DECIDED + 5000,
    ...p,
  };
}

describe('afterDecisionOf: only what follows the decision', () => {
  it('takes hosts first contacted after the click, hosts contacted again after it, and everything on the reload', () => {
    const atDecision = snapshot({
      'www.google-analytics.com': { requests: 2, at: T0 + 100 },
      'fonts.googleapis.com': { requests: 1, at: T0 + 50 },
    });
    const beforeReload = snapshot({
      'www.google-analytics.com': { requests: 3, at: T0 + 100 }, // once more after the decision
      'fonts.googleapis.com': { requests: 1, at: T0 + 50 }, // nothing new
      'connect.facebook.net': { requests: 1, at: DECIDED + 40 }, // first contact after it
    });
    const reload = snapshot({
      'connect.facebook.net': { requests: 2, at: DECIDED + 3000 },
      'cdn.jsdelivr.net': { requests: 1, at: DECIDED + 2900 },
    });
    const after = afterDecisionOf(measurement({ atDecision, beforeReload, reload, reloadedAt: DECIDED + 2800 }))!;
    const rows = Object.fromEntries(after.thirdParties.map((h) => [h.host, h]));
    expect(Object.keys(rows).sort()).toEqual(['cdn.jsdelivr.net', 'connect.facebook.net', 'www.google-analytics.com']);
    expect(rows['connect.facebook.net']).toMatchObject({
      requests: 3,
      afterMs: 40,
      phases: ['same-page', 'reload'],
      tracking: true,
      category: 'advertising',
    });
    // Contacted again on the same page: the count after the decision, no time (not recorded per request).
    expect(rows['www.google-analytics.com']).toMatchObject({
      requests: 1,
      afterMs: null,
      firstSeenAt: null,
      phases: ['same-page'],
      tracking: true,
    });
    expect(rows['cdn.jsdelivr.net']).toMatchObject({ tracking: false, phases: ['reload'] });
    expect(after.decidedAt).toBe(new Date(DECIDED).toISOString());
    expect(after.reloadedAt).toBe(new Date(DECIDED + 2800).toISOString());
  });

  it('takes cookies observed after the decision, never cookies from before it; every reload cookie was set or updated then', () => {
    const beforeReload = snapshot({}, [
      { name: '_ga', domain: '.example.de', at: T0 + 300 }, // set before the reject: not "after"
      { name: 'OptanonConsent', domain: 'www.example.de', at: DECIDED + 2 },
    ]);
    const reload = snapshot({}, [{ name: '_ga', domain: '.example.de', at: DECIDED + 3100 }]);
    const after = afterDecisionOf(measurement({ beforeReload, reload }))!;
    expect(after.cookies.map((c) => [c.name, c.phases, c.tracking])).toEqual([
      ['OptanonConsent', ['same-page'], false],
      ['_ga', ['reload'], true],
    ]);
  });

  it('times are whole milliseconds after the decision even though the browser reports fractions', () => {
    const reload = snapshot({ 'www.google-analytics.com': { requests: 1, at: DECIDED + 3000.625 } }, [
      { name: '_ga', domain: '.example.de', at: DECIDED + 3099.6 },
    ]);
    const after = afterDecisionOf(measurement({ reload }))!;
    // Host times come through the report (ISO, whole ms); cookie times from the tally (rounded here).
    expect([after.thirdParties[0]!.afterMs, after.cookies[0]!.afterMs]).toEqual([3000, 3100]);
    const r = combineConsentAudit(makeReport(), measurement({ reload }));
    expect(reportSchemaErrors(r)).toEqual([]);
  });

  it('a third-party cookie counts as tracking when a tracking host under its domain was contacted', () => {
    const reload = snapshot({ 'googleads.g.doubleclick.net': { requests: 1, at: DECIDED + 3000 } }, [
      { name: 'IDE', domain: '.doubleclick.net', at: DECIDED + 3050, thirdParty: true },
      { name: 'pref', domain: '.cdn.example', at: DECIDED + 3060, thirdParty: true },
    ]);
    reload.report.requests.thirdPartyHosts[0]!.category = 'advertising';
    const after = afterDecisionOf(measurement({ reload }))!;
    expect(after.cookies.map((c) => [c.name, c.tracking])).toEqual([
      ['IDE', true],
      ['pref', false],
    ]);
  });

  it('is null without a decision: nothing was answered, so nothing follows an answer', () => {
    expect(
      afterDecisionOf(
        measurement({ answer: answer({ decision: null, reason: 'no-banner', decidedAt: null, clicks: null }) }),
      ),
    ).toBeNull();
  });
});

describe('the first layer is judged from clicks only', () => {
  it.each([
    [{ clicks: 1 }, true, false],
    [{ clicks: 2, optInProbe: { clicks: 1, rule: 'Onetrust', reason: null } }, false, true],
    [{ clicks: 3, optInProbe: { clicks: 1, rule: 'Onetrust', reason: null } }, false, true],
    // Accepting took as many clicks, or could not be counted: no comparison.
    [{ clicks: 2, optInProbe: { clicks: 2, rule: 'Onetrust', reason: null } }, null, true],
    [{ clicks: 2, optInProbe: { clicks: 0, rule: 'usercentrics-api', reason: null } }, null, true],
    [{ clicks: 2, optInProbe: { clicks: null, rule: null, reason: 'page-failed' as const } }, null, true],
    [{ clicks: 2, optInProbe: null }, null, true],
    // Through the platform's API or cookie: not judged, never a finding.
    [{ clicks: 0 }, null, false],
    [{ decision: null, reason: 'answer-failed' as const, clicks: null }, null, false],
    [{ requested: 'accept' as const, decision: 'accepted' as const, clicks: 3 }, null, false],
  ])('%o → reject on first layer %s, probe %s', (p, expected, probe) => {
    const a = answer(p);
    expect(rejectOnFirstLayer(a)).toBe(expected);
    expect(needsOptInProbe(a)).toBe(probe);
    const fired = combineConsentAudit(makeReport(), measurement({ answer: a })).findings.some(
      (f) => f.id === 'reject-not-on-first-layer',
    );
    expect(fired).toBe(expected === false);
  });
});

describe('combineConsentAudit', () => {
  const ignoring = () =>
    measurement({
      atDecision: snapshot({}),
      beforeReload: snapshot({ 'www.google-analytics.com': { requests: 2, at: DECIDED + 20 } }, [
        { name: '_ga', domain: '.example.de', at: DECIDED + 300 },
      ]),
      reload: snapshot(
        {
          'www.google-analytics.com': { requests: 2, at: DECIDED + 3020 },
          'connect.facebook.net': { requests: 1, at: DECIDED + 3030 },
        },
        [
          { name: '_ga', domain: '.example.de', at: DECIDED + 3300 },
          { name: '_fbp', domain: 'www.example.de', at: DECIDED + 3310 },
        ],
      ),
      reloadedAt: DECIDED + 3000,
    });

  it('a page that keeps tracking after "reject all" turns red with tracking-after-reject, evidence by category with times and cookies', () => {
    const first = makeReport();
    expect(first.verdict).toBe('green');
    const r = combineConsentAudit(first, ignoring());
    expect(r.verdict).toBe('red');
    const f = r.findings[0]!;
    expect(f).toMatchObject({ id: 'tracking-after-reject', severity: 'red', certainty: 'observed' });
    expect(f.legal).toEqual(['§ 25 Abs. 1 TDDDG', 'Art. 6(1)(a), 7(3) GDPR']);
    expect(f.evidence).toBe(
      'analytics: www.google-analytics.com +0.0 s; advertising: connect.facebook.net +3.0 s; cookies: _ga +0.3 s, _fbp +3.3 s (rule Onetrust)',
    );
    expect(r.consent).toMatchObject({
      status: 'not-checked',
      decision: 'rejected',
      answer: { requested: 'reject', rule: 'Onetrust', freshProfile: true, clicks: 1, rejectOnFirstLayer: true },
    });
    expect(reportSchemaErrors(r)).toEqual([]);
  });

  it('contacts without cookies (consent-mode pings) still count, and the evidence says so', () => {
    const m = measurement({
      reload: snapshot({ 'www.google-analytics.com': { requests: 1, at: DECIDED + 3000 } }),
      reloadedAt: DECIDED + 2900,
    });
    const r = combineConsentAudit(makeReport(), m);
    expect(r.findings.map((f) => [f.id, f.evidence])).toEqual([
      ['tracking-after-reject', 'analytics: www.google-analytics.com +3.0 s; without cookies (rule Onetrust)'],
    ]);
  });

  it('a page that honours the reject stays as it was; the decision and what followed are still reported', () => {
    const m = measurement({
      beforeReload: snapshot({}, [{ name: 'OptanonConsent', domain: 'www.example.de', at: DECIDED + 2 }]),
      reload: snapshot({ 'cdn.jsdelivr.net': { requests: 1, at: DECIDED + 3000 } }),
      reloadedAt: DECIDED + 2900,
    });
    const first = makeReport({ findings: ['imprint-missing'], verdict: 'yellow' });
    const r = combineConsentAudit(first, m);
    expect(r.findings.map((f) => f.id)).toEqual(['imprint-missing']);
    expect(r.verdict).toBe('yellow');
    expect(r.consent?.afterDecision?.thirdParties.map((h) => [h.host, h.tracking])).toEqual([
      ['cdn.jsdelivr.net', false],
    ]);
    expect(reportSchemaErrors(r)).toEqual([]);
  });

  it('accepting is measured for comparison but never raises these findings', () => {
    const m = { ...ignoring(), answer: answer({ requested: 'accept', decision: 'accepted', clicks: 1 }) };
    const r = combineConsentAudit(makeReport(), m);
    expect(r.findings).toEqual([]);
    expect(r.consent?.decision).toBe('accepted');
    expect(r.consent?.afterDecision?.thirdParties.length).toBe(2);
  });

  it('no decision: decision null with the reason, no afterDecision, no finding', () => {
    const r = combineConsentAudit(
      makeReport(),
      measurement({
        answer: answer({
          decision: null,
          reason: 'no-banner',
          rule: null,
          decidedAt: null,
          answeredAt: null,
          clicks: null,
        }),
      }),
    );
    expect(r.consent).toMatchObject({
      decision: null,
      afterDecision: null,
      answer: { reason: 'no-banner', rejectOnFirstLayer: null },
    });
    expect(r.findings).toEqual([]);
    expect(reportSchemaErrors(r)).toEqual([]);
  });

  it('red outranks a grey verdict from unreadable legal pages, but a page that could not be read at all stays grey', () => {
    const unreadable: Report = { ...makeReport(), verdict: 'grey', greyReason: GREY_REASONS.docsUnreadable };
    const r = combineConsentAudit(unreadable, ignoring());
    expect([r.verdict, r.greyReason]).toEqual(['red', null]);
    const unread: Report = { ...makeReport(), verdict: 'grey', greyReason: GREY_REASONS.notRead };
    expect(combineConsentAudit(unread, ignoring()).verdict).toBe('grey');
  });

  it('keeps the findings ordered red before yellow before info', () => {
    const first = makeReport({ findings: ['imprint-missing'], verdict: 'yellow' });
    const r = combineConsentAudit(first, ignoring());
    expect(r.findings.map((f) => f.id)).toEqual(['tracking-after-reject', 'imprint-missing']);
  });
});

describe('the findings table rows', () => {
  it('are in the table with their rules.json hooks, and never fire without a decision from the audit', () => {
    const byId = Object.fromEntries(FINDING_RULES.map((r) => [r.id, r]));
    expect(legalHooksOf(byId['tracking-after-reject']!)).toEqual(['§ 25 Abs. 1 TDDDG', 'Art. 6(1)(a), 7(3) GDPR']);
    expect(legalHooksOf(byId['reject-not-on-first-layer']!)).toEqual(
      expect.arrayContaining([
        'Art. 4(11), 7(3) GDPR',
        'EDPB Guidelines 05/2020 on consent',
        'EDPB Cookie Banner Taskforce 17.01.2023',
      ]),
    );
    expect(byId['reject-not-on-first-layer']).toMatchObject({
      severity: { default: 'yellow' },
      certainty: 'heuristic',
      source: ['R-TRK-02'],
    });
  });

  it('evidence caps long lists', () => {
    const d = consentDecisionFacts(answer(), null);
    const many = {
      ...d,
      trackingHosts: Array.from({ length: 7 }, (_, i) => ({
        host: `h${i}.ads.example`,
        category: 'advertising',
        afterMs: i * 100,
      })),
    };
    expect(afterRejectEvidence(many)).toBe(
      'advertising: h0.ads.example +0.0 s, h1.ads.example +0.1 s, h2.ads.example +0.2 s, h3.ads.example +0.3 s, … (+3); without cookies (rule Onetrust)',
    );
  });
});
