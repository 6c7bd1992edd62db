/**
 * The popup's first answer (lib/verdict/first-view.ts) on a report with 500 third-party hosts:
 * everything the first screen shows is kept unchanged, the long lists are gone, and the message
 * is a small fraction of the full one (extension messages are JSON-serialised).
 */
import { describe, expect, it } from 'vitest';
import { firstView } from '@/lib/verdict/first-view';
import type { BackgroundReplies } from '@/lib/messages';
import { linktreeReport } from '../helpers/jobcenter-case';

type Reply = BackgroundReplies['get-visit'];

function bigReply(): Reply {
  const report = linktreeReport();
  const rows = Array.from({ length: 500 }, (_, i) => ({
    ...report.requests.thirdPartyHosts[0]!,
    host: `cdn${i}.tracker${i}.example`,
  }));
  const companies = rows.map((r) => ({ ...report.companies[0]!, name: null, site: r.host, hosts: [r.host] }));
  const hosts = rows.map((r) => ({
    host: r.host,
    site: r.host,
    requests: 1,
    failed: 0,
    thirdParty: true,
    types: { image: 1 },
    ips: ['127.0.0.1'],
  }));
  return {
    type: 'visit',
    visit: {
      url: report.url,
      site: 'linktr.ee',
      requests: { total: 501, firstParty: 1, thirdParty: 500, failed: 0, blocked: 0 },
      hosts,
      hostIndex: Object.fromEntries(hosts.map((h, i) => [h.host, i])),
      cookies: [],
      ledger: { ids: rows.map((_, i) => String(i)) },
    } as unknown as Reply['visit'],
    checks: null,
    report: { ...report, companies, requests: { ...report.requests, thirdPartyHosts: rows } },
    dataIncomplete: false,
  };
}

describe('firstView', () => {
  it('keeps what the first screen shows and drops the long lists', () => {
    const full = bigReply();
    const first = firstView(full);
    expect(first.partial).toBe(true);
    expect(first.report?.verdict).toBe(full.report?.verdict);
    expect(first.report?.findings).toEqual(full.report?.findings);
    expect(first.report?.authority).toEqual(full.report?.authority);
    expect(first.report?.thirdParties).toEqual(full.report?.thirdParties);
    expect(first.report?.consent).toEqual(full.report?.consent);
    expect(first.visit?.requests).toEqual(full.visit?.requests);
    expect(first.visit?.cookies).toEqual(full.visit?.cookies);
    expect(first.report?.companies).toEqual([]);
    expect(first.report?.requests.thirdPartyHosts).toEqual([]);
    expect(first.visit?.hosts).toEqual([]);
    expect(first.visit?.ledger).toBeUndefined();
    // The full reply is untouched (the background keeps it cached).
    expect(full.report?.companies).toHaveLength(500);
    expect(JSON.stringify(first).length).toBeLessThan(JSON.stringify(full).length / 10);
  });

  it('passes a reply without a visit or report through', () => {
    const empty: Reply = { type: 'visit', visit: null, checks: null, report: null, dataIncomplete: false };
    expect(firstView(empty)).toEqual({ ...empty, partial: true });
  });
});
