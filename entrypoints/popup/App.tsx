/**
 * Popup: renders the visit of one tab. `?tabId=N` selects the tab (tests, deep links); without it
 * the active tab of the current window is shown.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { type Lang, messages, pickLang } from '@/lib/i18n';
import type { BackgroundResponse } from '@/lib/messages';
import type { Visit } from '@/lib/tally';
import { VisitView } from '@/components/VisitView';
import { CompanyView } from '@/components/CompanyView';
import { ChecksView } from '@/components/ChecksView';
import type { PageChecks } from '@/lib/page-checks';
import type { PartySummary } from '@/lib/parties';

async function resolveTabId(): Promise<number | null> {
  const fromQuery = new URLSearchParams(location.search).get('tabId');
  if (fromQuery !== null && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

const REFRESH_MS = 1000;

export function App() {
  const [lang, setLang] = useState<Lang>(() => pickLang(navigator.languages));
  const [visit, setVisit] = useState<Visit | null | undefined>(undefined);
  const [parties, setParties] = useState<PartySummary | null>(null);
  const [dataIncomplete, setDataIncomplete] = useState(false);
  const [checks, setChecks] = useState<PageChecks | null>(null);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const tabId = await resolveTabId();
      if (tabId === null) return setVisit(null);
      const response = (await browser.runtime.sendMessage({ type: 'get-visit', tabId })) as BackgroundResponse | undefined;
      if (cancelled) return;
      setVisit(response?.type === 'visit' ? response.visit : null);
      setParties(response?.type === 'visit' ? response.parties : null);
      setDataIncomplete(response?.type === 'visit' && response.dataIncomplete);
      setChecks(response?.type === 'visit' ? response.checks : null);
      // The page may still be loading: keep the numbers live while the popup is open.
      timer = setTimeout(() => void load(), REFRESH_MS);
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

  const t = messages[lang];
  return (
    <main>
      <h1>{t.appName}</h1>
      {visit === undefined ? null : visit === null ? <p data-testid="no-visit">{t.noVisit}</p> : (
        <>
          {parties ? <CompanyView parties={parties} lang={lang} dataMissing={dataIncomplete} /> : null}
          <ChecksView checks={checks} lang={lang} />
          <VisitView visit={visit} lang={lang} />
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
          <select value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)} data-testid="lang">
            <option value="de">Deutsch</option>
            <option value="en">English</option>
          </select>
        </label>
      </footer>
    </main>
  );
}
