/**
 * The storage budget of the write-ahead log and of the stored page facts (lib/tally/budget.ts,
 * lib/page/facts.ts factsForStorage): what a hostile page controls cannot fill storage.session,
 * and nothing the tally counts is lost on the way — live and after a worker restart.
 */
import { describe, expect, it } from 'vitest';
import { CUT_MARK, MAX_EVENT_URL, boundEvent, boundUrl } from '@/lib/tally/budget';
import { TallyHub, WAL_PREFIX, visitKey } from '@/lib/tally/hub';
import { reduceTally } from '@/lib/tally/reduce';
import { LIMITS, type TallyEvent, type TallyState } from '@/lib/tally/types';
import { FACTS_STORAGE_CHARS, type PageFacts, factsForStorage, parsePageFacts } from '@/lib/page/facts';
import { planPageChecks } from '@/lib/page/checks';
import { MemoryStore } from '../helpers/memory-store';

const TAB = 7;
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
let rid = 1;
const request = (url: string, type = 'image', timeStamp = T0): TallyEvent => ({
  kind: 'request',
  tabId: TAB,
  frameId: 0,
  requestId: String(rid++),
  url,
  type,
  timeStamp,
});
const jarCookie = (name: string, value: string) => ({
  name,
  value,
  domain: 'www.shop.example',
  path: '/',
  hostOnly: true,
  session: true,
  secure: false,
  httpOnly: false,
  sameSite: 'lax',
});
const bytesOf = (store: MemoryStore) =>
  [...store.data.values()].reduce((n: number, v) => n + JSON.stringify(v).length, 0);
/** Characters written to the write-ahead log so far (each entry is removed again after the next snapshot). */
const walWritten = (store: MemoryStore) =>
  store.calls
    .filter((c) => c.op === 'set')
    .flatMap((c) => Object.entries(c.arg as Record<string, unknown>))
    .filter(([k]) => k.startsWith(WAL_PREFIX))
    .reduce((n, [, v]) => n + JSON.stringify(v).length, 0);

describe('boundUrl', () => {
  it('keeps URLs up to MAX_EVENT_URL and cuts longer ones to that length with a hash of the whole', () => {
    const short = `https://a.example/${'x'.repeat(MAX_EVENT_URL - 30)}`;
    expect(boundUrl(short)).toBe(short);
    const long1 = `https://t.example/p?${'a'.repeat(100_000)}1`;
    const long2 = `https://t.example/p?${'a'.repeat(100_000)}2`;
    expect(boundUrl(long1)).toHaveLength(MAX_EVENT_URL);
    expect(boundUrl(long1)).toContain(CUT_MARK);
    expect(new URL(boundUrl(long1)).hostname).toBe('t.example');
    // Equal prefixes, different ends: still two URLs.
    expect(boundUrl(long1)).not.toBe(boundUrl(long2));
    expect(boundUrl(long1)).toBe(boundUrl(long1));
  });
});

describe('the write-ahead log stays within budget and the tally loses nothing', () => {
  it('cookie removals (evictions) are neither logged nor change anything', async () => {
    const store = new MemoryStore();
    const hub = new TallyHub({ store, now: () => T0 });
    await hub.whenReady();
    hub.dispatch(request('https://www.shop.example/', 'main_frame'));
    await hub.flush();
    const before = hub.visit(TAB);
    const writes = store.calls.length;
    for (let i = 0; i < 1000; i++)
      hub.dispatch({ kind: 'cookie-changed', cookie: jarCookie(`c${i}`, 'v'), removed: true, timeStamp: T0 + i });
    expect(store.calls.length).toBe(writes);
    expect(hub.visit(TAB)).toBe(before);
  });

  it('a cookie loop: no cookie value reaches the log, the cookies are counted as without the budget', async () => {
    const store = new MemoryStore();
    const hub = new TallyHub({ store, now: () => T0 });
    await hub.whenReady();
    const events: TallyEvent[] = [request('https://www.shop.example/', 'main_frame')];
    for (let i = 0; i < 300; i++)
      events.push({
        kind: 'cookie-changed',
        cookie: { ...jarCookie(`c${i}`, 'v'.repeat(4000)) },
        removed: false,
        timeStamp: T0 + i,
      });
    for (const e of events) hub.dispatch(e);
    await new Promise((r) => setTimeout(r, 5));
    // 300 cookies of 4 kB each would be 1.2 MB of log; without their values it is a small part.
    expect(walWritten(store)).toBeLessThan(120_000);
    expect(JSON.stringify([...store.data.values()])).not.toContain('vvvv');
    const unbounded = events.reduce(reduceTally, {} as TallyState);
    expect(hub.visit(TAB)).toEqual(unbounded[TAB]);
    expect(hub.visit(TAB)!.cookies).toHaveLength(300);
    // A burst is logged in a few batched writes, not one storage call per event.
    expect(
      store.calls.filter((c) => c.op === 'set' && Object.keys(c.arg as object).some((k) => k.startsWith(WAL_PREFIX)))
        .length,
    ).toBeLessThan(10);
  });

  it('past the cookie cap, events that change nothing are not logged; a restarted worker still has every cookie the tally keeps', async () => {
    const store = new MemoryStore();
    const a = new TallyHub({ store, bootId: 'a', now: () => 1000, flushIntervalMs: 60_000 });
    await a.whenReady();
    const events: TallyEvent[] = [request('https://www.shop.example/', 'main_frame')];
    for (let i = 0; i < LIMITS.cookies + 3000; i++)
      events.push({ kind: 'cookie-changed', cookie: jarCookie(`c${i}`, 'v'), removed: false, timeStamp: T0 + i });
    for (const e of events) a.dispatch(e);
    await new Promise((r) => setTimeout(r, 5));
    const logged = store.walKeys().flatMap((k) => [store.data.get(k)].flat()).length;
    // The navigation, the cookies up to the cap, and the one that marked the visit truncated.
    expect(logged).toBe(1 + LIMITS.cookies + 1);
    const live = a.visit(TAB)!;
    expect(live.cookies).toHaveLength(LIMITS.cookies);
    expect(live.truncated).toBe(true);
    const b = new TallyHub({ store, bootId: 'b', now: () => 2000 });
    await b.whenReady();
    expect(b.visit(TAB)).toEqual(live);
    await b.flush();
    await a.flush();
  });

  it('a burst of 100 kB URLs: the log stays small, every request is counted, a restarted worker replays the same tally', async () => {
    const store = new MemoryStore();
    // A clock that keeps worker A from writing a snapshot before it is stopped (next flush in ~60 s).
    const a = new TallyHub({ store, bootId: 'a', now: () => 1000, flushIntervalMs: 60_000 });
    await a.whenReady();
    const events: TallyEvent[] = [request('https://www.shop.example/', 'main_frame')];
    for (let i = 0; i < 50; i++) events.push(request(`https://t.example/p?${'q'.repeat(100_000)}${i}`));
    for (const e of events) a.dispatch(e);
    await new Promise((r) => setTimeout(r, 5));
    // 50 × 100 kB unbounded; bounded each entry is about MAX_EVENT_URL.
    expect(walWritten(store)).toBeLessThan(51 * (MAX_EVENT_URL + 300));
    expect(store.sets()).toBe(0);
    const live = a.visit(TAB)!;
    expect(live.requests.total).toBe(51);
    expect(live.hosts.find((h) => h.host === 't.example')?.requests).toBe(50);
    // Worker A stops before any snapshot; worker B replays the log.
    const b = new TallyHub({ store, bootId: 'b', now: () => 2000 });
    await b.whenReady();
    expect(b.visit(TAB)).toEqual(live);
    await b.flush();
    expect(store.walKeys()).toEqual([]);
    expect(store.data.get(visitKey(TAB))).toEqual(live);
    expect(bytesOf(store)).toBeLessThan(200_000);
    await a.flush(); // no timer left behind
  });

  it('events within the budget are passed on unchanged (the same object)', () => {
    const e = request('https://www.shop.example/a.js', 'script');
    expect(boundEvent(e)).toBe(e);
    const s: TallyEvent = {
      kind: 'set-cookie',
      tabId: TAB,
      url: 'https://www.shop.example/',
      lines: ['a=1; Path=/'],
      timeStamp: T0,
    };
    expect(boundEvent(s)).toBe(s);
  });

  it('Set-Cookie lines the parser ignores are dropped, the rest capped per response', () => {
    const e: TallyEvent = {
      kind: 'set-cookie',
      tabId: TAB,
      url: 'https://www.shop.example/',
      lines: ['a=1', `b=${'x'.repeat(9000)}`, 'c=3'],
      timeStamp: T0,
    };
    expect((boundEvent(e) as { lines: string[] }).lines).toEqual(['a=1', 'c=3']);
    const many: TallyEvent = { ...e, lines: Array.from({ length: 100 }, (_, i) => `n${i}=${'y'.repeat(4000)}`) };
    const kept = (boundEvent(many) as { lines: string[] }).lines;
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.join('').length).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('factsForStorage', () => {
  const link = (href: string, text: string, region: PageFacts['links'][number]['region']) => ({ href, text, region });
  const heavy: PageFacts = {
    url: 'https://www.links.example/',
    title: 'Viele Links',
    lang: 'de',
    meta: {},
    links: [
      ...Array.from({ length: 590 }, (_, i) =>
        link(`https://www.links.example/kontakt/${i}?${'k'.repeat(1900)}`, `Kontakt ${i}`, 'main' as const),
      ),
      link('/impressum', 'Impressum', 'footer'),
      link('/datenschutz', 'Datenschutz', 'footer'),
    ],
    linkCount: 5000,
    textSample: 't'.repeat(12_000),
    truncated: false,
    collectMs: 3,
  };

  it('a link-heavy page is stored within the cap, still valid, with the legal links a restarted worker needs', () => {
    expect(JSON.stringify(heavy).length).toBeGreaterThan(1_000_000);
    const stored = factsForStorage(heavy);
    expect(JSON.stringify(stored).length).toBeLessThanOrEqual(FACTS_STORAGE_CHARS);
    expect(parsePageFacts(structuredClone(stored))).toEqual(stored);
    expect(stored.truncated).toBe(true);
    const full = planPageChecks(heavy).links;
    const restored = planPageChecks(stored).links;
    expect(restored.imprint[0]?.url).toBe(full.imprint[0]?.url);
    expect(restored.privacy[0]?.url).toBe(full.privacy[0]?.url);
    expect(restored.imprint[0]?.url).toBe('https://www.links.example/impressum');
  });

  it('facts within the cap are stored as they are', () => {
    const small = { ...heavy, links: heavy.links.slice(-2), textSample: 'kurz' };
    expect(factsForStorage(small)).toBe(small);
  });
});
