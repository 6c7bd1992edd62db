// The request rows of the extension's HAR (lib/tally/request-rows.ts): fed exactly as the
// background feeds them (rows first, then the tally), their HAR holds the report's counted
// requests — checked against the tally itself for random event sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countedEntries, observedHar } from '@/lib/export/har';
import { reduceTally } from '@/lib/tally/reduce';
import { MAX_ROWS_PER_VISIT, RequestRecorder, type RowEvent, type VisitRows } from '@/lib/tally/request-rows';
import type { TallyEvent, TallyState, Visit } from '@/lib/tally/types';
import { harSchemaErrors } from '../../har-schema';

const TAB = 3;
const T0 = Date.UTC(2026, 2, 2, 8, 15, 31) + 0.25;

/** One webRequest event, as the background turns it into a row event and a tally event. */
type Wr =
  | { on: 'before'; id: string; url: string; type: string; method?: string; at: number; lifecycle?: string }
  | {
      on: 'response';
      id: string;
      url: string;
      type: string;
      at: number;
      status?: number;
      ip?: string;
      fromCache?: boolean;
    }
  | { on: 'redirect'; id: string; url: string; to: string; type: string; at: number; internal?: boolean }
  | { on: 'error'; id: string; url: string; type: string; at: number; error: string }
  | { on: 'headers'; id: string; url: string; type: string; at: number; setCookie: string[] };

function feed(
  events: Wr[],
  recorder = new RequestRecorder(),
  start: TallyState = {},
): { state: TallyState; recorder: RequestRecorder } {
  let state = start;
  for (const e of events) {
    const base = { tabId: TAB, requestId: e.id, url: e.url };
    let row: RowEvent;
    let tally: TallyEvent | null;
    switch (e.on) {
      case 'before':
        row = {
          ...base,
          kind: 'request',
          method: e.method ?? 'GET',
          type: e.type,
          frameId: 0,
          timeStamp: e.at,
          ...(e.lifecycle ? { documentLifecycle: e.lifecycle } : {}),
        };
        tally = {
          ...base,
          kind: 'request',
          type: e.type,
          frameId: 0,
          timeStamp: e.at,
          ...(e.lifecycle ? { documentLifecycle: e.lifecycle } : {}),
        };
        break;
      case 'response':
        row = {
          ...base,
          kind: 'response',
          statusCode: e.status ?? 200,
          statusLine: `HTTP/1.1 ${e.status ?? 200} OK`,
          ip: e.ip ?? '192.0.2.1',
          fromCache: e.fromCache,
          timeStamp: e.at,
        };
        tally = {
          ...base,
          kind: 'response',
          ip: e.ip ?? '192.0.2.1',
          fromCache: e.fromCache,
          type: e.type,
          frameId: 0,
          timeStamp: e.at,
        };
        break;
      case 'redirect':
        row = {
          ...base,
          kind: 'redirect',
          redirectUrl: e.to,
          statusCode: 307,
          statusLine: e.internal ? 'HTTP/1.1 307 Internal Redirect' : 'HTTP/1.1 302 Found',
          timeStamp: e.at,
        };
        tally = e.internal
          ? { ...base, kind: 'internal-redirect', type: e.type }
          : { ...base, kind: 'redirect', redirectUrl: e.to, type: e.type, frameId: 0, timeStamp: e.at };
        break;
      case 'error':
        row = { ...base, kind: 'error', error: e.error, timeStamp: e.at };
        tally = { ...base, kind: 'error', error: e.error, type: e.type, frameId: 0, timeStamp: e.at };
        break;
      case 'headers':
        row = { ...base, kind: 'headers', setCookie: e.setCookie };
        tally = { ...base, kind: 'set-cookie', lines: e.setCookie, timeStamp: e.at, type: e.type, frameId: 0 };
        break;
    }
    const before = state;
    recorder.observe(row, () => before[TAB] ?? null);
    if (tally) state = reduceTally(state, tally);
  }
  return { state, recorder };
}

const visitOf = (state: TallyState): Visit => state[TAB]!;
const harOf = (batches: VisitRows[], visit: Visit) => {
  const rows = batches.filter((b) => b.startedAt === visit.startedAt).flatMap((b) => b.rows);
  return observedHar([{ url: visit.url, startedAt: visit.startedAt, title: 't', rows, overflow: 0 }], {
    name: 'Datenschutz-Ampel',
    version: '0.1.0',
  });
};

const PAGE = 'https://www.example.org/';

describe('request rows follow the tally', () => {
  it('a page load: counted rows with status, IP and timings; an internal redirect dropped; a cache probe flagged not sent', () => {
    const { state, recorder } = feed([
      { on: 'before', id: '10', url: PAGE, type: 'main_frame', at: T0 },
      {
        on: 'headers',
        id: '10',
        url: PAGE,
        type: 'main_frame',
        at: T0 + 30,
        setCookie: ['sid=s3cr3t; Path=/; HttpOnly'],
      },
      { on: 'response', id: '10', url: PAGE, type: 'main_frame', at: T0 + 31 },
      { on: 'before', id: '11', url: 'http://cdn.example.net/a.js', type: 'script', at: T0 + 40 },
      {
        on: 'redirect',
        id: '11',
        url: 'http://cdn.example.net/a.js',
        to: 'https://cdn.example.net/a.js',
        type: 'script',
        at: T0 + 41,
        internal: true,
      },
      { on: 'before', id: '11', url: 'https://cdn.example.net/a.js', type: 'script', at: T0 + 42 },
      {
        on: 'response',
        id: '11',
        url: 'https://cdn.example.net/a.js',
        type: 'script',
        at: T0 + 60,
        ip: '198.51.100.7',
      },
      { on: 'before', id: '12', url: 'https://fonts.example.net/f.woff2', type: 'font', at: T0 + 70 },
      {
        on: 'error',
        id: '12',
        url: 'https://fonts.example.net/f.woff2',
        type: 'font',
        at: T0 + 71,
        error: 'net::ERR_CACHE_MISS',
      },
      { on: 'before', id: '13', url: 'https://t.example.com/p?access_token=abc&x=1', type: 'image', at: T0 + 80 },
      {
        on: 'error',
        id: '13',
        url: 'https://t.example.com/p?access_token=abc&x=1',
        type: 'image',
        at: T0 + 90,
        error: 'net::ERR_CONNECTION_REFUSED',
      },
    ]);
    const visit = visitOf(state);
    const har = harOf(
      recorder.take(() => visit),
      visit,
    );
    expect(harSchemaErrors(har)).toEqual([]);
    expect(countedEntries(har)).toBe(visit.requests.total);
    expect(visit.requests.total).toBe(3);
    expect(har.log.entries.map((e) => [e.request.url, e._notSent ?? false])).toEqual([
      [PAGE, false],
      ['https://cdn.example.net/a.js', false],
      ['https://fonts.example.net/f.woff2', true],
      ['https://t.example.com/p?access_token=REDACTED&x=1', false],
    ]);
    expect(har.log.entries[0]).toMatchObject({
      response: { status: 200, headers: [{ name: 'Set-Cookie', value: 'sid=REDACTED; Path=/; HttpOnly' }] },
      timings: { wait: 31 },
    });
    expect(har.log.entries[1]).toMatchObject({ serverIPAddress: '198.51.100.7', _resourceType: 'script' });
    expect(har.log.entries[3]!.response).toMatchObject({ status: 0, _error: 'net::ERR_CONNECTION_REFUSED' });
    expect(JSON.stringify(har)).not.toMatch(/s3cr3t|access_token=abc/);
  });

  it("a new document settles the rows of the visit it replaces against that visit; the old page's beacon stays its own", () => {
    const recorder = new RequestRecorder();
    const { state: first } = feed(
      [
        { on: 'before', id: '20', url: PAGE, type: 'main_frame', at: T0 },
        { on: 'before', id: '21', url: 'https://a.example.net/1.js', type: 'script', at: T0 + 5 },
      ],
      recorder,
    );
    const firstVisit = visitOf(first);
    const { state: second } = feed(
      [
        { on: 'before', id: '30', url: 'https://www.example.org/next', type: 'main_frame', at: T0 + 1000 },
        {
          on: 'before',
          id: '31',
          url: 'https://b.example.net/beacon',
          type: 'ping',
          at: T0 + 1001,
          lifecycle: 'pending_deletion',
        },
        { on: 'before', id: '32', url: 'https://b.example.net/2.js', type: 'script', at: T0 + 1010 },
      ],
      recorder,
      first,
    );
    const batches = recorder.take(() => visitOf(second));
    const ofFirst = batches
      .filter((b) => b.startedAt === firstVisit.startedAt)
      .flatMap((b) => b.rows.map((r) => r.url));
    expect(ofFirst.sort()).toEqual([PAGE, 'https://a.example.net/1.js', 'https://b.example.net/beacon'].sort());
    const secondVisit = visitOf(second);
    expect(countedEntries(harOf(batches, secondVisit))).toBe(secondVisit.requests.total);
    // The tally counted the beacon for the replaced visit too.
    expect(secondVisit.previous!.requests.total).toBe(ofFirst.length);
  });

  it('keeps at most MAX_ROWS_PER_VISIT rows and counts the rest', () => {
    const events: Wr[] = [{ on: 'before', id: '1', url: PAGE, type: 'main_frame', at: T0 }];
    for (let i = 0; i < MAX_ROWS_PER_VISIT + 5; i++)
      events.push({ on: 'before', id: String(100 + i), url: `https://x.example.net/${i}`, type: 'image', at: T0 + i });
    const { state, recorder } = feed(events);
    const [batch] = recorder.take(() => visitOf(state));
    expect(batch!.rows).toHaveLength(MAX_ROWS_PER_VISIT);
    expect(batch!.overflow).toBe(6);
  });

  it('hands over only what changed since the last batch; nothing while the visit is unknown', () => {
    const recorder = new RequestRecorder();
    const { state } = feed([{ on: 'before', id: '40', url: PAGE, type: 'main_frame', at: T0 }], recorder);
    expect(recorder.take(() => null)).toEqual([]);
    expect(recorder.take(() => visitOf(state))[0]!.rows).toHaveLength(1);
    expect(recorder.take(() => visitOf(state))).toEqual([]);
    feed([{ on: 'response', id: '40', url: PAGE, type: 'main_frame', at: T0 + 9 }], recorder, state);
    expect(recorder.take(() => visitOf(state))[0]!.rows[0]).toMatchObject({ status: 200, state: 'counted' });
  });

  it('property: for any order of events, the HAR holds exactly the counted requests', () => {
    const hop = fc.record({
      n: fc.integer({ min: 0, max: 5 }),
      type: fc.constantFrom('script', 'image', 'font', 'xmlhttprequest', 'ping'),
      fate: fc.constantFrom('ok', 'cache', 'probe', 'refused', 'blocked', 'internal', 'no-request'),
      host: fc.constantFrom('a.example.net', 'www.example.org', 'c.example.com'),
    });
    fc.assert(
      fc.property(fc.array(hop, { maxLength: 25 }), fc.boolean(), (hops, shuffleLate) => {
        const events: Wr[] = [{ on: 'before', id: '1', url: PAGE, type: 'main_frame', at: T0 }];
        hops.forEach((h, i) => {
          const id = String(10 + i);
          const url = `https://${h.host}/r${h.n}`;
          const at = T0 + 10 + i;
          const mine: Wr[] = [];
          if (h.fate !== 'no-request') mine.push({ on: 'before', id, url, type: h.type, at });
          if (h.fate === 'ok' || h.fate === 'no-request')
            mine.push({ on: 'response', id, url, type: h.type, at: at + 1 });
          if (h.fate === 'cache') mine.push({ on: 'response', id, url, type: h.type, at: at + 1, fromCache: true });
          if (h.fate === 'probe')
            mine.push({ on: 'error', id, url, type: h.type, at: at + 1, error: 'net::ERR_CACHE_MISS' });
          if (h.fate === 'refused')
            mine.push({ on: 'error', id, url, type: h.type, at: at + 1, error: 'net::ERR_CONNECTION_REFUSED' });
          if (h.fate === 'blocked')
            mine.push({ on: 'error', id, url, type: h.type, at: at + 1, error: 'net::ERR_BLOCKED_BY_CLIENT' });
          if (h.fate === 'internal')
            mine.push({
              on: 'redirect',
              id,
              url: url.replace('https:', 'http:'),
              to: url,
              type: h.type,
              at,
              internal: true,
            });
          events.push(...(shuffleLate ? mine.reverse() : mine));
        });
        const { state, recorder } = feed(events);
        const visit = visitOf(state);
        const har = harOf(
          recorder.take(() => visit),
          visit,
        );
        expect(countedEntries(har)).toBe(visit.requests.total);
      }),
      { numRuns: 150 },
    );
  });
});
