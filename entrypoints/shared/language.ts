/**
 * The UI language of every extension page: the stored choice (entrypoints/shared/settings.ts),
 * else the browser's UI language (lib/i18n/ui.ts resolveLang). A choice made on any page is
 * stored and followed by the others as it changes.
 */
import { useEffect, useState } from 'preact/hooks';
import { extensionApi as browser } from './extension-api';
import { type Lang, resolveLang } from '@/lib/i18n/ui';
import { loadSettings, saveSetting, watchSettings } from './settings';

/** The browser's UI language ("de", "en-US", …). */
export function browserLanguage(): string {
  try {
    return browser.i18n.getUILanguage();
  } catch {
    return navigator.language;
  }
}

/** [language, choose]: `choose` stores the choice; `initial` wins until the user chooses (a URL parameter). */
export function useUiLang(initial?: Lang | null): [Lang, (lang: Lang) => void] {
  const [lang, setLang] = useState<Lang>(() => initial ?? resolveLang(null, browserLanguage()));
  useEffect(() => {
    if (initial) return;
    void loadSettings().then((s) => setLang(resolveLang(s.language, browserLanguage())));
    return watchSettings((s) => setLang(resolveLang(s.language, browserLanguage())));
  }, []);
  const choose = (next: Lang) => {
    setLang(next);
    void saveSetting('language', next);
  };
  return [lang, choose];
}
