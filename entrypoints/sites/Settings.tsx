/**
 * History settings: retention, pause, export and import of the whole history, delete everything.
 * Import: the store validates the whole file first and either refuses with a {de,en} message
 * (nothing changed) or merges; both outcomes are shown.
 */
import { useEffect, useState } from 'preact/hooks';
import { type HistorySettings, type HistoryStore, MAX_RETENTION_DAYS } from '@/lib/history/schema';
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
  const [settings, setSettings] = useState<HistorySettings | null>(null);
  const [days, setDays] = useState('');
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [importStatus, setImportStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    store.settings().then(
      (s) => {
        setSettings(s);
        setDays(String(s.retentionDays));
      },
      (e: unknown) => onError(e),
    );
  }, [store]);

  const save = async (patch: Partial<HistorySettings>) => {
    try {
      const next = await store.setSettings(patch);
      setSettings(next);
      setDays(String(next.retentionDays));
      setStatus({ text: t.saved });
      if (patch.retentionDays !== undefined) {
        await store.prune();
        onChanged();
      }
    } catch (e) {
      onError(e);
    }
  };

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
    const result = await store.importAll(text);
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
      {settings ? (
        <>
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              void save({ retentionDays: Number(days) });
            }}
          >
            <label for="retention">{t.retention}</label>{' '}
            <input
              id="retention"
              type="number"
              min={1}
              max={MAX_RETENTION_DAYS}
              step={1}
              required
              value={days}
              data-testid="retention"
              onInput={(e) => setDays((e.currentTarget as HTMLInputElement).value)}
            />{' '}
            <button type="submit" data-testid="save-retention">
              {t.save}
            </button>
          </form>
          <label class="setting">
            <input
              type="checkbox"
              checked={settings.paused}
              data-testid="pause"
              onChange={(e) => void save({ paused: (e.currentTarget as HTMLInputElement).checked })}
            />{' '}
            {t.pause}
          </label>
          {settings.paused ? (
            <p class="note" data-testid="paused-note">
              {t.paused}
            </p>
          ) : null}
          <p role="status" class="muted" data-testid="settings-status">
            {status?.text ?? ''}
          </p>
        </>
      ) : null}
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
