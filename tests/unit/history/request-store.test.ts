// The request rows' IndexedDB store (lib/history/request-store.ts) against fake-indexeddb: rows
// per visit, merged by hop, the newest visits per site kept, cleared with the history.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_VISITS, REQUEST_DB_NAME, VISITS_PER_SITE, openRequestStore } from '@/lib/history/request-store';
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
});
