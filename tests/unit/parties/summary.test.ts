import { beforeAll, describe, expect, it } from 'vitest';
import { type Classifier, createClassifier } from '@/lib/parties/classify';
import { summariseParties } from '@/lib/parties/summary';
import { reduceTally } from '@/lib/tally/reduce';
import type { TallyEvent, TallyState, Visit } from '@/lib/tally/types';
import { loadTrackerIndex } from '@/lib/parties/trackers';
import { realIpTable, realTrackerData } from '../helpers/real-data';

let classifier: Classifier;
beforeAll(() => {
  classifier = createClassifier({ trackers: loadTrackerIndex(realTrackerData()), ipTable: realIpTable() });
});

const TAB = 7;
let n = 0;
function req(url: string, type = 'script', tool?: string): TallyEvent {
  return {
    kind: 'request',
    tabId: TAB,
    frameId: type === 'main_frame' ? 0 : 1,
    requestId: String(++n),
    url,
    type,
    timeStamp: 1000 + n,
    tool: tool ?? null,
  };
}
const resp = (url: string, ip: string): TallyEvent => ({ kind: 'response', tabId: TAB, requestId: String(n), url, ip });

function visitOf(events: TallyEvent[]): Visit {
  const state = events.reduce<TallyState>(reduceTally, {});
  const v = state[TAB];
  if (!v) throw new Error('no visit');
  return v;
}

describe('summariseParties: the Jobcenter-on-Instagram page', () => {
  it('groups hosts by company, counts companies and countries, keeps unknown hosts apart', () => {
    const visit = visitOf([
      req('https://www.jobcenter-musterstadt.de/', 'main_frame'),
      req('https://www.jobcenter-musterstadt.de/stats/matomo.js', 'script', 'matomo'),
      req('https://connect.facebook.net/en_US/fbevents.js'),
      resp('https://connect.facebook.net/en_US/fbevents.js', '157.240.0.35'),
      req('https://www.facebook.com/tr?id=1', 'image'),
      req('https://www.facebook.com/tr?id=2', 'image'),
      req('https://static.cdninstagram.com/rsrc.php', 'script'),
      req('https://www.google-analytics.com/g/collect?v=2', 'ping'),
      resp('https://www.google-analytics.com/g/collect?v=2', '142.250.185.78'),
      req('https://linktr.ee/jobcenter', 'sub_frame'),
      req('https://assets.production.linktr.ee/app.js', 'script'),
      req('https://cdn.unknown-widgets.example/w.js', 'script'),
      resp('https://cdn.unknown-widgets.example/w.js', '3.120.0.1'),
    ]);
    const s = summariseParties(visit, classifier);
    expect(s.thirdParties).toBe(7);
    expect(s.requests).toBe(8);
    expect(s.companies).toBe(3);
    expect(s.unknownHosts).toBe(1);
    expect(s.groups.map((g) => g.organisation ?? `?${g.site}`)).toEqual([
      'Meta',
      'Linktree',
      'Google',
      '?unknown-widgets.example',
    ]);
    const meta = s.groups[0]!;
    expect(meta.requests).toBe(4);
    expect(meta.hosts.map((h) => h.host)).toEqual([
      'www.facebook.com',
      'connect.facebook.net',
      'static.cdninstagram.com',
    ]);
    expect(meta.ownerCountry).toBe('US');
    expect(meta.transferStatus).toBe('conditional');
    expect(meta.categories).toContain('advertising');
    const linktree = s.groups[1]!;
    expect(linktree).toMatchObject({
      ownerCountry: 'AU',
      transferStatus: 'third-country',
      categories: ['link-in-bio'],
    });
    const unknown = s.groups[3]!;
    expect(unknown).toMatchObject({
      organisationId: null,
      organisation: null,
      serverCountries: ['DE'],
      transferStatus: 'eea',
    });
    expect(s.countries).toEqual(['US', 'AU', 'DE']);
    expect(s.selfHosted).toEqual([
      {
        host: 'www.jobcenter-musterstadt.de',
        serviceId: 'matomo',
        service: expect.stringContaining('Matomo'),
        category: 'analytics',
      },
    ]);
  });

  it('a page without third parties has an empty summary', () => {
    const s = summariseParties(
      visitOf([req('https://www.amt.example/', 'main_frame'), req('https://www.amt.example/app.js')]),
      classifier,
    );
    expect(s).toMatchObject({ requests: 0, thirdParties: 0, companies: 0, countries: [], groups: [] });
  });
});
