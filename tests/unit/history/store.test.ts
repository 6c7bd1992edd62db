// The history store (lib/history/store.ts) against fake-indexeddb: a fresh IDBFactory per test.
// idb checks values against the global IDB* classes, hence fake-indexeddb/auto as well.
import 'fake-indexeddb/auto';
import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  HISTORY_DB_NAME,
  HISTORY_DB_VERSION,
  HistoryError,
  type HistoryRecord,
  type HistoryStore,
  MAX_SNAPSHOT_CHARS,
  type RecordResult,
  SNAPSHOT_GRACE_MS,
  type SiteSummary,
  isHistoryRecord,
  isReportLike,
  recordOfReport,
} from '@/lib/history/schema';
import { openHistoryStore } from '@/lib/history/store';
import { MAX_IMPORT_CHARS } from '@/lib/history/transfer';
import type { Report } from '@/lib/verdict/report';
import { reportSchemaErrors } from '../../report-schema';
import {
  DAY,
  T0,
  createV1Database,
  createV2Database,
  makeReport,
  openStubbornV1Connection,
  seededRandom,
} from '../helpers/reports';

const V1_RECORDS = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../fixtures/history/v1-records.json'), 'utf8'),
) as Record<string, unknown>[];

const open: HistoryStore[] = [];
async function storeFor(
  factory: IDBFactory = new IDBFactory(),
  options: Parameters<typeof openHistoryStore>[1] = {},
): Promise<HistoryStore> {
  const store = await openHistoryStore(factory, { now: () => T0, ...options });
  open.push(store);
  return store;
}
afterEach(() => {
  for (const store of open.splice(0)) store.close();
  vi.restoreAllMocks();
});

/** Reads the raw schema (store names, key paths, index definitions) of the history database. */
function schemaOf(factory: IDBFactory): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = factory.open(HISTORY_DB_NAME);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const names = [...db.objectStoreNames].sort();
      const tx = db.transaction(names, 'readonly');
      const schema = {
        version: db.version,
        stores: names.map((name) => {
          const s = tx.objectStore(name);
          return {
            name,
            keyPath: s.keyPath,
            indexes: [...s.indexNames]
              .sort()
              .map((i) => ({ name: i, keyPath: s.index(i).keyPath, unique: s.index(i).unique })),
          };
        }),
      };
      db.close();
      resolve(schema);
    };
  });
}

/** Writes a value straight into a store (default visits), bypassing every check (a damaged record). */
function putRaw(factory: IDBFactory, value: unknown, storeName = 'visits'): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.open(HISTORY_DB_NAME);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(storeName, 'readwrite');
      tx.objectStore(storeName).put(value);
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
    request.onerror = () => reject(request.error);
  });
}

/** The raw rows of the `sites` store, the stats and the number of visit records, read without the store's code. */
function rawSummaries(factory: IDBFactory): Promise<{ rows: SiteSummary[]; stats: unknown; count: number }> {
  return new Promise((resolve, reject) => {
    const request = factory.open(HISTORY_DB_NAME);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(['sites', 'meta', 'visits'], 'readonly');
      const rows = tx.objectStore('sites').getAll();
      const stats = tx.objectStore('meta').get('stats');
      const count = tx.objectStore('visits').count();
      tx.oncomplete = () => {
        db.close();
        resolve({ rows: rows.result as SiteSummary[], stats: stats.result, count: count.result });
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

/** The summaries recomputed from scratch (independently of lib/history/summaries.ts) from valid records. */
function recompute(records: HistoryRecord[]): SiteSummary[] {
  const bySite = new Map<string, HistoryRecord[]>();
  for (const r of records) bySite.set(r.site, [...(bySite.get(r.site) ?? []), r]);
  return [...bySite].map(([s, rs]) => {
    // Latest: greatest visitedAt, at the same moment the smallest id.
    const latest = [...rs].sort((a, b) => b.visitedAt - a.visitedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0]!;
    return {
      site: s,
      verdict: latest.verdict,
      isAuthority: latest.isAuthority,
      thirdParties: latest.thirdParties,
      pageKind: latest.pageKind,
      latestId: latest.id,
      latestUrl: latest.url,
      title: latest.report.page.title,
      lastVisit: latest.visitedAt,
      visits: rs.length,
    };
  });
}
const bySiteName = (xs: SiteSummary[]) => [...xs].sort((a, b) => (a.site < b.site ? -1 : 1));

/** Checks that the maintained summaries (raw, not via the self-healing sites()) equal a recomputation. */
async function expectExactSummaries(factory: IDBFactory, store: HistoryStore, context = ''): Promise<void> {
  const records = (JSON.parse(await store.exportAll()) as { visits: HistoryRecord[] }).visits;
  const raw = await rawSummaries(factory);
  expect(bySiteName(raw.rows), context).toEqual(bySiteName(recompute(records)));
  expect(raw.stats, context).toEqual({ visits: raw.count });
  const listed = await store.sites();
  expect(bySiteName(listed.items), context).toEqual(bySiteName(recompute(records)));
  expect(listed.skippedCorrupt, context).toBe(raw.count - records.length);
}

const site = 'example.de';
const at = (days: number) => T0 - days * DAY;

describe('the helper reports', () => {
  it('pass docs/report-schema.json; the v1 fixture reports pass the history check', () => {
    expect(reportSchemaErrors(makeReport())).toEqual([]);
    expect(
      reportSchemaErrors(
        makeReport({
          thirdParties: { 'connect.facebook.net': 4, 'cdn.jsdelivr.net': 1 },
          cookies: [{ name: '_fbp', domain: '.example.de', thirdParty: true }],
          findings: ['tracking-before-consent'],
        }),
      ),
    ).toEqual([]);
    // Frozen stored data: reports written by an older build may lack fields the schema gained
    // since (additions within schemaVersion 1), which is exactly what the history must tolerate.
    for (const record of V1_RECORDS) expect(isReportLike(record.report), String(record.id)).toBe(true);
  });
});

describe('schema and migration', () => {
  it('a fresh install creates the same v3 schema as the v1 -> v3 and the v2 -> v3 migrations', async () => {
    const fresh = new IDBFactory();
    (await storeFor(fresh)).close();
    const fromV1 = new IDBFactory();
    await createV1Database(fromV1, V1_RECORDS);
    (await storeFor(fromV1)).close();
    const fromV2 = new IDBFactory();
    await createV2Database(fromV2, []);
    (await storeFor(fromV2)).close();
    const expected = {
      version: HISTORY_DB_VERSION,
      stores: [
        { name: 'meta', keyPath: null, indexes: [] },
        { name: 'sites', keyPath: 'site', indexes: [] },
        {
          name: 'snapshots',
          keyPath: 'key',
          indexes: [
            { name: 'kind_url', keyPath: ['kind', 'url'], unique: false },
            { name: 'url', keyPath: 'url', unique: false },
          ],
        },
        {
          name: 'visits',
          keyPath: 'id',
          indexes: [
            { name: 'imprintUrl', keyPath: 'report.imprint.url', unique: false },
            { name: 'privacyUrl', keyPath: 'report.privacyNotice.url', unique: false },
            { name: 'site', keyPath: 'site', unique: false },
            { name: 'site_visitedAt', keyPath: ['site', 'visitedAt'], unique: false },
            { name: 'visitedAt', keyPath: 'visitedAt', unique: false },
          ],
        },
      ],
    };
    expect(HISTORY_DB_VERSION).toBe(3);
    expect(await schemaOf(fresh)).toEqual(expected);
    expect(await schemaOf(fromV1)).toEqual(expected);
    expect(await schemaOf(fromV2)).toEqual(expected);
  });

  it('opens a v2 database: nothing lost, settings kept, the site summaries built from the visits', async () => {
    const factory = new IDBFactory();
    // v2 records as the v2 writer stored them: the fixture reports (site backfilled), plus a
    // second visit at the same moment as another (the tie: smallest id is the latest), and a
    // damaged one.
    const records = V1_RECORDS.map((r) => recordOfReport(r.report)!);
    const tie = recordOfReport(
      makeReport({ url: 'https://www.example.de/zzz', visitedAt: records[0]!.visitedAt, verdict: 'red' }),
    )!;
    const damaged = {
      id: 'example.de|1|kaputt',
      site: 'example.de',
      url: 'https://www.example.de/kaputt',
      visitedAt: 1,
      verdict: 'purple',
    };
    await createV2Database(factory, [...records, tie, damaged], { retentionDays: 3000, paused: true });
    const store = await storeFor(factory);

    expect(await store.settings()).toEqual({ retentionDays: 3000, paused: true });
    const exported = JSON.parse(await store.exportAll()) as { visits: HistoryRecord[] };
    expect(exported.visits).toHaveLength(records.length + 1);
    for (const r of [...records, tie]) expect(await store.visit(r.id)).toEqual(r);
    await expect(store.visit(damaged.id)).rejects.toMatchObject({ kind: 'corrupt' });

    const raw = await rawSummaries(factory);
    expect(bySiteName(raw.rows)).toEqual(bySiteName(recompute([...records, tie])));
    expect(raw.stats).toEqual({ visits: records.length + 2 });
    const { items, skippedCorrupt } = await store.sites();
    expect(skippedCorrupt).toBe(1);
    expect(items.map((s) => [s.site, s.visits])).toEqual([
      ['instagram.com', 1],
      ['jobcenter-musterstadt.de', 2],
      ['example.de', 4],
    ]);
    await expectExactSummaries(factory, store);
  });

  it('opens a v1 database with the fixture records: nothing lost, site backfilled, indexes work', async () => {
    const factory = new IDBFactory();
    await createV1Database(factory, V1_RECORDS);
    expect(V1_RECORDS.filter((r) => !('site' in r))).toHaveLength(2); // the fixture really has records to backfill
    const store = await storeFor(factory);

    // Nothing lost: every fixture record is there, its report byte-identical.
    const exported = JSON.parse(await store.exportAll()) as { visits: HistoryRecord[] };
    expect(exported.visits).toHaveLength(V1_RECORDS.length);
    for (const old of V1_RECORDS) {
      const now = await store.visit(String(old.id));
      expect(now, String(old.id)).not.toBeNull();
      expect(now!.report).toEqual(old.report);
      expect(now!.url).toBe(old.url);
      expect(now!.visitedAt).toBe(old.visitedAt);
      expect(isHistoryRecord(now)).toBe(true);
    }

    // The site index finds the backfilled records; thirdParties was backfilled from the report.
    const exampleVisits = await store.visits('example.de');
    expect(exampleVisits.skippedCorrupt).toBe(0);
    expect(exampleVisits.items.map((r) => r.url)).toEqual([
      'https://shop.example.de/',
      'https://www.example.de/kontakt',
      'https://www.example.de/',
    ]);
    const jobcenter = await store.visits('jobcenter-musterstadt.de');
    expect(jobcenter.items).toHaveLength(2);
    expect(jobcenter.items[1]!.thirdParties).toBe(1);

    const { items: sites, skippedCorrupt } = await store.sites();
    expect(skippedCorrupt).toBe(0);
    expect(sites.map((s) => [s.site, s.visits, s.verdict])).toEqual([
      ['instagram.com', 1, 'red'],
      ['jobcenter-musterstadt.de', 2, 'green'],
      ['example.de', 3, 'green'],
    ]);

    // The new compound index: the visit before /kontakt is the first visit.
    const kontakt = exampleVisits.items[1]!;
    expect((await store.previousVisit(kontakt.id))?.url).toBe('https://www.example.de/');
    expect(await store.previousVisit(exampleVisits.items[2]!.id)).toBeNull();

    // The new meta store: default settings, writable.
    expect(await store.settings()).toEqual({ retentionDays: 180, paused: false });
    expect(await store.setSettings({ retentionDays: 12 })).toEqual({ retentionDays: 12, paused: false });
    // The visitedAt index survived: 12 days of retention drops the three older visits.
    expect(await store.prune(T0)).toBe(3);

    // Replaying a migrated visit's report is idempotent (the v1 ids are the v2 ids).
    const replay = await store.record(V1_RECORDS[5]!.report);
    expect(replay).toEqual({ status: 'unchanged', id: V1_RECORDS[5]!.id });
    await expectExactSummaries(factory, store);
  });

  it('leaves a v1 record it cannot repair in place; reads skip and count it', async () => {
    const factory = new IDBFactory();
    await createV1Database(factory, [...V1_RECORDS, { id: 'broken', url: 'not a url', visitedAt: 1 }]);
    const store = await storeFor(factory);
    expect((await store.sites()).skippedCorrupt).toBe(1);
    await expect(store.visit('broken')).rejects.toMatchObject({ kind: 'corrupt' });
  });
});

describe('record', () => {
  it('stores a record with the derived fields and a stable id', async () => {
    const store = await storeFor();
    const report = makeReport({
      url: 'https://www.example.de/a',
      visitedAt: at(1),
      thirdParties: { 'www.google-analytics.com': 3, 'fonts.googleapis.com': 1 },
      verdict: 'red',
    });
    const result = await store.record(report);
    expect(result.status).toBe('created');
    const id = (result as { id: string }).id;
    expect(id).toBe(recordOfReport(report)!.id);
    expect(id.startsWith(`example.de|${at(1)}|`)).toBe(true);
    const stored = await store.visit(id);
    expect(stored).toMatchObject({
      site,
      url: 'https://www.example.de/a',
      visitedAt: at(1),
      verdict: 'red',
      isAuthority: false,
      pageKind: 'website',
      thirdParties: 2,
    });
    expect(stored!.report).toEqual(report);
  });

  it('is idempotent: replaying the same report changes nothing; a later analysis replaces, an earlier one does not', async () => {
    const store = await storeFor();
    const first = makeReport({ visitedAt: at(1), analysedAfterMs: 1000, verdict: 'green' });
    const later = makeReport({
      visitedAt: at(1),
      analysedAfterMs: 9000,
      verdict: 'red',
      thirdParties: { 'connect.facebook.net': 2 },
    });
    expect((await store.record(first)).status).toBe('created');
    expect((await store.record(first)).status).toBe('unchanged');
    expect((await store.record(structuredClone(first))).status).toBe('unchanged');
    expect((await store.record(later)).status).toBe('updated');
    expect((await store.record(first)).status).toBe('unchanged'); // stale replay keeps the newer analysis
    const { items } = await store.visits(site);
    expect(items).toHaveLength(1);
    expect(items[0]!.verdict).toBe('red');
    // Another URL at the same moment is another visit.
    expect((await store.record(makeReport({ url: 'https://www.example.de/b', visitedAt: at(1) }))).status).toBe(
      'created',
    );
    expect((await store.visits(site)).items).toHaveLength(2);
  });

  it('refuses reports that fail the structural check and stores nothing', async () => {
    const store = await storeFor();
    const good = makeReport();
    const bad: unknown[] = [
      null,
      'report',
      42,
      {},
      { ...good, schemaVersion: 3 },
      { ...good, url: 'ftp://example.de/' },
      { ...good, url: 'https://' },
      { ...good, visitedAt: 'yesterday' },
      { ...good, verdict: 'purple' },
      { ...good, requests: { ...good.requests, thirdPartyHosts: 'many' } },
      { ...good, page: null },
    ];
    for (const report of bad) {
      const result = await store.record(report);
      expect(result.status, JSON.stringify(report)?.slice(0, 60)).toBe('refused');
      if (result.status === 'refused') {
        expect(result.message.de).toMatch(/Kein gültiger Bericht/);
        expect(result.message.en).toMatch(/Not a valid report/);
      }
    }
    expect((await store.sites()).items).toEqual([]);
  });

  it('stores a title with a script payload verbatim (escaping is the renderer’s job)', async () => {
    const store = await storeFor();
    const title = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const result = await store.record(makeReport({ title }));
    const stored = await store.visit((result as { id: string }).id);
    expect(stored!.report.page.title).toBe(title);
    expect((await store.sites()).items[0]!.title).toBe(title);
    // and it survives export -> import unchanged
    const other = await storeFor();
    expect(await other.importAll(await store.exportAll())).toMatchObject({ ok: true, added: 1 });
    expect((await other.sites()).items[0]!.title).toBe(title);
  });
});

describe('pause and settings', () => {
  it('records nothing while paused, and the setting persists across connections', async () => {
    const factory = new IDBFactory();
    const store = await storeFor(factory);
    expect(await store.setSettings({ paused: true })).toEqual({ retentionDays: 180, paused: true });
    expect(await store.record(makeReport())).toEqual({ status: 'skipped', reason: 'paused' });
    expect((await store.sites()).items).toHaveLength(0);
    store.close();
    const again = await storeFor(factory);
    expect((await again.settings()).paused).toBe(true);
    await again.setSettings({ paused: false });
    expect((await again.record(makeReport())).status).toBe('created');
  });

  it('sanitises settings: rounds and clamps retention, ignores junk', async () => {
    const store = await storeFor();
    expect(await store.setSettings({ retentionDays: 0 })).toEqual({ retentionDays: 1, paused: false });
    expect(await store.setSettings({ retentionDays: 30.6 })).toEqual({ retentionDays: 31, paused: false });
    expect(await store.setSettings({ retentionDays: 1e9 })).toEqual({ retentionDays: 3650, paused: false });
    expect(await store.setSettings({ retentionDays: Number.NaN, paused: 'yes' as unknown as boolean })).toEqual({
      retentionDays: 3650,
      paused: false,
    });
    expect(await store.setSettings(null as unknown as object)).toEqual({ retentionDays: 3650, paused: false });
  });
});

describe('sites, visits, retention and deletion', () => {
  async function seeded(factory = new IDBFactory()) {
    const store = await storeFor(factory);
    const reports: Report[] = [
      makeReport({
        url: 'https://www.example.de/',
        visitedAt: at(10),
        verdict: 'red',
        thirdParties: { 'www.google-analytics.com': 5 },
      }),
      makeReport({
        url: 'https://www.example.de/kontakt',
        visitedAt: at(3),
        verdict: 'yellow',
        thirdParties: { 'fonts.googleapis.com': 1 },
      }),
      makeReport({
        url: 'https://www.jobcenter-musterstadt.de/',
        visitedAt: at(5),
        verdict: 'green',
        isAuthority: true,
      }),
      makeReport({
        url: 'https://www.instagram.com/jobcenter_musterstadt/',
        visitedAt: at(1),
        pageKind: 'social-profile',
        platform: 'instagram',
        verdict: 'red',
      }),
    ];
    for (const r of reports) expect((await store.record(r)).status).toBe('created');
    return store;
  }

  it('sites() summarises each site by its latest visit, most recent first', async () => {
    const store = await seeded();
    const { items, skippedCorrupt } = await store.sites();
    expect(skippedCorrupt).toBe(0);
    expect(items).toEqual([
      expect.objectContaining({
        site: 'instagram.com',
        verdict: 'red',
        pageKind: 'social-profile',
        visits: 1,
        lastVisit: at(1),
      }),
      expect.objectContaining({
        site: 'example.de',
        verdict: 'yellow',
        thirdParties: 1,
        visits: 2,
        lastVisit: at(3),
        latestUrl: 'https://www.example.de/kontakt',
      }),
      expect.objectContaining({
        site: 'jobcenter-musterstadt.de',
        verdict: 'green',
        isAuthority: true,
        visits: 1,
        thirdParties: 0,
      }),
    ]);
  });

  it('visits(site) newest first; visit(id); unknown ids and sites are empty, not errors', async () => {
    const store = await seeded();
    const { items } = await store.visits(site);
    expect(items.map((r) => r.visitedAt)).toEqual([at(3), at(10)]);
    expect((await store.visit(items[0]!.id))?.url).toBe('https://www.example.de/kontakt');
    expect(await store.visit('nope')).toBeNull();
    expect(await store.previousVisit('nope')).toBeNull();
    expect(await store.visits('nowhere.example')).toEqual({ items: [], skippedCorrupt: 0 });
  });

  it('prune deletes visits older than the retention; a visit exactly at the boundary stays', async () => {
    const store = await storeFor();
    await store.setSettings({ retentionDays: 30 });
    const boundary = T0 - 30 * DAY;
    await store.record(makeReport({ url: 'https://a.example.de/', visitedAt: boundary - 1 }));
    await store.record(makeReport({ url: 'https://b.example.de/', visitedAt: boundary }));
    await store.record(makeReport({ url: 'https://c.example.de/', visitedAt: boundary + 1 }));
    await store.record(makeReport({ url: 'https://d.example.de/', visitedAt: at(100) }));
    expect(await store.prune(T0)).toBe(2);
    expect((await store.visits(site)).items.map((r) => r.url)).toEqual([
      'https://c.example.de/',
      'https://b.example.de/',
    ]);
    expect(await store.prune(T0)).toBe(0);
    expect(await store.prune()).toBe(0); // default clock is options.now (T0)
    expect(await store.prune(T0 + 1)).toBe(1); // one ms later the boundary visit is too old
  });

  it('deleteVisit, deleteSite and clear (settings survive clear)', async () => {
    const store = await seeded();
    await store.setSettings({ retentionDays: 90 });
    const [newest] = (await store.visits(site)).items;
    expect(await store.deleteVisit(newest!.id)).toBe(true);
    expect(await store.deleteVisit(newest!.id)).toBe(false);
    expect((await store.visits(site)).items).toHaveLength(1);
    expect(await store.deleteSite(site)).toBe(1);
    expect(await store.deleteSite(site)).toBe(0);
    expect((await store.sites()).items.map((s) => s.site)).toEqual(['instagram.com', 'jobcenter-musterstadt.de']);
    await store.clear();
    expect((await store.sites()).items).toEqual([]);
    expect(await store.settings()).toEqual({ retentionDays: 90, paused: false });
  });

  it('skips and counts a corrupt record instead of throwing', async () => {
    const factory = new IDBFactory();
    const store = await seeded(factory);
    const good = (await store.visits(site)).items[0]!;
    await putRaw(factory, {
      ...good,
      id: 'example.de|broken',
      visitedAt: 'soon',
      report: { ...good.report, verdict: 'purple' },
    });
    await putRaw(factory, { id: 'example.de|junk', site, report: null });
    const sites = await store.sites();
    expect(sites.skippedCorrupt).toBe(2);
    expect(sites.items.find((s) => s.site === site)?.visits).toBe(2);
    const visits = await store.visits(site);
    expect(visits).toMatchObject({ skippedCorrupt: 2 });
    expect(visits.items).toHaveLength(2);
    await expect(store.visit('example.de|junk')).rejects.toSatisfy(
      (e) => e instanceof HistoryError && e.kind === 'corrupt' && Boolean(e.messages.de),
    );
    const exported = JSON.parse(await store.exportAll()) as { visits: unknown[] };
    expect(exported.visits).toHaveLength(4); // the export carries only readable records
    expect(await store.deleteVisit('example.de|junk')).toBe(true); // and the user can remove it
  });
});

describe('the maintained site summaries (v3 `sites` store)', () => {
  it('out-of-order records: an older visit recorded after a newer one does not become the latest', async () => {
    const factory = new IDBFactory();
    const store = await storeFor(factory);
    await store.record(
      makeReport({ url: 'https://www.example.de/new', visitedAt: at(1), verdict: 'red', title: 'Neu' }),
    );
    await store.record(
      makeReport({ url: 'https://www.example.de/old', visitedAt: at(5), verdict: 'green', title: 'Alt' }),
    );
    const [summary] = (await store.sites()).items;
    expect(summary).toMatchObject({
      site,
      visits: 2,
      verdict: 'red',
      title: 'Neu',
      latestUrl: 'https://www.example.de/new',
      lastVisit: at(1),
    });
    await expectExactSummaries(factory, store);
  });

  it('re-recording: replays change nothing, a newer analysis of the latest visit updates the summary, of an older one only the visit', async () => {
    const factory = new IDBFactory();
    const store = await storeFor(factory);
    await store.record(makeReport({ url: 'https://www.example.de/a', visitedAt: at(3), verdict: 'green' }));
    const latest = makeReport({
      url: 'https://www.example.de/b',
      visitedAt: at(1),
      verdict: 'green',
      analysedAfterMs: 1000,
    });
    await store.record(latest);
    for (let i = 0; i < 3; i++) expect((await store.record(structuredClone(latest))).status).toBe('unchanged');
    await expectExactSummaries(factory, store);
    expect((await store.sites()).items[0]).toMatchObject({ visits: 2, verdict: 'green' });
    expect(
      (
        await store.record(
          makeReport({ url: 'https://www.example.de/b', visitedAt: at(1), verdict: 'red', analysedAfterMs: 9000 }),
        )
      ).status,
    ).toBe('updated');
    expect((await store.sites()).items[0]).toMatchObject({
      visits: 2,
      verdict: 'red',
      latestUrl: 'https://www.example.de/b',
    });
    expect(
      (
        await store.record(
          makeReport({ url: 'https://www.example.de/a', visitedAt: at(3), verdict: 'yellow', analysedAfterMs: 9000 }),
        )
      ).status,
    ).toBe('updated');
    expect((await store.sites()).items[0]).toMatchObject({
      visits: 2,
      verdict: 'red',
      latestUrl: 'https://www.example.de/b',
    });
    await expectExactSummaries(factory, store);
  });

  it('deleting the latest visit falls back to the previous one; deleting the last one removes the site', async () => {
    const factory = new IDBFactory();
    const store = await storeFor(factory);
    const ids: string[] = [];
    for (const [i, verdict] of (['green', 'yellow', 'red'] as const).entries()) {
      ids.push(
        (
          (await store.record(makeReport({ url: `https://www.example.de/${i}`, visitedAt: at(10 - i), verdict }))) as {
            id: string;
          }
        ).id,
      );
    }
    await putRaw(factory, { id: `example.de|${at(0)}|kaputt`, site, visitedAt: at(0), verdict: 'red' }); // a damaged newer one: never the latest
    await store.sites(); // repairs the stats after the raw write
    expect(await store.deleteVisit(ids[2]!)).toBe(true);
    expect((await store.sites()).items[0]).toMatchObject({
      visits: 2,
      verdict: 'yellow',
      latestId: ids[1],
      lastVisit: at(9),
    });
    await expectExactSummaries(factory, store);
    expect(await store.deleteVisit(ids[0]!)).toBe(true); // not the latest: only the count moves
    expect((await store.sites()).items[0]).toMatchObject({ visits: 1, latestId: ids[1] });
    expect(await store.deleteVisit(ids[1]!)).toBe(true);
    expect((await store.sites()).items).toEqual([]);
    expect((await store.sites()).skippedCorrupt).toBe(1);
    await expectExactSummaries(factory, store);
  });

  it('visits at the same moment: the smallest id is the latest, as visits(site) lists it first', async () => {
    const factory = new IDBFactory();
    const store = await storeFor(factory);
    for (const p of ['x', 'y', 'z', 'w'])
      await store.record(makeReport({ url: `https://www.example.de/${p}`, visitedAt: at(1) }));
    const first = (await store.visits(site)).items[0]!;
    expect((await store.sites()).items[0]!.latestId).toBe(first.id);
    await store.deleteVisit(first.id);
    expect((await store.sites()).items[0]!.latestId).toBe((await store.visits(site)).items[0]!.id);
    await expectExactSummaries(factory, store);
  });

  it('sites() notices visits written behind its back (count differs) and rebuilds the summaries', async () => {
    const factory = new IDBFactory();
    const store = await storeFor(factory);
    await store.record(makeReport({ visitedAt: at(2) }));
    const raw = recordOfReport(
      makeReport({ url: 'https://www.jobcenter-musterstadt.de/', visitedAt: at(1), isAuthority: true }),
    )!;
    await putRaw(factory, raw);
    await putRaw(factory, { id: 'junk' });
    const { items, skippedCorrupt } = await store.sites();
    expect(items.map((s) => s.site)).toEqual(['jobcenter-musterstadt.de', site]);
    expect(skippedCorrupt).toBe(1);
    // The rebuild was stored: the raw rows are exact again.
    await expectExactSummaries(factory, store);
  });

  it('a damaged summary row is rebuilt from the visits, not shown', async () => {
    const factory = new IDBFactory();
    const store = await storeFor(factory);
    await store.record(makeReport({ visitedAt: at(2), verdict: 'red' }));
    await putRaw(factory, { site, verdict: 'purple' }, 'sites');
    await putRaw(factory, { site: 'ghost.example', visits: 'many' }, 'sites');
    const { items, skippedCorrupt } = await store.sites();
    expect(items).toEqual([expect.objectContaining({ site, verdict: 'red', visits: 1 })]);
    expect(skippedCorrupt).toBe(0);
    await expectExactSummaries(factory, store);
  });

  it('when the rebuild cannot be stored (a full disk), sites() still lists the summaries computed in memory', async () => {
    const factory = new IDBFactory();
    const store = await storeFor(factory);
    await store.record(makeReport({ visitedAt: at(2) }));
    await putRaw(
      factory,
      recordOfReport(makeReport({ url: 'https://www.jobcenter-musterstadt.de/', visitedAt: at(1) }))!,
    );
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const { items, skippedCorrupt } = await store.sites();
    expect(items.map((s) => [s.site, s.visits])).toEqual([
      ['jobcenter-musterstadt.de', 1],
      [site, 1],
    ]);
    expect(skippedCorrupt).toBe(0);
    vi.restoreAllMocks();
    expect((await rawSummaries(factory)).rows).toHaveLength(1); // nothing was stored
    await store.sites(); // space again: this time the rebuild is stored
    await expectExactSummaries(factory, store);
  });

  it('a failed write leaves the summaries as they were', async () => {
    const factory = new IDBFactory();
    const store = await storeFor(factory);
    await store.record(makeReport({ visitedAt: at(2), verdict: 'green' }));
    const before = await rawSummaries(factory);
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'sites') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    expect(
      await store.record(makeReport({ url: 'https://www.example.de/neu', visitedAt: at(1), verdict: 'red' })),
    ).toMatchObject({ status: 'failed', error: { kind: 'quota' } });
    vi.restoreAllMocks();
    expect(await rawSummaries(factory)).toEqual(before);
    await expectExactSummaries(factory, store);
  });

  it('property: after a random sequence of writes the maintained summaries equal a recomputation', async () => {
    for (const seed of [1, 2, 3, 42, 2026]) {
      const random = seededRandom(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      const factory = new IDBFactory();
      const store = await storeFor(factory);
      const hosts = ['www.example.de', 'shop.example.de', 'www.jobcenter-musterstadt.de', 'www.beispiel.org'];
      const verdicts = ['red', 'yellow', 'green', 'grey'] as const;
      const randomReport = () =>
        makeReport({
          url: `https://${pick(hosts)}/${pick(['', 'a', 'b'])}`,
          visitedAt: at(pick([0, 1, 2, 3, 5, 8, 13, 200, 400])), // few moments: ties, and some beyond the retention
          analysedAfterMs: Math.floor(random() * 10) * 1000,
          verdict: pick(verdicts),
          title: `T${Math.floor(random() * 1000)}`,
          thirdParties: random() < 0.5 ? {} : { 'fonts.googleapis.com': 1 },
        });
      const log: string[] = [];
      for (let step = 0; step < 60; step++) {
        const r = random();
        const visits = (JSON.parse(await store.exportAll()) as { visits: HistoryRecord[] }).visits;
        if (r < 0.45) {
          const result = await store.record(randomReport());
          log.push(`record ${result.status}`);
        } else if (r < 0.6 && visits.length) {
          // Mostly a site's latest visit.
          const summaries = (await store.sites()).items;
          const id = random() < 0.7 && summaries.length ? pick(summaries).latestId : pick(visits).id;
          log.push(`deleteVisit ${String(await store.deleteVisit(id))}`);
        } else if (r < 0.67) {
          log.push(
            `deleteSite ${await store.deleteSite(pick(['example.de', 'jobcenter-musterstadt.de', 'beispiel.org']))}`,
          );
        } else if (r < 0.77) {
          await store.setSettings({ retentionDays: pick([1, 4, 10, 180, 365]) });
          log.push(`prune ${await store.prune(T0 + Math.floor(random() * 3) * DAY)}`);
        } else if (r < 0.92) {
          const other = await storeFor();
          for (let i = 0; i < 1 + Math.floor(random() * 5); i++) await other.record(randomReport());
          const result = await store.importAll(await other.exportAll());
          other.close();
          log.push(`import ${JSON.stringify(result)}`);
        } else if (r < 0.95) {
          await store.clear();
          log.push('clear');
        } else {
          await putRaw(factory, { id: `junk-${step}`, site: pick(['example.de', 'beispiel.org']), visitedAt: at(1) });
          await store.sites(); // the rebuild takes the raw write in
          log.push('raw junk');
        }
        await expectExactSummaries(factory, store, `seed ${seed}, step ${step}: ${log.join(' | ')}`);
      }
    }
  }, 60_000);
});

describe('text snapshots (imprint / privacy notice) for exports', () => {
  const imprintUrl = 'https://www.example.de/impressum';
  const privacyUrl = 'https://www.example.de/datenschutz';

  it('recordSnapshot stores the text once per URL and text, idempotently', async () => {
    const store = await storeFor();
    const input = {
      url: imprintUrl,
      kind: 'imprint' as const,
      text: 'Beispiel GmbH, Musterstraße 1, 12345 Musterstadt',
      fetchedAt: at(2),
    };
    const first = await store.recordSnapshot(input);
    expect(first).toMatchObject({
      status: 'created',
      key: expect.stringMatching(/^imprint:https:\/\/www\.example\.de\/impressum:[0-9a-f]{64}$/),
    });
    expect(await store.recordSnapshot(input)).toEqual({ ...first, status: 'unchanged' });
    expect(await store.recordSnapshot({ ...input, fetchedAt: at(1) })).toEqual({ ...first, status: 'updated' }); // seen again later
    expect(await store.recordSnapshot({ ...input, fetchedAt: at(1.5) })).toEqual({ ...first, status: 'unchanged' });
    const report = makeReport({ visitedAt: at(1), analysedAfterMs: 5000 });
    const { imprint, privacy } = await store.snapshotsFor(report);
    expect(privacy).toBeNull();
    expect(imprint).toMatchObject({
      url: imprintUrl,
      kind: 'imprint',
      text: input.text,
      fetchedAt: at(2),
      lastFetchedAt: at(1),
      truncated: false,
    });
    expect(imprint!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('caps the text at MAX_SNAPSHOT_CHARS; refuses junk; stores nothing while paused', async () => {
    const store = await storeFor();
    const long = 'x'.repeat(MAX_SNAPSHOT_CHARS + 10);
    expect(
      (await store.recordSnapshot({ url: privacyUrl, kind: 'privacy', text: long, fetchedAt: at(1) })).status,
    ).toBe('created');
    const { privacy } = await store.snapshotsFor(makeReport({ visitedAt: at(1) }));
    expect(privacy!.text).toHaveLength(MAX_SNAPSHOT_CHARS);
    expect(privacy!.truncated).toBe(true);
    for (const bad of [
      null,
      { url: 'javascript:alert(1)', kind: 'imprint', text: 'x', fetchedAt: 1 },
      { url: imprintUrl, kind: 'other', text: 'x', fetchedAt: 1 },
      { url: imprintUrl, kind: 'imprint', text: '   ', fetchedAt: 1 },
      { url: imprintUrl, kind: 'imprint', text: 'x', fetchedAt: Number.NaN },
    ]) {
      const result = await store.recordSnapshot(bad as never);
      expect(result.status).toBe('refused');
    }
    await store.setSettings({ paused: true });
    expect(
      await store.recordSnapshot({ url: imprintUrl, kind: 'imprint', text: 'Impressum', fetchedAt: at(1) }),
    ).toEqual({ status: 'skipped', reason: 'paused' });
    expect((await store.snapshotsFor(makeReport({ visitedAt: at(1) }))).imprint).toBeNull();
  });

  it('snapshotsFor picks the text current at the analysis: fetched last at or before analysedAt, never later', async () => {
    const store = await storeFor();
    const put = (text: string, fetchedAt: number) =>
      store.recordSnapshot({ url: imprintUrl, kind: 'imprint', text, fetchedAt });
    await put('A', at(10));
    await put('B', at(5));
    await put('A', at(2)); // the old text came back
    await put('C', at(0.5));
    const textAt = async (days: number) =>
      (await store.snapshotsFor(makeReport({ visitedAt: at(days), analysedAfterMs: 0 }))).imprint?.text ?? null;
    expect(await textAt(11)).toBeNull();
    expect(await textAt(9)).toBe('A');
    expect(await textAt(4)).toBe('B');
    expect(await textAt(1)).toBe('A');
    expect(await textAt(0)).toBe('C');
    // Another URL or kind is not mixed in.
    expect(
      (
        await store.snapshotsFor({
          ...makeReport({ visitedAt: at(0) }),
          imprint: { ...makeReport().imprint, url: 'https://other.example/impressum' },
        })
      ).imprint,
    ).toBeNull();
  });

  it('prune drops snapshots no visit refers to any more (after a grace period); clear drops all', async () => {
    const factory = new IDBFactory();
    const store = await storeFor(factory);
    await store.setSettings({ retentionDays: 30 });
    const oldVisit = makeReport({ url: 'https://www.alt.example/', visitedAt: at(40) });
    await store.record(oldVisit);
    await store.record(makeReport({ url: 'https://www.example.de/', visitedAt: at(1) }));
    await store.recordSnapshot({ url: oldVisit.imprint.url!, kind: 'imprint', text: 'Alt GmbH', fetchedAt: at(40) });
    await store.recordSnapshot({ url: imprintUrl, kind: 'imprint', text: 'Beispiel GmbH', fetchedAt: at(1) });
    await store.recordSnapshot({ url: privacyUrl, kind: 'privacy', text: 'Datenschutz', fetchedAt: at(1) });
    // Fetched just now, its visit not yet recorded: kept by the grace period.
    const pending = 'https://www.neu.example/impressum';
    await store.recordSnapshot({
      url: pending,
      kind: 'imprint',
      text: 'Neu GmbH',
      fetchedAt: T0 - SNAPSHOT_GRACE_MS / 2,
    });
    // Referenced by nothing and old: goes.
    await store.recordSnapshot({
      url: 'https://www.weg.example/impressum',
      kind: 'imprint',
      text: 'Weg',
      fetchedAt: at(3),
    });

    expect(await store.prune(T0)).toBe(1);
    expect((await store.snapshotsFor(oldVisit)).imprint).toBeNull();
    const current = await store.snapshotsFor(makeReport({ url: 'https://www.example.de/', visitedAt: at(1) }));
    expect(current.imprint?.text).toBe('Beispiel GmbH');
    expect(current.privacy?.text).toBe('Datenschutz');
    expect(
      (
        await store.snapshotsFor({
          ...makeReport({ visitedAt: T0 }),
          imprint: { ...makeReport().imprint, url: pending },
        })
      ).imprint?.text,
    ).toBe('Neu GmbH');
    expect(
      (
        await store.snapshotsFor({
          ...makeReport({ visitedAt: T0 }),
          imprint: { ...makeReport().imprint, url: 'https://www.weg.example/impressum' },
        })
      ).imprint,
    ).toBeNull();
    // A day later the pending one is still unreferenced: gone.
    expect(await store.prune(T0 + SNAPSHOT_GRACE_MS)).toBe(0);
    expect(
      (
        await store.snapshotsFor({
          ...makeReport({ visitedAt: T0 }),
          imprint: { ...makeReport().imprint, url: pending },
        })
      ).imprint,
    ).toBeNull();
    await expectExactSummaries(factory, store);

    await store.clear();
    expect(await store.snapshotsFor(makeReport({ url: 'https://www.example.de/', visitedAt: at(1) }))).toEqual({
      imprint: null,
      privacy: null,
    });
  });
});

describe('export and import', () => {
  it('round-trips: export -> import into an empty store gives the same history', async () => {
    const source = await storeFor();
    for (let i = 0; i < 5; i++)
      await source.record(
        makeReport({
          url: `https://www.example.de/${i}`,
          // at(i + 1): an analysis after the store's clock would be clamped by the import.
          visitedAt: at(i + 1),
          thirdParties: { 'fonts.googleapis.com': i },
        }),
      );
    await source.record(
      makeReport({ url: 'https://www.jobcenter-musterstadt.de/', visitedAt: at(2), isAuthority: true }),
    );
    const text = await source.exportAll();
    const parsed = JSON.parse(text) as { format: string; version: number; exportedAt: string; visits: HistoryRecord[] };
    expect(parsed).toMatchObject({
      format: 'datenschutz-ampel-history',
      version: 1,
      exportedAt: new Date(T0).toISOString(),
    });
    expect(parsed.visits).toHaveLength(6);

    const target = await storeFor();
    expect(await target.importAll(text)).toEqual({ ok: true, added: 6, updated: 0, unchanged: 0, total: 6 });
    expect(await target.exportAll()).toBe(text);
    expect(await target.sites()).toEqual(await source.sites());
    // Importing again merges by id: nothing new.
    expect(await target.importAll(text)).toEqual({ ok: true, added: 0, updated: 0, unchanged: 6, total: 6 });
  });

  it('merges by id: newer analyses replace, older ones are kept out, existing visits stay', async () => {
    const store = await storeFor();
    await store.record(
      makeReport({ url: 'https://www.example.de/', visitedAt: at(1), analysedAfterMs: 5000, verdict: 'green' }),
    );
    await store.record(makeReport({ url: 'https://www.example.de/only-here', visitedAt: at(1) }));
    const other = await storeFor();
    await other.record(
      makeReport({ url: 'https://www.example.de/', visitedAt: at(1), analysedAfterMs: 9000, verdict: 'red' }),
    );
    await other.record(makeReport({ url: 'https://www.example.de/only-there', visitedAt: at(2) }));
    expect(await store.importAll(await other.exportAll())).toEqual({
      ok: true,
      added: 1,
      updated: 1,
      unchanged: 0,
      total: 2,
    });
    const { items } = await store.visits(site);
    expect(items.map((r) => [r.url, r.verdict])).toEqual([
      ['https://www.example.de/', 'red'],
      ['https://www.example.de/only-here', 'green'],
      ['https://www.example.de/only-there', 'green'],
    ]);
  });

  describe('refusals change nothing and explain themselves in German and English', () => {
    async function refusalOf(text: string) {
      const store = await storeFor();
      await store.record(makeReport({ visitedAt: at(1) }));
      await store.setSettings({ retentionDays: 42 });
      const before = await store.exportAll();
      const result = await store.importAll(text);
      expect(result.ok).toBe(false);
      expect(await store.exportAll()).toBe(before);
      expect(await store.settings()).toEqual({ retentionDays: 42, paused: false });
      if (result.ok) throw new Error('unreachable');
      expect(result.error.de.length).toBeGreaterThan(10);
      expect(result.error.en.length).toBeGreaterThan(10);
      expect(result.error.de).not.toBe(result.error.en);
      return result.error;
    }
    const envelope = (visits: unknown[], extra: object = {}) =>
      JSON.stringify({
        format: 'datenschutz-ampel-history',
        version: 1,
        exportedAt: new Date(T0).toISOString(),
        visits,
        ...extra,
      });
    const goodRecord = () => recordOfReport(makeReport({ url: 'https://neu.example.de/', visitedAt: at(4) }))!;

    it('bad JSON', async () => {
      expect(await refusalOf('{"format": "datenschutz-ampel-history", ')).toMatchObject({
        code: 'bad-json',
        de: expect.stringMatching(/kein gültiges JSON/),
        en: expect.stringMatching(/not valid JSON/),
      });
      expect((await refusalOf('')).code).toBe('bad-json');
    });
    it('wrong format / wrong schema', async () => {
      expect((await refusalOf('[]')).code).toBe('wrong-format');
      expect((await refusalOf('null')).code).toBe('wrong-format');
      expect((await refusalOf(JSON.stringify({ format: 'other-tool', version: 1, visits: [] }))).code).toBe(
        'wrong-format',
      );
      expect((await refusalOf(envelope([]).replace('"visits":[]', '"visits":{}'))).code).toBe('wrong-format');
    });
    it('wrong version', async () => {
      const newer = await refusalOf(envelope([], { version: 2 }));
      expect(newer).toMatchObject({
        code: 'wrong-version',
        de: expect.stringMatching(/neueren Version/),
        en: expect.stringMatching(/newer version/),
      });
      expect((await refusalOf(envelope([], { version: '1' }))).code).toBe('wrong-version');
      expect((await refusalOf(JSON.stringify({ format: 'datenschutz-ampel-history', visits: [] }))).code).toBe(
        'wrong-version',
      );
    });
    it('a file above 50 MB, before parsing it', async () => {
      const parse = vi.spyOn(JSON, 'parse');
      const huge = envelope([]).padEnd(MAX_IMPORT_CHARS + 1, ' ');
      const error = await refusalOf(huge);
      expect(error).toMatchObject({
        code: 'too-large',
        de: expect.stringMatching(/zu groß/),
        en: expect.stringMatching(/too large/),
      });
      expect(parse.mock.calls.some(([text]) => text === huge)).toBe(false);
    });
    it('records failing the check, even when the other records are fine', async () => {
      const good = goodRecord();
      const cases: unknown[] = [
        { ...good, verdict: 'purple' },
        { ...good, visitedAt: 'today' },
        { ...good, report: { ...good.report, schemaVersion: 3 } },
        { ...good, report: { ...good.report, url: 'javascript:alert(1)' } },
        { ...good, url: 'https://elsewhere.example/' }, // does not match its report
        { ...good, id: '' },
        'a string',
      ];
      for (const bad of cases) {
        const error = await refusalOf(envelope([good, bad]));
        expect(error.code).toBe('invalid-record');
        expect(error.de).toMatch(/Eintrag 2 ist ungültig/);
        expect(error.en).toMatch(/Entry 2 is invalid/);
      }
    });
    it('a storage failure during the import rolls back every write of it', async () => {
      const records = [0, 1, 2].map(
        (i) => recordOfReport(makeReport({ url: `https://neu.example.de/${i}`, visitedAt: at(i) }))!,
      );
      let puts = 0;
      const put = IDBObjectStore.prototype.put;
      vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
        this: IDBObjectStore,
        ...args: Parameters<IDBObjectStore['put']>
      ) {
        // Only the import's visit puts count (not the summary rows, the stats, or refusalOf's setup).
        if (
          this.name === 'visits' &&
          args[0] &&
          (args[0] as { url?: string }).url?.startsWith('https://neu.') &&
          ++puts === 3
        )
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      });
      const error = await refusalOf(envelope(records));
      expect(error.code).toBe('storage');
      expect(error.en).toMatch(/storage for the history is full/);
      expect(puts).toBe(3); // two puts had succeeded inside the transaction before the failure
    });
  });
});

describe('faults', () => {
  it('a QuotaExceededError on record keeps every earlier record and reports kind quota', async () => {
    const store = await storeFor();
    for (let i = 0; i < 3; i++)
      expect((await store.record(makeReport({ url: `https://www.example.de/${i}`, visitedAt: at(i) }))).status).toBe(
        'created',
      );
    const before = await store.exportAll();

    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const result = await store.record(makeReport({ url: 'https://www.example.de/new', visitedAt: at(0) }));
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') throw new Error('unreachable');
    expect(result.error).toBeInstanceOf(HistoryError);
    expect(result.error.kind).toBe('quota');
    expect(result.error.messages.de).toMatch(/Speicherplatz/);
    expect(result.error.messages.en).toMatch(/storage/);
    // An update of an existing visit fails the same way and leaves the old version.
    const update = await store.record(
      makeReport({ url: 'https://www.example.de/0', visitedAt: at(0), analysedAfterMs: 60_000, verdict: 'red' }),
    );
    expect(update).toMatchObject({ status: 'failed', error: { kind: 'quota' } });
    put.mockRestore();

    expect(await store.exportAll()).toBe(before);
    expect((await store.visits(site)).items).toHaveLength(3);
    // The store still works once space is available again.
    expect((await store.record(makeReport({ url: 'https://www.example.de/new', visitedAt: at(0) }))).status).toBe(
      'created',
    );
  });

  it('a quota failure reported as a transaction abort (how browsers report a full disk at commit) loses nothing either', async () => {
    const store = await storeFor();
    await store.record(makeReport({ url: 'https://www.example.de/old', visitedAt: at(2) }));
    const before = await store.exportAll();
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      const request = put.apply(this, args);
      // fake-indexeddb's internal abort with an error name: the put succeeded, the commit does not.
      const tx = this.transaction as unknown as { _abort(name: string): void };
      request.addEventListener('success', () => tx._abort('QuotaExceededError'));
      return request;
    });
    expect(await store.record(makeReport({ url: 'https://www.example.de/new', visitedAt: at(1) }))).toMatchObject({
      status: 'failed',
      error: { kind: 'quota' },
    });
    vi.restoreAllMocks();
    expect(await store.exportAll()).toBe(before);
  });

  it('a blocked upgrade calls onBlocked and rejects with kind blocked instead of hanging; the old database stays intact', async () => {
    const factory = new IDBFactory();
    const stale = await openStubbornV1Connection(factory);
    const onBlocked = vi.fn();
    // A hang would end in the test's timeout: blockedTimeoutMs is 50 ms.
    const error: unknown = await openHistoryStore(factory, { onBlocked, blockedTimeoutMs: 50 }).catch(
      (e: unknown) => e,
    );
    expect(onBlocked).toHaveBeenCalledTimes(1);
    expect(error).toBeInstanceOf(HistoryError);
    expect((error as HistoryError).kind).toBe('blocked');
    expect((error as HistoryError).messages.de).toMatch(/schließen/);

    // The old tab goes away: the pending upgrade we gave up on must not run behind our back.
    stale.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(await schemaOf(factory)).toMatchObject({ version: 1 });
    // A new attempt upgrades normally.
    const store = await storeFor(factory);
    expect(await store.settings()).toEqual({ retentionDays: 180, paused: false });
  });

  it('a blocked upgrade that is released before the timeout proceeds', async () => {
    const factory = new IDBFactory();
    const stale = await openStubbornV1Connection(factory);
    const opening = openHistoryStore(factory, {
      onBlocked: () => setTimeout(() => stale.close(), 10),
      blockedTimeoutMs: 5000,
    });
    const store = await opening;
    open.push(store);
    expect((await schemaOf(factory)) as object).toMatchObject({ version: HISTORY_DB_VERSION });
  });

  it('our connection gives way to a newer version, then reports unavailable instead of blocking it', async () => {
    const factory = new IDBFactory();
    const store = await storeFor(factory);
    await new Promise<void>((resolve, reject) => {
      const request = factory.open(HISTORY_DB_NAME, HISTORY_DB_VERSION + 1);
      request.onblocked = () => reject(new Error('blocked by the store'));
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    await expect(store.sites()).rejects.toMatchObject({ kind: 'unavailable' });
    expect(await store.record(makeReport())).toMatchObject({ status: 'failed', error: { kind: 'unavailable' } });
    // And this (older) code cannot open the newer database: unavailable, not a crash.
    await expect(openHistoryStore(factory)).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('an IndexedDB that throws on open (private mode) is unavailable', async () => {
    const factory = new IDBFactory();
    vi.spyOn(factory, 'open').mockImplementation(() => {
      throw new DOMException(
        'A mutation operation was attempted on a database that did not allow mutations.',
        'InvalidStateError',
      );
    });
    await expect(openHistoryStore(factory)).rejects.toMatchObject({
      kind: 'unavailable',
      messages: { de: expect.any(String), en: expect.any(String) },
    });
  });
});

// At scale, not against the clock: the history page's speed with 10,000 visits is measured in
// Chromium's IndexedDB by `npm run bench` (tests/bench/history-bench.ts), never asserted here.
describe('scale', () => {
  it('10,000 visits over 400 sites: each recorded once, listed, paged, exported and imported whole', async () => {
    const store = await storeFor();
    const sites = 400;
    const reports = Array.from({ length: 10_000 }, (_, i) =>
      makeReport({
        url: `https://www.site${i % sites}.de/page/${i}`,
        visitedAt: T0 - i * 60_000,
        thirdParties: i % 3 ? { 'www.google-analytics.com': 2, 'fonts.googleapis.com': 1 } : {},
        cookies: [{ name: '_ga', domain: `.site${i % sites}.de` }],
        findings: i % 3 ? ['third-country-transfer'] : [],
      }),
    );
    // One at a time, as the background records page visits (fake-indexeddb's transaction queue
    // gets slow with thousands of transactions pending at once; real browsers do not need that).
    const results: RecordResult[] = [];
    for (const r of reports) results.push(await store.record(r));
    expect(results.every((r) => r.status === 'created')).toBe(true);

    const { items, skippedCorrupt } = await store.sites();
    expect(items).toHaveLength(sites);
    expect(skippedCorrupt).toBe(0);
    expect(items.reduce((n, s) => n + s.visits, 0)).toBe(10_000);

    const visits = await store.visits('site7.de');
    expect(visits.items).toHaveLength(25);

    const text = await store.exportAll();
    const other = await storeFor();
    expect(await other.importAll(text)).toMatchObject({ ok: true, added: 10_000 });
  }, 120_000);
});
