// What changed between two visits (lib/history/diff.ts), on hand-built reports that pass the schema.
import { describe, expect, it } from 'vitest';
import { diffVisits, requestSeries } from '@/lib/history/diff';
import type { Report } from '@/lib/verdict/report';
import { reportSchemaErrors } from '../../report-schema';
import { DAY, T0, makeReport } from '../helpers/reports';

const older = makeReport({
  visitedAt: T0 - 7 * DAY,
  verdict: 'yellow',
  thirdParties: { 'fonts.googleapis.com': 2, 'cdn.jsdelivr.net': 1 },
  cookies: [
    { name: 'sid', domain: 'www.example.de' },
    { name: '_ga', domain: '.example.de' },
  ],
  findings: ['third-country-transfer', 'imprint-missing'],
});
const newer = makeReport({
  visitedAt: T0,
  verdict: 'red',
  thirdParties: { 'fonts.googleapis.com': 2, 'www.google-analytics.com': 4, 'connect.facebook.net': 1 },
  cookies: [
    { name: 'sid', domain: 'www.example.de' },
    { name: '_ga', domain: '.EXAMPLE.de' },
    { name: '_fbp', domain: '.example.de', thirdParty: true },
  ],
  findings: ['third-country-transfer', 'tracking-before-consent'],
});

describe('diffVisits', () => {
  it('the test reports are valid reports', () => {
    expect(reportSchemaErrors(older)).toEqual([]);
    expect(reportSchemaErrors(newer)).toEqual([]);
  });

  it('lists new and gone third parties, cookies and findings, and the verdict change', () => {
    expect(diffVisits(older, newer)).toEqual({
      newThirdParties: ['connect.facebook.net', 'www.google-analytics.com'],
      goneThirdParties: ['cdn.jsdelivr.net'],
      newCookies: ['_fbp@.example.de'],
      goneCookies: [],
      newFindings: ['tracking-before-consent'],
      resolvedFindings: ['imprint-missing'],
      verdictChanged: { from: 'yellow', to: 'red' },
    });
  });

  it('is symmetric: swapping the visits swaps new and gone', () => {
    const forward = diffVisits(older, newer);
    const back = diffVisits(newer, older);
    expect(back.newThirdParties).toEqual(forward.goneThirdParties);
    expect(back.goneThirdParties).toEqual(forward.newThirdParties);
    expect(back.goneCookies).toEqual(forward.newCookies);
    expect(back.resolvedFindings).toEqual(forward.newFindings);
    expect(back.verdictChanged).toEqual({ from: 'red', to: 'yellow' });
  });

  it('reports nothing for the same visit twice', () => {
    expect(diffVisits(newer, structuredClone(newer))).toEqual({
      newThirdParties: [],
      goneThirdParties: [],
      newCookies: [],
      goneCookies: [],
      newFindings: [],
      resolvedFindings: [],
      verdictChanged: null,
    });
  });

  it('a cookie of the same name on another domain is another cookie; a leading dot matters, case does not', () => {
    const a = makeReport({ cookies: [{ name: 'id', domain: 'www.example.de' }] });
    const b = makeReport({
      cookies: [
        { name: 'id', domain: '.example.de' },
        { name: 'id', domain: 'WWW.example.de' },
      ],
    });
    expect(diffVisits(a, b)).toMatchObject({ newCookies: ['id@.example.de'], goneCookies: [] });
  });

  it('never throws on damaged stored reports (missing arrays count as empty)', () => {
    const damaged = { ...older, requests: {}, cookies: null, findings: 'x' } as unknown as Report;
    expect(() => diffVisits(damaged, newer)).not.toThrow();
    expect(diffVisits(damaged, newer).newThirdParties).toEqual([
      'connect.facebook.net',
      'fonts.googleapis.com',
      'www.google-analytics.com',
    ]);
    expect(diffVisits(newer, damaged).resolvedFindings).toEqual(['third-country-transfer', 'tracking-before-consent']);
  });
});

describe('requestSeries', () => {
  it('plots third-party requests per visit, oldest first whatever the input order', () => {
    const reports = [newer, older, makeReport({ visitedAt: T0 - 3 * DAY, thirdParties: {} })];
    expect(requestSeries(reports)).toEqual([
      { at: older.visitedAt, thirdPartyRequests: 3 },
      { at: new Date(T0 - 3 * DAY).toISOString(), thirdPartyRequests: 0 },
      { at: newer.visitedAt, thirdPartyRequests: 7 },
    ]);
  });

  it('leaves out reports without a readable visit time and is empty for no reports', () => {
    const bad = { ...older, visitedAt: 'gestern' } as Report;
    expect(requestSeries([bad, newer])).toEqual([{ at: newer.visitedAt, thirdPartyRequests: 7 }]);
    expect(requestSeries([])).toEqual([]);
    expect(requestSeries(null as unknown as Report[])).toEqual([]);
  });
});
