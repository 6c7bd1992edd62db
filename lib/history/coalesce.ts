/**
 * Reloads coalesce: a load of the same URL within COALESCE_MS of a record's first load, whose
 * report shows nothing the user would see as different (same verdict and title, the same
 * third-party hosts, cookies and findings: an empty `diffVisits`), is merged into that record as
 * one more entry of `loads` instead of a record of its own. The history then grows by what
 * changed, not by how often F5 was pressed; the timeline and the complaint say "loaded N times".
 *
 * Pure: `planRecord` decides from the incoming record, the stored record with its id (if any) and
 * the site's stored records of the same URL that started within COALESCE_MS before it; the store
 * applies the plan in its write transaction. Idempotent like the rest of the history: a replayed
 * report of a merged load changes nothing; a later analysis of a merged load that differs from
 * its host takes the load out again and stores it as its own record; a later analysis of a load
 * with its own record that now equals the record before it is merged then.
 */
import { diffVisits } from './diff';
import { COALESCE_MS, type HistoryRecord, MAX_LOADS } from './schema';
import type { Report } from '../verdict/report';

/** How often the record's URL was loaded (1 for records without `loads`: older versions, single loads). */
export const loadCount = (record: Pick<HistoryRecord, 'loads'>): number => 1 + (record.loads?.length ?? 0);

/** The time of the record's latest load. */
export const lastLoadAt = (record: Pick<HistoryRecord, 'visitedAt' | 'loads'>): number =>
  Math.max(record.visitedAt, ...(record.loads ?? []));

/** Nothing the user would see as changed between the two reports (the history's diff is empty, same verdict and title). */
export function unchangedReport(a: Report, b: Report): boolean {
  const d = diffVisits(a, b);
  return (
    d.verdictChanged === null &&
    a?.verdict === b?.verdict &&
    a?.page?.title === b?.page?.title &&
    d.newThirdParties.length + d.goneThirdParties.length === 0 &&
    d.newCookies.length + d.goneCookies.length === 0 &&
    d.newFindings.length + d.resolvedFindings.length === 0
  );
}

export interface RecordPlan {
  status: 'created' | 'updated' | 'unchanged';
  /** The record that now holds the load. */
  id: string;
  put: HistoryRecord[];
  remove: HistoryRecord[];
}

const withLoad = (host: HistoryRecord, t: number): HistoryRecord => ({
  ...host,
  loads: [...(host.loads ?? []), t].sort((a, b) => a - b),
});

const withoutLoad = (host: HistoryRecord, t: number): HistoryRecord => {
  const loads = (host.loads ?? []).filter((x) => x !== t);
  const { loads: _, ...rest } = host;
  return loads.length ? { ...rest, loads } : rest;
};

/**
 * What to write for `incoming`. `own`: the valid stored record with incoming's id, or null.
 * `neighbours`: valid stored records of the same site and URL with visitedAt in
 * [incoming.visitedAt − COALESCE_MS, incoming.visitedAt], other than `own`.
 */
export function planRecord(
  incoming: HistoryRecord,
  own: HistoryRecord | null,
  neighbours: readonly HistoryRecord[],
): RecordPlan {
  const t = incoming.visitedAt;
  const same = neighbours.filter((r) => r.url === incoming.url && r.id !== incoming.id);
  const host = same.find((r) => r.loads?.includes(t));
  if (host) {
    if (unchangedReport(host.report, incoming.report)) return { status: 'unchanged', id: host.id, put: [], remove: [] };
    // A later analysis of a merged load shows something new: it becomes a visit of its own.
    return { status: 'created', id: incoming.id, put: [withoutLoad(host, t), incoming], remove: [] };
  }
  // The record the load would join: the one whose latest load is the latest before this one.
  const before = same
    .filter((r) => r.visitedAt < t && t - r.visitedAt <= COALESCE_MS && lastLoadAt(r) < t)
    .sort((a, b) => lastLoadAt(b) - lastLoadAt(a))[0];
  const joins =
    before !== undefined &&
    (before.loads?.length ?? 0) < MAX_LOADS &&
    !own?.loads?.length &&
    unchangedReport(before.report, incoming.report);
  if (own) {
    const stale = Date.parse(own.report.analysedAt) > Date.parse(incoming.report.analysedAt);
    if (stale || JSON.stringify(own.report) === JSON.stringify(incoming.report))
      return { status: 'unchanged', id: own.id, put: [], remove: [] };
    if (joins) return { status: 'updated', id: before.id, put: [withLoad(before, t)], remove: [own] };
    return {
      status: 'updated',
      id: incoming.id,
      put: [own.loads ? { ...incoming, loads: own.loads } : incoming],
      remove: [],
    };
  }
  if (joins) return { status: 'updated', id: before.id, put: [withLoad(before, t)], remove: [] };
  return { status: 'created', id: incoming.id, put: [incoming], remove: [] };
}
