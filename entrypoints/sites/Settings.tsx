/**
 * The whole history: export and import, delete everything; retention and pause are on the options
 * page (entrypoints/options/), linked from here.
 * Import: the store validates the whole file first and either refuses with a {de,en} message
 * (nothing changed) or merges; both outcomes are shown.
 */
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { HistoryStore } from '@/lib/history/schema';
import { MAX_IMPORT_CHARS } from '@/lib/history/transfer';
import type { Lang } from '@/lib/i18n/ui';
import { fill, historyMessages } from '@/lib/i18n/history';
import { Confirm } from './Confirm';
import { dateStamp, downloadText } from './download';
import { deleteRequestRows } from './evidence';

export interface SettingsProps {
  store: HistoryStore;
  lang: Lang;
  /** After a change of the data (import, delete all). */
  onChanged: () => void;
  onError: (error: unknown) => void;
}

export function Settings({ store, lang, onChanged, onError }: SettingsProps) {
  const t = historyMessages[lang];
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [importStatus, setImportStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [confirming, setConfirming] = useState(false);

  const exportAll = async () => {
    try {
      downloadText(
        `datenschutz-ampel-history-${dateStamp(Date.now())}.json`,
        await store.exportAll(),
        'application/json',
      );
    } catch (e) {
      onError(e);
    }
  };

  /** One row per site from its newest visit (lib/export/csv.ts historyCsv). */
  const exportCsv = async () => {
    try {
      const [{ historyCsv }, sites] = await Promise.all([import('@/lib/export/csv'), store.sites()]);
      const latest = await Promise.all(
        sites.items.map(async (s) => ({
          site: s.site,
          lastVisit: s.lastVisit,
          report: (await store.visit(s.latestId))?.report ?? null,
        })),
      );
      downloadText(
        `datenschutz-ampel-history-${dateStamp(Date.now())}.csv`,
        historyCsv(latest, lang).text,
        'text/csv;charset=utf-8',
      );
    } catch (e) {
      onError(e);
    }
  };

  const importFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    if (file.size > MAX_IMPORT_CHARS * 4) {
      setImportStatus({ text: t.importTooLarge, error: true });
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      setImportStatus({
        text: lang === 'de' ? 'Die Datei konnte nicht gelesen werden.' : 'The file could not be read.',
        error: true,
      });
      return;
    }
    // importAll never throws by contract; should it all the same, say so instead of showing nothing.
    const result = await store.importAll(text).catch(() => null);
    if (!result) {
      setImportStatus({
        text:
          lang === 'de'
            ? 'Der Import ist fehlgeschlagen. Es wurde nichts importiert.'
            : 'The import failed. Nothing was imported.',
        error: true,
      });
      return;
    }
    if (result.ok) {
      setImportStatus({
        text: fill(
          t.imported,
          {
            added: result.added,
            updated: result.updated,
            unchanged: result.unchanged,
            total: result.total,
          },
          lang,
        ),
      });
      onChanged();
    } else setImportStatus({ text: result.error[lang], error: true });
  };

  return (
    <section class="settings" aria-labelledby="settings-title" data-testid="settings">
      <h2 id="settings-title">{t.settings}</h2>
      <p>
        {t.settingsMoved}{' '}
        <a href={browser.runtime.getURL('/options.html')} data-testid="options-link">
          {t.openOptions}
        </a>
      </p>
      <p role="status" class="muted" data-testid="settings-status">
        {status?.text ?? ''}
      </p>
      <p class="actions">
        <button type="button" data-testid="export-all" onClick={() => void exportAll()}>
          {t.exportAll}
        </button>{' '}
        <button type="button" data-testid="export-history-csv" onClick={() => void exportCsv()}>
          {t.exportHistoryCsv}
        </button>
      </p>
      <p class="row">
        <label for="import-file">{t.importLabel}</label>{' '}
        <input
          id="import-file"
          type="file"
          accept="application/json,.json"
          data-testid="import-file"
          onChange={(e) => void importFile(e.currentTarget as HTMLInputElement)}
        />
      </p>
      <p
        role="status"
        class={importStatus?.error ? 'error-text' : 'muted'}
        data-testid="import-status"
        data-error={importStatus?.error ? 'true' : 'false'}
      >
        {importStatus?.text ?? ''}
      </p>
      <div class="danger-zone">
        {confirming ? (
          <Confirm
            text={t.confirmDeleteAll}
            yes={t.confirmYes}
            no={t.cancel}
            testid="confirm-all"
            onYes={() => {
              setConfirming(false);
              Promise.all([store.clear(), deleteRequestRows(null)]).then(
                () => {
                  setStatus({ text: t.allDeleted });
                  onChanged();
                },
                (e: unknown) => onError(e),
              );
            }}
            onNo={() => setConfirming(false)}
          />
        ) : (
          <button type="button" class="danger" data-testid="delete-all" onClick={() => setConfirming(true)}>
            {t.deleteAll}
          </button>
        )}
      </div>
    </section>
  );
}
