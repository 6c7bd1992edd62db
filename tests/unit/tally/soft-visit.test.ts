import { describe, expect, it } from 'vitest';
import { reduceTally } from '@/lib/tally/reduce';
import type { TallyEvent, TallyState, Visit } from '@/lib/tally/types';

const TAB = 3;
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const FEED = 'https://www.instagram.com/';
const PROFILE = 'https://www.instagram.com/jobcenter_musterstadt/';

let id = 100;
const req = (url: string, timeStamp: number, type = 'xmlhttprequest', requestId = String(id++)): TallyEvent => ({
  kind: 'request',
  tabId: TAB,
  frameId: 0,
  requestId,
  url,
  type,
  timeStamp,
});
const history = (url: string, timeStamp: number): TallyEvent => ({ kind: 'history', tabId: TAB, url, timeStamp });
const run = (events: TallyEvent[], state: TallyState = {}) => events.reduce(reduceTally, state);
const visit = (s: TallyState): Visit => s[TAB]!;
const hostRequests = (v: Visit | undefined, host: string) =>
  v && v.hostIndex[host] !== undefined ? v.hosts[v.hostIndex[host]!]!.requests : 0;

describe('soft navigations in the tally', () => {
  const load = () =>
    run([
      req(FEED, T0, 'main_frame', '1'),
      req('https://static.cdninstagram.com/app.js', T0 + 10, 'script'),
      req('https://graph.instagram.com/feed', T0 + 500),
    ]);

  it('a pushState to a profile starts a history visit with the requests after it only', () => {
    const s = run(
      [
        history(PROFILE, T0 + 1000),
        req('https://graph.instagram.com/profile', T0 + 1010),
        req('https://scontent.cdninstagram.com/pic.jpg', T0 + 1020, 'image'),
      ],
      load(),
    );
    const v = visit(s);
    expect(v.url).toBe(PROFILE);
    expect(v.navigation).toBe('history');
    expect(v.requests.total).toBe(2);
    expect(v.previous?.url).toBe(FEED);
    expect(v.previous?.requests.total).toBe(3);
    expect(v.visitId).not.toBe(v.previous?.visitId);
  });

  it('a request started before the change is the page before’s, even when its event arrives after it', () => {
    const late = req('https://graph.instagram.com/feed-more', T0 + 990);
    const s = run([history(PROFILE, T0 + 1000), late, req('https://graph.instagram.com/profile', T0 + 1001)], load());
    expect(visit(s).requests.total).toBe(1);
    expect(hostRequests(visit(s).previous, 'graph.instagram.com')).toBe(2);
  });

  it('the later events of the page before’s requests (response, error) stay with it', () => {
    const inFlight = req('https://ads.tracker.example/pixel', T0 + 900, 'image', '500');
    const s = run(
      [
        inFlight,
        history(PROFILE, T0 + 1000),
        {
          kind: 'error',
          tabId: TAB,
          requestId: '500',
          url: 'https://ads.tracker.example/pixel',
          error: 'net::ERR_CONNECTION_RESET',
          type: 'image',
          frameId: 0,
          timeStamp: T0 + 1500,
        },
        {
          kind: 'response',
          tabId: TAB,
          requestId: '501',
          url: 'https://graph.instagram.com/late',
          ip: '10.0.0.1',
          type: 'xmlhttprequest',
          frameId: 0,
          timeStamp: T0 + 1600,
        },
      ],
      load(),
    );
    const v = visit(s);
    expect(v.requests).toMatchObject({ total: 1, failed: 0 });
    expect(hostRequests(v, 'ads.tracker.example')).toBe(0);
    expect(v.previous?.requests).toMatchObject({ total: 4, failed: 1 });
  });

  it('a fragment change or a post overlay is no new visit; the requests stay with the page', () => {
    const profile = run([history(PROFILE, T0 + 1000)], load());
    const s = run(
      [
        history(`${PROFILE}#top`, T0 + 1100),
        history('https://www.instagram.com/p/C8xyz12/', T0 + 1200),
        req('https://graph.instagram.com/post', T0 + 1210),
        history(PROFILE, T0 + 1300),
      ],
      profile,
    );
    expect(visit(s).visitId).toBe(visit(profile).visitId);
    expect(visit(s).url).toBe(PROFILE);
    expect(visit(s).requests.total).toBe(1);
  });

  it('going back to the start page is a visit of the start page again', () => {
    const s = run(
      [
        history(PROFILE, T0 + 1000),
        req('https://graph.instagram.com/profile', T0 + 1010),
        history(FEED, T0 + 2000),
        req('https://graph.instagram.com/feed', T0 + 2010),
      ],
      load(),
    );
    expect(visit(s).url).toBe(FEED);
    expect(visit(s).navigation).toBe('history');
    expect(visit(s).requests.total).toBe(1);
    expect(visit(s).previous?.url).toBe(PROFILE);
    expect(visit(s).previous?.previous).toBeUndefined();
  });

  it('a history event older than the tab’s visit (from the document before) changes nothing', () => {
    const s = load();
    expect(run([history(PROFILE, T0 - 5)], s)).toBe(s);
    expect(run([history(PROFILE, T0 + 5)], {})).toEqual({});
  });

  it('a new document after a soft navigation is a document visit again, and the previous loses its ledger', () => {
    const s = run(
      [history(PROFILE, T0 + 1000), req('https://www.stadt-musterstadt.de/', T0 + 3000, 'main_frame', '900')],
      load(),
    );
    expect(visit(s).navigation).toBeUndefined();
    expect(visit(s).previous?.url).toBe(PROFILE);
    expect(visit(s).previous?.ledger).toBeUndefined();
  });
});
