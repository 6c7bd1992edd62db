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
import { IS_FIREFOX, browserInfo, cookiePartitioning, countDiagnostic } from './platform';
import { recordDiagnostic, sessionStore } from './platform';
import { startDataLoading } from './data';
import { PageCheckHub } from './page-checks';
import { ConsentHub } from './consent';
import { VerdictHub } from './verdict-hub';
import { createRouter } from './router';
import { pruneHistory } from './history';
import { startReconciler } from './reconcile';
import { watchSoftNavigations } from './soft-navigation';
import { startRequestRows } from './request-rows';
import { guardWith, watchWebRequests } from './web-request';
import { openFirstRunOnInstall } from './first-run';
import { followSettings } from '../shared/settings';

export default defineBackground(() => {
  const startedAt = Date.now();
  const data = startDataLoading(recordDiagnostic);
  const settings = followSettings(() => verdicts.languageChanged());

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
    // Snapshots at most every 250 ms (the write-ahead log keeps every event meanwhile): fewer storage calls on the browser's main thread while a page loads.
    flushIntervalMs: 250,
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
    settings: settings.current,
    lang: settings.lang,
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

  const guard = guardWith(recordDiagnostic);
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
      settings: settings.current,
      settingsLoaded: settings.loaded,
      onError: recordDiagnostic,
    }),
  );

  openFirstRunOnInstall(guard, recordDiagnostic);

  void pruneHistory(recordDiagnostic);
  // Visits of tabs closed while the worker was stopped are dropped once the state is back.
  void hub.whenReady().then(async () => {
    const open = (await browser.tabs.query({})).map((t) => t.id).filter((id): id is number => id !== undefined);
    hub.retainTabs(new Set(open));
  });

  // Tests wait for this before navigating (listeners are registered by now; see
  // ../shared/notes/browser-testing.md: a navigation right after launch can otherwise be missed).
  (globalThis as { dsaReadyAt?: number }).dsaReadyAt = startedAt;
});
