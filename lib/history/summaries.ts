/**
 * The `sites` store: one SiteSummary per site, exactly what `sites()` returns, computed from
 * scratch (SummaryBuilder: the v3 migration, a rebuild) or kept exact across the writes of one
 * transaction (SummaryEditor). "Latest visit" of a site: the greatest visitedAt; among visits at
 * the same moment the smallest id (the first one `visits(site)` lists).
 */
import * as v from 'valibot';
import {
  type HistoryRecord,
  STATS_KEY,
  type SiteSummary,
  StatsShape,
  type Tx,
  isHistoryRecord,
  isSiteSummary,
  requests,
} from './schema';

/** True when `a` is a later visit than `b` (greater visitedAt; at the same moment the smaller id). */
export function isLaterVisit(
  a: Pick<HistoryRecord, 'visitedAt' | 'id'>,
  b: Pick<HistoryRecord, 'visitedAt' | 'id'>,
): boolean {
  return a.visitedAt > b.visitedAt || (a.visitedAt === b.visitedAt && a.id < b.id);
}

function summaryOf(latest: HistoryRecord, visits: number): SiteSummary {
  return {
    site: latest.site,
    verdict: latest.verdict,
    isAuthority: latest.isAuthority,
    thirdParties: latest.thirdParties,
    pageKind: latest.pageKind,
    latestId: latest.id,
    latestUrl: latest.url,
    title: latest.report.page.title,
    lastVisit: latest.visitedAt,
    visits,
  };
}

export const bySiteOrder = (a: SiteSummary, b: SiteSummary) =>
  b.lastVisit - a.lastVisit || a.site.localeCompare(b.site);

/** Summaries computed from scratch over stored values, one at a time (corrupt ones counted, not summarised). */
export class SummaryBuilder {
  readonly summaries = new Map<string, SiteSummary>();
  records = 0;
  corrupt = 0;

  add(value: unknown): void {
    this.records++;
    if (!isHistoryRecord(value)) {
      this.corrupt++;
      return;
    }
    const s = this.summaries.get(value.site);
    if (!s) this.summaries.set(value.site, summaryOf(value, 1));
    else if (isLaterVisit(value, { visitedAt: s.lastVisit, id: s.latestId }))
      this.summaries.set(value.site, summaryOf(value, s.visits + 1));
    else s.visits++;
  }
}

/**
 * Keeps the `sites` summaries and the `stats` count exact across the writes of one transaction.
 * Usage: `preload` the sites a write touches, report every valid record that leaves the store
 * (`removed`: deleted, or about to be replaced) and every record put (`added`) and every change of
 * the number of stored records (`records`), then `flush` after the writes. A site whose latest
 * visit left gets its latest recomputed in `flush` from the site_visitedAt index (which sees this
 * transaction's own writes); the visit counts move by deltas.
 */
export class SummaryEditor {
  private readonly cache = new Map<string, SiteSummary | null>();
  private readonly dirty = new Set<string>();
  private readonly lostLatest = new Set<string>();
  private recordDelta = 0;

  constructor(private readonly tx: Tx<'readwrite'>) {}

  async preload(sites: Iterable<string>): Promise<void> {
    const store = this.tx.objectStore('sites');
    const missing = [...new Set(sites)].filter((site) => !this.cache.has(site));
    const rows = await requests(missing, (site) => store.get(site));
    // A damaged row counts as no row: the site's summary is then rebuilt from what this write adds,
    // and the stats check in sites() repairs the rest.
    for (const [i, site] of missing.entries()) {
      this.cache.set(site, isSiteSummary(rows[i]) ? { ...(rows[i] as SiteSummary) } : null);
    }
  }

  private summary(site: string): SiteSummary | null {
    if (!this.cache.has(site)) throw new Error(`site ${site} not preloaded`);
    return this.cache.get(site)!;
  }

  /** The number of records in the visits store changed by `delta` (valid or not). */
  records(delta: number): void {
    this.recordDelta += delta;
  }

  /** A valid record left the store (deleted, or replaced by a put of the same id). */
  removed(record: HistoryRecord): void {
    const s = this.summary(record.site);
    this.dirty.add(record.site);
    if (!s) return;
    s.visits--;
    if (s.visits <= 0) {
      this.cache.set(record.site, null);
      this.lostLatest.delete(record.site);
    } else if (s.latestId === record.id) this.lostLatest.add(record.site);
  }

  /** A valid record was put. */
  added(record: HistoryRecord): void {
    const s = this.summary(record.site);
    this.dirty.add(record.site);
    if (!s) {
      this.cache.set(record.site, summaryOf(record, 1));
      this.lostLatest.delete(record.site);
    } else if (this.lostLatest.has(record.site))
      s.visits++; // flush finds the latest, this one included
    else if (isLaterVisit(record, { visitedAt: s.lastVisit, id: s.latestId }))
      this.cache.set(record.site, summaryOf(record, s.visits + 1));
    else s.visits++;
  }

  /** The site's latest valid visit, from the index (this transaction's writes included). */
  private async latestOf(site: string): Promise<HistoryRecord | null> {
    const range = IDBKeyRange.bound([site, -Infinity], [site, Infinity]);
    let cursor = await this.tx.objectStore('visits').index('site_visitedAt').openCursor(range, 'prev');
    let best: HistoryRecord | null = null;
    while (cursor) {
      if (best && (cursor.key as [string, number])[1] !== best.visitedAt) break;
      const value: unknown = cursor.value;
      // Same visitedAt: 'prev' walks the ids downwards, so a later valid one has the smaller id.
      if (isHistoryRecord(value) && (!best || isLaterVisit(value, best))) best = value;
      cursor = await cursor.continue();
    }
    return best;
  }

  async flush(): Promise<void> {
    for (const site of this.lostLatest) {
      const s = this.cache.get(site);
      if (!s) continue;
      const latest = await this.latestOf(site);
      this.cache.set(site, latest ? summaryOf(latest, s.visits) : null);
    }
    const sites = this.tx.objectStore('sites');
    await requests(this.dirty, (site): Promise<unknown> => {
      const s = this.cache.get(site);
      return s ? sites.put(s) : sites.delete(site);
    });
    if (this.recordDelta !== 0) {
      const meta = this.tx.objectStore('meta');
      const stats = await meta.get(STATS_KEY);
      // Unknown or already wrong stats stay wrong: sites() will notice and rebuild.
      if (v.is(StatsShape, stats)) await meta.put({ visits: stats.visits + this.recordDelta }, STATS_KEY);
    }
  }
}
