/**
 * The complaint export of an audit that answered the consent banner (lib/export/complaint/consent.ts):
 * the decision, the click time and what followed as facts with timestamps; a plain statement that
 * the tool did this in a fresh profile, naming the consent-platform rule; the tables of what
 * followed. A report without an answer renders exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { buildComplaint } from '@/lib/export/complaint/build';
import type { ComplaintInput } from '@/lib/export/complaint/model';
import { renderComplaintMarkdown } from '@/lib/export/markdown';
import { combineConsentAudit } from '@/lib/verdict/consent-decision';
import type { Report } from '@/lib/verdict/report';
import { T0, makeReport } from '../helpers/reports';

const DECIDED = T0 + 10_000;
const iso = (ms: number) => new Date(ms).toISOString();

function rejectedButTracked(): Report {
  const reload = makeReport({
    thirdParties: { 'www.google-analytics.com': 2, 'connect.facebook.net': 1 },
    cookies: [{ name: '_ga', domain: '.example.de' }],
  });
  for (const [i, h] of reload.requests.thirdPartyHosts.entries()) h.firstSeenAt = iso(DECIDED + 3000 + i * 10);
  return combineConsentAudit(makeReport(), {
    answer: {
      requested: 'reject',
      decision: 'rejected',
      reason: null,
      rule: 'Onetrust',
      library: '@duckduckgo/autoconsent 16.23.0',
      answeredAt: DECIDED - 500,
      decidedAt: DECIDED,
      clicks: 1,
      optInProbe: null,
    },
    atDecision: null,
    beforeReload: null,
    reload: { report: reload, cookies: [{ name: '_ga', domain: '.example.de', observedAt: DECIDED + 3100 }] },
    reloadedAt: DECIDED + 2900,
    until: DECIDED + 6000,
  });
}

const input = (report: Report, lang: 'de' | 'en'): ComplaintInput => ({
  site: 'example.de',
  reports: [report],
  lang,
  toolVersion: '0.1.0',
  now: report.analysedAt,
});

describe('complaint export after --consent reject', () => {
  it('facts: the tool answered in a fresh profile with the named rule, the click time, each tracker and cookie after it with its time', () => {
    const c = buildComplaint(input(rejectedButTracked(), 'de'));
    const facts = c.sections.find((s) => s.id === 'facts')!;
    const note = facts.blocks.find((b) => b.kind === 'paragraph' && b.tone === 'note');
    expect(note && note.kind === 'paragraph' && note.text).toContain('frischen, leeren Browserprofil');
    expect(note && note.kind === 'paragraph' && note.text).toContain('Regel „Onetrust“');
    const list = facts.blocks.find((b) => b.kind === 'list');
    const items = list && list.kind === 'list' ? list.items : [];
    const find = (s: string) => items.find((i) => i.text.includes(s));
    expect(find('beantwortet das Einwilligungsbanner')).toMatchObject({ at: iso(DECIDED - 500) });
    expect(find('„Alle ablehnen“ ausgeführt (letzter von 1 Klick)')).toMatchObject({ at: iso(DECIDED) });
    expect(find('Anfrage an www.google-analytics.com')).toMatchObject({ at: iso(DECIDED + 3000) });
    expect(find('Anfrage an www.google-analytics.com')!.text).toContain('3,0 s nach dem Klick');
    expect(find('Cookie _ga (.example.de)')).toMatchObject({ at: iso(DECIDED + 3100) });
    expect(find('neu geladen')).toMatchObject({ at: iso(DECIDED + 2900) });
    // In time order.
    const times = items.map((i) => i.at ?? '');
    expect(times).toEqual([...times].sort());
  });

  it('technical section: what followed the decision as tables; assessment: the finding with its hooks', () => {
    const md = renderComplaintMarkdown(buildComplaint(input(rejectedButTracked(), 'en')));
    // URLs in captions are text, escaped so that no GFM renderer links them (markdown-gfm.test.ts).
    expect(md).toContain('**Third parties after "Reject all" on https\\://www\\.example\\.de/ (decision ');
    expect(md).toMatch(/\| www\\\.google-analytics\\\.com \| Google LLC \| [^|]+ \| yes \| 2 \| 3\.0 s \| reloaded \|/);
    expect(md).toContain('Cookies set or updated after "Reject all" on https\\://www\\.example\\.de/');
    expect(md).toContain('rule "Onetrust" of \\@duckduckgo/autoconsent 16.23.0');
    expect(md).toContain('§ 25 Abs. 1 TDDDG; Art. 6(1)(a), 7(3) GDPR');
  });

  it('says when nothing followed, and why a banner was not answered', () => {
    const honoured = combineConsentAudit(makeReport(), {
      answer: {
        requested: 'reject',
        decision: 'rejected',
        reason: null,
        rule: 'quantcast',
        library: 'x',
        answeredAt: DECIDED - 100,
        decidedAt: DECIDED,
        clicks: 1,
        optInProbe: null,
      },
      atDecision: null,
      beforeReload: null,
      reload: { report: makeReport(), cookies: [] },
      reloadedAt: DECIDED + 2000,
      until: DECIDED + 4000,
    });
    expect(renderComplaintMarkdown(buildComplaint(input(honoured, 'de')))).toContain(
      'keine Anfragen an Werbe-, Statistik-, Social-Media- oder Session-Replay-Dienste und keine Tracking-Cookies',
    );
    const none = combineConsentAudit(makeReport(), {
      answer: {
        requested: 'reject',
        decision: null,
        reason: 'no-banner',
        rule: null,
        library: 'x',
        answeredAt: null,
        decidedAt: null,
        clicks: null,
        optInProbe: null,
      },
      atDecision: null,
      beforeReload: null,
      reload: null,
      reloadedAt: null,
      until: null,
    });
    expect(renderComplaintMarkdown(buildComplaint(input(none, 'en')))).toContain(
      'The consent banner was not answered with "Reject all": no banner of a known consent platform was found',
    );
  });

  it('adds nothing to a report without an answer', () => {
    const plain = makeReport({ thirdParties: { 'www.google-analytics.com': 1 } });
    const md = renderComplaintMarkdown(buildComplaint(input(plain, 'de')));
    expect(md).not.toContain('Einwilligungsbanner');
    expect(md).not.toContain('frischen');
  });
});
