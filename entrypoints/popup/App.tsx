/**
 * Popup: renders the report of one tab. `?tabId=N` selects the tab (tests, deep links); without
 * it the active tab of the current window is shown. Order: the traffic light and its top reasons,
 * then collapsed sections — who receives data (by company), the legal pages, the consent banner,
 * the raw counts, the cookies — so verdict, reasons and every section header fit the 600 px the
 * browser gives a popup (Chrome cuts popups at 800 × 600: https://developer.chrome.com/docs/extensions/reference/api/action#popup).
 */
import { useCallback, useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { extensionApi as browser } from '../shared/extension-api';
import { consentLabel, messages } from '@/lib/i18n/ui';
import { fill } from '@/lib/i18n/plural';
import { ask } from '../shared/ask';
import { askVisit, takeFirstVisit, type VisitReply } from '../shared/first-visit';
import { useUiLang } from '../shared/language';
import { CookiesView, CountsView } from '@/components/VisitView';
import { CompanyView } from '@/components/CompanyView';
import { ChecksView, ConsentView, legalHint } from '@/components/ChecksView';
import { VerdictView } from '@/components/VerdictView';
import { Section } from '@/components/Section';

const REFRESH_MS = 1000;

export function App() {
  // The stored language (options page), else the browser's; a choice here is stored too.
  const [lang, setLang] = useUiLang();
  const [tabId, setTabId] = useState<number | null | undefined>(undefined);
  const [state, setState] = useState<VisitReply | null | undefined>(undefined);

  // A layout effect, not an effect: Preact runs effects only after the next frame is painted
  // (https://preactjs.com/guide/v10/hooks/#useeffect), which would hold the first answer back
  // by up to a frame; a layout effect subscribes during the first commit.
  useLayoutEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let first = true;
    const load = async () => {
      // The first answer was asked for by the popup's head script (entrypoints/popup-ask.ts).
      const { tabId: id, response } = await (first ? takeFirstVisit() : askVisit(false));
      first = false;
      if (cancelled) return;
      setTabId(id);
      if (id === null) return setState(null);
      setState(response?.type === 'visit' ? response : null);
      // The page may still be loading: keep the numbers live while the popup is open.
      // After the first (partial) answer, the full one right after the verdict's first frame.
      if (response?.type === 'visit' && response.partial)
        requestAnimationFrame(() => {
          if (!cancelled) timer = setTimeout(() => void load(), 0);
        });
      else timer = setTimeout(() => void load(), REFRESH_MS);
    };
    void load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // The verdict is in the DOM (a layout effect runs right after the commit, before the next frame).
  useLayoutEffect(() => {
    if (state?.report && performance.getEntriesByName('dsa-rendered').length === 0) performance.mark('dsa-rendered');
  }, [state]);

  const setAuthority = useCallback(
    async (value: boolean | null) => {
      if (tabId === null || tabId === undefined) return;
      const response = await ask({ type: 'set-authority', tabId, value });
      if (response?.type === 'visit') setState(response);
    },
    [tabId],
  );

  const t = messages[lang];
  const visit = state?.visit ?? null;
  // The first answer has the verdict and the section hints; the sections' lists come with the next.
  const full = !state?.partial;

  const openHistory = async (withExport: boolean) => {
    if (!visit) return;
    if (withExport && tabId !== null && tabId !== undefined) {
      // The export includes a screenshot of what the user sees now (issue "history and export");
      // it goes to the history page through storage.session, never anywhere else.
      try {
        const tab = await browser.tabs.get(tabId);
        // JPEG at quality 80: about a tenth of the PNG, so the export fits upload forms (lib/export/package.ts).
        const dataUrl = await browser.tabs.captureVisibleTab(tab.windowId, { format: 'jpeg', quality: 80 });
        await browser.storage.session.set({
          pendingScreenshot: { site: visit.site, url: visit.url, dataUrl, takenAt: new Date().toISOString() },
        });
      } catch {
        // No screenshot (e.g. the tab is not visible): the export works without it.
      }
    }
    const query = new URLSearchParams({ site: visit.site, ...(withExport ? { export: '1' } : {}) });
    await browser.tabs.create({ url: browser.runtime.getURL(`/sites.html?${query.toString()}` as '/') });
  };
  return (
    <main>
      <header class="popup-header">
        <h1>{t.appName}</h1>
        <div class="header-tools">
          {/* Every setting is on the options page (entrypoints/options/). */}
          <button
            type="button"
            class="gear"
            aria-label={t.settings}
            title={t.settings}
            data-testid="open-options"
            onClick={() => void browser.runtime.openOptionsPage()}
          >
            ⚙
          </button>
        </div>
      </header>
      {state === undefined ? null : !visit ? (
        <p data-testid="no-visit">{t.noVisit}</p>
      ) : (
        <>
          {state?.report ? (
            <VerdictView report={state.report} lang={lang} onAuthorityChange={(v) => void setAuthority(v)} />
          ) : null}
          {state?.report ? (
            <Section
              id="recipients"
              title={t.companies}
              hint={fill(t.companiesShort, { n: state.report.thirdParties.companies }, lang)}
            >
              {full ? <CompanyView report={state.report} lang={lang} dataMissing={state.dataIncomplete} /> : null}
            </Section>
          ) : null}
          <Section id="legal" title={t.sectionLegal} hint={legalHint(state?.checks ?? null, lang)}>
            <ChecksView checks={state?.checks ?? null} lang={lang} />
          </Section>
          <Section
            id="consent"
            title={t.consentBanner}
            hint={state?.report?.consent ? consentLabel(state.report.consent, lang) : t.checksPending}
          >
            <ConsentView consent={state?.report?.consent ?? null} lang={lang} />
          </Section>
          <Section
            id="counts"
            title={t.sectionCounts}
            hint={`${visit.requests.total} · ${visit.requests.thirdParty} ${t.thirdParty}`}
          >
            {full ? <CountsView visit={visit} lang={lang} /> : null}
          </Section>
          <Section id="cookies" title={t.cookies} hint={String(visit.cookies.length)}>
            {full ? <CookiesView visit={visit} lang={lang} /> : null}
          </Section>
          <p class="actions">
            <button type="button" data-testid="open-history" onClick={() => void openHistory(false)}>
              {t.openHistory}
            </button>{' '}
            <button type="button" data-testid="open-export" onClick={() => void openHistory(true)}>
              {t.openExport}
            </button>
          </p>
        </>
      )}
      <footer>
        <span>
          {t.disclaimer}{' '}
          <a href={browser.runtime.getURL('/about.html')} target="_blank" rel="noreferrer" data-testid="about-link">
            {t.about}
          </a>
        </span>
        <label>
          {t.language}{' '}
          <select
            value={lang}
            onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value === 'de' ? 'de' : 'en')}
            data-testid="lang"
          >
            <option value="de">Deutsch</option>
            <option value="en">English</option>
          </select>
        </label>
      </footer>
    </main>
  );
}
