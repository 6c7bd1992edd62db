import { afterEach, describe, expect, it, vi } from 'vitest';
import { type SessionStore, TallyHub, VISIT_KEY_PREFIX, visitKey } from '@/lib/tally/hub';
import { MemoryStore } from '../helpers/memory-store';
import { reduceTally } from '@/lib/tally/reduce';
import type { TallyEvent, TallyState, Visit } from '@/lib/tally/types';
import { thirdPartyHostCount } from '@/lib/tally/visit-stats';

const TAB = 4;
const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

let rid = 1;
function request(url: string, type = 'script', tabId = TAB, timeStamp = T0): TallyEvent {
  return { kind: 'request', tabId, frameId: 0, requestId: String(rid++), url, type, timeStamp };
}
const navigate = (url: string, tabId = TAB, timeStamp = T0): TallyEvent => request(url, 'main_frame', tabId, timeStamp);

function page(tabId = TAB): TallyEvent[] {
  return [
    navigate('https://www.example.com/', tabId),
    request('https://static.example.com/app.js', 'script', tabId),
    request('https://tracker.net/p.gif', 'image', tabId),
    { kind: 'response', tabId, requestId: 'r', url: 'https://tracker.net/p.gif', ip: '203.0.113.5' },
    {
      kind: 'set-cookie',
      tabId,
      url: 'https://tracker.net/p.gif',
      lines: ['tid=1; Domain=tracker.net; Path=/; Max-Age=60'],
      timeStamp: T0 + 1,
    },
  ];
}

const reduceAll = (events: TallyEvent[], state: TallyState = {}): TallyState => events.reduce(reduceTally, state);

function mustVisit(v: Visit | null | undefined): Visit {
  if (!v) throw new Error('expected a visit');
  return v;
}

const hubs: TallyHub[] = [];
function makeHub(store: SessionStore, extra: Partial<ConstructorParameters<typeof TallyHub>[0]> = {}): TallyHub {
  const hub = new TallyHub({ store, ...extra });
  hubs.push(hub);
  return hub;
}

afterEach(async () => {
  // Leave no pending flush timer behind.
  for (const hub of hubs.splice(0)) {
    await hub.whenReady().catch(() => undefined);
    await hub.flush().catch(() => undefined);
  }
  vi.useRealTimers();
});

describe('TallyHub restore', () => {
  it('queues events dispatched before restore and applies them on top of the restored state', async () => {
    const store = new MemoryStore();
    const restoredState = reduceAll(page());
    const restored = mustVisit(restoredState[TAB]);
    store.data.set(visitKey(TAB), structuredClone(restored));

    const g = gate();
    store.getGate = g.promise;
    const changed: Array<[number, Visit | null]> = [];
    const onError = vi.fn();
    const hub = makeHub(store, { onError, onVisitChanged: (t, v) => changed.push([t, v]) });

    const more: TallyEvent[] = [
      request('https://tracker.net/p2.gif', 'image'),
      request('https://new-tracker.org/t.js', 'script'),
      request('https://static.example.com/b.css', 'stylesheet'),
      {
        kind: 'error',
        tabId: TAB,
        requestId: 'e',
        url: 'https://new-tracker.org/t.js',
        error: 'net::ERR_BLOCKED_BY_CLIENT',
      },
    ];
    for (const e of more) hub.dispatch(e);
    // Nothing is applied while the restore is outstanding.
    expect(hub.visit(TAB)).toBeNull();
    expect(hub.visits()).toEqual([]);

    g.open();
    await hub.whenReady();

    const v = mustVisit(hub.visit(TAB));
    expect(v.visitId).toBe(restored.visitId);
    expect(v.requests).toEqual({
      total: restored.requests.total + 3,
      firstParty: restored.requests.firstParty + 1,
      thirdParty: restored.requests.thirdParty + 2,
      // The error names another request id: a request of that host blocked before it was sent.
      failed: 0,
      blocked: 1,
      cacheProbe: 0,
      cache: 0,
    });
    expect(v.hosts.find((h) => h.host === 'tracker.net')).toMatchObject({ requests: 2, ips: ['203.0.113.5'] });
    expect(v.hosts.find((h) => h.host === 'new-tracker.org')).toMatchObject({ requests: 1, failed: 0, blocked: 1 });
    expect(v.cookies).toHaveLength(1);
    expect(thirdPartyHostCount(v)).toBe(2);
    // Exactly what a single reducer run over restored state + queued events gives.
    expect(v).toEqual(reduceAll(more, { [TAB]: restored })[TAB]);
    expect(onError).not.toHaveBeenCalled();
    expect(changed.at(-1)).toEqual([TAB, v]);
  });

  it('keeps queued events in order (a navigation in the queue replaces the restored visit)', async () => {
    const store = new MemoryStore();
    store.data.set(visitKey(TAB), mustVisit(reduceAll(page())[TAB]));
    const g = gate();
    store.getGate = g.promise;
    const hub = makeHub(store);
    hub.dispatch(request('https://tracker.net/late.gif', 'image'));
    hub.dispatch(navigate('https://other.org/', TAB, T0 + 5000));
    hub.dispatch(request('https://cdn.other.org/x.js'));
    g.open();
    await hub.whenReady();
    const v = mustVisit(hub.visit(TAB));
    expect(v.site).toBe('other.org');
    expect(v.requests).toEqual({
      total: 2,
      firstParty: 2,
      thirdParty: 0,
      failed: 0,
      blocked: 0,
      cacheProbe: 0,
      cache: 0,
    });
  });

  it('applies events dispatched after restore immediately', async () => {
    const hub = makeHub(new MemoryStore());
    await hub.whenReady();
    hub.dispatch(navigate('https://www.example.com/'));
    expect(mustVisit(hub.visit(TAB)).requests.total).toBe(1);
  });

  it('drops invalid stored values, reports them, and ignores foreign keys', async () => {
    const store = new MemoryStore();
    const good = mustVisit(reduceAll(page(1))[1]);
    store.data.set(visitKey(1), good);
    store.data.set(visitKey(2), { version: 999, tabId: 2 });
    store.data.set(visitKey(3), 'garbage');
    store.data.set(visitKey(4), null);
    store.data.set('settings', { theme: 'dark' });
    const onError = vi.fn();
    const hub = makeHub(store, { onError });
    await hub.whenReady();
    expect(hub.visits()).toEqual([good]);
    expect(hub.visit(2)).toBeNull();
    expect(hub.visit(3)).toBeNull();
    expect(hub.visit(4)).toBeNull();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toBe('restore');
    expect(String((onError.mock.calls[0]![1] as Error).message)).toMatch(/visit:2.*visit:3.*visit:4/);
    // The invalid records are removed from storage, so they are not reported again on every wake-up.
    expect(store.storedKeys().sort()).toEqual(['settings', visitKey(1)]);
  });

  it('survives a store whose get() rejects: reports and still applies queued events', async () => {
    const store = new MemoryStore();
    store.failGet = new Error('storage unavailable');
    const onError = vi.fn();
    const hub = makeHub(store, { onError });
    hub.dispatch(navigate('https://www.example.com/'));
    await expect(hub.whenReady()).resolves.toBeUndefined();
    expect(onError).toHaveBeenCalledWith('restore', store.failGet);
    expect(mustVisit(hub.visit(TAB)).requests.total).toBe(1);
  });

  it('reports a throwing reducer and keeps handling other events', async () => {
    const store = new MemoryStore();
    // Passes isVisit but breaks the reducer (a host row that is not an object).
    const broken = { ...mustVisit(reduceAll(page(1))[1]), hosts: [null] };
    store.data.set(visitKey(1), broken);
    const onError = vi.fn();
    const hub = makeHub(store, { onError });
    await hub.whenReady();
    const bad = request('https://www.example.com/x.js', 'script', 1);
    expect(() => hub.dispatch(bad)).not.toThrow();
    hub.dispatch(navigate('https://www.example.com/', 2));
    expect(mustVisit(hub.visit(2)).requests.total).toBe(1);
    expect(onError.mock.calls.some((c) => c[0] === 'reduce')).toBe(true);
  });

  it('calls onVisitChanged for every restored visit', async () => {
    const store = new MemoryStore();
    const state = reduceAll([...page(1), ...page(2)]);
    store.data.set(visitKey(1), state[1]);
    store.data.set(visitKey(2), state[2]);
    const seen = new Map<number, Visit | null>();
    const hub = makeHub(store, { onVisitChanged: (t, v) => seen.set(t, v) });
    await hub.whenReady();
    expect([...seen.keys()].sort()).toEqual([1, 2]);
    expect(seen.get(1)).toEqual(state[1]);
  });
});

describe('TallyHub persistence', () => {
  it('flush() writes whole visits under visit:<tabId>', async () => {
    const store = new MemoryStore();
    const hub = makeHub(store);
    await hub.whenReady();
    for (const e of page(1)) hub.dispatch(e);
    hub.dispatch(navigate('https://other.org/', 2));
    await hub.flush();
    expect(store.storedKeys().sort()).toEqual(['visit:1', 'visit:2']);
    expect(VISIT_KEY_PREFIX).toBe('visit:');
    expect(store.data.get('visit:1')).toEqual(hub.visit(1));
    expect(store.data.get('visit:2')).toEqual(hub.visit(2));
  });

  it('flush() with nothing changed writes nothing', async () => {
    const store = new MemoryStore();
    const hub = makeHub(store);
    await hub.whenReady();
    await hub.flush();
    expect(store.sets()).toBe(0);
    hub.dispatch(request('https://x.example/', 'script', 99)); // no visit for tab 99: no change
    await hub.flush();
    expect(store.sets()).toBe(0);
  });

  it('tab-removed removes the stored key', async () => {
    const store = new MemoryStore();
    const hub = makeHub(store);
    await hub.whenReady();
    for (const e of page(1)) hub.dispatch(e);
    hub.dispatch(navigate('https://other.org/', 2));
    await hub.flush();
    const changed = vi.fn();
    // Reuse the same store with a listener on a fresh hub to check the null notification.
    const hub2 = makeHub(store, { onVisitChanged: changed });
    await hub2.whenReady();
    changed.mockClear();
    hub2.dispatch({ kind: 'tab-removed', tabId: 1 });
    expect(changed).toHaveBeenCalledWith(1, null);
    await hub2.flush();
    expect(store.data.has('visit:1')).toBe(false);
    expect(store.data.has('visit:2')).toBe(true);
    expect(
      store.calls
        .filter((c) => c.op === 'remove' && (c.arg as string[]).some((k) => k.startsWith(VISIT_KEY_PREFIX)))
        .at(-1)?.arg,
    ).toEqual(['visit:1']);
  });

  it('retainTabs drops visits of closed tabs and their keys', async () => {
    const store = new MemoryStore();
    const state = reduceAll([...page(1), ...page(2), ...page(3)]);
    for (const t of [1, 2, 3]) store.data.set(visitKey(t), state[t]);
    const hub = makeHub(store);
    await hub.whenReady();
    hub.retainTabs(new Set([2]));
    expect(hub.visits().map((v) => v.tabId)).toEqual([2]);
    await hub.flush();
    expect(store.storedKeys()).toEqual(['visit:2']);
  });

  it('a store whose set() rejects calls onError and does not throw', async () => {
    const store = new MemoryStore();
    store.failSet = new Error('QUOTA_BYTES quota exceeded');
    const onError = vi.fn();
    const hub = makeHub(store, { onError });
    await hub.whenReady();
    expect(() => {
      for (const e of page()) hub.dispatch(e);
    }).not.toThrow();
    await expect(hub.flush()).resolves.toBeUndefined();
    expect(onError).toHaveBeenCalledWith('persist', store.failSet);
    // The in-memory truth is unaffected.
    expect(mustVisit(hub.visit(TAB)).requests.total).toBe(3);
  });

  it('a rejected set() from the timer-driven flush is reported, not unhandled', async () => {
    const store = new MemoryStore();
    store.failSet = new Error('boom');
    const onError = vi.fn();
    const hub = makeHub(store, { onError, flushIntervalMs: 5 });
    await hub.whenReady();
    hub.dispatch(navigate('https://www.example.com/'));
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith('persist', store.failSet));
  });

  it('coalesces writes per interval and guarantees a trailing write', async () => {
    vi.useFakeTimers();
    let now = 1_000_000;
    const store = new MemoryStore();
    const hub = makeHub(store, { flushIntervalMs: 50, now: () => now });
    await hub.whenReady();

    for (const e of page()) hub.dispatch(e);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.sets()).toBe(1);
    expect(store.data.get(visitKey(TAB))).toEqual(hub.visit(TAB));

    // Within the interval: no write yet, then one trailing write with the latest snapshot.
    now += 10;
    hub.dispatch(request('https://tracker.net/a'));
    hub.dispatch(request('https://tracker.net/b'));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.sets()).toBe(1);
    now += 40;
    await vi.advanceTimersByTimeAsync(40);
    expect(store.sets()).toBe(2);
    expect(store.data.get(visitKey(TAB))).toEqual(hub.visit(TAB));
    expect((store.data.get(visitKey(TAB)) as Visit).requests.total).toBe(5);
  });
});

describe('TallyHub worker restart', () => {
  it('hub B on the same store restores exactly what hub A had', async () => {
    const store = new MemoryStore();
    store.delayMs = 2;
    const a = makeHub(store);
    for (const e of [...page(1), ...page(2)]) a.dispatch(e); // partly before A is ready
    await a.whenReady();
    a.dispatch({
      kind: 'cookie-changed',
      cookie: {
        name: 'tid',
        domain: '.tracker.net',
        path: '/',
        hostOnly: false,
        session: true,
        secure: false,
        httpOnly: false,
      },
      removed: false,
      timeStamp: T0 + 2,
    });
    a.dispatch({ kind: 'tab-removed', tabId: 2 });
    a.dispatch(navigate('https://other.org/', 3));
    await a.flush();
    const snapshot = structuredClone(a.visits());

    const b = makeHub(store);
    await b.whenReady();
    expect(b.visits()).toEqual(snapshot);
    expect(b.visit(1)).toEqual(a.visit(1));
    expect(b.visit(2)).toBeNull();
    expect(mustVisit(b.visit(1)).cookies[0]!.seenBy).toEqual(['header', 'script']);
  });

  it("events during B's restore are neither lost nor counted twice", async () => {
    const store = new MemoryStore();
    const a = makeHub(store);
    await a.whenReady();
    for (const e of page()) a.dispatch(e);
    await a.flush();
    const before = mustVisit(a.visit(TAB));

    const g = gate();
    store.getGate = g.promise;
    const b = makeHub(store);
    b.dispatch(request('https://tracker.net/after-restart.gif', 'image'));
    g.open();
    await b.whenReady();
    const after = mustVisit(b.visit(TAB));
    expect(after.requests.total).toBe(before.requests.total + 1);
    expect(after.requests.thirdParty).toBe(before.requests.thirdParty + 1);
    await b.flush();

    // A third start sees the combined state once.
    const c = makeHub(store);
    await c.whenReady();
    expect(c.visit(TAB)).toEqual(after);
  });
});

describe('TallyHub persistence failures', () => {
  it('writes a visit again after a failed write, without waiting for the tab to change', async () => {
    const store = new MemoryStore();
    const onError = vi.fn();
    const hub = makeHub(store, { onError });
    await hub.whenReady();
    store.failSet = new Error('quota');
    hub.dispatch(navigate('https://www.example.com/'));
    await hub.flush();
    expect(onError).toHaveBeenCalledWith('persist', store.failSet);
    expect(store.data.has(visitKey(TAB))).toBe(false);
    store.failSet = null;
    await hub.flush();
    expect(store.data.has(visitKey(TAB))).toBe(true);
  });
});

describe('TallyHub annotation with loaded data', () => {
  const toolOf = (e: TallyEvent): TallyEvent =>
    e.kind === 'request' && e.url.endsWith('/matomo.js') ? { ...e, tool: 'matomo' } : e;

  it('holds events until the data has loaded, then annotates every one, also the first', async () => {
    const store = new MemoryStore();
    const data = gate();
    const hub = makeHub(store, { annotate: toolOf, waitFor: data.promise });
    hub.dispatch(navigate('https://www.amt.example/'));
    hub.dispatch(request('https://www.amt.example/stats/matomo.js'));
    await new Promise((r) => setTimeout(r, 5));
    expect(hub.visit(TAB)).toBeNull();
    data.open();
    await hub.whenReady();
    const row = mustVisit(hub.visit(TAB)).hosts.find((h) => h.host === 'www.amt.example');
    expect(row?.tools).toEqual(['matomo']);
    expect(row?.requests).toBe(2);
  });

  it('a failed data load only delays: events are counted, not annotated, and the error is reported', async () => {
    const store = new MemoryStore();
    const errors: string[] = [];
    const hub = makeHub(store, {
      annotate: (e) => e,
      waitFor: Promise.reject(new Error('asset missing')),
      onError: (w) => errors.push(w),
    });
    hub.dispatch(navigate('https://www.amt.example/'));
    await hub.whenReady();
    expect(mustVisit(hub.visit(TAB)).requests.total).toBe(1);
    expect(errors).toContain('waitFor');
  });
});

describe('TallyHub write-ahead log (worker stopped before its first snapshot)', () => {
  const events = (n: number, tabId = TAB): TallyEvent[] => [
    navigate('https://www.amt.example/', tabId),
    ...Array.from({ length: n }, (_, i) => request(`https://cdn${i % 7}.tracker.example/p${i}.gif`, 'image', tabId)),
  ];

  it('replays events a stopped worker logged but never saved: same tally as undisturbed', async () => {
    const all = events(40);
    const calm = reduceAll(all);
    const store = new MemoryStore();
    // Worker A sees the first 25 events and is stopped before any snapshot.
    const a = makeHub(store, { bootId: 'a', now: () => 1000, flushIntervalMs: 10_000 });
    for (const e of all.slice(0, 25)) a.dispatch(e);
    await a.whenReady();
    await new Promise((r) => setTimeout(r, 5)); // the log writes land; no snapshot yet
    expect(store.sets()).toBe(0);
    // Worker B gets the rest.
    const b = makeHub(store, { bootId: 'b', now: () => 2000, flushIntervalMs: 10_000 });
    for (const e of all.slice(25)) b.dispatch(e);
    await b.whenReady();
    expect(b.visit(TAB)).toEqual(calm[TAB]);
    await b.flush();
    expect(store.walKeys()).toEqual([]);
    expect(store.data.get(visitKey(TAB))).toEqual(calm[TAB]);
  });

  it('never counts an event twice: snapshot, more events, stop, restart, stop, restart', async () => {
    const all = events(60);
    const calm = reduceAll(all);
    const store = new MemoryStore();
    const a = makeHub(store, { bootId: 'a', now: () => 1000, flushIntervalMs: 10_000 });
    await a.whenReady();
    for (const e of all.slice(0, 20)) a.dispatch(e);
    await a.flush(); // snapshot with mark (a, 20)
    for (const e of all.slice(20, 30)) a.dispatch(e); // logged, not in any snapshot
    await new Promise((r) => setTimeout(r, 5));
    const b = makeHub(store, { bootId: 'b', now: () => 2000, flushIntervalMs: 10_000 });
    for (const e of all.slice(30, 45)) b.dispatch(e);
    await b.whenReady(); // replays a:21..30, then its own
    await new Promise((r) => setTimeout(r, 5)); // b stopped before its snapshot
    const c = makeHub(store, { bootId: 'c', now: () => 3000, flushIntervalMs: 10_000 });
    for (const e of all.slice(45)) c.dispatch(e);
    await c.whenReady();
    expect(c.visit(TAB)).toEqual(calm[TAB]);
    await c.flush();
    expect(store.walKeys()).toEqual([]);
    const d = makeHub(store, { bootId: 'd', now: () => 4000 });
    await d.whenReady();
    expect(d.visit(TAB)).toEqual(calm[TAB]);
  });
});

describe('TallyHub interruptedTabs', () => {
  it('names restored visits that were active shortly before this worker started, not idle ones or this boot’s own', async () => {
    const store = new MemoryStore();
    const now = T0 + 60_000;
    const active = mustVisit(reduceAll([navigate('https://a.example.com/', 1, now - 500)])[1]);
    const idle = mustVisit(reduceAll([navigate('https://b.example.com/', 2, now - 40_000)])[2]);
    store.data.set(visitKey(1), active);
    store.data.set(visitKey(2), idle);
    const g = gate();
    store.getGate = g.promise;
    const hub = makeHub(store, { now: () => now });
    // An event of this boot for the idle tab does not make it look interrupted.
    hub.dispatch(request('https://cdn.b.example.com/x.js', 'script', 2, now + 10));
    g.open();
    await hub.whenReady();
    expect(hub.interruptedTabs()).toEqual([1]);
    expect(mustVisit(hub.visit(2)).requests.total).toBe(2);
  });

  it('counts replayed write-ahead-log events as activity of the previous worker', async () => {
    const store = new MemoryStore();
    const now = T0 + 60_000;
    const first = makeHub(store, { now: () => now - 30_000, bootId: 'a' });
    await first.whenReady();
    first.dispatch(navigate('https://a.example.com/', 1, now - 30_000));
    await first.flush();
    // The previous worker logged a request but was stopped before its snapshot.
    first.dispatch(request('https://tracker.net/late.gif', 'image', 1, now - 200));
    await Promise.resolve();
    const second = makeHub(store, { now: () => now, bootId: 'b' });
    await second.whenReady();
    expect(mustVisit(second.visit(1)).requests.total).toBe(2);
    expect(second.interruptedTabs()).toEqual([1]);
    // A short window excludes it.
    const third = makeHub(store, { now: () => now + 1000, bootId: 'c', interruptWindowMs: 100 });
    await third.whenReady();
    expect(third.interruptedTabs()).toEqual([]);
  });
});
