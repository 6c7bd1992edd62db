/**
 * Background: wiring only. Constructs the hubs (tally, page checks, consent, verdicts) and
 * registers every listener. No rules live here (lib/), no handlers either (the modules beside).
 *
 * MV3 rule: every listener is registered synchronously in main(), so that Chrome can wake the
 * stopped service worker for an event and deliver it (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/events).
 */
import { browser } from 'wxt/browser';
import { TallyHub } from '@/lib/tally/hub';
import { hostAndPath } from '@/lib/parties/classify';
import type { Partitioning } from '@/lib/tally/cookies';
import {
  IS_FIREFOX,
  browserInfo,
  cookiePartitioning,
  countDiagnostic,
  recordDiagnostic,
  sessionStore,
} from './platform';
import { startDataLoading } from './data';
import { PageCheckHub } from './page-checks';
import { ConsentHub } from './consent';
import { VerdictHub } from './verdict-hub';
import { createRouter } from './router';
import { pruneHistory } from './history';
import { startReconciler } from './reconcile';
import { watchSoftNavigations } from './soft-navigation';
import { startRequestRows } from './request-rows';
import { type Guard, watchWebRequests } from './web-request';
import { resolveLang } from '@/lib/i18n/ui';
import { DEFAULT_SETTINGS, loadSettings, watchSettings } from '../shared/settings';

export default defineBackground(() => {
  const startedAt = Date.now();
  const data = startDataLoading(recordDiagnostic);
  let settings = DEFAULT_SETTINGS;
  const settingsLoaded = loadSettings().then((s) => (settings = s));
  // The UI language: the stored choice, else the browser's (lib/i18n/ui.ts resolveLang).
  const browserLanguage = browser.i18n.getUILanguage();
  watchSettings((s) => {
    const languageChanged = s.language !== settings.language;
    settings = s;
    if (languageChanged) verdicts.languageChanged();
  });

  const hub = new TallyHub({
    waitFor: data.trackersLoaded,
    // Self-hosted tools (Matomo at /matomo.js …) are only visible in the path of a request.
    annotate: (event) => {
      if (event.kind !== 'request') return event;
      const hp = hostAndPath(event.url);
      const tool = hp ? data.classifier.classifyPath(hp.host, hp.pathname)?.serviceId : null;
      return tool ? { ...event, tool } : event;
    },
    store: sessionStore,
    onError: (where, error) => recordDiagnostic(where, error),
    // Cookie changes no visit of ours asked for within 2 s (lib/tally/cookie-wait.ts): counted, not errors.
    onCookiesExpired: (n) => countDiagnostic('cookieChangesUnmatched', n),
    onVisitChanged: (tabId, visit) => verdicts.visitChanged(tabId, visit),
  });
  const pageChecks = new PageCheckHub(recordDiagnostic, (tabId) => verdicts.schedule(tabId));
  const consent = new ConsentHub(recordDiagnostic, (tabId) => verdicts.schedule(tabId));
  const verdicts = new VerdictHub({
    visitOf: (tabId) => hub.visit(tabId),
    pageChecks,
    consent,
    data,
    settings: () => settings,
    lang: () => resolveLang(settings.language, browserLanguage),
    // Reports say which browser measured them (tool.browser).
    measuringBrowser: browserInfo().catch((error: unknown) => {
      recordDiagnostic('browserInfo', error);
      return undefined;
    }),
    onError: recordDiagnostic,
  });
  // Visits active when an earlier worker was stopped are completed from their page (reconcile.ts).
  const reconciler = startReconciler(hub, recordDiagnostic);
  // Per-request rows for the evidence package's HAR (request-rows.ts).
  const rows = startRequestRows((tabId) => hub.visit(tabId), recordDiagnostic);
  // Which cookies this browser partitions (platform.ts): the header's cookie gets the jar's identity.
  let partitioning: Partitioning = IS_FIREFOX ? 'total-cookie-protection' : 'chips';
  void cookiePartitioning().then((p) => (partitioning = p));

  // Listeners stay tiny: observe, hand the event to a hub, return.
  const guard: Guard =
    (where, fn) =>
    (...args) => {
      try {
        fn(...args);
      } catch (error) {
        recordDiagnostic(where, error);
      }
      return undefined;
    };
  watchWebRequests(hub, rows, () => partitioning, guard);
  // Single-page apps: a page opened inside the app is a visit of its own (soft-navigation.ts).
  watchSoftNavigations(hub, guard);
  browser.cookies.onChanged.addListener(
    guard('cookies.onChanged', (change) => {
      hub.dispatch({ kind: 'cookie-changed', cookie: change.cookie, removed: change.removed, timeStamp: Date.now() });
    }),
  );
  browser.tabs.onRemoved.addListener(
    guard('tabs.onRemoved', (tabId) => {
      rows.forget(tabId);
      hub.dispatch({ kind: 'tab-removed', tabId });
      pageChecks.forget(tabId);
      consent.forget(tabId);
      verdicts.forget(tabId);
    }),
  );
  browser.runtime.onMessage.addListener(
    createRouter({
      startedAt,
      hub,
      reconciler,
      pageChecks,
      consent,
      verdicts,
      data,
      settings: () => settings,
      settingsLoaded,
      onError: recordDiagnostic,
    }),
  );

  // The first-run page, once per installation: not on updates, browser starts or worker restarts.
  browser.runtime.onInstalled.addListener(
    guard('runtime.onInstalled', ({ reason }) => {
      if (reason === 'install')
        void browser.tabs
          .create({ url: browser.runtime.getURL('/welcome.html') })
          .catch((error: unknown) => recordDiagnostic('welcome', error));
    }),
  );

  void pruneHistory(recordDiagnostic);
  // Visits of tabs closed while the worker was stopped are dropped once the state is back.
  void hub.whenReady().then(async () => {
    const tabs = await browser.tabs.query({});
    hub.retainTabs(new Set(tabs.map((t) => t.id).filter((id): id is number => id !== undefined)));
  });

  // Tests wait for this before navigating (listeners are registered by now; see
  // ../shared/notes/browser-testing.md: a navigation right after launch can otherwise be missed).
  (globalThis as { dsaReadyAt?: number }).dsaReadyAt = startedAt;
});
