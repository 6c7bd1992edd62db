/**
 * The first-run page, opened once by the background on `runtime.onInstalled` with reason
 * `install` (never on updates or browser starts): what the extension does, what stays local, and
 * the one setting that makes network requests, with its switch right here.
 */
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { optionsMessages } from '@/lib/i18n/options';
import { useUiLang } from '../shared/language';
import { FetchSetting } from '../options/Options';

export function Welcome() {
  const [lang] = useUiLang();
  const t = optionsMessages[lang];
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.welcomeTitle;
  }, [lang]);
  return (
    <main data-testid="welcome">
      <h1>
        <span class="lamps" aria-hidden="true">
          <span class="r" />
          <span class="y" />
          <span class="g" />
        </span>
        {t.welcomeTitle}
      </h1>
      <section>
        <p>{t.welcomeIntro}</p>
        <p>{t.welcomeLocal}</p>
        <p class="muted">{t.welcomeAdvice}</p>
      </section>
      <section>
        <p>{t.welcomeFetch}</p>
        <FetchSetting lang={lang} />
      </section>
      <p>
        <button type="button" data-testid="welcome-options" onClick={() => void browser.runtime.openOptionsPage()}>
          {t.openOptions}
        </button>
      </p>
    </main>
  );
}
