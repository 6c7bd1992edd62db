/**
 * What the export panel reads besides the visits themselves: the request rows the background kept
 * for the HAR (lib/history/request-store.ts) and the imprint / privacy texts of the newest visit
 * (lib/history/store.ts). Any failure means an export without that part, never no export.
 */
import type { HistoryRecord } from '@/lib/history/schema';
import { openHistoryStore } from '@/lib/history/store';
import { openRequestStore } from '@/lib/history/request-store';
import { type Har, type ObservedVisit, observedHar } from '@/lib/export/har';
import type { Report } from '@/lib/verdict/report';

/**
 * The HAR of the visits whose request rows are still kept (the newest few per site): one page per
 * visit; null when none are (then the package has no HAR).
 */
export async function observedHarFor(reports: Report[], toolVersion: string): Promise<Har | null> {
  try {
    const store = await openRequestStore();
    try {
      const visits: ObservedVisit[] = [];
      for (const r of reports) {
        const startedAt = Date.parse(r.visitedAt);
        const kept = Number.isFinite(startedAt) ? await store.rowsFor(r.url, startedAt) : null;
        visits.push({
          url: r.url,
          startedAt,
          title: r.page.title || r.url,
          rows: kept?.rows ?? null,
          overflow: kept?.visit.overflow ?? 0,
        });
      }
      if (!visits.some((v) => v.rows?.length)) return null;
      const browser = reports.find((r) => r.tool.browser)?.tool.browser ?? null;
      return observedHar(visits, { name: 'Datenschutz-Ampel', version: toolVersion }, browser);
    } finally {
      store.close();
    }
  } catch {
    return null;
  }
}

/** The imprint / privacy texts current when the newest visit was analysed (HistoryStore.snapshotsFor). */
export async function legalTexts(
  report: HistoryRecord['report'] | undefined,
): Promise<{ imprintText: string | null; privacyText: string | null }> {
  if (!report) return { imprintText: null, privacyText: null };
  try {
    const store = await openHistoryStore(indexedDB, { blockedTimeoutMs: 2000 });
    try {
      const { imprint, privacy } = await store.snapshotsFor(report);
      return { imprintText: imprint?.text ?? null, privacyText: privacy?.text ?? null };
    } finally {
      store.close();
    }
  } catch {
    return { imprintText: null, privacyText: null };
  }
}

/** Deletes the kept request rows with the history (all, or one site's). */
export async function deleteRequestRows(site: string | null): Promise<void> {
  try {
    const store = await openRequestStore();
    try {
      await (site === null ? store.clear() : store.deleteSite(site));
    } finally {
      store.close();
    }
  } catch {
    // Nothing kept, or IndexedDB unavailable: nothing to delete.
  }
}
