/**
 * What the popup starts from (lib/toolbar/popup-start.ts): the address names the tab, and a stored
 * first view is used only when it has the shape the first screen reads — anything else (another
 * version's value, damage) makes the popup ask the background instead of showing something wrong.
 */
import { describe, expect, it } from 'vitest';
import { MAX_STORED_CHARS, firstViewKey, popupPath, storedFirstView, worthStoring } from '@/lib/toolbar/popup-start';
import { firstView } from '@/lib/verdict/first-view';
import type { BackgroundReplies } from '@/lib/messages';
import { linktreeReport } from '../helpers/jobcenter-case';

type Reply = BackgroundReplies['get-visit'];

function view(): Reply {
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

describe('popup start', () => {
  it('names the tab in the address and in the key, one per tab', () => {
    expect(popupPath(42)).toBe('popup.html?tabId=42');
    expect(new URL(popupPath(42), 'chrome-extension://id/').searchParams.get('tabId')).toBe('42');
    expect(firstViewKey(42)).not.toBe(firstViewKey(4));
  });

  it('takes a first view as stored (storage.session keeps it as structured data)', () => {
    const v = view();
    expect(storedFirstView(structuredClone(v))).toEqual(v);
  });

  it('does not trust anything else', () => {
    const v = view();
    for (const value of [
      undefined,
      null,
      'x',
      [v],
      { ...v, partial: false },
      { ...v, type: 'error' },
      { ...v, visit: null },
      { ...v, report: null },
      { ...v, report: { verdict: 'red' } },
      { ...v, visit: { url: 1, site: 'x' } },
    ])
      expect(storedFirstView(value), JSON.stringify(value)?.slice(0, 60)).toBeNull();
  });

  it('keeps a large first view out of storage (the popup asks instead)', () => {
    const v = view();
    const cookie = { name: 'consent_id_0123456789', domain: '.tracker.example', path: '/', partitioned: false };
    const withCookies = (n: number) =>
      ({ ...v, visit: { ...v.visit!, cookies: Array.from({ length: n }, () => cookie) } }) as unknown as Reply;
    expect(worthStoring(v)).toBe(true);
    expect(worthStoring(withCookies(20))).toBe(true);
    expect(worthStoring(withCookies(400))).toBe(false);
    expect(worthStoring(withCookies(2000))).toBe(false);
    const longUrl = { ...v, visit: { ...v.visit!, url: `https://example.org/?q=${'x'.repeat(MAX_STORED_CHARS)}` } };
    expect(worthStoring(longUrl as Reply)).toBe(false);
  });
});
