// The request rows' IndexedDB store (lib/history/request-store.ts) against fake-indexeddb: rows
// per visit, merged by hop, the newest visits per site kept, cleared with the history; a version 1
// store (one record per row) read as before after the upgrade.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_VISITS, REQUEST_DB_NAME, VISITS_PER_SITE, mergeRows, openRequestStore } from '@/lib/history/request-store';
import { type RequestRow, type VisitRows, visitKeyOf } from '@/lib/tally/request-rows';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

const row = (n: number, extra: Partial<RequestRow> = {}): RequestRow => ({
  key: `h${n}:${n}`,
  requestId: String(n),
  url: `https://a.example.net/${n}`,
  method: 'GET',
  type: 'image',
  frameId: 0,
  startedAt: T0 + n,
  state: 'counted',
  ...extra,
});
const batch = (site: string, startedAt: number, rows: RequestRow[], overflow = 0): VisitRows => {
  const url = `https://www.${site}/`;
  return { tabId: 1, visitKey: visitKeyOf(startedAt, url), site, url, startedAt, rows, overflow };
};

afterEach(
  () =>
    new Promise<void>((resolve) => {
      const r = indexedDB.deleteDatabase(REQUEST_DB_NAME);
      r.onsuccess = r.onerror = r.onblocked = () => resolve();
    }),
);

describe('request store', () => {
  it("keeps a visit's rows in time order; a later batch replaces a row of the same hop", async () => {
    const store = await openRequestStore();
    await store.write(batch('example.org', T0 + 0.4, [row(2), row(1)]));
    await store.write(batch('example.org', T0 + 0.4, [row(2, { status: 204 })], 3));
    // Looked up as an export does: the report's url and visitedAt (whole milliseconds).
    const kept = await store.rowsFor('https://www.example.org/', T0);
    expect(kept!.rows.map((r) => [r.requestId, r.status])).toEqual([
      ['1', undefined],
      ['2', 204],
    ]);
    expect(kept!.visit.overflow).toBe(3);
    expect(await store.rowsFor('https://www.example.org/', T0 + 1)).toBeNull();
    store.close();
  });

  it(`keeps the newest ${VISITS_PER_SITE} visits per site and ${MAX_VISITS} in all`, async () => {
    const store = await openRequestStore();
    for (let i = 0; i < 5; i++) await store.write(batch('example.org', T0 + i * 1000, [row(i)]));
    const kept = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => store.rowsFor('https://www.example.org/', T0 + i * 1000)),
    );
    expect(kept.map((k) => k !== null)).toEqual([false, false, true, true, true]);
    for (let i = 0; i < MAX_VISITS + 2; i++) await store.write(batch(`site${i}.example`, T0 + 10_000 + i, [row(i)]));
    expect(await store.rowsFor('https://www.example.org/', T0 + 4000)).toBeNull();
    expect(
      await store.rowsFor(`https://www.site${MAX_VISITS + 1}.example/`, T0 + 10_000 + MAX_VISITS + 1),
    ).not.toBeNull();
    store.close();
  });

  it('deletes a site and everything', async () => {
    const store = await openRequestStore();
    await store.write(batch('example.org', T0, [row(1)]));
    await store.write(batch('example.com', T0, [row(1)]));
    await store.deleteSite('example.org');
    expect(await store.rowsFor('https://www.example.org/', T0)).toBeNull();
    expect(await store.rowsFor('https://www.example.com/', T0)).not.toBeNull();
    await store.clear();
    expect(await store.rowsFor('https://www.example.com/', T0)).toBeNull();
    store.close();
  });

  it('reads the rows a version 1 store kept, merged with batches written after the upgrade', async () => {
    const v1 = batch('example.org', T0, []);
    const old = await openDB(REQUEST_DB_NAME, 1, {
      upgrade(d) {
        const visits = d.createObjectStore('visits', { keyPath: 'visitKey' });
        visits.createIndex('site', 'site');
        visits.createIndex('startedAt', 'startedAt');
        d.createObjectStore('rows', { keyPath: ['visitKey', 'key'] }).createIndex('visitKey', 'visitKey');
      },
    });
    await old.put('visits', { visitKey: v1.visitKey, site: v1.site, url: v1.url, startedAt: T0, overflow: 1 });
    for (const r of [row(1), row(3), row(2)]) await old.put('rows', { ...r, visitKey: v1.visitKey });
    old.close();

    const store = await openRequestStore();
    expect((await store.rowsFor(v1.url, T0))!.rows.map((r) => r.requestId)).toEqual(['1', '2', '3']);
    await store.write(batch('example.org', T0, [row(2, { status: 204 }), row(4)]));
    const kept = await store.rowsFor(v1.url, T0);
    expect(kept!.rows.map((r) => [r.requestId, r.status])).toEqual([
      ['1', undefined],
      ['2', 204],
      ['3', undefined],
      ['4', undefined],
    ]);
    expect(kept!.visit.overflow).toBe(1);
    await store.deleteSite('example.org');
    expect(await store.rowsFor(v1.url, T0)).toBeNull();
    store.close();
    const raw = await openDB(REQUEST_DB_NAME);
    expect(await raw.count('rows')).toBe(0);
    expect(await raw.count('batches')).toBe(0);
    raw.close();
  });
});

describe('mergeRows', () => {
  it('keeps the last row of each hop, in time order, ties in hop order', () => {
    const a = row(1, { key: 'b:1', startedAt: T0 });
    const b = row(2, { key: 'a:2', startedAt: T0 });
    const c = row(3, { startedAt: T0 - 5 });
    expect(mergeRows([a], [[b, c], [{ ...a, status: 200 }]]).map((r) => [r.key, r.status])).toEqual([
      [c.key, undefined],
      ['a:2', undefined],
      ['b:1', 200],
    ]);
  });
});
