/**
 * Per-site exports: one export package (lib/export/package.ts) built from the site's stored
 * visits — the complaint summary as Markdown and printable HTML, "Save as PDF" through a print
 * view of the same rendering, the hashed JSON evidence bundle, and the attachments the summary
 * lists with their hashes: the screenshot the popup took (JPEG, storage.session
 * `pendingScreenshot`, same site), the HAR of the request rows the background kept, the tables of
 * third parties and cookies as CSV. All files come from one build (one creation time), so every
 * hash one file names matches the file next to it. The panel shows their total size and warns
 * above what authorities' upload forms take (UPLOAD_LIMIT_BYTES, lib/export/complaint/model.ts).
 *
 * The user's own statement is passed as `userStatement` (printed apart, certainty
 * 'user-reported'), the observations they tick (lib/verdict/user-reported.ts, stored per site,
 * observations.ts) as `userObservations`. Files are downloaded via Blob + <a download>; nothing is uploaded.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { loadCount } from '@/lib/history/coalesce';
import type { HistoryRecord } from '@/lib/history/schema';
import type { Lang } from '@/lib/i18n/ui';
import { fill, formatDateTime, historyMessages } from '@/lib/i18n/history';
import { UPLOAD_LIMIT_BYTES, formatBytes } from '@/lib/export/complaint/model';
import type { ExportFile, FinishedExport, PreparedExport } from '@/lib/export/package';
import { dateStamp, downloadBytes, fileSafe } from './download';
import { legalTexts, observedHarFor } from './evidence';
import { PrintView } from './PrintView';
import { USER_OBSERVATIONS, type UserObservationId } from '@/lib/verdict/user-reported';
import { loadObservations, saveObservations } from './observations';

interface Screenshot {
  site: string;
  dataUrl: string;
  takenAt: string;
}

/**
 * A screenshot is a few hundred kB of storage.session's 10 MB: it is removed once an export used
 * it (the page keeps it for further exports) and ignored and removed when older than this.
 */
const SCREENSHOT_TTL_MS = 30 * 60_000;

const dropScreenshot = () => browser.storage.session.remove('pendingScreenshot').catch(() => undefined);

function toolVersion(): string {
  try {
    return browser.runtime.getManifest().version;
  } catch {
    return '0.0.0';
  }
}

async function pendingScreenshot(site: string): Promise<Screenshot | null> {
  try {
    const { pendingScreenshot: shot } = (await browser.storage.session.get('pendingScreenshot')) as {
      pendingScreenshot?: Partial<Screenshot>;
    };
    if (!shot) return null;
    const takenAt = typeof shot.takenAt === 'string' ? Date.parse(shot.takenAt) : NaN;
    if (!(Date.now() - takenAt < SCREENSHOT_TTL_MS)) {
      await dropScreenshot();
      return null;
    }
    if (
      shot.site === site &&
      typeof shot.dataUrl === 'string' &&
      /^data:image\/(png|jpeg);base64,/.test(shot.dataUrl) &&
      typeof shot.takenAt === 'string'
    )
      return { site, dataUrl: shot.dataUrl, takenAt: shot.takenAt };
  } catch {
    // storage.session missing (older Firefox) or not allowed here: export without a screenshot.
  }
  return null;
}

type Built = { key: string; prepared: PreparedExport; done: FinishedExport };

/** The buttons, by file kind: test id and label. */
const BUTTONS: { kind: ExportFile['kind']; testid: string; label: (t: (typeof historyMessages)['de']) => string }[] = [
  { kind: 'summary-md', testid: 'export-md', label: (t) => t.exportMarkdown },
  { kind: 'summary-html', testid: 'export-html', label: (t) => t.exportHtml },
  { kind: 'bundle', testid: 'export-json', label: (t) => t.exportJson },
  { kind: 'har', testid: 'export-har', label: (t) => t.exportHar },
  { kind: 'requests-csv', testid: 'export-requests-csv', label: (t) => t.exportRequestsCsv },
  { kind: 'cookies-csv', testid: 'export-cookies-csv', label: (t) => t.exportCookiesCsv },
  { kind: 'screenshot', testid: 'export-screenshot', label: (t) => t.exportScreenshot },
];

export function ExportPanel({
  site,
  visits,
  lang,
  focus,
}: {
  site: string;
  visits: HistoryRecord[];
  lang: Lang;
  focus: boolean;
}) {
  const t = historyMessages[lang];
  const [statement, setStatement] = useState('');
  const [observed, setObserved] = useState<UserObservationId[]>([]);
  const [shot, setShot] = useState<Screenshot | null>(null);
  const [withShot, setWithShot] = useState(true);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [built, setBuilt] = useState<Built | null>(null);
  const [printing, setPrinting] = useState<string | null>(null);
  const section = useRef<HTMLElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const building = useRef<{ key: string; promise: Promise<Built> } | null>(null);

  useEffect(() => {
    void pendingScreenshot(site).then(setShot);
    void loadObservations(site).then(setObserved);
  }, [site]);

  const tick = (id: UserObservationId, on: boolean) => {
    const next = USER_OBSERVATIONS.map((o) => o.id).filter((x) => (x === id ? on : observed.includes(x)));
    setObserved(next);
    saveObservations(site, next).catch(() => setStatus({ text: t.observationsNotSaved, error: true }));
  };

  useEffect(() => {
    if (!focus) return;
    section.current?.scrollIntoView({ block: 'start' });
    textarea.current?.focus({ preventScroll: true });
  }, [focus]);

  const inputKey = JSON.stringify([
    site,
    visits.map((v) => v.id),
    lang,
    statement.trim(),
    withShot && shot ? shot.takenAt : null,
    observed,
  ]);

  /** The package for the current inputs: built once, reused by every button until an input changes. */
  const ensure = (): Promise<Built> => {
    if (built?.key === inputKey) return Promise.resolve(built);
    if (building.current?.key === inputKey) return building.current.promise;
    const key = inputKey;
    const promise = (async (): Promise<Built> => {
      const now = Date.now();
      const reports = visits.slice(0, 50).map((v) => v.report);
      const loads = visits.slice(0, 50).map(loadCount);
      // Loaded on first use: the renderers and the DPA rules are most of the page's code, and the
      // list should not wait for them.
      const [{ prepareExport, finishExport }, texts, har] = await Promise.all([
        import('@/lib/export/package'),
        legalTexts(visits[0]?.report),
        observedHarFor(reports, toolVersion()),
      ]);
      const prepared = await prepareExport({
        site,
        // The newest 50 visits (the bundle keeps at most 50 anyway).
        reports,
        loads,
        ...texts,
        lang,
        toolVersion: toolVersion(),
        now,
        userStatement: statement.trim() || undefined,
        userObservations: observed,
        screenshot: withShot && shot ? { dataUrl: shot.dataUrl, takenAt: shot.takenAt } : null,
        baseName: `datenschutz-ampel-${fileSafe(site)}-${dateStamp(now)}`,
        har,
        csv: true,
      });
      return { key, prepared, done: await finishExport(prepared) };
    })();
    building.current = { key, promise };
    void promise.then(
      (b) => {
        if (building.current?.key === b.key) setBuilt(b);
      },
      () => undefined,
    );
    return promise;
  };

  // Build in the background after the inputs settle, for the file list and total size.
  useEffect(() => {
    if (!visits.length) return;
    const timer = setTimeout(() => void ensure().catch(() => undefined), 400);
    return () => clearTimeout(timer);
  }, [inputKey]);

  const run = async (action: (b: Built) => void) => {
    if (busy) return;
    setBusy(true);
    try {
      action(await ensure());
    } catch {
      setStatus({ text: t.exportFailed, error: true });
    } finally {
      setBusy(false);
    }
  };

  const download = (kind: ExportFile['kind']) =>
    run((b) => {
      const file = b.done.files.find((f) => f.kind === kind);
      if (!file) return;
      downloadBytes(file.name, file.data, file.mediaType);
      if (withShot && shot) void dropScreenshot();
      performance.mark('dsa-history-exported');
      setStatus({ text: fill(t.exported, { file: file.name }, lang) });
    });

  const current = built?.key === inputKey ? built : null;
  const total = current?.done.totalBytes ?? null;

  return (
    <section class="export" aria-labelledby="export-title" ref={section} data-testid="export">
      <h2 id="export-title">{t.exportTitle}</h2>
      <p class="note">{t.exportHelp}</p>
      <fieldset class="observations" data-testid="observations">
        <legend>{t.observationsTitle}</legend>
        {USER_OBSERVATIONS.map((o) => (
          <label class="setting" key={o.id}>
            <input
              type="checkbox"
              data-observation={o.id}
              checked={observed.includes(o.id)}
              onChange={(e) => tick(o.id, (e.currentTarget as HTMLInputElement).checked)}
            />{' '}
            {o.text[lang]}
          </label>
        ))}
      </fieldset>
      <label for="statement" class="block-label">
        {t.statement}
      </label>
      <textarea
        id="statement"
        ref={textarea}
        rows={4}
        maxLength={10_000}
        value={statement}
        placeholder={t.statementPlaceholder}
        data-testid="statement"
        onInput={(e) => setStatement((e.currentTarget as HTMLTextAreaElement).value)}
      />
      {shot ? (
        <label class="setting">
          <input
            type="checkbox"
            checked={withShot}
            data-testid="with-screenshot"
            onChange={(e) => setWithShot((e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          {fill(t.includeScreenshot, { at: formatDateTime(Date.parse(shot.takenAt), lang) }, lang)}
          <img src={shot.dataUrl} alt="" class="shot-thumb" />
        </label>
      ) : null}
      <p class="actions">
        <button
          type="button"
          data-testid="export-pdf"
          disabled={busy || !visits.length}
          onClick={() => void run((b) => setPrinting(b.prepared.printHtml))}
        >
          {t.exportPdf}
        </button>
      </p>
      <ul class="export-files" data-testid="export-files">
        {BUTTONS.map(({ kind, testid, label }) => {
          const file = current?.done.files.find((f) => f.kind === kind);
          // Before the first build only the summaries and the bundle are known to exist.
          if (!file && (current || !['summary-md', 'summary-html', 'bundle'].includes(kind))) return null;
          return (
            <li key={kind}>
              <button
                type="button"
                data-testid={testid}
                disabled={busy || !visits.length}
                onClick={() => void download(kind)}
              >
                {label(t)}
              </button>{' '}
              {file ? (
                <span class="muted" data-testid={`${testid}-size`}>
                  {file.name} · {formatBytes(file.bytes, lang)}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <p
        class={total !== null && total > UPLOAD_LIMIT_BYTES ? 'warning-text' : 'muted'}
        data-testid="export-total"
        data-bytes={total ?? ''}
      >
        {total === null ? t.exportPreparing : fill(t.exportTotal, { size: formatBytes(total, lang) }, lang)}
        {total !== null && total > UPLOAD_LIMIT_BYTES ? ` ${t.exportTooLarge}` : ''}
      </p>
      <p role="status" class={status?.error ? 'error-text' : 'muted'} data-testid="export-status">
        {status?.text ?? ''}
      </p>
      {printing ? <PrintView html={printing} lang={lang} onClose={() => setPrinting(null)} /> : null}
    </section>
  );
}
