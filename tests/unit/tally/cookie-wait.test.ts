/**
 * Cookies independent of event order (lib/tally/cookie-wait.ts): Chromium delivers the request
 * before the cookie change it caused, Firefox often the other way round. Both orders must give
 * the same visit; a change no visit asks for in time is dropped and counted.
 */
import { describe, expect, it } from 'vitest';
import {
  COOKIE_WAIT_MS,
  NO_WAITING_COOKIES,
  type WaitingCookies,
  reduceWithWaitingCookies,
} from '@/lib/tally/cookie-wait';
import type { ApiCookie } from '@/lib/tally/cookies';
import { TallyHub, type SessionStore } from '@/lib/tally/hub';
import type { TallyEvent, TallyState } from '@/lib/tally/types';

const TAB = 7;
const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);
let rid = 100;
type RequestEvent = Extract<TallyEvent, { kind: 'request' }>;
const request = (url: string, at: number, type = 'image', tabId = TAB): RequestEvent => ({
  kind: 'request',
  tabId,
  frameId: 0,
  requestId: String(rid++),
  url,
  type,
  timeStamp: at,
});
const jar = (cookie: Partial<ApiCookie>, at: number): TallyEvent => ({
  kind: 'cookie-changed',
  removed: false,
  timeStamp: at,
  cookie: {
    name: 'id',
    domain: 'ads.tracker-netz.com',
    path: '/',
    hostOnly: true,
    session: false,
    expirationDate: at / 1000 + 3600,
    secure: true,
    httpOnly: false,
    ...cookie,
  },
});

function run(
  events: TallyEvent[],
  now: (e: TallyEvent) => number = (e) => ('timeStamp' in e ? (e.timeStamp ?? T0) : T0),
) {
  let state: TallyState = {};
  let waiting: WaitingCookies = NO_WAITING_COOKIES;
  let expired = 0;
  for (const event of events) {
    const step = reduceWithWaitingCookies(state, waiting, event, now(event));
    state = step.state;
    waiting = step.waiting;
    expired += step.expired;
  }
  return {
    state,
    waiting,
    expired,
    cookies: (state[TAB]?.cookies ?? []).map((c) => `${c.name} ${c.domain} ${c.partition || '-'}`).sort(),
  };
}

const page = request('https://www.ampel-test.de/cookies.html', T0, 'main_frame');
const pixel = request('https://ads.tracker-netz.com/px.gif', T0 + 50);
const trackerCookie = jar({ partitionKey: { topLevelSite: 'https://ampel-test.de' } }, T0 + 80);
const scriptCookie = jar({ name: 'js_cookie', domain: 'www.ampel-test.de' }, T0 + 90);

describe('cookie changes and requests in either order', () => {
  it('Chromium order (request, then cookie): counted at once, nothing waits', () => {
    const r = run([page, pixel, trackerCookie]);
    expect(r.cookies).toEqual(['id ads.tracker-netz.com ampel-test.de']);
    expect(r.waiting.size).toBe(0);
    expect(r.expired).toBe(0);
  });

  it('Firefox order (cookie, then request): the change waits for the visit that requests its site', () => {
    const early = run([page, trackerCookie]);
    expect(early.cookies).toEqual([]);
    expect(early.waiting.size).toBe(1);
    const r = run([page, trackerCookie, { ...pixel, timeStamp: T0 + 300 }]);
    expect(r.cookies).toEqual(['id ads.tracker-netz.com ampel-test.de']);
    expect(r.waiting.size).toBe(0);
  });

  it('both orders give the same visit, whatever the order of several changes and requests', () => {
    const chromium = run([page, pixel, scriptCookie, trackerCookie]);
    const firefox = run([trackerCookie, scriptCookie, page, pixel], () => T0 + 100);
    expect(firefox.cookies).toEqual(chromium.cookies);
    expect(firefox.cookies).toHaveLength(2);
    expect(firefox.state[TAB]!.requests).toEqual(chromium.state[TAB]!.requests);
  });

  it('a page-script cookie that arrives before the document request waits for the visit it starts', () => {
    const r = run([scriptCookie, page], () => T0 + 100);
    expect(r.cookies).toEqual(['js_cookie www.ampel-test.de -']);
  });

  it('a change whose site is requested only after the window is dropped and counted', () => {
    const r = run([page, trackerCookie, { ...pixel, timeStamp: T0 + 80 + COOKIE_WAIT_MS + 1 }]);
    expect(r.cookies).toEqual([]);
    expect(r.expired).toBe(1);
    expect(r.waiting.size).toBe(0);
  });

  it('a released change the requesting visit does not take (another host of the site) waits on', () => {
    const other = request('https://cdn.tracker-netz.com/x.js', T0 + 100, 'script');
    const r = run([page, trackerCookie, other]);
    expect(r.cookies).toEqual([]);
    expect(r.waiting.size).toBe(1);
    expect(run([page, trackerCookie, other, { ...pixel, timeStamp: T0 + 200 }]).cookies).toHaveLength(1);
  });

  it('removals never wait', () => {
    expect(run([page, { ...trackerCookie, removed: true } as TallyEvent]).waiting.size).toBe(0);
  });

  it('at most `limit` changes wait; the oldest beyond it is dropped and counted', () => {
    let waiting: WaitingCookies = NO_WAITING_COOKIES;
    let expired = 0;
    for (let i = 0; i < 5; i++) {
      const step = reduceWithWaitingCookies(
        {},
        waiting,
        jar({ name: `c${i}`, domain: `s${i}.example` }, T0 + i),
        T0 + i,
        3,
      );
      waiting = step.waiting;
      expired += step.expired;
    }
    expect(waiting.size).toBe(3);
    expect(expired).toBe(2);
    expect(Object.keys(waiting.bySite).sort()).toEqual(['s2.example', 's3.example', 's4.example']);
  });
});

describe('TallyHub with waiting cookies', () => {
  const store: SessionStore = { get: async () => ({}), set: async () => undefined, remove: async () => undefined };

  it('applies a waiting change when its request arrives, and reports expired ones', async () => {
    let now = T0;
    const expiredCounts: number[] = [];
    const hub = new TallyHub({
      store,
      now: () => now,
      onCookiesExpired: (n) => expiredCounts.push(n),
      flushIntervalMs: 10_000,
    });
    await hub.whenReady();
    hub.dispatch(page);
    hub.dispatch(trackerCookie);
    expect(hub.visit(TAB)!.cookies).toHaveLength(0);
    now = T0 + 300;
    hub.dispatch({ ...pixel, timeStamp: now });
    expect(hub.visit(TAB)!.cookies.map((c) => c.name)).toEqual(['id']);

    hub.dispatch(jar({ name: 'lost', domain: 'never.example' }, now));
    now += COOKIE_WAIT_MS + 1;
    hub.dispatch(request('https://www.ampel-test.de/next', now, 'xmlhttprequest'));
    expect(expiredCounts).toEqual([1]);
    await hub.flush();
  });
});
