/**
 * The history page: every site with its latest verdict, filters and search over a
 * virtualised list, a site's timeline (`sites.html?site=<site>`, with `&export=1` the export
 * panel gets focus), exports and settings.
 *
 * Reads the history database directly (lib/history/store.ts; extension pages share the
 * background's origin), no background messages. Storage faults (HistoryError kinds) are shown
 * as a message and the page stays usable. Everything from pages is rendered as text: Preact
 * escapes it; nothing here sets innerHTML.
 *
 * Performance marks for tests/bench/history-bench.ts: 'dsa-history-loaded' (the store's site
 * summaries are in), 'dsa-history-rendered' (first list render with data), 'dsa-history-filtered' (each render after a filter change), and
 * 'dsa-history-exported' (ExportPanel, after a download was started).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  type HistoryRecord,
  type HistoryStore,
  type Listing,
  type SiteSummary,
  HistoryError,
  toHistoryError,
} from '@/lib/history/schema';
import { openHistoryStore } from '@/lib/history/store';
import type { Lang } from '@/lib/i18n/ui';
import { useUiLang } from '../shared/language';
import { verdictIcon, fill, historyMessages, verdictWord } from '@/lib/i18n/history';
import { deleteRequestRows } from './evidence';
import { Settings } from './Settings';
import { SiteList } from './SiteList';
import { Timeline } from './Timeline';
import { saveObservations } from './observations';

type Filter = { verdict: string; authority: string; kind: string; query: string };
const NO_FILTER: Filter = { verdict: '', authority: '', kind: '', query: '' };

function params() {
  const p = new URLSearchParams(location.search);
  const lang = p.get('lang');
  return {
    site: p.get('site'),
    exportFocus: p.get('export') === '1',
    lang: lang === 'de' || lang === 'en' ? (lang as Lang) : null,
  };
}

function ErrorBanner({ error, lang, onRetry }: { error: HistoryError; lang: Lang; onRetry: () => void }) {
  const t = historyMessages[lang];
  return (
    <div role="alert" class="error-banner" data-testid="history-error" data-kind={error.kind}>
      <strong>{t.errorTitle}</strong>
      <p>{error.messages[lang]}</p>
      {error.kind === 'blocked' ? <p>{t.blockedHint}</p> : null}
      <button type="button" data-testid="retry" onClick={onRetry}>
        {t.retry}
      </button>
    </div>
  );
}

function Overview({ listing, lang }: { listing: Listing<SiteSummary>; lang: Lang }) {
  const t = historyMessages[lang];
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const firstRender = useRef(true);

  const filtered = useMemo(() => {
    const q = filter.query.trim().toLowerCase();
    return listing.items.filter(
      (s) =>
        (!filter.verdict || s.verdict === filter.verdict) &&
        (!filter.authority || String(s.isAuthority) === filter.authority) &&
        (!filter.kind || s.pageKind === filter.kind) &&
        (!q || s.site.toLowerCase().includes(q) || s.title.toLowerCase().includes(q)),
    );
  }, [listing, filter]);

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      if (performance.getEntriesByName('dsa-history-rendered').length === 0) performance.mark('dsa-history-rendered');
    } else performance.mark('dsa-history-filtered');
  }, [filtered]);

  const set = (key: keyof Filter) => (e: Event) =>
    setFilter((f) => ({ ...f, [key]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value }));

  if (!listing.items.length) {
    return (
      <p class="empty" data-testid="empty">
        {t.empty}
      </p>
    );
  }
  return (
    <section aria-labelledby="sites-title">
      <h2 id="sites-title" class="sr-only">
        {t.listLabel}
      </h2>
      <fieldset class="filters" data-testid="filters">
        <legend>{t.filters}</legend>
        <label>
          {t.search}{' '}
          <input type="search" value={filter.query} onInput={set('query')} data-testid="search" autocomplete="off" />
        </label>
        <label>
          {t.verdict}{' '}
          <select value={filter.verdict} onChange={set('verdict')} data-testid="filter-verdict">
            <option value="">{t.all}</option>
            {['red', 'yellow', 'green', 'grey'].map((v) => (
              <option key={v} value={v}>
                {verdictIcon(v)} {verdictWord(v, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.authority}{' '}
          <select value={filter.authority} onChange={set('authority')} data-testid="filter-authority">
            <option value="">{t.all}</option>
            <option value="true">{t.yes}</option>
            <option value="false">{t.no}</option>
          </select>
        </label>
        <label>
          {t.pageKind}{' '}
          <select value={filter.kind} onChange={set('kind')} data-testid="filter-kind">
            <option value="">{t.all}</option>
            <option value="website">{t.kindWebsite}</option>
            <option value="social-profile">{t.kindSocial}</option>
            <option value="link-in-bio">{t.kindLinkInBio}</option>
          </select>
        </label>
      </fieldset>
      <p
        role="status"
        aria-live="polite"
        class="muted"
        data-testid="site-count"
        data-shown={filtered.length}
        data-total={listing.items.length}
      >
        {fill(t.sitesCount, { shown: filtered.length, total: listing.items.length }, lang)}
      </p>
      {filtered.length ? (
        <SiteList sites={filtered} lang={lang} />
      ) : (
        <p class="empty" data-testid="no-match">
          {t.noMatch}
        </p>
      )}
    </section>
  );
}

export function History() {
  const initial = useMemo(params, []);
  // ?lang= wins (links, tests); else the stored language (options page), else the browser's.
  const [lang, setLang] = useUiLang(initial.lang);
  const [store, setStore] = useState<HistoryStore | null>(null);
  const [error, setError] = useState<HistoryError | null>(null);
  const [sites, setSites] = useState<Listing<SiteSummary> | null>(null);
  const [visits, setVisits] = useState<Listing<HistoryRecord> | null>(null);
  const [notice, setNotice] = useState('');
  const t = historyMessages[lang];
  const site = initial.site;

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = site ? `${site} – ${t.pageTitle}` : t.pageTitle;
  }, [lang, site]);

  const fail = useCallback((e: unknown) => setError(e instanceof HistoryError ? e : toHistoryError(e)), []);

  // Only the newest open request counts: "Try again" while an earlier request still waits (a
  // blocked upgrade) must not let the older one win later, or close the store the page reads from.
  const generation = useRef(0);
  const open = useCallback(() => {
    const mine = ++generation.current;
    setError(null);
    openHistoryStore(indexedDB, {
      // Waiting for another tab to close its connection: say so at once, not only after the timeout.
      onBlocked: () => {
        if (mine === generation.current)
          setError(
            new HistoryError('blocked', {
              de: historyMessages.de.blockedWaiting,
              en: historyMessages.en.blockedWaiting,
            }),
          );
      },
    }).then(
      (s) => {
        if (mine !== generation.current) {
          s.close();
          return;
        }
        setError(null);
        setStore((old) => {
          old?.close();
          return s;
        });
      },
      (e: unknown) => {
        if (mine === generation.current) fail(e);
      },
    );
  }, [fail]);

  useEffect(open, [open]);

  const load = useCallback(async () => {
    if (!store) return;
    try {
      if (site) setVisits(await store.visits(site));
      else {
        const listing = await store.sites();
        if (performance.getEntriesByName('dsa-history-loaded').length === 0) performance.mark('dsa-history-loaded');
        setSites(listing);
      }
      setError(null); // a successful read ends any earlier fault message
    } catch (e) {
      fail(e);
    }
  }, [store, site, fail]);

  useEffect(() => {
    void load();
  }, [load]);

  // New visits are recorded while this tab is in the background: reload when it comes back.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [load]);

  const deleteVisit = async (id: string) => {
    if (!store) return;
    try {
      await store.deleteVisit(id);
      setNotice(t.visitDeleted);
      await load();
    } catch (e) {
      fail(e);
    }
  };

  const deleteSite = async () => {
    if (!store || !site) return;
    try {
      const n = await store.deleteSite(site);
      await deleteRequestRows(site);
      // The site's ticked observations go with its history.
      await saveObservations(site, []).catch(() => undefined);
      setNotice(fill(t.siteDeleted, { n, site }, lang));
      await load();
    } catch (e) {
      fail(e);
    }
  };

  const skipped = (site ? visits : sites)?.skippedCorrupt ?? 0;
  return (
    <main class="history">
      <header class="history-header">
        <h1>Datenschutz-Ampel – {t.title}</h1>
        <label class="lang">
          {t.language}{' '}
          <select
            value={lang}
            data-testid="lang"
            onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value === 'en' ? 'en' : 'de')}
          >
            <option value="de">Deutsch</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      <nav aria-label={t.title}>
        {site ? (
          <a href={`?${new URLSearchParams({ lang }).toString()}`} data-testid="back">
            {t.back}
          </a>
        ) : null}{' '}
        <button type="button" data-testid="refresh" onClick={() => void load()} disabled={!store}>
          {t.refresh}
        </button>
      </nav>
      {error ? <ErrorBanner error={error} lang={lang} onRetry={open} /> : null}
      {skipped ? (
        <p class="note" role="status" data-testid="skipped">
          {fill(t.skipped, { n: skipped }, lang)}
        </p>
      ) : null}
      <p role="status" class="muted" data-testid="notice">
        {notice}
      </p>
      {site ? (
        visits ? (
          <Timeline
            site={site}
            visits={visits.items}
            lang={lang}
            focusExport={initial.exportFocus}
            onDeleteVisit={deleteVisit}
            onDeleteSite={deleteSite}
          />
        ) : !error ? (
          <p aria-busy="true">{t.loading}</p>
        ) : null
      ) : sites ? (
        <Overview listing={sites} lang={lang} />
      ) : !error ? (
        <p aria-busy="true">{t.loading}</p>
      ) : null}
      {store && !site ? <Settings store={store} lang={lang} onChanged={() => void load()} onError={fail} /> : null}
    </main>
  );
}
