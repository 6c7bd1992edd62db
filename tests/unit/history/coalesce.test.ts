// Reloads of one URL with an unchanged report within ten minutes are one record with a count.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { buildComplaint } from '@/lib/export/complaint/build';
import { renderComplaintMarkdown } from '@/lib/export/markdown';
import { loadCount } from '@/lib/history/coalesce';
import { COALESCE_MS, type HistoryStore, MAX_LOADS } from '@/lib/history/schema';
import { openHistoryStore } from '@/lib/history/store';
import { DAY, T0, createV2Database, makeReport } from '../helpers/reports';

const open: HistoryStore[] = [];
async function storeFor(factory = new IDBFactory()): Promise<HistoryStore> {
  const store = await openHistoryStore(factory, { now: () => T0 });
  open.push(store);
  return store;
}
afterEach(() => {
  for (const store of open.splice(0)) store.close();
});

const URL_A = 'https://www.example.de/';
const t1 = T0 - DAY;
const load = (at: number, spec: Parameters<typeof makeReport>[0] = {}) =>
  makeReport({ url: URL_A, visitedAt: at, thirdParties: { 'fonts.googleapis.com': 2 }, ...spec });

async function counts(store: HistoryStore) {
  const { items } = await store.visits('example.de');
  return items.map((r) => [new Date(r.visitedAt).toISOString().slice(11, 19), loadCount(r)]);
}

describe('reloads coalesce', () => {
  it('five reloads within ten minutes with the same report are one record loaded 5 times', async () => {
    const store = await storeFor();
    for (let i = 0; i < 5; i++) await store.record(load(t1 + i * 60_000, { analysedAfterMs: 3000 + i }));
    expect(await counts(store)).toEqual([['09:00:00', 5]]);
    const [record] = (await store.visits('example.de')).items;
    expect(record?.loads).toEqual([1, 2, 3, 4].map((i) => t1 + i * 60_000));
    expect((await store.sites()).items[0]).toMatchObject({ visits: 1 });
  });

  it('replaying a merged load changes nothing (worker restarts re-record reports)', async () => {
    const store = await storeFor();
    await store.record(load(t1));
    const again = load(t1 + 30_000);
    expect((await store.record(again)).status).toBe('updated');
    expect((await store.record(again)).status).toBe('unchanged');
    expect((await store.record(load(t1))).status).toBe('unchanged');
    expect(await counts(store)).toEqual([['09:00:00', 2]]);
  });

  it('a change the user would see starts a new record; so does the eleventh minute', async () => {
    const store = await storeFor();
    await store.record(load(t1));
    await store.record(load(t1 + 60_000, { thirdParties: { 'fonts.googleapis.com': 2, 'connect.facebook.net': 1 } }));
    await store.record(load(t1 + 120_000, { thirdParties: { 'fonts.googleapis.com': 2, 'connect.facebook.net': 1 } }));
    await store.record(
      load(t1 + 60_000 + COALESCE_MS + 1000, {
        thirdParties: { 'fonts.googleapis.com': 2, 'connect.facebook.net': 1 },
      }),
    );
    await store.record(
      load(t1 + COALESCE_MS + 90_000, {
        title: 'Neuer Titel',
        thirdParties: { 'fonts.googleapis.com': 2, 'connect.facebook.net': 1 },
      }),
    );
    expect(await counts(store)).toEqual([
      ['09:11:30', 1],
      ['09:11:01', 1],
      ['09:01:00', 2],
      ['09:00:00', 1],
    ]);
  });

  it('another URL of the site, or the same URL of another site, is never merged', async () => {
    const store = await storeFor();
    await store.record(load(t1));
    await store.record(load(t1 + 1000, { url: 'https://www.example.de/kontakt' }));
    await store.record(load(t1 + 2000, { url: 'https://www.example.com/' }));
    expect((await store.visits('example.de')).items.map(loadCount)).toEqual([1, 1]);
    expect((await store.visits('example.com')).items.map(loadCount)).toEqual([1]);
  });

  it('a partial first analysis that later equals the record before is merged then', async () => {
    const store = await storeFor();
    await store.record(load(t1));
    await store.record(load(t1 + 60_000, { verdict: 'grey', analysedAfterMs: 300 }));
    expect(await counts(store)).toEqual([
      ['09:01:00', 1],
      ['09:00:00', 1],
    ]);
    expect(await store.record(load(t1 + 60_000, { analysedAfterMs: 4000 }))).toMatchObject({ status: 'updated' });
    expect(await counts(store)).toEqual([['09:00:00', 2]]);
    expect((await store.sites()).items[0]).toMatchObject({ visits: 1, verdict: 'yellow' });
  });

  it('a later analysis of a merged load that shows something new becomes its own record', async () => {
    const store = await storeFor();
    await store.record(load(t1));
    await store.record(load(t1 + 60_000, { analysedAfterMs: 300 }));
    expect(await counts(store)).toEqual([['09:00:00', 2]]);
    await store.record(load(t1 + 60_000, { analysedAfterMs: 4000, findings: ['imprint-missing'] }));
    expect(await counts(store)).toEqual([
      ['09:01:00', 1],
      ['09:00:00', 1],
    ]);
    expect((await store.sites()).items[0]).toMatchObject({ visits: 2 });
  });

  it(`at most ${MAX_LOADS} loads per record`, async () => {
    const store = await storeFor();
    for (let i = 0; i <= MAX_LOADS + 1; i++) await store.record(load(t1 + i * 500));
    expect((await store.visits('example.de')).items.map(loadCount)).toEqual([1, MAX_LOADS + 1]);
  }, 60_000);

  it('records written before loads existed read as loaded once, and take later reloads', async () => {
    const factory = new IDBFactory();
    const old = makeReport({ url: URL_A, visitedAt: t1 });
    await createV2Database(factory, [
      {
        id: `example.de|${t1}|old`,
        site: 'example.de',
        url: URL_A,
        visitedAt: t1,
        verdict: old.verdict,
        isAuthority: false,
        pageKind: 'website',
        thirdParties: 0,
        report: old,
      },
    ]);
    const store = await storeFor(factory);
    expect(await counts(store)).toEqual([['09:00:00', 1]]);
    await store.record(makeReport({ url: URL_A, visitedAt: t1 + 1000 }));
    expect(await counts(store)).toEqual([['09:00:00', 2]]);
  });
});

describe('the complaint facts say how often a page was loaded', () => {
  it.each([
    ['de', 'geladen', /Aufruf von https\\:\/\/www\\\.example\\\.de\/ \(„Startseite – Beispiel GmbH“\), 3-mal geladen/],
    ['en', 'loaded', /Visit to https\\:\/\/www\\\.example\\\.de\/ \("Startseite – Beispiel GmbH"\), loaded 3 times/],
  ] as const)('%s', async (lang, word, line) => {
    const store = await storeFor();
    for (const at of [t1, t1 + 60_000, t1 + 120_000]) await store.record(load(at));
    await store.record(load(t1 + DAY, { url: 'https://www.example.de/kontakt' }));
    const visits = (await store.visits('example.de')).items;
    const md = renderComplaintMarkdown(
      buildComplaint({
        site: 'example.de',
        reports: visits.map((v) => v.report),
        loads: visits.map(loadCount),
        lang,
        toolVersion: '0.1.0',
        now: new Date(T0).toISOString(),
      }),
    );
    expect(md).toMatch(line);
    // The page loaded once says nothing about loads.
    expect(md.split('\n').filter((l) => l.includes(word))).toHaveLength(1);
  });
});
