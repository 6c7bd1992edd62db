/**
 * Retention and pause of the history. They live in the history database (lib/history/schema.ts
 * HistorySettings), where the background applies them when it records and prunes; a failed write
 * (a full disk) is shown with the store's own message and changes nothing.
 */
import { useEffect, useState } from 'preact/hooks';
import { type HistorySettings as Stored, type HistoryError, MAX_RETENTION_DAYS } from '@/lib/history/schema';
import { openHistoryStore } from '@/lib/history/store';
import { toHistoryError } from '@/lib/history/schema';
import { historyMessages } from '@/lib/i18n/history';
import type { Lang } from '@/lib/i18n/ui';

export function HistorySettings({ lang }: { lang: Lang }) {
  const t = historyMessages[lang];
  const [settings, setSettings] = useState<Stored | null>(null);
  const [days, setDays] = useState('');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<HistoryError | null>(null);

  const withStore = async <T,>(fn: (store: Awaited<ReturnType<typeof openHistoryStore>>) => Promise<T>) => {
    const store = await openHistoryStore(indexedDB);
    try {
      return await fn(store);
    } finally {
      store.close();
    }
  };

  useEffect(() => {
    withStore((s) => s.settings()).then(
      (s) => {
        setSettings(s);
        setDays(String(s.retentionDays));
      },
      (e: unknown) => setError(toHistoryError(e)),
    );
  }, []);

  const save = async (patch: Partial<Stored>) => {
    try {
      const next = await withStore(async (store) => {
        const saved = await store.setSettings(patch);
        if (patch.retentionDays !== undefined) await store.prune();
        return saved;
      });
      setSettings(next);
      setDays(String(next.retentionDays));
      setError(null);
      setStatus(t.saved);
    } catch (e) {
      setStatus('');
      setError(toHistoryError(e));
    }
  };

  return (
    <>
      {error ? (
        <div role="alert" class="error" data-testid="history-error" data-kind={error.kind}>
          <strong>{t.errorTitle}</strong> {error.messages[lang]}
        </div>
      ) : null}
      {settings ? (
        <>
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              void save({ retentionDays: Number(days) });
            }}
          >
            <label for="retention">{t.retention}</label>
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
            />
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
            />
            <span>{t.pause}</span>
          </label>
          {settings.paused ? (
            <p class="muted" data-testid="paused-note">
              {t.paused}
            </p>
          ) : null}
          <p role="status" class="muted" data-testid="settings-status">
            {status}
          </p>
        </>
      ) : null}
    </>
  );
}
