/**
 * Per-site exports through lib/export: the complaint summary as Markdown and as printable HTML,
 * and the hashed JSON evidence bundle. The user's own statement is passed as `userStatement`
 * (printed apart, certainty 'user-reported'). A screenshot the popup took (storage.session
 * `pendingScreenshot`, same site) can be attached. Files are downloaded via Blob + <a download>.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { HistoryRecord } from '@/lib/history/schema';
import { openHistoryStore } from '@/lib/history/store';
import type { Lang } from '@/lib/i18n/ui';
import { fill, formatDateTime, historyMessages } from '@/lib/i18n/history';
import { dateStamp, downloadText, fileSafe } from './download';

type Kind = 'md' | 'html' | 'json';
interface Screenshot {
  site: string;
  dataUrl: string;
  takenAt: string;
}

function toolVersion(): string {
  try {
    return browser.runtime.getManifest().version;
  } catch {
    return '0.0.0';
  }
}

/**
 * The imprint / privacy texts stored for the newest visit (HistoryStore.snapshotsFor: the texts
 * current when it was analysed). Any failure means an export without texts, never no export.
 */
async function legalTexts(report: HistoryRecord['report'] | undefined): Promise<{ imprintText: string | null; privacyText: string | null }> {
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

/**
 * A screenshot is a few hundred kB of storage.session's 10 MB: it is removed once an export used
 * it (the page keeps it for further exports) and ignored and removed when older than this.
 */
const SCREENSHOT_TTL_MS = 30 * 60_000;

const dropScreenshot = () => browser.storage.session.remove('pendingScreenshot').catch(() => undefined);

async function pendingScreenshot(site: string): Promise<Screenshot | null> {
  try {
    const { pendingScreenshot: shot } = (await browser.storage.session.get('pendingScreenshot')) as { pendingScreenshot?: Partial<Screenshot> };
    if (!shot) return null;
    const takenAt = typeof shot.takenAt === 'string' ? Date.parse(shot.takenAt) : NaN;
    if (!(Date.now() - takenAt < SCREENSHOT_TTL_MS)) {
      await dropScreenshot();
      return null;
    }
    if (shot.site === site && typeof shot.dataUrl === 'string' && /^data:image\/(png|jpeg);base64,/.test(shot.dataUrl) && typeof shot.takenAt === 'string')
      return { site, dataUrl: shot.dataUrl, takenAt: shot.takenAt };
  } catch {
    // storage.session missing (older Firefox) or not allowed here: export without a screenshot.
  }
  return null;
}

export function ExportPanel({ site, visits, lang, focus }: { site: string; visits: HistoryRecord[]; lang: Lang; focus: boolean }) {
  const t = historyMessages[lang];
  const [statement, setStatement] = useState('');
  const [shot, setShot] = useState<Screenshot | null>(null);
  const [withShot, setWithShot] = useState(true);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const section = useRef<HTMLElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    void pendingScreenshot(site).then(setShot);
  }, [site]);

  useEffect(() => {
    if (!focus) return;
    section.current?.scrollIntoView({ block: 'start' });
    textarea.current?.focus({ preventScroll: true });
  }, [focus]);

  const run = async (kind: Kind) => {
    if (busy) return;
    setBusy(true);
    try {
      const now = Date.now();
      const texts = await legalTexts(visits[0]?.report);
      const input = {
        site,
        // The newest 50 visits (the bundle keeps at most 50 anyway).
        reports: visits.slice(0, 50).map((v) => v.report),
        ...texts,
        lang,
        toolVersion: toolVersion(),
        now,
        userStatement: statement.trim() || undefined,
        screenshot: withShot && shot ? { dataUrl: shot.dataUrl, takenAt: shot.takenAt } : null,
      };
      // Loaded on first use: the renderers and the DPA rules are most of the page's code, and the
      // list should not wait for them.
      const [{ buildEvidenceBundle }, { buildComplaint }, { renderComplaintHtml }, { renderComplaintMarkdown }] = await Promise.all([
        import('@/lib/export/bundle'),
        import('@/lib/export/complaint/build'),
        import('@/lib/export/html'),
        import('@/lib/export/markdown'),
      ]);
      const base = `datenschutz-ampel-${fileSafe(site)}-${dateStamp(now)}`;
      let file: string;
      if (kind === 'json') {
        const bundle = await buildEvidenceBundle(input);
        file = `${base}-evidence.json`;
        downloadText(file, JSON.stringify(bundle, null, 2), 'application/json');
      } else {
        const complaint = buildComplaint(input);
        file = `${base}.${kind}`;
        if (kind === 'md') downloadText(file, renderComplaintMarkdown(complaint), 'text/markdown;charset=utf-8');
        else downloadText(file, renderComplaintHtml(complaint), 'text/html;charset=utf-8');
      }
      if (input.screenshot) await dropScreenshot();
      performance.mark('dsa-history-exported');
      setStatus({ text: fill(t.exported, { file }) });
    } catch {
      setStatus({ text: t.exportFailed, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="export" aria-labelledby="export-title" ref={section} data-testid="export">
      <h2 id="export-title">{t.exportTitle}</h2>
      <p class="note">{t.exportHelp}</p>
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
          <input type="checkbox" checked={withShot} data-testid="with-screenshot" onChange={(e) => setWithShot((e.currentTarget as HTMLInputElement).checked)} />{' '}
          {fill(t.includeScreenshot, { at: formatDateTime(Date.parse(shot.takenAt), lang) })}
          <img src={shot.dataUrl} alt="" class="shot-thumb" />
        </label>
      ) : null}
      <p class="actions">
        <button type="button" data-testid="export-md" disabled={busy || !visits.length} onClick={() => void run('md')}>
          {t.exportMarkdown}
        </button>{' '}
        <button type="button" data-testid="export-html" disabled={busy || !visits.length} onClick={() => void run('html')}>
          {t.exportHtml}
        </button>{' '}
        <button type="button" data-testid="export-json" disabled={busy || !visits.length} onClick={() => void run('json')}>
          {t.exportJson}
        </button>
      </p>
      <p role="status" class={status?.error ? 'error-text' : 'muted'} data-testid="export-status">
        {status?.text ?? ''}
      </p>
    </section>
  );
}
