/**
 * The history's export file and its import: the whole file is validated before anything is
 * written, every record rebuilt from its own report, then merged by id in one transaction (the
 * store's `importAll`), all or nothing.
 */
import * as v from 'valibot';
import {
  COALESCE_MS,
  type HistoryRecord,
  type ImportRefusal,
  type ImportResult,
  RecordShape,
  type Tx,
  isHistoryRecord,
  issueText,
  recordOfReport,
  requests,
} from './schema';
import { SummaryEditor } from './summaries';

export const EXPORT_FORMAT = 'datenschutz-ampel-history';
export const EXPORT_VERSION = 1;
/** Import files above this many characters are refused before parsing (the UI should also check `File.size`). */
export const MAX_IMPORT_CHARS = 50 * 1024 * 1024;

type Refused = Extract<ImportResult, { ok: false }>;

export const refusal = (code: ImportRefusal, de: string, en: string): Refused => ({
  ok: false,
  error: { code, de, en },
});

/** The export file: every readable visit, oldest first. */
export function exportText(items: HistoryRecord[], now: number): string {
  items.sort((a, b) => a.visitedAt - b.visitedAt || (a.id < b.id ? -1 : 1));
  return JSON.stringify({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    visits: items,
  });
}

/**
 * Deeper JSON is refused before parsing: a report is about ten levels deep, and recursive
 * walks (JSON.stringify, valibot, structured clone) throw RangeError on a few thousand.
 */
export const MAX_IMPORT_DEPTH = 64;

/** The deepest nesting of arrays and objects in JSON text (strings skipped), scanning at most until `limit` is passed. */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/**
 * Step 1 of an import: the records of a whole export file by id, or why the file is refused.
 * Touches no database. Never throws.
 *
 * Nothing in the file is trusted beyond its report: every record is rebuilt from its report
 * (`recordOfReport`: id from site, visit time and URL, site from the URL), so an entry can
 * neither take over another visit's id nor file itself under another site; times after `now`
 * are clamped to `now`, so a future `analysedAt` cannot shadow the real re-analysis; merged
 * loads (`loads`) are kept only within the record's window. The same visit exported and
 * imported again gets the same id, so re-importing one's own export adds nothing.
 */
export function parseExport(text: string, now: number): { ok: true; incoming: Map<string, HistoryRecord> } | Refused {
  try {
    return parseExportUnsafe(text, now);
  } catch {
    // A recursive walk over hostile data that slipped past the depth check: refuse, do not throw.
    return tooDeep();
  }
}

const tooDeep = () =>
  refusal(
    'too-deep',
    `Die Datei ist zu tief verschachtelt (mehr als ${MAX_IMPORT_DEPTH} Ebenen) und ist kein Verlaufs-Export der Datenschutz-Ampel. Es wurde nichts importiert.`,
    `The file is nested too deeply (more than ${MAX_IMPORT_DEPTH} levels) and is not a Datenschutz-Ampel history export. Nothing was imported.`,
  );

function parseExportUnsafe(text: string, now: number): { ok: true; incoming: Map<string, HistoryRecord> } | Refused {
  // 1. Validate everything before touching the database.
  if (typeof text !== 'string')
    return refusal('bad-json', 'Die Datei konnte nicht gelesen werden.', 'The file could not be read.');
  if (text.length > MAX_IMPORT_CHARS) {
    return refusal(
      'too-large',
      `Die Datei ist zu groß (über ${MAX_IMPORT_CHARS / 1024 / 1024} MB). Es wurde nichts importiert.`,
      `The file is too large (over ${MAX_IMPORT_CHARS / 1024 / 1024} MB). Nothing was imported.`,
    );
  }
  if (jsonDepth(text, MAX_IMPORT_DEPTH) > MAX_IMPORT_DEPTH) return tooDeep();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return refusal(
      'bad-json',
      'Die Datei ist kein gültiges JSON. Es wurde nichts importiert.',
      'The file is not valid JSON. Nothing was imported.',
    );
  }
  const envelope = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
  if (!envelope || envelope.format !== EXPORT_FORMAT) {
    return refusal(
      'wrong-format',
      'Die Datei ist kein Verlaufs-Export der Datenschutz-Ampel. Es wurde nichts importiert.',
      'The file is not a Datenschutz-Ampel history export. Nothing was imported.',
    );
  }
  if (envelope.version !== EXPORT_VERSION) {
    const newer = typeof envelope.version === 'number' && envelope.version > EXPORT_VERSION;
    return refusal(
      'wrong-version',
      newer
        ? `Die Datei stammt von einer neueren Version (Formatversion ${String(envelope.version)}). Bitte aktualisieren Sie die Erweiterung. Es wurde nichts importiert.`
        : `Unbekannte Formatversion ${JSON.stringify(envelope.version) ?? 'fehlt'}. Es wurde nichts importiert.`,
      newer
        ? `The file comes from a newer version (format version ${String(envelope.version)}). Please update the extension. Nothing was imported.`
        : `Unknown format version ${JSON.stringify(envelope.version) ?? 'missing'}. Nothing was imported.`,
    );
  }
  if (!Array.isArray(envelope.visits)) {
    return refusal(
      'wrong-format',
      'Der Export enthält keine Besuchsliste. Es wurde nichts importiert.',
      'The export has no list of visits. Nothing was imported.',
    );
  }
  const incoming = new Map<string, HistoryRecord>();
  for (const [index, value] of envelope.visits.entries()) {
    const parsed = v.safeParse(RecordShape, value);
    let problem = parsed.success ? null : issueText(parsed.issues);
    if (parsed.success) {
      // url and visitedAt must agree with the report; everything else comes from the report.
      const derived = recordOfReport(clampReport((value as { report: unknown }).report, now));
      const exportedAt = Date.parse((value as { report: { visitedAt: string } }).report.visitedAt);
      if (!derived) problem = 'report';
      else if (derived.url !== parsed.output.url || exportedAt !== parsed.output.visitedAt)
        problem = 'url/visitedAt do not match the report';
      else {
        const loads = keptLoads(parsed.output.loads, derived.visitedAt, now);
        const record: HistoryRecord = loads.length ? { ...derived, loads } : derived;
        const seen = incoming.get(record.id);
        if (!seen || Date.parse(record.report.analysedAt) >= Date.parse(seen.report.analysedAt))
          incoming.set(record.id, record);
      }
    }
    if (problem) {
      return refusal(
        'invalid-record',
        `Eintrag ${index + 1} ist ungültig (${problem}). Es wurde nichts importiert.`,
        `Entry ${index + 1} is invalid (${problem}). Nothing was imported.`,
      );
    }
  }
  return { ok: true, incoming };
}

/** The report with visitedAt and analysedAt no later than `now` (a copy when changed). */
function clampReport(report: unknown, now: number): unknown {
  if (!report || typeof report !== 'object') return report;
  const r = report as { visitedAt?: unknown; analysedAt?: unknown };
  const clamp = (iso: unknown) =>
    typeof iso === 'string' && Date.parse(iso) > now ? new Date(now).toISOString() : iso;
  const visitedAt = clamp(r.visitedAt);
  const analysedAt = clamp(r.analysedAt);
  return visitedAt === r.visitedAt && analysedAt === r.analysedAt ? report : { ...r, visitedAt, analysedAt };
}

/** Merged loads as the store would have written them: after the visit, within its window, not in the future, once each. */
function keptLoads(loads: readonly number[] | undefined, visitedAt: number, now: number): number[] {
  const kept = (loads ?? []).filter((t) => t > visitedAt && t - visitedAt <= COALESCE_MS && t <= now);
  return [...new Set(kept)].sort((a, b) => a - b);
}

/** Step 2 of an import: merges the records by id inside the caller's transaction (all or nothing). */
export async function mergeRecords(
  tx: Tx<'readwrite'>,
  incoming: Map<string, HistoryRecord>,
): Promise<{ added: number; updated: number; unchanged: number }> {
  const store = tx.objectStore('visits');
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  const records = [...incoming.values()];
  const existing: unknown[] = await requests(incoming.keys(), (id) => store.get(id));
  const summaries = new SummaryEditor(tx);
  await summaries.preload([...records.map((r) => r.site), ...existing.filter(isHistoryRecord).map((r) => r.site)]);
  const toWrite: HistoryRecord[] = [];
  records.forEach((record, i) => {
    const old = existing[i];
    if (old === undefined) {
      added++;
      summaries.records(1);
    } else if (isHistoryRecord(old)) {
      if (
        Date.parse(old.report.analysedAt) > Date.parse(record.report.analysedAt) ||
        JSON.stringify(old) === JSON.stringify(record)
      ) {
        unchanged++;
        return;
      }
      updated++; // a newer analysis
      summaries.removed(old);
    } else updated++; // a corrupt stored record the file repairs
    toWrite.push(record);
    summaries.added(record);
  });
  await requests(toWrite, (record) => store.put(record));
  await summaries.flush();
  return { added, updated, unchanged };
}
