/**
 * The options page (manifest `options_ui`, opened in a tab): every setting in one place —
 * language, the legal-page fetches (entrypoints/shared/settings.ts, storage.local) and the
 * history's retention and pause (its database). The popup's gear opens it
 * (`runtime.openOptionsPage`); the history page links to it.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { type Lang, resolveLang } from '@/lib/i18n/ui';
import { fill } from '@/lib/i18n/plural';
import { optionsMessages } from '@/lib/i18n/options';
import { browserLanguage, useUiLang } from '../shared/language';
import { type Settings, loadSettings, saveSetting, watchSettings } from '../shared/settings';
import { HistorySettings } from './HistorySettings';

const LANGUAGE_NAMES: Record<Lang, string> = { de: 'Deutsch', en: 'English' };

/** The fetch setting as a checkbox, shared with the first-run page. */
export function FetchSetting({ lang }: { lang: Lang }) {
  const t = optionsMessages[lang];
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    void loadSettings().then(setSettings);
    return watchSettings(setSettings);
  }, []);
  if (!settings) return null;
  return (
    <>
      <label class="setting">
        <input
          type="checkbox"
          checked={settings.fetchLegalPages}
          data-testid="setting-fetch"
          aria-describedby="fetch-help"
          onChange={(e) => void saveSetting('fetchLegalPages', (e.currentTarget as HTMLInputElement).checked)}
        />
        <span>{t.fetchLegalPages}</span>
      </label>
      <p id="fetch-help" class="help">
        {t.fetchLegalPagesHelp}
      </p>
    </>
  );
}

export function Options() {
  const [lang, chooseLang] = useUiLang();
  const [stored, setStored] = useState<Lang | null | undefined>(undefined);
  const t = optionsMessages[lang];
  useEffect(() => {
    void loadSettings().then((s) => setStored(s.language));
    return watchSettings((s) => setStored(s.language));
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.pageTitle;
  }, [lang]);
  const auto = resolveLang(null, browserLanguage());

  return (
    <main data-testid="options">
      <h1>{t.title}</h1>
      <section aria-labelledby="language-title">
        <h2 id="language-title">{t.language}</h2>
        <div class="row">
          <label for="language">{t.language}</label>
          <select
            id="language"
            data-testid="options-lang"
            value={stored ?? ''}
            onChange={(e) => {
              const value = (e.currentTarget as HTMLSelectElement).value;
              if (value === 'de' || value === 'en') chooseLang(value);
              else void saveSetting('language', null);
            }}
          >
            <option value="">{fill(t.languageAuto, { lang: LANGUAGE_NAMES[auto] }, lang)}</option>
            <option value="de">{LANGUAGE_NAMES.de}</option>
            <option value="en">{LANGUAGE_NAMES.en}</option>
          </select>
        </div>
      </section>
      <section aria-labelledby="network-title">
        <h2 id="network-title">{t.network}</h2>
        <FetchSetting lang={lang} />
      </section>
      <section aria-labelledby="history-title" data-testid="settings">
        <h2 id="history-title">{t.history}</h2>
        <HistorySettings lang={lang} />
        <p class="help">
          {t.historyHelp}{' '}
          <a href={browser.runtime.getURL('/sites.html')} data-testid="options-history-link">
            {t.openHistory}
          </a>
        </p>
      </section>
    </main>
  );
}
