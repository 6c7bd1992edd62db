/**
 * The toolbar button's popup address (lib/toolbar/popup-url.ts): it names the tab and carries the
 * tab's first view, which the popup renders unchanged; a damaged or oversized address makes the
 * popup ask the background instead of showing something wrong.
 */
import { describe, expect, it } from 'vitest';
import { carriesFirstView, firstViewFromHash, MAX_FIRST_VIEW_CHARS, popupPath } from '@/lib/toolbar/popup-url';
import { firstView } from '@/lib/verdict/first-view';
import type { BackgroundReplies } from '@/lib/messages';
import { linktreeReport } from '../helpers/jobcenter-case';

type Reply = BackgroundReplies['get-visit'];

function reply(): Reply {
  const report = linktreeReport();
  return firstView({
    type: 'visit',
    visit: {
      url: report.url,
      site: 'linktr.ee',
      requests: { total: 69, firstParty: 1, thirdParty: 68, failed: 0, blocked: 0 },
      hosts: [],
      hostIndex: {},
      cookies: [],
    } as unknown as Reply['visit'],
    checks: null,
    report,
    dataIncomplete: false,
  });
}

/** What the popup sees as `location.hash` for a path. */
const hashOf = (path: string) => new URL(path, 'chrome-extension://id/').hash;
const searchOf = (path: string) => new URL(path, 'chrome-extension://id/').search;

describe('popupPath', () => {
  it('names the tab, and without a first view carries nothing else', () => {
    expect(popupPath(42, null)).toBe('popup.html?tabId=42');
    expect(carriesFirstView(hashOf(popupPath(42, null)))).toBe(false);
    expect(firstViewFromHash(hashOf(popupPath(42, null)))).toBeNull();
  });

  it('carries the first view, which comes back unchanged (umlauts and quotes included)', () => {
    const view = reply();
    const report = view.report!;
    const withText = {
      ...view,
      report: { ...report, findings: [{ ...report.findings[0]!, title: 'Überwachung „vor“ Einwilligung #1 & 100 %' }] },
    };
    const path = popupPath(7, withText);
    expect(searchOf(path)).toBe('?tabId=7');
    expect(carriesFirstView(hashOf(path))).toBe(true);
    expect(firstViewFromHash(hashOf(path))).toEqual(withText);
  });

  it('leaves out a first view too large for an address: the popup asks instead', () => {
    const view = reply();
    const report = view.report!;
    const many = Array.from({ length: 400 }, (_, i) => ({ ...report.findings[0]!, id: `finding-${i}` }));
    const path = popupPath(7, { ...view, report: { ...report, findings: many } });
    expect(path).toBe('popup.html?tabId=7');
    expect(popupPath(7, view).length).toBeLessThan(MAX_FIRST_VIEW_CHARS);
  });

  it('does not trust a damaged or foreign fragment', () => {
    const good = hashOf(popupPath(7, reply()));
    for (const hash of [
      '',
      '#',
      '#v=',
      '#v=%7B',
      '#v=%E0%A4%A', // a broken percent-escape
      good.slice(0, good.length / 2),
      `#v=${encodeURIComponent(JSON.stringify({ type: 'visit', partial: true, visit: null, report: null }))}`,
      `#v=${encodeURIComponent(JSON.stringify({ ...reply(), partial: false }))}`,
      `#v=${encodeURIComponent(JSON.stringify({ ...reply(), report: { verdict: 'red' } }))}`,
      `#v=${encodeURIComponent('[1,2,3]')}`,
      '#x=1',
    ])
      expect(firstViewFromHash(hash), hash.slice(0, 40)).toBeNull();
    expect(firstViewFromHash(good)).not.toBeNull();
  });
});
