// Importing a history file someone else crafted: nothing in it but its reports is trusted.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { type HistoryRecord, type HistoryStore, recordOfReport } from '@/lib/history/schema';
import { openHistoryStore } from '@/lib/history/store';
import { MAX_IMPORT_DEPTH, jsonDepth } from '@/lib/history/transfer';
import { DAY, T0, makeReport } from '../helpers/reports';

const open: HistoryStore[] = [];
async function storeFor(now = T0): Promise<HistoryStore> {
  const store = await openHistoryStore(new IDBFactory(), { now: () => now });
  open.push(store);
  return store;
}
afterEach(() => {
  for (const store of open.splice(0)) store.close();
});

const envelope = (visits: unknown[]) =>
  JSON.stringify({ format: 'datenschutz-ampel-history', version: 1, exportedAt: new Date(T0).toISOString(), visits });
const recordOf = (spec: Parameters<typeof makeReport>[0]): HistoryRecord => recordOfReport(makeReport(spec))!;

describe('import re-keys every record from its own report', () => {
  it("an entry carrying an existing visit's id cannot replace that visit", async () => {
    const store = await storeFor();
    const real = recordOf({ url: 'https://www.example.de/', visitedAt: T0 - DAY, verdict: 'red' });
    await store.record(real.report);
    const forged = recordOf({ url: 'https://www.example.de/other', visitedAt: T0 - DAY, verdict: 'green' });
    // Newer analysis, same id as the real visit: the old importer kept the file's id and replaced it.
    forged.report.analysedAt = new Date(T0 - 1000).toISOString();
    const result = await store.importAll(envelope([{ ...forged, id: real.id }]));
    expect(result).toMatchObject({ ok: true, added: 1, updated: 0 });
    expect((await store.visit(real.id))?.report.verdict).toBe('red');
    expect((await store.visits('example.de')).items.map((r) => r.url).sort()).toEqual([
      'https://www.example.de/',
      'https://www.example.de/other',
    ]);
  });

  it('the site comes from the URL: an entry cannot file itself under another site (or its complaint)', async () => {
    const store = await storeFor();
    const forged = recordOf({ url: 'https://evil.example/', visitedAt: T0 - DAY });
    await store.importAll(
      envelope([{ ...forged, site: 'jobcenter-musterstadt.de', id: 'jobcenter-musterstadt.de|1|x' }]),
    );
    expect((await store.visits('jobcenter-musterstadt.de')).items).toEqual([]);
    expect((await store.visits('evil.example')).items).toHaveLength(1);
    expect((await store.sites()).items.map((s) => s.site)).toEqual(['evil.example']);
  });

  it('a future analysedAt is clamped, so the real re-analysis of the visit still replaces it', async () => {
    const store = await storeFor();
    const visit = recordOf({ url: 'https://www.example.de/', visitedAt: T0 - DAY, verdict: 'green' });
    visit.report.analysedAt = new Date(T0 + 365 * DAY).toISOString();
    expect(await store.importAll(envelope([visit]))).toMatchObject({ ok: true, added: 1 });
    const stored = (await store.visit(visit.id))!;
    expect(Date.parse(stored.report.analysedAt)).toBe(T0);
    const real = makeReport({ url: 'https://www.example.de/', visitedAt: T0 - DAY, verdict: 'red' });
    real.analysedAt = new Date(T0 + 60_000).toISOString();
    expect(await store.record(real)).toEqual({ status: 'updated', id: visit.id });
    expect((await store.visit(visit.id))?.verdict).toBe('red');
  });

  it('a future visit time is clamped too (and re-keyed to it)', async () => {
    const store = await storeFor();
    const future = T0 + 30 * DAY;
    const visit = recordOf({ url: 'https://www.example.de/', visitedAt: future });
    expect(await store.importAll(envelope([visit]))).toMatchObject({ ok: true, added: 1 });
    const [stored] = (await store.visits('example.de')).items;
    expect(stored?.visitedAt).toBe(T0);
    expect(stored?.id).toBe(recordOf({ url: 'https://www.example.de/', visitedAt: T0 }).id);
    expect((await store.sites()).items[0]?.lastVisit).toBe(T0);
  });

  it("re-importing one's own export adds nothing, coalesced loads included", async () => {
    const store = await storeFor();
    for (const [i, t] of [T0 - 2 * DAY, T0 - 2 * DAY + 60_000, T0 - DAY].entries())
      await store.record(makeReport({ url: 'https://www.example.de/', visitedAt: t, title: i === 2 ? 'Neu' : 'Alt' }));
    const text = await store.exportAll();
    expect((await store.visits('example.de')).items.map((r) => r.loads?.length ?? 0)).toEqual([0, 1]);
    expect(await store.importAll(text)).toEqual({ ok: true, added: 0, updated: 0, unchanged: 2, total: 2 });
    expect(await store.exportAll()).toBe(text);
    const fresh = await storeFor();
    expect(await fresh.importAll(text)).toMatchObject({ ok: true, added: 2 });
    expect(await fresh.exportAll()).toBe(text);
  });

  it('merged loads outside the window or in the future are dropped', async () => {
    const store = await storeFor();
    const visit = recordOf({ url: 'https://www.example.de/', visitedAt: T0 - DAY });
    const ok = T0 - DAY + 5000;
    await store.importAll(envelope([{ ...visit, loads: [T0 + DAY, ok, T0 - 2 * DAY, T0 - DAY + 3_600_000, ok] }]));
    expect((await store.visit(visit.id))?.loads).toEqual([ok]);
  });

  it('bidi controls in an imported title are removed', async () => {
    const store = await storeFor();
    const visit = recordOf({ url: 'https://www.example.de/', visitedAt: T0 - DAY, title: 'Amt \u202Efdp.exe\u202C' });
    await store.importAll(envelope([visit]));
    expect((await store.sites()).items[0]?.title).toBe('Amt fdp.exe');
  });
});

describe('hostile structure is refused with a message, never thrown', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  it('jsonDepth counts brackets outside strings only', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[["}]}')).toBe(3);
    expect(jsonDepth('"\\"[[["')).toBe(0);
    expect(jsonDepth(deep(10_000), 5)).toBe(6);
  });

  it.each([
    ['a deeply nested value inside a report', 200_000],
    ['just past the limit', MAX_IMPORT_DEPTH + 1],
  ])('%s', async (_, depth) => {
    const store = await storeFor();
    await store.record(makeReport({ visitedAt: T0 - DAY }));
    const before = await store.exportAll();
    const visit = recordOf({ url: 'https://www.example.de/x', visitedAt: T0 - DAY });
    const text = envelope([visit]).replace('"truncated":false', `"truncated":false,"extra":${deep(depth - 4)}`);
    expect(jsonDepth(text)).toBe(depth);
    const result = await store.importAll(text);
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'too-deep',
        de: expect.stringMatching(/zu tief verschachtelt.*nichts importiert/),
        en: expect.stringMatching(/nested too deeply.*Nothing was imported/),
      },
    });
    expect(await store.exportAll()).toBe(before);
  });

  it('ordinary exports are far from the depth limit', async () => {
    const store = await storeFor();
    await store.record(makeReport({ visitedAt: T0 - DAY, thirdParties: { 'connect.facebook.net': 3 } }));
    expect(jsonDepth(await store.exportAll())).toBeLessThan(MAX_IMPORT_DEPTH / 4);
  });
});
