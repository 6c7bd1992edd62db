/**
 * The audit CLI's answer to a consent banner, its pure parts (lib/cli/consent-answer.ts) and the
 * `--consent` option with its table column (lib/cli/audit-args.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AuditResult, DEFAULTS, UsageError, formatTable, parseArgs, progressLine } from '@/lib/cli/audit-args';
import {
  type AnswerTrace,
  afterDecisionCell,
  answerOutcome,
  answeringConfig,
  consentProgress,
  cosmeticRuleNames,
  parsePageMessage,
} from '@/lib/cli/consent-answer';
import { combineConsentAudit } from '@/lib/verdict/consent-decision';
import type { Report } from '@/lib/verdict/report';
import { T0, makeReport } from '../helpers/reports';

const trace = (p: Partial<AnswerTrace> = {}): AnswerTrace => ({
  mode: 'reject',
  library: '@duckduckgo/autoconsent 16.23.0',
  popup: 'Onetrust',
  cosmetic: false,
  answeredAt: 1000,
  result: { ok: true, at: 3000 },
  done: { isCosmetic: false },
  clickTimes: [],
  ...p,
});

describe('answeringConfig', () => {
  it("waits for our answer, never prehides, never guesses with heuristics, runs the rules' checks in the page", () => {
    expect(answeringConfig()).toMatchObject({
      enabled: true,
      autoAction: null,
      enablePrehide: false,
      enableHeuristicDetection: false,
      heuristicMode: 'off',
      isMainWorld: true,
      visualTest: false,
    });
  });
});

describe('parsePageMessage: what the page side may send', () => {
  it("keeps the library's messages the CLI uses, typed", () => {
    expect(parsePageMessage({ type: 'popupFound', cmp: 'Onetrust', url: 'https://a.example/' })).toEqual({
      type: 'popupFound',
      cmp: 'Onetrust',
    });
    expect(
      parsePageMessage({ type: 'optOutResult', cmp: 'Onetrust', result: true, scheduleSelfTest: true, url: 'x' }),
    ).toEqual({ type: 'optOutResult', cmp: 'Onetrust', result: true });
    expect(
      parsePageMessage({ type: 'autoconsentDone', cmp: 'x', isCosmetic: false, totalClicks: 3, url: 'x', duration: 1 }),
    ).toEqual({ type: 'autoconsentDone', cmp: 'x', isCosmetic: false, totalClicks: 3 });
    expect(
      parsePageMessage({
        type: 'report',
        instanceId: 'i',
        url: 'x',
        mainFrame: true,
        state: { lifecycle: 'nothingDetected' },
      }),
    ).toEqual({ type: 'report', lifecycle: 'nothingDetected', mainFrame: true });
    expect(parsePageMessage({ type: 'eval', id: 'abc', code: 'alert(1)', snippetId: 'EVAL_COOKIEBOT_1' })).toEqual({
      type: 'eval',
      id: 'abc',
      snippetId: 'EVAL_COOKIEBOT_1',
    });
  });
  it('drops anything malformed, oversized or unknown (the page can call the binding too)', () => {
    for (const bad of [
      null,
      'optOut',
      [],
      { type: 'optOut' },
      { type: 'popupFound', cmp: 'x'.repeat(201) },
      { type: 'optOutResult', cmp: 'a', result: 'yes' },
      { type: 'autoconsentDone', cmp: 'a', isCosmetic: false, totalClicks: 1.5 },
      { type: 'eval', id: 'x' },
    ])
      expect(parsePageMessage(bad), JSON.stringify(bad)).toBeNull();
  });
});

describe('answerOutcome', () => {
  it('counts only the clicks between the answer and its result; the decision time is the last of them', () => {
    const a = answerOutcome(trace({ clickTimes: [500, 1500, 2200, 3500] }));
    expect(a).toMatchObject({
      decision: 'rejected',
      reason: null,
      rule: 'Onetrust',
      clicks: 2,
      decidedAt: 2200,
      answeredAt: 1000,
    });
  });
  it("an answer without any click (the platform's API) is decided when the result arrived, with 0 clicks", () => {
    expect(answerOutcome(trace({ mode: 'accept' }))).toMatchObject({
      decision: 'accepted',
      clicks: 0,
      decidedAt: 3000,
    });
  });
  it.each([
    [{ popup: null }, 'no-banner'],
    [{ cosmetic: true }, 'cosmetic-only'],
    [{ done: { isCosmetic: true } }, 'cosmetic-only'],
    [{ result: null }, 'answer-timeout'],
    [{ result: { ok: false, at: 2000 } }, 'answer-failed'],
    [{ pageFailed: true }, 'page-failed'],
  ] as [Partial<AnswerTrace>, string][])('%o → no decision: %s', (p, reason) => {
    expect(answerOutcome(trace(p))).toMatchObject({ decision: null, reason, clicks: null, decidedAt: null });
  });
});

describe('cosmeticRuleNames', () => {
  it("names the installed package's rules that can only hide a banner", () => {
    const rules = JSON.parse(
      readFileSync(
        path.resolve(import.meta.dirname, '../../../node_modules/@duckduckgo/autoconsent/rules/rules.json'),
        'utf8',
      ),
    ) as { autoconsent: { name: string; cosmetic?: boolean }[] };
    const names = cosmeticRuleNames(rules.autoconsent);
    expect(names.size).toBeGreaterThan(10);
    for (const answering of ['Onetrust', 'usercentrics-api', 'quantcast']) expect(names.has(answering)).toBe(false);
  });
});

/** A report as the CLI writes it after answering (reject, the given tracking hosts and cookies after it). */
function answered(
  hosts: number,
  cookies: number,
  p: { decision?: 'rejected' | null; mode?: 'reject' | 'accept' } = {},
): Report {
  const decided = T0 + 10_000;
  const thirdParties = Object.fromEntries(
    Array.from({ length: hosts }, (_, i) => [i ? `t${i}.google-analytics.com` : 'www.google-analytics.com', 1]),
  );
  const reload = makeReport({
    thirdParties,
    cookies: Array.from({ length: cookies }, (_, i) => ({ name: `_ga${i ? `_${i}` : ''}`, domain: '.example.de' })),
  });
  for (const h of reload.requests.thirdPartyHosts) {
    h.firstSeenAt = new Date(decided + 3000).toISOString();
    h.category = 'analytics';
  }
  const mode = p.mode ?? 'reject';
  const decision = p.decision === null ? null : mode === 'reject' ? 'rejected' : 'accepted';
  return combineConsentAudit(makeReport(), {
    answer: {
      requested: mode,
      decision,
      reason: decision ? null : 'no-banner',
      rule: decision ? 'Onetrust' : null,
      library: 'x',
      answeredAt: decided - 100,
      decidedAt: decision ? decided : null,
      clicks: decision ? 1 : null,
      optInProbe: null,
    },
    atDecision: null,
    beforeReload: null,
    reload: {
      report: reload,
      cookies: reload.cookies.items.map((c) => ({ name: c.name, domain: c.domain, observedAt: decided + 3100 })),
    },
    reloadedAt: decided + 2900,
    until: decided + 5000,
  });
}

describe('the table column and the progress line', () => {
  it('says how many trackers and tracking cookies followed the decision, or why there was none', () => {
    expect(afterDecisionCell(answered(3, 2), 'de')).toBe('3 Tracker, 2 Cookies');
    expect(afterDecisionCell(answered(1, 0), 'en')).toBe('1 tracker');
    expect(afterDecisionCell(answered(0, 0), 'de')).toBe('keine Tracker');
    expect(afterDecisionCell(answered(0, 0, { decision: null }), 'en')).toBe('no banner');
    expect(afterDecisionCell(makeReport(), 'en')).toBe('–');
    expect(consentProgress(answered(1, 1), 'de')).toBe('abgelehnt (Onetrust, 1 Klick)');
    expect(consentProgress(answered(0, 0, { decision: null }), 'en')).toBe('not rejected: no banner');
    expect(consentProgress(makeReport(), 'en')).toBe('');
  });

  const ok = (url: string, report: Report): AuditResult => ({
    url,
    slug: 'x',
    ok: true,
    report,
    ms: 9000,
    finalUrl: url,
    settled: true,
    httpStatus: 200,
  });
  const failed: AuditResult = {
    url: 'https://down.example/',
    slug: 'y',
    ok: false,
    error: 'net::ERR_CONNECTION_REFUSED',
    ms: 100,
  };

  it('--consent adds the column "nach Ablehnung" / "after reject" ("… Zustimmung" / "after accept" for accept) before the top finding', () => {
    const results = [ok('https://a.example/', answered(2, 1)), failed];
    const de = formatTable(results, 'de', { consent: 'reject' }).split('\n');
    expect(de[0]).toMatch(/^URL\s+Ampel\s+Dritte\s+Cookies\s+nach Ablehnung\s+Wichtigster Befund$/);
    expect(de[2]).toMatch(/^https:\/\/a\.example\/\s+ROT\s+0\s+0\s+2 Tracker, 1 Cookie\s+Nach „Alle ablehnen“/);
    expect(de[3]).toMatch(/FEHLER\s+–\s+–\s+–\s+net::ERR_CONNECTION_REFUSED$/);
    expect(
      formatTable([ok('https://a.example/', answered(1, 0, { mode: 'accept' }))], 'en', { consent: 'accept' }).split(
        '\n',
      )[0],
    ).toMatch(/Cookies\s+after accept\s+Top finding$/);
    // Without --consent the table is as before.
    expect(formatTable(results, 'en').split('\n')[0]).toMatch(
      /^URL\s+Verdict\s+Third parties\s+Cookies\s+Top finding$/,
    );
  });

  it('the progress line names the decision', () => {
    expect(progressLine(ok('https://a.example/', answered(2, 1)), 0, 1, 'en')).toBe(
      '(1/1) RED https://a.example/ (rejected (Onetrust, 1 click)) [9.0 s]',
    );
  });
});

describe('--consent', () => {
  it('takes reject, accept or none (default none)', () => {
    expect(DEFAULTS.consent).toBe('none');
    expect(parseArgs(['https://a.example/']).consent).toBe('none');
    expect(parseArgs(['--consent', 'reject', 'https://a.example/']).consent).toBe('reject');
    expect(parseArgs(['--consent=accept', '--jobs', '3', '--json', 'https://a.example/']).consent).toBe('accept');
    expect(parseArgs(['--consent', 'none', 'https://a.example/']).consent).toBe('none');
  });
  it('refuses anything else', () => {
    expect(() => parseArgs(['--consent', 'maybe', 'https://a.example/'])).toThrow(
      new UsageError('--consent must be reject, accept or none, got "maybe"'),
    );
    expect(() => parseArgs(['--consent'])).toThrow(UsageError);
  });
});
