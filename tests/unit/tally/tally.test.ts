import { describe, expect, it } from 'vitest';
import type { ApiCookie } from '@/lib/tally/cookies';
import { reduceTally } from '@/lib/tally/reduce';
import { LIMITS, TALLY_VERSION, type TallyEvent, type TallyState, type Visit, isVisit } from '@/lib/tally/types';
import { newVisit, notSentReasonOf } from '@/lib/tally/visit';
import { answeredFromCache, dateHeader } from '@/lib/tally/from-cache';
import { cookieCounts, thirdPartyHostCount } from '@/lib/tally/visit-stats';

const TAB = 7;
const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

let nextRequestId = 1;
function request(
  url: string,
  type = 'script',
  opts: { tabId?: number; frameId?: number; requestId?: string; timeStamp?: number } = {},
): TallyEvent {
  return {
    kind: 'request',
    tabId: opts.tabId ?? TAB,
    frameId: opts.frameId ?? (type === 'main_frame' ? 0 : 0),
    requestId: opts.requestId ?? String(nextRequestId++),
    url,
    type,
    timeStamp: opts.timeStamp ?? T0,
  };
}

function navigate(url: string, tabId = TAB, timeStamp = T0): TallyEvent {
  return request(url, 'main_frame', { tabId, frameId: 0, timeStamp });
}

function apiCookie(overrides: Partial<ApiCookie> = {}): ApiCookie {
  return {
    name: 'id',
    domain: '.example.com',
    path: '/',
    hostOnly: false,
    session: true,
    secure: false,
    httpOnly: false,
    ...overrides,
  };
}

function cookieChanged(cookie: Partial<ApiCookie>, timeStamp = T0 + 100, removed = false): TallyEvent {
  return { kind: 'cookie-changed', cookie: apiCookie(cookie), removed, timeStamp };
}

function run(events: TallyEvent[], state: TallyState = {}): TallyState {
  return events.reduce(reduceTally, state);
}

function visitOf(state: TallyState, tabId = TAB): Visit {
  const v = state[tabId];
  if (!v) throw new Error(`no visit for tab ${tabId}`);
  return v;
}

function host(visit: Visit, name: string) {
  const i = visit.hostIndex[name];
  return i === undefined ? undefined : visit.hosts[i];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** A page with first-party subresources, third parties, an iframe and cookies. */
function busyPage(): TallyState {
  return run([
    navigate('https://www.example.com/'),
    request('https://static.example.com/app.js', 'script'),
    request('https://tracker.net/p.gif', 'image'),
    request('https://embed.widget.org/frame', 'sub_frame', { frameId: 3 }),
    request('https://embed.widget.org/w.js', 'script', { frameId: 3 }),
    { kind: 'response', tabId: TAB, requestId: 'x', url: 'https://tracker.net/p.gif', ip: '203.0.113.5' },
    {
      kind: 'set-cookie',
      tabId: TAB,
      url: 'https://tracker.net/p.gif',
      lines: ['tid=1; Domain=tracker.net; Path=/; Max-Age=3600'],
      timeStamp: T0 + 10,
    },
    cookieChanged({ name: 'sid', domain: 'www.example.com', hostOnly: true, path: '/' }),
  ]);
}

describe('reduceTally: visits', () => {
  it('starts a visit with a main_frame request in frame 0 and counts the document', () => {
    const state = run([navigate('https://www.example.com/page')]);
    const v = visitOf(state);
    expect(v).toMatchObject({
      version: TALLY_VERSION,
      tabId: TAB,
      url: 'https://www.example.com/page',
      site: 'example.com',
      startedAt: T0,
      truncated: false,
    });
    expect(v.requests).toEqual({
      total: 1,
      firstParty: 1,
      thirdParty: 0,
      failed: 0,
      blocked: 0,
      cacheProbe: 0,
      cache: 0,
    });
    expect(v.hosts).toHaveLength(1);
    expect(v.hosts[0]).toMatchObject({
      host: 'www.example.com',
      site: 'example.com',
      thirdParty: false,
      requests: 1,
      types: { main_frame: 1 },
    });
  });

  it('ignores subresource requests of a tab without a visit', () => {
    const state: TallyState = {};
    expect(reduceTally(state, request('https://example.com/a.js'))).toBe(state);
  });

  it('does not start a visit from a main_frame request outside frame 0', () => {
    const state: TallyState = {};
    expect(reduceTally(state, request('https://example.com/', 'main_frame', { frameId: 2 }))).toBe(state);
  });

  it('a new main_frame request resets the visit', () => {
    const first = busyPage();
    const before = visitOf(first);
    const state = reduceTally(first, navigate('https://news.example.org/', TAB, T0 + 5000));
    const v = visitOf(state);
    expect(v.visitId).not.toBe(before.visitId);
    expect(v.site).toBe('example.org');
    expect(v.startedAt).toBe(T0 + 5000);
    expect(v.requests).toEqual({
      total: 1,
      firstParty: 1,
      thirdParty: 0,
      failed: 0,
      blocked: 0,
      cacheProbe: 0,
      cache: 0,
    });
    expect(v.hosts.map((h) => h.host)).toEqual(['news.example.org']);
    expect(v.cookies).toEqual([]);
  });

  it('keeps visits of different tabs apart', () => {
    const state = run([
      navigate('https://a.example.com/', 1),
      navigate('https://b.other.com/', 2),
      request('https://cdn.other.com/x.js', 'script', { tabId: 2 }),
    ]);
    expect(visitOf(state, 1).requests.total).toBe(1);
    expect(visitOf(state, 2).requests.total).toBe(2);
    expect(visitOf(state, 2).requests.firstParty).toBe(2);
  });
});

describe('reduceTally: requests', () => {
  it('counts first- and third-party requests; same-site subdomains are first party', () => {
    const v = visitOf(busyPage());
    expect(v.requests).toEqual({
      total: 5,
      firstParty: 2,
      thirdParty: 3,
      failed: 0,
      blocked: 0,
      cacheProbe: 0,
      cache: 0,
    });
    expect(host(v, 'static.example.com')).toMatchObject({ thirdParty: false, requests: 1, types: { script: 1 } });
    expect(host(v, 'tracker.net')).toMatchObject({
      thirdParty: true,
      site: 'tracker.net',
      requests: 1,
      types: { image: 1 },
    });
  });

  it('judges iframe requests against the top-level page, not the frame', () => {
    const state = run([
      navigate('https://www.example.com/'),
      request('https://embed.widget.org/frame', 'sub_frame', { frameId: 3 }),
      request('https://embed.widget.org/w.js', 'script', { frameId: 3 }),
      request('https://cdn.widget.org/x.js', 'script', { frameId: 3 }),
      request('https://www.example.com/api', 'xmlhttprequest', { frameId: 3 }),
    ]);
    const v = visitOf(state);
    expect(host(v, 'embed.widget.org')).toMatchObject({
      thirdParty: true,
      requests: 2,
      types: { sub_frame: 1, script: 1 },
    });
    expect(host(v, 'cdn.widget.org')?.thirdParty).toBe(true);
    expect(host(v, 'www.example.com')).toMatchObject({ thirdParty: false, requests: 2 });
    expect(v.requests).toMatchObject({ total: 5, firstParty: 2, thirdParty: 3 });
  });

  it('keeps per-host rows in order of first request with per-type counts', () => {
    const state = run([
      navigate('https://www.example.com/'),
      request('https://tracker.net/a.js', 'script'),
      request('https://cdn.example.com/i.png', 'image'),
      request('https://tracker.net/b.png', 'image'),
      request('https://tracker.net/c.js', 'script'),
    ]);
    const v = visitOf(state);
    expect(v.hosts.map((h) => h.host)).toEqual(['www.example.com', 'tracker.net', 'cdn.example.com']);
    expect(v.hostIndex).toEqual({ 'www.example.com': 0, 'tracker.net': 1, 'cdn.example.com': 2 });
    expect(host(v, 'tracker.net')).toMatchObject({ requests: 3, types: { script: 2, image: 1 } });
  });

  it('counts repeated identical POSTs each time', () => {
    const beacon = () => request('https://collect.tracker.net/event', 'xmlhttprequest');
    const v = visitOf(run([navigate('https://www.example.com/'), beacon(), beacon(), beacon()]));
    expect(host(v, 'collect.tracker.net')).toMatchObject({ requests: 3, types: { xmlhttprequest: 3 } });
    expect(v.requests.thirdParty).toBe(3);
  });

  it('ignores requests of tab -1 and non-http URLs, returning the same state object', () => {
    const state = busyPage();
    for (const event of [
      request('https://tracker.net/sw.js', 'script', { tabId: -1 }),
      request('https://www.example.com/', 'main_frame', { tabId: -1 }),
      request('data:image/png;base64,AAAA', 'image'),
      request('blob:https://www.example.com/uuid', 'media'),
      request('chrome-extension://abc/inject.js', 'script'),
      request('about:blank', 'sub_frame', { frameId: 4 }),
      request('ws://socket.example.com/', 'websocket'),
      navigate('about:blank'),
      navigate('data:text/html,x'),
    ]) {
      expect(reduceTally(state, event)).toBe(state);
    }
  });
});

describe('reduceTally: responses, errors, redirects', () => {
  it('records each server IP once per host', () => {
    const resp = (ip: string): TallyEvent => ({
      kind: 'response',
      tabId: TAB,
      requestId: 'r',
      url: 'https://tracker.net/p.gif',
      ip,
    });
    const state = run([resp('203.0.113.5'), resp('2001:db8::7'), resp('203.0.113.5')], busyPage());
    expect(host(visitOf(state), 'tracker.net')?.ips).toEqual(['203.0.113.5', '2001:db8::7']);
  });

  it('returns the same state for a repeated IP and for a response without IP', () => {
    const state = busyPage();
    expect(
      reduceTally(state, {
        kind: 'response',
        tabId: TAB,
        requestId: 'r',
        url: 'https://tracker.net/x',
        ip: '203.0.113.5',
      }),
    ).toBe(state);
    expect(reduceTally(state, { kind: 'response', tabId: TAB, requestId: 'r', url: 'https://tracker.net/x' })).toBe(
      state,
    );
    expect(
      reduceTally(state, { kind: 'response', tabId: TAB, requestId: 'r', url: 'https://tracker.net/x', ip: '' }),
    ).toBe(state);
  });

  it('caps IPs per host', () => {
    const events: TallyEvent[] = [];
    for (let i = 0; i < LIMITS.ipsPerHost + 5; i++) {
      events.push({
        kind: 'response',
        tabId: TAB,
        requestId: 'r',
        url: 'https://tracker.net/p.gif',
        ip: `198.51.100.${i}`,
      });
    }
    const ips = host(visitOf(run(events, busyPage())), 'tracker.net')!.ips;
    expect(ips).toHaveLength(LIMITS.ipsPerHost);
    expect(ips[0]).toBe('203.0.113.5');
  });

  it('does not create a host row from a response for a host never requested', () => {
    const state = busyPage();
    expect(
      reduceTally(state, { kind: 'response', tabId: TAB, requestId: 'r', url: 'https://unknown.net/', ip: '1.2.3.4' }),
    ).toBe(state);
  });

  it('counts network errors as failed; a request blocked before it was sent leaves the counts for notSent', () => {
    const page = busyPage();
    const blockedId = String(nextRequestId);
    const state = run(
      [
        request('https://ads.tracker.net/a.js', 'script', { requestId: blockedId }),
        {
          kind: 'error',
          tabId: TAB,
          requestId: blockedId,
          url: 'https://ads.tracker.net/a.js',
          error: 'net::ERR_BLOCKED_BY_CLIENT',
        },
        {
          kind: 'error',
          tabId: TAB,
          requestId: 'e2',
          url: 'https://static.example.com/app.js',
          error: 'net::ERR_CONNECTION_REFUSED',
        },
      ],
      page,
    );
    const v = visitOf(state);
    // Before the counting rule the blocked request was in the total (6) and in failed (2).
    expect(v.requests).toMatchObject({ total: 5, failed: 1, blocked: 1, cacheProbe: 0, cache: 0 });
    expect(host(v, 'ads.tracker.net')).toMatchObject({ requests: 0, failed: 0, blocked: 1 });
    expect(host(v, 'static.example.com')).toMatchObject({ failed: 1, blocked: 0 });
    // A host whose only request was blocked was never contacted: not on the badge.
    expect(thirdPartyHostCount(v)).toBe(thirdPartyHostCount(visitOf(page)));
  });

  it('ignores errors for hosts the visit never requested', () => {
    const state = busyPage();
    expect(
      reduceTally(state, {
        kind: 'error',
        tabId: TAB,
        requestId: 'e',
        url: 'https://nowhere.net/',
        error: 'net::ERR_FAILED',
      }),
    ).toBe(state);
    expect(
      reduceTally(state, {
        kind: 'error',
        tabId: 99,
        requestId: 'e',
        url: 'https://tracker.net/',
        error: 'net::ERR_FAILED',
      }),
    ).toBe(state);
  });

  it('notSentReasonOf: cache-only misses and blocks before sending; blocked responses reached the server', () => {
    expect(notSentReasonOf('net::ERR_CACHE_MISS')).toBe('cacheProbe');
    expect(notSentReasonOf('net::ERR_BLOCKED_BY_CLIENT')).toBe('blocked');
    expect(notSentReasonOf('net::ERR_BLOCKED_BY_ADMINISTRATOR')).toBe('blocked');
    expect(notSentReasonOf('NS_ERROR_CONTENT_BLOCKED')).toBe('blocked');
    // The response arrived and was then blocked (CORP/COEP, ORB): the server saw the request.
    expect(notSentReasonOf('net::ERR_BLOCKED_BY_RESPONSE')).toBeNull();
    expect(notSentReasonOf('net::ERR_BLOCKED_BY_ORB')).toBeNull();
    expect(notSentReasonOf('net::ERR_CONNECTION_REFUSED')).toBeNull();
    expect(notSentReasonOf('NS_ERROR_NET_RESET')).toBeNull();
  });

  it('takes an internal-redirect hop back out of the counts (HSTS upgrade)', () => {
    const state = run([
      navigate('https://www.example.com/'),
      request('http://tracker.net/p.js', 'script', { requestId: '900' }),
      { kind: 'internal-redirect', tabId: TAB, requestId: '900', url: 'http://tracker.net/p.js', type: 'script' },
      request('https://tracker.net/p.js', 'script', { requestId: '900' }),
    ]);
    const v = visitOf(state);
    expect(v.requests).toMatchObject({ total: 2, firstParty: 1, thirdParty: 1 });
    expect(host(v, 'tracker.net')).toMatchObject({ requests: 1, types: { script: 1 } });
  });

  it('removes only the hop type, once per hop, and never goes negative', () => {
    const base = run([
      navigate('https://www.example.com/'),
      request('https://static.example.com/a.js', 'script', { requestId: '901' }),
      request('https://static.example.com/i.png', 'image', { requestId: '902' }),
    ]);
    const hop: TallyEvent = {
      kind: 'internal-redirect',
      tabId: TAB,
      requestId: '901',
      url: 'https://static.example.com/a.js',
      type: 'script',
    };
    const once = reduceTally(base, hop);
    expect(host(visitOf(once), 'static.example.com')).toMatchObject({ requests: 1, types: { image: 1 } });
    expect(host(visitOf(once), 'static.example.com')!.types).not.toHaveProperty('script');
    // The same hop again (a replayed event) changes nothing.
    expect(run([hop, hop, hop], once)).toBe(once);
    // Without a ledger (a visit stored by an older version) the host-based fallback still floors at 0.
    const { ledger: _l, ...legacyVisit } = visitOf(base);
    const legacy = { [TAB]: legacyVisit as Visit };
    const other: TallyEvent = {
      kind: 'internal-redirect',
      tabId: TAB,
      requestId: 'h',
      url: 'https://static.example.com/a.js',
      type: 'script',
    };
    const thrice = run([other, other, other], legacy);
    expect(host(visitOf(thrice), 'static.example.com')!.requests).toBe(0);
    expect(visitOf(thrice).requests).toMatchObject({ total: 1, firstParty: 1 });
    expect(reduceTally(thrice, other)).toBe(thrice);
  });

  it('takes back nothing for an internal-redirect whose request event never arrived, and then ignores that request', () => {
    const base = run([navigate('https://www.example.com/'), request('https://static.example.com/i.png', 'image')]);
    const hop: TallyEvent = {
      kind: 'internal-redirect',
      tabId: TAB,
      requestId: '903',
      url: 'http://static.example.com/a.js',
      type: 'script',
    };
    const after = reduceTally(base, hop);
    expect(visitOf(after).requests).toEqual(visitOf(base).requests);
    // Its request event, arriving late, is already known as a hop that is not a network request.
    const late = reduceTally(after, request('http://static.example.com/a.js', 'script', { requestId: '903' }));
    expect(visitOf(late).requests).toEqual(visitOf(base).requests);
  });

  it('ignores an internal-redirect for an unknown host', () => {
    const state = busyPage();
    const after = reduceTally(state, {
      kind: 'internal-redirect',
      tabId: TAB,
      requestId: 'h',
      url: 'https://nowhere.net/',
      type: 'script',
    });
    expect(visitOf(after).requests).toEqual(visitOf(state).requests);
    expect(visitOf(after).hosts).toEqual(visitOf(state).hosts);
  });

  // BUG (lib/tally/visit.ts removeInternalHop + thirdPartyHostCount): when a third-party request's only
  // hop is an internal redirect that leaves the observed http(s) space (an ad blocker redirecting
  // the tracker script to a chrome-extension:// surrogate, or to another host), the request count
  // is taken back out but the host row stays with requests 0 and thirdParty true. The toolbar
  // badge (thirdPartyHostCount) then still counts a host that no request ever went to, and the
  // host stays eligible for cookie attribution.
  it('does not count a third-party host whose only request was an internal redirect', () => {
    const state = run([
      navigate('https://www.example.com/'),
      request('https://ads.tracker.net/ad.js', 'script', { requestId: '904' }),
      { kind: 'internal-redirect', tabId: TAB, requestId: '904', url: 'https://ads.tracker.net/ad.js', type: 'script' },
    ]);
    const v = visitOf(state);
    expect(v.requests).toMatchObject({ total: 1, thirdParty: 0 });
    expect(thirdPartyHostCount(v)).toBe(0);
  });
});

describe('reduceTally: cookies', () => {
  it('counts a cookie seen by header and by the cookies API once, seen by both', () => {
    const state = run(
      [
        {
          kind: 'set-cookie',
          tabId: TAB,
          url: 'https://tracker.net/p.gif',
          lines: ['tid=1; Domain=tracker.net; Path=/; Max-Age=3600'],
          timeStamp: T0 + 10,
        },
        cookieChanged({
          name: 'tid',
          domain: '.tracker.net',
          path: '/',
          hostOnly: false,
          session: false,
          expirationDate: (T0 + 10) / 1000 + 3600,
        }),
      ],
      busyPage(),
    );
    const v = visitOf(state);
    const tid = v.cookies.filter((c) => c.name === 'tid');
    expect(tid).toHaveLength(1);
    expect(tid[0]!.seenBy).toEqual(['header', 'script']);
    expect(tid[0]).toMatchObject({ thirdParty: true, domain: '.tracker.net', lifetimeSeconds: 3600 });
    expect(cookieCounts(v)).toEqual({
      total: 2,
      firstParty: 1,
      thirdParty: 1,
      session: 1,
      persistent: 1,
      partitioned: 0,
      headerOnly: 0,
    });
  });

  it('dedupes the same cookie in a Firefox-style header and a later API change', () => {
    const state = run([
      navigate('https://www.example.com/a/page.html'),
      {
        kind: 'set-cookie',
        tabId: TAB,
        url: 'https://www.example.com/a/page.html',
        lines: ['sid=1', 'sid=2'],
        timeStamp: T0 + 1,
      },
      cookieChanged({ name: 'sid', domain: 'www.example.com', hostOnly: true, path: '/a' }),
    ]);
    const v = visitOf(state);
    expect(v.cookies).toHaveLength(1);
    expect(v.cookies[0]).toMatchObject({
      name: 'sid',
      domain: 'www.example.com',
      path: '/a',
      thirdParty: false,
      seenBy: ['header', 'script'],
      lifetimeSeconds: null,
    });
  });

  it('returns the same state when a set-cookie event adds nothing new', () => {
    const state = busyPage();
    expect(
      reduceTally(state, {
        kind: 'set-cookie',
        tabId: TAB,
        url: 'https://tracker.net/p.gif',
        lines: ['tid=1; Domain=tracker.net; Path=/'],
        timeStamp: T0 + 20,
      }),
    ).toBe(state);
    expect(
      reduceTally(state, {
        kind: 'set-cookie',
        tabId: TAB,
        url: 'https://tracker.net/p.gif',
        lines: ['gone=; Max-Age=0'],
        timeStamp: T0 + 20,
      }),
    ).toBe(state);
    expect(
      reduceTally(state, {
        kind: 'set-cookie',
        tabId: 99,
        url: 'https://tracker.net/p.gif',
        lines: ['a=1'],
        timeStamp: T0 + 20,
      }),
    ).toBe(state);
  });

  it('counts a header-only cookie (refused by the browser) as headerOnly', () => {
    const v = visitOf(busyPage());
    const counts = cookieCounts(v);
    expect(counts.headerOnly).toBe(1);
    expect(v.cookies.find((c) => c.name === 'tid')!.seenBy).toEqual(['header']);
  });

  it('does not attribute a cookie whose domain the visit never contacted', () => {
    const state = busyPage();
    expect(reduceTally(state, cookieChanged({ name: 'x', domain: '.elsewhere.com' }))).toBe(state);
    // A host-only cookie of a parent domain is not matched by a subdomain request either.
    expect(reduceTally(state, cookieChanged({ name: 'x', domain: 'example.com', hostOnly: true }))).toBe(state);
  });

  it('attributes a domain cookie to a visit that contacted a subdomain', () => {
    const state = reduceTally(busyPage(), cookieChanged({ name: 'uid', domain: '.widget.org' }));
    expect(visitOf(state).cookies.map((c) => c.name)).toContain('uid');
  });

  it('ignores removed cookies', () => {
    const state = busyPage();
    expect(reduceTally(state, cookieChanged({ name: 'new', domain: '.tracker.net' }, T0 + 100, true))).toBe(state);
  });

  it('ignores cookies set before the visit started', () => {
    const state = busyPage();
    expect(reduceTally(state, cookieChanged({ name: 'old', domain: '.tracker.net' }, T0 - 1))).toBe(state);
  });

  it('attributes a partitioned cookie only under the matching top-level site', () => {
    const state = busyPage();
    const other = cookieChanged({
      name: 'p',
      domain: 'tracker.net',
      hostOnly: true,
      partitionKey: { topLevelSite: 'https://other.com' },
    });
    expect(reduceTally(state, other)).toBe(state);
    const mine = cookieChanged({
      name: 'p',
      domain: 'tracker.net',
      hostOnly: true,
      partitionKey: { topLevelSite: 'https://example.com' },
    });
    const v = visitOf(reduceTally(state, mine));
    expect(v.cookies.find((c) => c.name === 'p')).toMatchObject({ partition: 'example.com', thirdParty: true });
    expect(cookieCounts(v).partitioned).toBe(1);
  });

  it('attributes one cookie change to every visit that contacted the domain', () => {
    const state = run([
      navigate('https://www.example.com/', 1),
      request('https://tracker.net/a', 'script', { tabId: 1 }),
      navigate('https://www.other.com/', 2),
      request('https://tracker.net/b', 'script', { tabId: 2 }),
      navigate('https://www.third.com/', 3),
      cookieChanged({ name: 'tid', domain: '.tracker.net' }),
    ]);
    expect(visitOf(state, 1).cookies).toHaveLength(1);
    expect(visitOf(state, 2).cookies).toHaveLength(1);
    expect(visitOf(state, 3).cookies).toHaveLength(0);
  });
});

describe('reduceTally: tab-removed', () => {
  it('drops the tab and keeps the others', () => {
    const state = run([navigate('https://a.com/', 1), navigate('https://b.com/', 2)]);
    const next = reduceTally(state, { kind: 'tab-removed', tabId: 1 });
    expect(next[1]).toBeUndefined();
    expect(Object.keys(next)).toEqual(['2']);
    expect(next[2]).toBe(state[2]);
  });
  it('returns the same state for an unknown tab', () => {
    const state = busyPage();
    expect(reduceTally(state, { kind: 'tab-removed', tabId: 12345 })).toBe(state);
  });
});

describe('reduceTally: purity', () => {
  const events: TallyEvent[] = [
    request('https://static.example.com/app.js', 'script'),
    request('https://tracker.net/p2.gif', 'image'),
    request('https://brand-new.net/x', 'script'),
    { kind: 'response', tabId: TAB, requestId: 'r', url: 'https://tracker.net/p.gif', ip: '198.51.100.9' },
    {
      kind: 'error',
      tabId: TAB,
      requestId: 'e',
      url: 'https://tracker.net/p.gif',
      error: 'net::ERR_BLOCKED_BY_CLIENT',
    },
    { kind: 'internal-redirect', tabId: TAB, requestId: 'h', url: 'https://tracker.net/p.gif', type: 'image' },
    { kind: 'internal-redirect', tabId: TAB, requestId: 'h', url: 'https://static.example.com/app.js', type: 'script' },
    {
      kind: 'set-cookie',
      tabId: TAB,
      url: 'https://tracker.net/p.gif',
      lines: ['n=1; Max-Age=5', 'tid=1; Domain=tracker.net; Path=/'],
      timeStamp: T0 + 30,
    },
    cookieChanged({ name: 'tid', domain: '.tracker.net', path: '/' }),
    cookieChanged({ name: 'fresh', domain: '.example.com' }),
    navigate('https://www.example.com/next', TAB, T0 + 1000),
    navigate('https://another.org/', 8),
    { kind: 'tab-removed', tabId: TAB },
  ];

  it.each(events.map((e, i) => [i, e.kind, e] as const))(
    'event #%i (%s) does not mutate a deep-frozen input',
    (_i, _kind, event) => {
      const input = busyPage();
      const snapshot = structuredClone(input);
      deepFreeze(input);
      let output: TallyState | undefined;
      expect(() => {
        output = reduceTally(input, event);
      }).not.toThrow();
      expect(input).toEqual(snapshot);
      expect(output).not.toBe(input);
    },
  );

  it('a whole sequence on a frozen state leaves every intermediate state unchanged', () => {
    let state: TallyState = deepFreeze(busyPage());
    const history: Array<[TallyState, TallyState]> = [];
    for (const event of events) {
      const snapshot = structuredClone(state);
      const next = reduceTally(state, event);
      history.push([state, snapshot]);
      state = deepFreeze(next);
    }
    for (const [s, snap] of history) expect(s).toEqual(snap);
  });

  it('keeps the state plain JSON', () => {
    const state = busyPage();
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

describe('thirdPartyHostCount and cookieCounts', () => {
  it('counts distinct third-party hosts', () => {
    const v = visitOf(
      run([
        navigate('https://www.example.com/'),
        request('https://a.tracker.net/1'),
        request('https://a.tracker.net/2'),
        request('https://b.tracker.net/1'),
        request('https://cdn.example.com/1'),
        request('https://bob.github.io/x'),
      ]),
    );
    expect(thirdPartyHostCount(v)).toBe(3);
  });

  it('is 0 for a fresh visit', () => {
    expect(thirdPartyHostCount(newVisit(1, 'https://example.com/', T0)!)).toBe(0);
    expect(cookieCounts(newVisit(1, 'https://example.com/', T0)!)).toEqual({
      total: 0,
      firstParty: 0,
      thirdParty: 0,
      session: 0,
      persistent: 0,
      partitioned: 0,
      headerOnly: 0,
    });
  });

  it('splits cookies by party, lifetime, partition and source', () => {
    const state = run([
      navigate('https://www.example.com/'),
      request('https://tracker.net/p'),
      {
        kind: 'set-cookie',
        tabId: TAB,
        url: 'https://www.example.com/',
        lines: ['a=1; Path=/', 'b=1; Path=/; Max-Age=60'],
        timeStamp: T0 + 1,
      },
      {
        kind: 'set-cookie',
        tabId: TAB,
        url: 'https://tracker.net/p',
        lines: ['c=1; Path=/; Secure; Partitioned; Max-Age=60', 'd=1; Path=/; Domain=tracker.net'],
        timeStamp: T0 + 1,
      },
      cookieChanged({ name: 'a', domain: 'www.example.com', hostOnly: true, path: '/' }),
    ]);
    expect(cookieCounts(visitOf(state))).toEqual({
      total: 4,
      firstParty: 2,
      thirdParty: 2,
      session: 2,
      persistent: 2,
      partitioned: 1,
      headerOnly: 3,
    });
  });
});

describe('newVisit and isVisit', () => {
  it('newVisit is null for non-http URLs', () => {
    expect(newVisit(1, 'about:blank', T0)).toBeNull();
    expect(newVisit(1, 'chrome://newtab/', T0)).toBeNull();
  });

  it('accepts a real visit, also after a JSON round trip', () => {
    const v = visitOf(busyPage());
    expect(isVisit(v)).toBe(true);
    expect(isVisit(JSON.parse(JSON.stringify(v)))).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'visit'],
    ['a number', 7],
    ['an array', []],
    ['an empty object', {}],
  ])('rejects %s', (_label, value) => {
    expect(isVisit(value)).toBe(false);
  });

  it('rejects a visit with a wrong version or missing/mistyped fields', () => {
    const v = visitOf(busyPage());
    expect(isVisit({ ...v, version: 2 })).toBe(false);
    expect(isVisit({ ...v, version: '1' })).toBe(false);
    expect(isVisit({ ...v, tabId: '7' })).toBe(false);
    expect(isVisit({ ...v, url: undefined })).toBe(false);
    expect(isVisit({ ...v, site: 1 })).toBe(false);
    expect(isVisit({ ...v, hosts: {} })).toBe(false);
    expect(isVisit({ ...v, cookies: 'none' })).toBe(false);
    expect(isVisit({ ...v, hostIndex: 'x' })).toBe(false);
    expect(isVisit({ ...v, cookieIndex: undefined })).toBe(false);
    expect(isVisit({ ...v, requests: 5 })).toBe(false);
  });

  // BUG (lib/tally/types.ts isVisit): `typeof null === 'object'`, so a stored visit whose hostIndex,
  // cookieIndex or requests is null passes validation. The reducer then throws on the first event
  // for that tab (`visit.hostIndex[host]` -> TypeError), which TallyHub catches and reports, but
  // every later event of the tab is dropped until the next navigation. The doc comment promises
  // that anything else than a valid visit "is dropped rather than trusted".
  it('rejects a visit whose hostIndex, cookieIndex or requests is null', () => {
    const v = visitOf(busyPage());
    expect(isVisit({ ...v, hostIndex: null })).toBe(false);
    expect(isVisit({ ...v, cookieIndex: null })).toBe(false);
    expect(isVisit({ ...v, requests: null })).toBe(false);
  });
});

describe('LIMITS', () => {
  it('caps hosts and marks the visit truncated, while still counting requests', () => {
    const events: TallyEvent[] = [navigate('https://www.example.com/')];
    for (let i = 0; i < LIMITS.hosts + 10; i++) events.push(request(`https://h${i}.tracker.net/x`));
    const v = visitOf(run(events));
    expect(v.hosts).toHaveLength(LIMITS.hosts);
    expect(Object.keys(v.hostIndex)).toHaveLength(LIMITS.hosts);
    expect(v.truncated).toBe(true);
    expect(v.requests.total).toBe(LIMITS.hosts + 11);
    // Hosts already known keep being counted after the cap.
    const again = visitOf(reduceTally({ [TAB]: v }, request('https://h0.tracker.net/y')));
    expect(host(again, 'h0.tracker.net')!.requests).toBe(2);
  });

  it('is not truncated below the cap', () => {
    const events: TallyEvent[] = [navigate('https://www.example.com/')];
    for (let i = 0; i < LIMITS.hosts - 1; i++) events.push(request(`https://h${i}.tracker.net/x`));
    const v = visitOf(run(events));
    expect(v.hosts).toHaveLength(LIMITS.hosts);
    expect(v.truncated).toBe(false);
  });

  it('caps cookies and marks the visit truncated', () => {
    const lines: string[] = [];
    for (let i = 0; i < LIMITS.cookies + 5; i++) lines.push(`c${i}=1; Path=/`);
    const v = visitOf(
      run([
        navigate('https://www.example.com/'),
        { kind: 'set-cookie', tabId: TAB, url: 'https://www.example.com/', lines, timeStamp: T0 + 1 },
      ]),
    );
    expect(v.cookies).toHaveLength(LIMITS.cookies);
    expect(v.truncated).toBe(true);
  });
});

describe('page-seen: a visit whose navigation event was lost', () => {
  it('starts a visit only when the tab has none', () => {
    const seen = reduceTally({}, { kind: 'page-seen', tabId: 5, url: 'https://www.amt.example/x', timeStamp: 10 });
    expect(seen[5]?.url).toBe('https://www.amt.example/x');
    expect(seen[5]?.requests.total).toBe(0);
    const again = reduceTally(seen, { kind: 'page-seen', tabId: 5, url: 'https://other.example/', timeStamp: 20 });
    expect(again).toBe(seen);
    expect(reduceTally({}, { kind: 'page-seen', tabId: 5, url: 'javascript:alert(1)', timeStamp: 1 })).toEqual({});
  });
});

describe('cookie identity per browser: a Set-Cookie header and its stored cookie are one cookie', () => {
  const page = navigate('https://www.example.com/');
  const pixel = request('https://ads.tracker.net/px.gif', 'image', { timeStamp: T0 + 5 });
  const header = (
    line: string,
    partitioning?: 'chips' | 'total-cookie-protection' | 'first-party-isolation',
  ): TallyEvent => ({
    kind: 'set-cookie',
    tabId: TAB,
    url: 'https://ads.tracker.net/px.gif',
    lines: [line],
    timeStamp: T0 + 10,
    ...(partitioning ? { partitioning } : {}),
  });
  const stored = (partitionKey: ApiCookie['partitionKey'], extra: Partial<ApiCookie> = {}) =>
    cookieChanged({ name: 'tp', domain: 'ads.tracker.net', hostOnly: true, partitionKey, ...extra }, T0 + 20);
  const rows = (state: TallyState) =>
    visitOf(state).cookies.map((c) => ({
      key: `${c.name} ${c.domain} ${c.partition || '-'}`,
      seenBy: [...c.seenBy].sort(),
    }));

  it('Firefox, Total Cookie Protection: a third-party cookie without Partitioned is partitioned, once, in both event orders', () => {
    const line = 'tp=1; Secure; SameSite=None; Max-Age=3600';
    const jar = stored({ topLevelSite: 'https://example.com' });
    const want = [{ key: 'tp ads.tracker.net example.com', seenBy: ['header', 'script'] }];
    expect(rows(run([page, pixel, header(line, 'total-cookie-protection'), jar]))).toEqual(want);
    expect(rows(run([page, pixel, jar, header(line, 'total-cookie-protection')]))).toEqual(want);
    // Before (or without) the jar's word, the header alone already has Firefox's partition.
    expect(rows(run([page, pixel, header(line, 'total-cookie-protection')]))).toEqual([
      { key: 'tp ads.tracker.net example.com', seenBy: ['header'] },
    ]);
    expect(rows(run([page, pixel, header(line, 'first-party-isolation')]))).toEqual([
      { key: 'tp ads.tracker.net example.com', seenBy: ['header'] },
    ]);
  });

  it('Chromium, CHIPS: a Partitioned cookie is one cookie with the jar; an unpartitioned third-party one the browser refused stays "attempted"', () => {
    const chips = run([
      page,
      pixel,
      header('tp=1; Secure; SameSite=None; Partitioned', 'chips'),
      stored({ topLevelSite: 'https://example.com' }),
    ]);
    expect(rows(chips)).toEqual([{ key: 'tp ads.tracker.net example.com', seenBy: ['header', 'script'] }]);
    const blocked = run([page, pixel, header('tp=1; Secure; SameSite=None', 'chips')]);
    expect(rows(blocked)).toEqual([{ key: 'tp ads.tracker.net -', seenBy: ['header'] }]);
  });

  it('Firefox, first-party isolation: header and jar (firstPartyDomain) agree for first- and third-party cookies', () => {
    const own: TallyEvent = {
      kind: 'set-cookie',
      tabId: TAB,
      url: 'https://www.example.com/',
      lines: ['sid=1'],
      timeStamp: T0 + 10,
      partitioning: 'first-party-isolation',
    };
    const ownJar = cookieChanged(
      { name: 'sid', domain: 'www.example.com', hostOnly: true, firstPartyDomain: 'example.com' },
      T0 + 20,
    );
    const state = run([
      page,
      pixel,
      own,
      ownJar,
      header('tp=1', 'first-party-isolation'),
      stored(null, { firstPartyDomain: 'example.com' }),
    ]);
    expect(rows(state)).toEqual([
      { key: 'sid www.example.com example.com', seenBy: ['header', 'script'] },
      { key: 'tp ads.tracker.net example.com', seenBy: ['header', 'script'] },
    ]);
  });

  it("when the jar's partition differs from the header's model (storage access granted), the jar wins and there is still one row", () => {
    const line = 'tp=1; Secure; SameSite=None';
    const jar = stored(null);
    const want = [{ key: 'tp ads.tracker.net -', seenBy: ['header', 'script'] }];
    const headerFirst = run([page, pixel, header(line, 'total-cookie-protection'), jar]);
    expect(rows(headerFirst)).toEqual(want);
    // The index follows the row to its new key.
    const v = visitOf(headerFirst);
    expect(Object.keys(v.cookieIndex)).toEqual([v.cookies[0]!.key]);
    expect(rows(run([page, pixel, jar, header(line, 'total-cookie-protection')]))).toEqual(want);
  });

  it('two stored cookies of the same name in two partitions stay two', () => {
    const state = run([page, pixel, stored(null), stored({ topLevelSite: 'https://example.com' })]);
    expect(rows(state).map((r) => r.key)).toEqual(['tp ads.tracker.net -', 'tp ads.tracker.net example.com']);
  });

  it('the stored lifetime is the capped one; the requested lifetime survives the merge with the jar', () => {
    const jar = stored(
      { topLevelSite: 'https://example.com' },
      { session: false, expirationDate: (T0 + 20 + 400 * 86_400_000) / 1000 },
    );
    for (const events of [
      [page, pixel, jar, header('tp=1; Secure; SameSite=None; Max-Age=315360000', 'total-cookie-protection')],
      [page, pixel, header('tp=1; Secure; SameSite=None; Max-Age=315360000', 'total-cookie-protection'), jar],
    ]) {
      const [c] = visitOf(run(events)).cookies;
      expect(c!.lifetimeSeconds).toBe(400 * 86_400);
      expect(c!.requestedExpiresAt).toBe(T0 + 10 + 315_360_000_000);
    }
  });
});

describe('the counting rule: a request counts when it was sent to the network', () => {
  const FONT = 'https://fonts.gstatic.com/s/roboto/v30/r.woff2';

  it("the font loader's cache-only probe (ERR_CACHE_MISS) is not a request; the real one after it is", () => {
    const state = run([
      navigate('https://www.verein.de/'),
      request('https://fonts.googleapis.com/css2?family=Roboto', 'stylesheet'),
      request(FONT, 'font', { requestId: 'probe' }),
      {
        kind: 'error',
        tabId: TAB,
        requestId: 'probe',
        url: FONT,
        error: 'net::ERR_CACHE_MISS',
        type: 'font',
        frameId: 0,
        timeStamp: T0,
      },
      request(FONT, 'font', { requestId: 'real' }),
      {
        kind: 'response',
        tabId: TAB,
        requestId: 'real',
        url: FONT,
        ip: '142.250.0.1',
        type: 'font',
        frameId: 0,
        timeStamp: T0,
      },
    ]);
    const v = visitOf(state);
    expect(v.requests).toEqual({
      total: 3,
      firstParty: 1,
      thirdParty: 2,
      failed: 0,
      blocked: 0,
      cacheProbe: 1,
      cache: 0,
    });
    expect(host(v, 'fonts.gstatic.com')).toMatchObject({ requests: 1, failed: 0, types: { font: 1 } });
  });

  it('the probe is taken out once, whatever the order of its events and however often they come', () => {
    const probe: TallyEvent = {
      kind: 'error',
      tabId: TAB,
      requestId: 'p',
      url: FONT,
      error: 'net::ERR_CACHE_MISS',
      type: 'font',
      frameId: 0,
      timeStamp: T0,
    };
    const req = request(FONT, 'font', { requestId: 'p' });
    for (const order of [
      [req, probe, probe],
      [probe, req],
      [probe, req, probe, req],
    ]) {
      const v = visitOf(run([navigate('https://www.verein.de/'), ...order]));
      expect(v.requests, JSON.stringify(order.map((e) => e.kind))).toMatchObject({
        total: 1,
        thirdParty: 0,
        cacheProbe: 1,
      });
    }
  });

  it('an answer from the HTTP cache is not sent; a 304 revalidation was and counts', () => {
    const state = run([
      navigate('https://www.verein.de/'),
      request('https://www.verein.de/fresh.css', 'stylesheet', { requestId: 'c' }),
      {
        kind: 'response',
        tabId: TAB,
        requestId: 'c',
        url: 'https://www.verein.de/fresh.css',
        fromCache: true,
        ip: '192.0.2.1',
        type: 'stylesheet',
        frameId: 0,
        timeStamp: T0,
      },
      request('https://www.verein.de/logo.gif', 'image', { requestId: 'r' }),
      {
        kind: 'response',
        tabId: TAB,
        requestId: 'r',
        url: 'https://www.verein.de/logo.gif',
        fromCache: false,
        ip: '192.0.2.1',
        type: 'image',
        frameId: 0,
        timeStamp: T0,
      },
    ]);
    expect(visitOf(state).requests).toMatchObject({ total: 2, firstParty: 2, cache: 1 });
    expect(host(visitOf(state), 'www.verein.de')!.types).toEqual({ main_frame: 1, image: 1 });
  });

  it("every hop of a top-level redirect counts: the shortener's hop and its cookie carry into the page's visit", () => {
    const state = run([
      request('https://t.co/abc', 'main_frame', { requestId: 'nav', timeStamp: T0 }),
      {
        kind: 'set-cookie',
        tabId: TAB,
        url: 'https://t.co/abc',
        lines: ['muc=1; Domain=t.co; Max-Age=3600; Secure'],
        timeStamp: T0 + 1,
      },
      request('https://www.verein.de/', 'main_frame', { requestId: 'nav', timeStamp: T0 + 20 }),
      request('https://www.verein.de/app.js', 'script'),
    ]);
    const v = visitOf(state);
    expect(v.url).toBe('https://www.verein.de/');
    expect(v.site).toBe('verein.de');
    expect(v.startedAt).toBe(T0);
    // Before the counting rule the visit restarted at www.verein.de and the t.co hop was lost (2 requests).
    expect(v.requests).toMatchObject({ total: 3, firstParty: 2, thirdParty: 1 });
    expect(host(v, 't.co')).toMatchObject({ requests: 1, thirdParty: true });
    expect(v.cookies.map((c) => [c.name, c.thirdParty])).toEqual([['muc', true]]);
    expect(thirdPartyHostCount(v)).toBe(1);
  });

  it('a new navigation (another requestId) still starts a fresh visit', () => {
    const state = run([
      navigate('https://www.a.de/'),
      request('https://cdn.x.net/a.js'),
      navigate('https://www.b.de/', TAB, T0 + 5000),
    ]);
    expect(visitOf(state).requests).toMatchObject({ total: 1, firstParty: 1, thirdParty: 0 });
  });

  it("a page's own service worker (tab −1) counts for the visit of its origin, the newest if several; the extension's own fetches never", () => {
    const sw = (url: string, initiator: string, requestId: string): TallyEvent => ({
      kind: 'request',
      tabId: -1,
      frameId: -1,
      requestId,
      url,
      type: 'other',
      timeStamp: T0 + 100,
      initiator,
    });
    const state = run([
      navigate('https://www.verein.de/spiele', 1, T0),
      navigate('https://www.verein.de/', 2, T0 + 10),
      navigate('https://www.other.org/', 3, T0 + 20),
      sw('https://www.verein.de/sw.js', 'https://www.verein.de', 's1'),
      sw('https://api.verein.de/data.json', 'https://www.verein.de', 's2'),
      sw('https://www.verein.de/impressum.html', 'chrome-extension://abcdefghijklmnop', 's3'),
      sw('https://www.verein.de/x', 'https://elsewhere.example', 's4'),
    ]);
    expect(visitOf(state, 2).requests).toMatchObject({ total: 3, firstParty: 3 });
    expect(visitOf(state, 1).requests.total).toBe(1);
    expect(visitOf(state, 3).requests.total).toBe(1);
  });

  it('a request of the previous document while it is replaced (pagehide beacon) counts for the previous visit, not the new one', () => {
    const beacon: TallyEvent = {
      kind: 'request',
      tabId: TAB,
      frameId: 0,
      requestId: 'b',
      url: 'https://collect.stats.example/leave',
      type: 'ping',
      timeStamp: T0 + 5001,
      documentLifecycle: 'pending_deletion',
    };
    const state = run([
      navigate('https://www.a.de/'),
      request('https://www.a.de/app.js'),
      navigate('https://www.b.de/', TAB, T0 + 5000),
      beacon,
    ]);
    const v = visitOf(state);
    expect(v.url).toBe('https://www.b.de/');
    expect(v.requests.total).toBe(1);
    expect(host(v, 'collect.stats.example')).toBeUndefined();
    expect(v.previous?.url).toBe('https://www.a.de/');
    expect(v.previous?.requests).toMatchObject({ total: 3, firstParty: 2, thirdParty: 1 });
    expect(v.previous?.ledger).toBeUndefined();
    // Only the latest replaced visit is kept.
    const later = run([navigate('https://www.c.de/', TAB, T0 + 9000)], state);
    expect(visitOf(later).previous?.url).toBe('https://www.b.de/');
    expect(visitOf(later).previous?.previous).toBeUndefined();
  });
});

describe('answeredFromCache: a cache hit or a 304 revalidation (webRequest reports both as fromCache)', () => {
  const at = Date.UTC(2026, 11, 7, 7, 6, 15, 381);
  it('a fresh hit keeps the date of its download: not sent', () => {
    expect(answeredFromCache(true, 'Mon, 07 Dec 2026 07:06:11 GMT', at)).toBe(true);
  });
  it('a revalidated answer is dated now (the 304 updated the stored headers): sent', () => {
    expect(answeredFromCache(true, 'Mon, 07 Dec 2026 07:06:15 GMT', at)).toBe(false);
    expect(answeredFromCache(true, 'Mon, 07 Dec 2026 07:06:13 GMT', at)).toBe(false);
  });
  it('no or a broken Date on a cached answer: not sent; a network answer is always sent', () => {
    expect(answeredFromCache(true, undefined, at)).toBe(true);
    expect(answeredFromCache(true, 'yesterday', at)).toBe(true);
    expect(answeredFromCache(false, 'Mon, 07 Dec 2026 07:06:11 GMT', at)).toBe(false);
    expect(answeredFromCache(undefined, undefined, at)).toBe(false);
  });
  it('dateHeader finds Date in any case', () => {
    expect(
      dateHeader([
        { name: 'content-type', value: 'x' },
        { name: 'DATE', value: 'd' },
      ]),
    ).toBe('d');
    expect(dateHeader(undefined)).toBeUndefined();
  });
});
