/**
 * Reconciling a tally with the page's Resource Timing (lib/tally/resource-timing.ts, the merge in
 * lib/tally/reconcile.ts) and counting a request from whichever of its events arrives (the request ledger).
 * Each case is "this tally + these events/entries -> this tally", and none may count twice.
 */
import { describe, expect, it } from 'vitest';
import type { ApiCookie } from '@/lib/tally/cookies';
import { parseResourceAnswer } from '@/lib/tally/resource-answer';
import {
  RESOURCE_LIMITS,
  type ResourceEntry,
  type CookieChangeSource,
  changedCookieNames,
  groupEntries,
  normaliseRequestUrl,
  requestTypeOf,
  urlHash,
  watchCookieChanges,
} from '@/lib/tally/resource-timing';
import { missingResources, pendingHopCount, reconcileWithResources } from '@/lib/tally/reconcile';
import { reduceTally } from '@/lib/tally/reduce';
import { LIMITS, type TallyEvent, type TallyState, type Visit } from '@/lib/tally/types';

const TAB = 3;
const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const PAGE = 'https://www.example.com/';

let nextId = 1000;
const id = () => String(nextId++);
const run = (events: TallyEvent[], state: TallyState = {}): TallyState => events.reduce(reduceTally, state);
const visitOf = (state: TallyState, tabId = TAB): Visit => {
  const v = state[tabId];
  if (!v) throw new Error('no visit');
  return v;
};
const host = (v: Visit, name: string) => v.hosts.find((h) => h.host === name);

function request(
  url: string,
  type = 'image',
  opts: { requestId?: string; timeStamp?: number; frameId?: number; tabId?: number; initiator?: string } = {},
): TallyEvent {
  return {
    kind: 'request',
    tabId: opts.tabId ?? TAB,
    frameId: opts.frameId ?? 0,
    requestId: opts.requestId ?? id(),
    url,
    type,
    timeStamp: opts.timeStamp ?? T0 + 10,
    ...(opts.initiator ? { initiator: opts.initiator } : {}),
  };
}
function response(
  url: string,
  requestId: string,
  type = 'image',
  timeStamp = T0 + 20,
  extra: { frameId?: number; initiator?: string; ip?: string } = {},
): TallyEvent {
  return {
    kind: 'response',
    tabId: TAB,
    requestId,
    url,
    type,
    frameId: extra.frameId ?? 0,
    timeStamp,
    ip: extra.ip ?? '192.0.2.1',
    ...(extra.initiator ? { initiator: extra.initiator } : {}),
  };
}
function failure(url: string, requestId: string, type = 'image', timeStamp = T0 + 20): TallyEvent {
  return {
    kind: 'error',
    tabId: TAB,
    requestId,
    url,
    type,
    frameId: 0,
    timeStamp,
    error: 'net::ERR_CONNECTION_REFUSED',
  };
}
const DOC_ID = '500';
const navigate = (url = PAGE, requestId = DOC_ID, timeStamp = T0): TallyEvent =>
  request(url, 'main_frame', { requestId, timeStamp });
const entry = (url: string, t = 'img'): ResourceEntry => ({ url, t, s: T0 + 15 });
const resources = (v: Visit, entries: ResourceEntry[], at = T0 + 1000): TallyEvent => ({
  kind: 'resources',
  tabId: TAB,
  visitId: v.visitId,
  at,
  entries,
});

describe('resource-timing helpers', () => {
  it('maps initiator types to webRequest types, ambiguous ones to other', () => {
    expect(requestTypeOf('img')).toBe('image');
    expect(requestTypeOf('fetch')).toBe('xmlhttprequest');
    expect(requestTypeOf('xmlhttprequest')).toBe('xmlhttprequest');
    expect(requestTypeOf('beacon')).toBe('ping');
    expect(requestTypeOf('script')).toBe('script');
    expect(requestTypeOf('iframe')).toBe('sub_frame');
    expect(requestTypeOf('navigation')).toBe('main_frame');
    expect(requestTypeOf('link')).toBe('other');
    expect(requestTypeOf('css')).toBe('other');
    expect(requestTypeOf('whatever')).toBe('other');
  });

  it('normalises URLs like webRequest names them and rejects non-http(s)', () => {
    expect(normaliseRequestUrl('https://A.example.com/x?y=1#frag')).toBe('https://a.example.com/x?y=1');
    expect(normaliseRequestUrl('data:image/gif;base64,R0lG')).toBeNull();
    expect(normaliseRequestUrl('blob:https://example.com/1')).toBeNull();
    expect(normaliseRequestUrl('not a url')).toBeNull();
  });

  it('hashes URLs stably and tells different URLs apart', () => {
    expect(urlHash('https://example.com/a')).toBe(urlHash('https://example.com/a'));
    expect(urlHash('https://example.com/a')).not.toBe(urlHash('https://example.com/b'));
    const many = new Set(Array.from({ length: 5000 }, (_, i) => urlHash(`https://px${i % 40}.example.net/i/${i}.gif`)));
    expect(many.size).toBeGreaterThan(4995);
  });

  it('groups entries by URL with their multiplicity, skipping what is not http(s)', () => {
    expect(
      groupEntries([
        entry('https://a.net/1'),
        entry('https://a.net/1#x'),
        entry('https://b.net/2', 'fetch'),
        entry('data:,x'),
      ]),
    ).toEqual([
      { url: 'https://a.net/1', type: 'image', count: 2, startedAt: T0 + 15 },
      { url: 'https://b.net/2', type: 'xmlhttprequest', count: 1, startedAt: T0 + 15 },
    ]);
  });

  it('reports names of cookies new or changed since document_start, never values', () => {
    expect(changedCookieNames('a=1; b=2', 'a=1; b=3; c=4')).toEqual(['b', 'c']);
    expect(changedCookieNames('a=1', 'a=1')).toEqual([]);
    expect(changedCookieNames('', 'lonely')).toEqual(['']);
  });

  it('takes changed names from the Cookie Store change events, without reading document.cookie', () => {
    let listener: Parameters<CookieChangeSource['addEventListener']>[1] | undefined;
    const store: CookieChangeSource = { addEventListener: (_type, l) => (listener = l) };
    let reads = 0;
    const changed = watchCookieChanges(store, () => {
      reads++;
      return 'old=1';
    });
    expect(changed()).toEqual([]);
    listener?.({ changed: [{ name: 'visit' }, { name: 'late' }, { name: 'visit' }] });
    listener?.({ changed: [] });
    expect(changed()).toEqual(['visit', 'late']);
    expect(reads).toBe(0);
  });

  it('caps the names from change events', () => {
    let listener: Parameters<CookieChangeSource['addEventListener']>[1] | undefined;
    const changed = watchCookieChanges({ addEventListener: (_type, l) => (listener = l) }, () => '');
    listener?.({ changed: Array.from({ length: RESOURCE_LIMITS.cookieNames + 5 }, (_, i) => ({ name: `c${i}` })) });
    expect(changed()).toHaveLength(RESOURCE_LIMITS.cookieNames);
  });

  it('without a Cookie Store compares document.cookie at the start and at the end', () => {
    let jar = 'kept=1; visit=a';
    const changed = watchCookieChanges(undefined, () => jar);
    jar = 'kept=1; visit=b; late=2';
    expect(changed()).toEqual(['visit', 'late']);
  });
});

describe('parseResourceAnswer', () => {
  const good = {
    type: 'dsa-resource-entries',
    documentUrl: PAGE,
    at: T0,
    controlled: false,
    entries: [entry('https://a.net/1')],
    dropped: 0,
    changedCookies: ['a'],
  };

  it('accepts the content script answer', () => {
    expect(parseResourceAnswer(good)).toEqual(good);
  });

  it('refuses extra keys, wrong types, too many entries and too long URLs', () => {
    expect(parseResourceAnswer({ ...good, extra: 1 })).toBeNull();
    expect(parseResourceAnswer({ ...good, at: 'now' })).toBeNull();
    expect(parseResourceAnswer({ ...good, entries: [{ url: 'https://a.net/', t: 'img', evil: true }] })).toBeNull();
    expect(
      parseResourceAnswer({
        ...good,
        entries: Array.from({ length: RESOURCE_LIMITS.entries + 1 }, () => entry('https://a.net/')),
      }),
    ).toBeNull();
    expect(
      parseResourceAnswer({ ...good, entries: [entry(`https://a.net/${'x'.repeat(RESOURCE_LIMITS.urlChars)}`)] }),
    ).toBeNull();
    expect(parseResourceAnswer(null)).toBeNull();
    expect(parseResourceAnswer('dsa-resource-entries')).toBeNull();
  });
});

describe('reconcileWithResources: this tally + these entries -> this tally', () => {
  const base = () =>
    run([
      navigate(),
      request('https://www.example.com/logo.png'),
      request('https://tracker.net/p.gif'),
      request('https://tracker.net/p.gif'), // loaded twice
    ]);

  it('adds only what the tally lacks, per URL multiplicity, with types from the initiator', () => {
    const v = visitOf(base());
    const entries = [
      entry('https://www.example.com/logo.png'),
      entry('https://tracker.net/p.gif'),
      entry('https://tracker.net/p.gif'),
      entry('https://tracker.net/p.gif'), // a third load the tally never saw
      entry('https://cdn.example.com/app.js', 'script'),
      entry('https://api.other.org/collect', 'fetch'),
    ];
    const after = visitOf(run([resources(v, entries)], base()));
    expect(after.requests).toEqual({
      total: 7,
      firstParty: 3,
      thirdParty: 4,
      failed: 0,
      blocked: 0,
      cacheProbe: 0,
      cache: 0,
    });
    expect(host(after, 'tracker.net')).toMatchObject({ requests: 3, types: { image: 3 } });
    expect(host(after, 'cdn.example.com')).toMatchObject({
      requests: 1,
      types: { script: 1 },
      thirdParty: false,
      firstSeenAt: T0 + 15,
    });
    expect(host(after, 'api.other.org')).toMatchObject({ requests: 1, types: { xmlhttprequest: 1 }, thirdParty: true });
    expect(after.reconciled).toEqual({ requests: 3, cookies: 0, at: T0 + 1000 });
  });

  it('is idempotent: the same entries again (a replayed event, a second pass) add nothing', () => {
    const v = visitOf(base());
    const entries = [
      entry('https://tracker.net/p.gif'),
      entry('https://tracker.net/p.gif'),
      entry('https://tracker.net/p.gif'),
      entry('https://x.org/a'),
    ];
    const once = run([resources(v, entries)], base());
    const twice = run([resources(v, entries), resources(v, entries, T0 + 2000)], base());
    expect(visitOf(twice).requests).toEqual(visitOf(once).requests);
    expect(visitOf(twice).hosts).toEqual(visitOf(once).hosts);
    expect(visitOf(twice).reconciled).toEqual({ requests: 2, cookies: 0, at: T0 + 2000 });
  });

  it('never adds the document itself again (navigation entry) but does for a visit started late', () => {
    const v = visitOf(base());
    const nav = { url: PAGE, t: 'navigation' };
    expect(visitOf(run([resources(v, [nav])], base())).requests.total).toBe(4);
    const late = run([{ kind: 'page-seen', tabId: TAB, url: PAGE, timeStamp: T0 + 900 }]);
    const lv = visitOf(late);
    const merged = visitOf(run([resources(lv, [nav, entry('https://tracker.net/p.gif')])], late));
    expect(merged.requests).toMatchObject({ total: 2, firstParty: 1, thirdParty: 1 });
    expect(host(merged, 'www.example.com')!.types).toEqual({ main_frame: 1 });
  });

  it('does not add the first URL of an internal (HSTS) redirect, whose hop was taken back', () => {
    const state = run([
      navigate(),
      request('http://tracker.net/a.js', 'script', { requestId: '600' }),
      { kind: 'internal-redirect', tabId: TAB, requestId: '600', url: 'http://tracker.net/a.js', type: 'script' },
      request('https://tracker.net/a.js', 'script', { requestId: '600' }),
    ]);
    // Resource Timing names the chain by its first URL.
    const after = run([resources(visitOf(state), [entry('http://tracker.net/a.js', 'script')])], state);
    expect(visitOf(after).requests).toEqual(visitOf(state).requests);
  });

  it('ignores entries for another visit of the tab and visits stored without a ledger', () => {
    const state = base();
    const other = { ...resources(visitOf(state), [entry('https://x.org/')]), visitId: 'old-visit' };
    expect(run([other], state)).toBe(state);
    const { ledger: _l, ...legacy } = visitOf(state);
    expect(reconcileWithResources(legacy as Visit, [entry('https://x.org/')], T0 + 1000)).toBe(legacy);
  });

  it('caps what one visit can gain from its page', () => {
    const state = run([navigate()]);
    const entries = Array.from({ length: RESOURCE_LIMITS.mergedPerVisit + 50 }, (_, i) =>
      entry(`https://self.example.com/r/${i}`),
    );
    const v = visitOf(run([resources(visitOf(state), entries)], state));
    expect(v.requests.total).toBe(1 + RESOURCE_LIMITS.mergedPerVisit);
    expect(v.reconciled!.requests).toBe(RESOURCE_LIMITS.mergedPerVisit);
    // A later pass adds nothing more.
    const again = visitOf(
      run([resources(v, entries.concat(entry('https://more.example.com/')), T0 + 5000)], { [TAB]: v }),
    );
    expect(again.requests.total).toBe(v.requests.total);
  });

  it('a request event arriving after the merge takes over the merged request instead of counting again', () => {
    const state = run([navigate()]);
    const merged = run([resources(visitOf(state), [entry('https://tracker.net/p.gif')], T0 + 1000)], state);
    // Its own event (replayed late, started before the snapshot): the same request.
    const late = visitOf(run([request('https://tracker.net/p.gif', 'image', { timeStamp: T0 + 500 })], merged));
    expect(late.requests.total).toBe(2);
    expect(late.reconciled!.requests).toBe(0);
    // A new load of the same URL after the snapshot is a request of its own.
    const fresh = visitOf(
      run([request('https://tracker.net/p.gif', 'image', { timeStamp: T0 + 1500 })], { [TAB]: late }),
    );
    expect(fresh.requests.total).toBe(3);
  });

  it('missingResources keeps all entries of the URLs the tally lacks, and nothing else', () => {
    const v = visitOf(base());
    const entries = [
      entry('https://tracker.net/p.gif'),
      entry('https://tracker.net/p.gif'),
      entry('https://tracker.net/p.gif'),
      entry('https://www.example.com/logo.png'),
      entry('https://x.org/a'),
    ];
    expect(missingResources(v, entries)).toEqual([entries[0], entries[1], entries[2], entries[4]]);
    expect(missingResources(v, [entry('https://www.example.com/logo.png')])).toEqual([]);
  });
});

describe('the request ledger: a request counts once, whichever of its events arrives', () => {
  it('counts a request from its response or error when its own event never arrived', () => {
    const state = run([
      navigate(),
      response('https://tracker.net/a.gif', '601'),
      failure('https://dead.net/x.gif', '602'),
    ]);
    const v = visitOf(state);
    expect(v.requests).toEqual({
      total: 3,
      firstParty: 1,
      thirdParty: 2,
      failed: 1,
      blocked: 0,
      cacheProbe: 0,
      cache: 0,
    });
    expect(host(v, 'tracker.net')).toMatchObject({ requests: 1, types: { image: 1 }, ips: ['192.0.2.1'] });
    expect(host(v, 'dead.net')).toMatchObject({ requests: 1, failed: 1 });
  });

  it('does not count twice when request, response and a replay of both arrive', () => {
    const events = [
      request('https://tracker.net/a.gif', 'image', { requestId: '610' }),
      response('https://tracker.net/a.gif', '610'),
    ];
    const once = visitOf(run([navigate(), ...events]));
    const replayed = visitOf(run([navigate(), ...events, ...events, response('https://tracker.net/a.gif', '610')]));
    expect(once.requests.total).toBe(2);
    expect(replayed.requests).toEqual(once.requests);
    // Response first (the request event delayed), then the request: still one.
    const reversed = visitOf(run([navigate(), events[1]!, events[0]!]));
    expect(reversed.requests.total).toBe(2);
  });

  it('counts each redirect hop once (same requestId, different URL)', () => {
    const v = visitOf(
      run([
        navigate(),
        request('https://go.hop.com/r', 'image', { requestId: '620' }),
        request('https://px.target.net/i.gif', 'image', { requestId: '620' }),
        response('https://px.target.net/i.gif', '620'),
      ]),
    );
    expect(v.requests.total).toBe(3);
  });

  it('never counts a late response or error of the previous page into the new visit', () => {
    const v = visitOf(
      run([
        navigate(PAGE, '700'),
        response('https://old-tracker.net/a.gif', '650'),
        failure('https://old-cdn.net/b.js', '651'),
      ]),
    );
    expect(v.requests.total).toBe(1);
    expect(host(v, 'old-tracker.net')).toBeUndefined();
  });

  it('keeps the old rule for events without the late-request facts (a response never counts then)', () => {
    const state = run([navigate()]);
    const legacy: TallyEvent = {
      kind: 'response',
      tabId: TAB,
      requestId: '630',
      url: 'https://tracker.net/a.gif',
      ip: '192.0.2.9',
    };
    expect(run([legacy], state)).toBe(state);
  });

  it('starts the visit from the document response when the document request never arrived', () => {
    const v = visitOf(
      run([
        response(PAGE, '640', 'main_frame', T0),
        request('https://tracker.net/a.gif', 'image', { requestId: '641' }),
      ]),
    );
    expect(v).toMatchObject({ url: PAGE, documentRequestId: '640', startedAt: T0 });
    expect(v.requests).toMatchObject({ total: 2, firstParty: 1, thirdParty: 1 });
    // After its request: nothing changes but the IP.
    const normal = run([navigate(PAGE, '642'), response(PAGE, '642', 'main_frame', T0 + 5)]);
    expect(visitOf(normal).requests.total).toBe(1);
    expect(visitOf(normal).visitId).toBe(visitOf(run([navigate(PAGE, '642')])).visitId);
  });

  it('a late document response never replaces a newer visit; a document error never starts one', () => {
    const newer = run([navigate('https://new.example.org/', '660', T0 + 100)]);
    expect(visitOf(run([response(PAGE, '650', 'main_frame', T0 + 50)], newer)).url).toBe('https://new.example.org/');
    expect(run([failure(PAGE, '661', 'main_frame', T0)], {})).toEqual({});
  });

  it('counts a redirect target announced by onBeforeRedirect only when a reconciliation finds its own events missing', () => {
    const redirect: TallyEvent = {
      kind: 'redirect',
      tabId: TAB,
      requestId: '670',
      url: 'https://go.hop.com/r',
      redirectUrl: 'https://px.target.net/i.gif',
      type: 'image',
      frameId: 0,
      timeStamp: T0 + 10,
    };
    const state = run([navigate(), redirect]);
    // The hop that redirected is counted (its request event was lost); the target is only announced.
    expect(visitOf(state).requests.total).toBe(2);
    expect(pendingHopCount(visitOf(state))).toBe(1);
    // Normally the target's own request follows: counted once, nothing pending.
    const normal = visitOf(run([request('https://px.target.net/i.gif', 'image', { requestId: '670' })], state));
    expect(normal.requests.total).toBe(3);
    expect(pendingHopCount(normal)).toBe(0);
    expect(visitOf(run([resources(normal, [], T0 + 5000)], { [TAB]: normal })).requests.total).toBe(3);
    // Lost: a reconciliation counts it (Resource Timing only names the chain's first URL).
    const settled = visitOf(run([resources(visitOf(state), [entry('https://go.hop.com/r')], T0 + 5000)], state));
    expect(settled.requests.total).toBe(3);
    expect(host(settled, 'px.target.net')).toMatchObject({ requests: 1, types: { image: 1 } });
    expect(settled.reconciled!.requests).toBe(1);
    // And its own events arriving even later change nothing.
    const later = visitOf(
      run(
        [
          request('https://px.target.net/i.gif', 'image', { requestId: '670' }),
          response('https://px.target.net/i.gif', '670'),
        ],
        { [TAB]: settled },
      ),
    );
    expect(later.requests.total).toBe(3);
    // Not yet: a redirect younger than the grace time stays pending.
    expect(visitOf(run([resources(visitOf(state), [], T0 + 100)], state)).requests.total).toBe(2);
  });

  it('at the ledger cap it turns full and falls back to counting request events only', () => {
    let state = run([navigate()]);
    const v0 = visitOf(state);
    state = { [TAB]: { ...v0, ledger: { ...v0.ledger!, size: LIMITS.ledger } } };
    state = run([request('https://tracker.net/1.gif', 'image', { requestId: '680' })], state);
    expect(visitOf(state).ledger!.full).toBe(true);
    expect(visitOf(state).requests.total).toBe(2);
    state = run(
      [
        response('https://tracker.net/2.gif', '681'),
        request('https://tracker.net/1.gif', 'image', { requestId: '680' }),
      ],
      state,
    );
    expect(visitOf(state).requests.total).toBe(3);
    expect(reconcileWithResources(visitOf(state), [entry('https://x.org/')], T0 + 9000)).toBe(visitOf(state));
  });
});

describe('a visit whose navigation events never arrived', () => {
  const initiator = 'https://www.example.com';

  it('starts provisionally from a top-frame subresource event and gets its URL from page-seen, keeping the counts', () => {
    const state = run([
      request('https://tracker.net/a.gif', 'image', { initiator, timeStamp: T0 + 5 }),
      response('https://cdn.example.com/b.js', '711', 'script', T0 + 6, { initiator }),
    ]);
    const v = visitOf(state);
    expect(v).toMatchObject({
      url: 'https://www.example.com/',
      site: 'example.com',
      provisional: true,
      documentRequestId: null,
    });
    expect(v.requests).toMatchObject({ total: 2, firstParty: 1, thirdParty: 1 });
    const seen = visitOf(
      run([{ kind: 'page-seen', tabId: TAB, url: 'https://www.example.com/page?x=1', timeStamp: T0 + 900 }], state),
    );
    expect(seen.url).toBe('https://www.example.com/page?x=1');
    expect(seen.provisional).toBeUndefined();
    expect(seen.requests).toEqual(v.requests);
    expect(seen.visitId).toBe(v.visitId);
    // page-seen again: the visit stands.
    expect(
      run([{ kind: 'page-seen', tabId: TAB, url: 'https://www.example.com/other', timeStamp: T0 + 950 }], {
        [TAB]: seen,
      })[TAB],
    ).toBe(seen);
  });

  it('a page of another origin replaces a provisional visit; so does a later document request or response', () => {
    const state = run([
      request('https://tracker.net/a.gif', 'image', { initiator: 'https://old.example.org', timeStamp: T0 + 5 }),
    ]);
    const replaced = visitOf(run([{ kind: 'page-seen', tabId: TAB, url: PAGE, timeStamp: T0 + 900 }], state));
    expect(replaced).toMatchObject({ url: PAGE, requests: { total: 0 } });
    expect(visitOf(run([response(PAGE, '720', 'main_frame', T0 + 50)], state))).toMatchObject({
      url: PAGE,
      documentRequestId: '720',
      requests: { total: 1 },
    });
  });

  it('starts nothing from iframes, documents, opaque or non-http initiators, or events without the facts', () => {
    expect(run([request('https://tracker.net/a.gif', 'image', { initiator, frameId: 2 })])).toEqual({});
    expect(run([request('https://tracker.net/a.gif', 'image', { initiator: 'null' })])).toEqual({});
    expect(run([request('https://tracker.net/a.gif', 'image', { initiator: 'chrome://new-tab-page' })])).toEqual({});
    expect(run([request('https://tracker.net/a.gif', 'image')])).toEqual({});
    expect(
      run([{ kind: 'response', tabId: TAB, requestId: '730', url: 'https://tracker.net/a.gif', ip: '192.0.2.1' }]),
    ).toEqual({});
  });
});

describe('cookies-found', () => {
  const jar = (over: Partial<ApiCookie>): ApiCookie => ({
    name: 'c',
    domain: 'www.example.com',
    path: '/',
    hostOnly: true,
    session: true,
    secure: true,
    httpOnly: false,
    ...over,
  });

  it('adds the jar side of a header-only cookie and script cookies of contacted hosts, marking them', () => {
    const state = run([
      navigate(),
      request('https://tracker.net/p.gif'),
      { kind: 'set-cookie', tabId: TAB, url: PAGE, lines: ['sid=1; Path=/'], timeStamp: T0 + 5 },
    ]);
    const v = visitOf(state);
    expect(v.cookies[0]!.seenBy).toEqual(['header']);
    const found: TallyEvent = {
      kind: 'cookies-found',
      tabId: TAB,
      visitId: v.visitId,
      cookies: [jar({ name: 'sid' }), jar({ name: 'js_set' }), jar({ name: 'elsewhere', domain: 'unrelated.org' })],
      timeStamp: T0 + 2000,
    };
    const after = visitOf(run([found], state));
    expect(after.cookies.map((c) => [c.name, c.seenBy])).toEqual([
      ['sid', ['header', 'script']],
      ['js_set', ['script']],
    ]);
    expect(after.reconciled).toMatchObject({ cookies: 2 });
    // Again: nothing new.
    expect(run([found], { [TAB]: after })[TAB]).toBe(after);
    // Another visit's answer is ignored.
    expect(run([{ ...found, visitId: 'other' }], state)).toBe(state);
  });
});

describe('lastEventAt', () => {
  it('is the time of the latest event that changed the visit', () => {
    const state = run([
      navigate(PAGE, DOC_ID, T0),
      request('https://tracker.net/a.gif', 'image', { timeStamp: T0 + 40 }),
    ]);
    expect(visitOf(state).lastEventAt).toBe(T0 + 40);
    // An event that changes nothing leaves it alone; a merge is not page activity.
    const merged = run([resources(visitOf(state), [entry('https://x.org/')], T0 + 9000)], state);
    expect(visitOf(merged).lastEventAt).toBe(T0 + 40);
  });
});

describe('the document’s own Set-Cookie', () => {
  it('starts the visit when the document request and response events never arrived, so its cookie counts', () => {
    const headers: TallyEvent = {
      kind: 'set-cookie',
      tabId: TAB,
      url: PAGE,
      lines: ['doc=1; Path=/'],
      timeStamp: T0 + 3,
      requestId: '740',
      type: 'main_frame',
      frameId: 0,
    };
    const v = visitOf(run([headers]));
    expect(v).toMatchObject({ url: PAGE, documentRequestId: '740', requests: { total: 1 } });
    expect(v.cookies.map((c) => [c.name, c.seenBy])).toEqual([['doc', ['header']]]);
    // With its request first (the normal case) the same visit, nothing counted twice.
    const normal = visitOf(run([navigate(PAGE, '740', T0), headers]));
    expect(normal.requests.total).toBe(1);
    expect(normal.visitId).toBe(visitOf(run([navigate(PAGE, '740', T0)])).visitId);
    // Without the facts (older events): dropped as before when there is no visit.
    expect(run([{ kind: 'set-cookie', tabId: TAB, url: PAGE, lines: ['doc=1'], timeStamp: T0 }])).toEqual({});
  });
});

describe('events delivered out of order across worker restarts', () => {
  it('a document request older than the tab’s provisional visit adopts it (same origin) instead of dropping its counts', () => {
    const prov = run([
      request('https://tracker.net/a.gif', 'image', { initiator: 'https://www.example.com', timeStamp: T0 + 100 }),
    ]);
    const v = visitOf(run([navigate(PAGE, '750', T0)], prov));
    expect(v).toMatchObject({
      url: PAGE,
      documentRequestId: '750',
      startedAt: T0,
      requests: { total: 2, firstParty: 1, thirdParty: 1 },
    });
    expect(v.provisional).toBeUndefined();
    expect(v.visitId).toBe(visitOf(run([navigate(PAGE, '750', T0)])).visitId);
    // A document request younger than the provisional visit is a new navigation: a fresh visit.
    expect(visitOf(run([navigate(PAGE, '751', T0 + 200)], prov)).requests.total).toBe(1);
    // So is one of another origin.
    expect(visitOf(run([navigate('https://other.org/', '752', T0)], prov)).requests.total).toBe(1);
  });
});

describe('a late document response and the provisional visit', () => {
  it('adopts a younger same-origin provisional visit too', () => {
    const prov = run([
      request('https://tracker.net/a.gif', 'image', { initiator: 'https://www.example.com', timeStamp: T0 + 100 }),
    ]);
    const v = visitOf(run([response(PAGE, '760', 'main_frame', T0 + 50)], prov));
    expect(v).toMatchObject({ url: PAGE, documentRequestId: '760', requests: { total: 2 } });
  });
});

describe('purity of the new events', () => {
  function deepFreeze<T>(value: T): T {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    }
    return value;
  }
  const busy = () =>
    run([
      navigate(PAGE, '800'),
      request('https://tracker.net/a.gif', 'image', { requestId: '801' }),
      {
        kind: 'redirect',
        tabId: TAB,
        requestId: '802',
        url: 'https://go.hop.com/r',
        redirectUrl: 'https://px.target.net/i.gif',
        type: 'image',
        frameId: 0,
        timeStamp: T0 + 20,
      },
      { kind: 'set-cookie', tabId: TAB, url: PAGE, lines: ['sid=1'], timeStamp: T0 + 21 },
    ]);
  const events = (v: Visit): TallyEvent[] => [
    response('https://tracker.net/b.gif', '803'),
    failure('https://dead.net/x.gif', '804'),
    {
      kind: 'redirect',
      tabId: TAB,
      requestId: '805',
      url: 'https://go.hop.com/s',
      redirectUrl: 'https://px.target.net/j.gif',
      type: 'image',
      frameId: 0,
      timeStamp: T0 + 30,
    },
    request('https://px.target.net/i.gif', 'image', { requestId: '802' }),
    { kind: 'internal-redirect', tabId: TAB, requestId: '801', url: 'https://tracker.net/a.gif', type: 'image' },
    resources(v, [entry('https://tracker.net/a.gif'), entry('https://new.example.org/n.js', 'script')], T0 + 5000),
    {
      kind: 'cookies-found',
      tabId: TAB,
      visitId: v.visitId,
      cookies: [
        {
          name: 'sid',
          domain: 'www.example.com',
          path: '/',
          hostOnly: true,
          session: true,
          secure: false,
          httpOnly: false,
        },
      ],
      timeStamp: T0 + 6000,
    },
    { kind: 'page-seen', tabId: TAB, url: PAGE, timeStamp: T0 + 7000 },
  ];

  it.each([0, 1, 2, 3, 4, 5, 6, 7])(
    'event #%i does not mutate a deep-frozen input and keeps the state plain JSON',
    (i) => {
      const input = busy();
      const event = events(visitOf(input))[i]!;
      const snapshot = structuredClone(input);
      deepFreeze(input);
      const output = reduceTally(input, event);
      expect(input).toEqual(snapshot);
      expect(JSON.parse(JSON.stringify(output))).toEqual(output);
    },
  );

  it('a whole sequence is the same whether replayed once or twice (idempotent where it must be)', () => {
    const input = busy();
    const once = run(events(visitOf(input)), input);
    const twice = run(events(visitOf(input)), once);
    expect(visitOf(twice).requests).toEqual(visitOf(once).requests);
    expect(visitOf(twice).cookies.length).toBe(visitOf(once).cookies.length);
  });
});
