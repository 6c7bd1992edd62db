/**
 * Background: wires browser events to the tally (lib/) and renders the badge. No rules live here.
 *
 * MV3 rule: every listener is registered synchronously in main(), so that Chrome can wake the
 * stopped service worker for an event and deliver it (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/events).
 */
import { browser } from 'wxt/browser';
import { TallyHub } from '@/lib/tally/hub';
import type { Visit } from '@/lib/tally/types';
import { thirdPartyHostCount } from '@/lib/tally/visit-stats';
import { type Partitioning, setCookieLines } from '@/lib/tally/cookies';
import { answeredFromCache, dateHeader } from '@/lib/tally/from-cache';
import { type BackgroundResponse, parseBackgroundRequest, parseContentMessage } from '@/lib/messages';
import { HEADERS_RECEIVED_SPEC, IS_FIREFOX, actionApi, browserInfo, cookiePartitioning, countDiagnostic, recordDiagnostic, sessionStore } from './platform';
import { summariseParties } from '@/lib/parties/summary';
import { buildReport, pageKindOf } from '@/lib/verdict/report';
import { detectAuthority, isCommercialPresence, needsCorroboration } from '@/lib/verdict/authority';
import { authorityKey, authorityKeyOf, authorityOverride, setAuthorityOverride } from './authority-overrides';
import { createClassifier, hostAndPath } from '@/lib/parties/classify';
import { type AssetStatus, loadIpTable, loadTrackers } from './data';
import { PageCheckHub } from './page-checks';
import { DEFAULT_SETTINGS, loadSettings, watchSettings } from '../shared/settings';
import { ownRequests } from './legal-docs';
import { pruneHistory, recordInHistory } from './history';
import { ConsentHub } from './consent';
import { startReconciler } from './reconcile';
import { watchSoftNavigations } from './soft-navigation';
import { startRequestRows } from './request-rows';
import type { IpCountryTable } from '@/lib/parties/ip-country';
import type { TrackerIndex } from '@/lib/parties/trackers';

export default defineBackground(() => {
  const startedAt = Date.now();
  const badgeText = new Map<number, string>();

  // Until the data is loaded, an overlay-only classifier answers. The hub applies no event before
  // the tracker index is there; summaries wait for the IP table too.
  let trackers: TrackerIndex | null = null;
  let ipTable: IpCountryTable | null = null;
  let classifier = createClassifier({ trackers, ipTable });
  let classifierVersion = 0;
  const dataStatus: { trackers?: AssetStatus; ipTable?: AssetStatus } = {};
  const loaded = <T,>(key: 'trackers' | 'ipTable', set: (value: T | null) => void) => (r: { value: T | null; status: AssetStatus }) => {
    set(r.value);
    classifier = createClassifier({ trackers, ipTable });
    classifierVersion++;
    dataStatus[key] = r.status;
    if (r.status.error) recordDiagnostic('data', new Error(r.status.error));
    void browser.storage.session.set({ dataStatus }).catch(() => undefined);
  };
  const trackersLoaded = loadTrackers().then(loaded<TrackerIndex>('trackers', (v) => (trackers = v)));
  // Loaded after the tracker index, so the two do not compete on the tally's critical path.
  const ipTableLoaded = trackersLoaded.then(loadIpTable).then(loaded<IpCountryTable>('ipTable', (v) => (ipTable = v)));

  const hub = new TallyHub({
    waitFor: trackersLoaded,
    // Self-hosted tools (Matomo at /matomo.js …) are only visible in the path of a request.
    annotate: (event) => {
      if (event.kind !== 'request') return event;
      const hp = hostAndPath(event.url);
      const tool = hp ? classifier.classifyPath(hp.host, hp.pathname)?.serviceId : null;
      return tool ? { ...event, tool } : event;
    },
    store: sessionStore,
    onError: (where, error) => recordDiagnostic(where, error),
    // Cookie changes no visit of ours asked for within 2 s (lib/tally/cookie-wait.ts): counted, not errors.
    onCookiesExpired: (n) => countDiagnostic('cookieChangesUnmatched', n),
    onVisitChanged: (tabId, visit) => {
      if (!visit) {
        badgeText.delete(tabId);
        return;
      }
      // Late requests (trackers loading after the page) change the verdict and the history entry.
      // Always scheduled: after a worker restart the page facts are only in storage.session
      // (reportFor restores them), and the history write must not depend on memory.
      scheduleVerdict(tabId);
      // The replaced page's own late requests (a beacon on pagehide) complete its history entry.
      if (visit.previous && visit.previous !== lastPrevious.get(tabId)) {
        lastPrevious.set(tabId, visit.previous);
        recordPrevious(tabId, visit.previous);
      }
      const text = String(thirdPartyHostCount(visit));
      if (badgeText.get(tabId) === text) return;
      badgeText.set(tabId, text);
      actionApi()
        .setBadgeText({ tabId, text })
        .catch(() => {
          // The tab may be gone already; nothing to show then.
        });
    },
  });
  // Visits active when an earlier worker was stopped are completed from their page (reconcile.ts).
  const reconciler = startReconciler(hub, recordDiagnostic);
  // Per-request rows for the evidence package's HAR (request-rows.ts); fed before the hub, so a
  // new document settles the rows of the visit it replaces against that visit's ledger.
  const rows = startRequestRows((tabId) => hub.visit(tabId), recordDiagnostic);

  const HTTP_ONLY = { urls: ['http://*/*', 'https://*/*'] };
  // Reports say which browser measured them (tool.browser).
  const measuringBrowser = browserInfo().catch((error: unknown) => {
    recordDiagnostic('browserInfo', error);
    return undefined;
  });
  // Which cookies this browser partitions (platform.ts): the header's cookie gets the jar's identity.
  let partitioning: Partitioning = IS_FIREFOX ? 'total-cookie-protection' : 'chips';
  void cookiePartitioning().then((p) => (partitioning = p));
  // webRequest `documentLifecycle` (Chrome 106+, https://developer.chrome.com/docs/extensions/reference/api/webRequest#type-DocumentLifecycle):
  // "pending_deletion" marks a request of a document being replaced, e.g. a beacon on pagehide.
  const lifecycleOf = (d: object): string | undefined => {
    const value = (d as { documentLifecycle?: unknown }).documentLifecycle;
    return typeof value === 'string' ? value : undefined;
  };
  // Listeners stay tiny: observe, hand the event to the hub, return.
  const guard =
    <A extends unknown[]>(where: string, fn: (...args: A) => void) =>
    (...args: A): undefined => {
      try {
        fn(...args);
      } catch (error) {
        recordDiagnostic(where, error);
      }
      return undefined;
    };

  browser.webRequest.onBeforeRequest.addListener(
    guard('onBeforeRequest', (d) => {
      rows.observe({ kind: 'request', tabId: d.tabId, requestId: d.requestId, url: d.url, method: d.method, type: d.type, frameId: d.frameId, timeStamp: d.timeStamp, documentLifecycle: lifecycleOf(d) });
      hub.dispatch({
        kind: 'request',
        tabId: d.tabId,
        frameId: d.frameId,
        requestId: d.requestId,
        url: d.url,
        type: d.type,
        timeStamp: d.timeStamp,
        initiator: d.initiator,
        documentLifecycle: lifecycleOf(d),
      });
    }),
    HTTP_ONLY,
  );
  browser.webRequest.onResponseStarted.addListener(
    guard('onResponseStarted', (d) => {
      // The extension's own legal-page fetches: their server IP (legal-docs.ts, lib/page/own-requests.ts).
      if (d.tabId === -1) ownRequests.observe(d);
      // Answered from the HTTP cache without the server: not sent (the counting rule, docs/ARCHITECTURE.md).
      const fromCache = answeredFromCache(d.fromCache, dateHeader(d.responseHeaders), d.timeStamp);
      rows.observe({ kind: 'response', tabId: d.tabId, requestId: d.requestId, url: d.url, statusCode: d.statusCode, statusLine: d.statusLine, ip: d.ip, fromCache, timeStamp: d.timeStamp });
      hub.dispatch({ kind: 'response', tabId: d.tabId, requestId: d.requestId, url: d.url, ip: d.ip, fromCache, type: d.type, frameId: d.frameId, timeStamp: d.timeStamp, initiator: d.initiator, documentLifecycle: lifecycleOf(d) });
    }),
    HTTP_ONLY,
    // The Date header tells a revalidated (304) answer from a cache hit (lib/tally/from-cache.ts).
    ['responseHeaders'],
  );
  browser.webRequest.onBeforeRedirect.addListener(
    guard('onBeforeRedirect', (d) => {
      rows.observe({ kind: 'redirect', tabId: d.tabId, requestId: d.requestId, url: d.url, redirectUrl: d.redirectUrl, statusCode: d.statusCode, statusLine: d.statusLine, ip: d.ip, timeStamp: d.timeStamp });
      if (d.tabId === -1) ownRequests.observe(d);
      // "HTTP/1.1 307 Internal Redirect": HSTS upgrade or extension redirect, not a network request.
      if (d.statusCode === 307 && /internal redirect/i.test(d.statusLine ?? '')) {
        hub.dispatch({ kind: 'internal-redirect', tabId: d.tabId, requestId: d.requestId, url: d.url, type: d.type });
      } else if (d.tabId >= 0) {
        // Evidence of both hops, should their own events be lost to a stopped worker (lib/tally/ledger.ts).
        hub.dispatch({ kind: 'redirect', tabId: d.tabId, requestId: d.requestId, url: d.url, redirectUrl: d.redirectUrl, type: d.type, frameId: d.frameId, timeStamp: d.timeStamp, initiator: d.initiator });
      }
    }),
    HTTP_ONLY,
  );
  browser.webRequest.onErrorOccurred.addListener(
    guard('onErrorOccurred', (d) => {
      rows.observe({ kind: 'error', tabId: d.tabId, requestId: d.requestId, url: d.url, error: d.error, timeStamp: d.timeStamp });
      hub.dispatch({ kind: 'error', tabId: d.tabId, requestId: d.requestId, url: d.url, error: d.error, type: d.type, frameId: d.frameId, timeStamp: d.timeStamp, initiator: d.initiator, documentLifecycle: lifecycleOf(d) });
    }),
    HTTP_ONLY,
  );
  browser.webRequest.onHeadersReceived.addListener(
    guard('onHeadersReceived', (d) => {
      if (d.tabId < 0) return;
      const lines = setCookieLines(d.responseHeaders);
      rows.observe({ kind: 'headers', tabId: d.tabId, requestId: d.requestId, url: d.url, setCookie: lines, contentType: d.responseHeaders?.find((h) => h.name.toLowerCase() === 'content-type')?.value });
      if (lines.length) hub.dispatch({ kind: 'set-cookie', tabId: d.tabId, url: d.url, lines, timeStamp: d.timeStamp, requestId: d.requestId, type: d.type, frameId: d.frameId, partitioning });
    }),
    HTTP_ONLY,
    HEADERS_RECEIVED_SPEC as Parameters<typeof browser.webRequest.onHeadersReceived.addListener>[2],
  );
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
      reportCache.delete(tabId);
      reportInputs.delete(tabId);
      lastPrevious.delete(tabId);
    }),
  );

  let onChecksChanged: (tabId: number) => void = () => undefined;
  const pageChecks = new PageCheckHub(recordDiagnostic, (tabId) => onChecksChanged(tabId));
  const consent = new ConsentHub(recordDiagnostic, (tabId) => onChecksChanged(tabId));
  let settings = DEFAULT_SETTINGS;
  const settingsLoaded = loadSettings().then((s) => (settings = s));
  watchSettings((s) => (settings = s));

  browser.runtime.onMessage.addListener((message: unknown, sender): Promise<BackgroundResponse> | undefined => {
    if (sender.id !== browser.runtime.id) return undefined;
    const fromExtensionPage = sender.url?.startsWith(browser.runtime.getURL('/')) ?? false;
    // Content scripts may only report facts about their own tab's top frame; they get no answer.
    if (!fromExtensionPage) {
      const content = parseContentMessage(message);
      if (content?.type === 'page-facts') {
        // Answered with an acknowledgement once stored: a worker stopped mid-way never answers,
        // and the content script sends again (entrypoints/content.ts).
        return Promise.all([hub.whenReady(), settingsLoaded]).then((): BackgroundResponse => {
          const tabId = sender.tab?.id ?? -1;
          // A visit whose navigation event never arrived starts (or gets its URL) here (reconcile.ts).
          if (tabId >= 0 && sender.frameId === 0 && sender.url) reconciler.pageSeen(tabId, sender.url);
          const ok = pageChecks.receive(content, sender, hub.visit(tabId), settings);
          if (!ok) recordDiagnostic('onMessage', new Error(`dropped page-facts from ${sender.url ?? 'unknown'}`));
          else scheduleVerdict(tabId);
          return { type: 'ack', ok };
        });
      } else if (content?.type === 'page-interaction') {
        void hub.whenReady().then(() => {
          const tabId = sender.tab?.id ?? -1;
          if (!pageChecks.interaction(content, sender, Date.now(), hub.visit(tabId)))
            recordDiagnostic('onMessage', new Error('dropped page-interaction'));
        });
      } else if (content) {
        // Consent-banner detection: `init` and `eval` are answered, detections recorded.
        return consent.handle(content, sender, Date.now()).catch((error: unknown): undefined => {
          recordDiagnostic('consent', error);
          return undefined;
        }) as Promise<unknown> as Promise<BackgroundResponse>;
      } else recordDiagnostic('onMessage', new Error('dropped malformed or oversized content message'));
      return undefined;
    }
    const request = parseBackgroundRequest(message);
    if (!request) {
      recordDiagnostic('onMessage', new Error('dropped malformed message'));
      return undefined;
    }
    return Promise.all([hub.whenReady(), ipTableLoaded, settingsLoaded]).then(async (): Promise<BackgroundResponse> => {
      switch (request.type) {
        case 'get-visit': {
          await reconciler.settled(request.tabId);
          const visit = hub.visit(request.tabId);
          const built = visit ? await reportFor(request.tabId) : null;
          if (built) {
            showVerdict(request.tabId, built.report.verdict);
            void recordInHistory(request.tabId, built.report, recordDiagnostic);
          }
          return {
            type: 'visit',
            visit,
            checks: built?.checks ?? null,
            report: built?.report ?? null,
            dataIncomplete: Boolean(dataStatus.trackers?.error || dataStatus.ipTable?.error),
          };
        }
        case 'set-authority': {
          const visit = hub.visit(request.tabId);
          const built = visit ? await reportFor(request.tabId) : null;
          if (!built) return { type: 'error', message: 'no page in this tab' };
          await setAuthorityOverride(authorityKey(built.report), request.value);
          overridesVersion++;
          const again = await reportFor(request.tabId);
          if (again) showVerdict(request.tabId, again.report.verdict);
          return { type: 'visit', visit, checks: again?.checks ?? null, report: again?.report ?? null, dataIncomplete: false };
        }
        case 'get-status':
          return { type: 'status', startedAt, visits: hub.visits().length, data: dataStatus };
      }
    });
  });

  // The last report per tab, reused while nothing it depends on changed: the badge computes it
  // shortly after the page settles, so opening the popup usually costs only the message.
  const reportCache = new Map<number, { visit: Visit; key: string; result: Awaited<ReturnType<typeof buildFor>> }>();
  let overridesVersion = 0;

  /** Link-in-bio pages seen tracking before consent in open tabs (ESC-LIB-TRACKING for profiles linking there). */
  function knownTrackingLinkPages(): string[] {
    const urls: string[] = [];
    for (const { result } of reportCache.values()) {
      const r = result?.report;
      if (r?.pageKind === 'link-in-bio' && r.findings.some((f) => f.id === 'cookies-before-consent')) urls.push(r.url);
    }
    return urls;
  }

  /** Everything the popup shows for a tab, from one report. */
  async function reportFor(tabId: number) {
    const visit = hub.visit(tabId);
    if (!visit) return null;
    const key = `${pageChecks.version(tabId)}|${consent.version()}|${overridesVersion}|${settings.fetchLegalPages}|${classifierVersion}`;
    const cached = reportCache.get(tabId);
    if (cached && cached.visit === visit && cached.key === key) return cached.result;
    const result = await buildFor(tabId, visit);
    reportCache.set(tabId, { visit, key, result });
    return result;
  }

  async function buildFor(tabId: number, visit: Visit) {
    const parties = summariseParties(visit, classifier);
    let checks = await pageChecks.checksFor(tabId, visit, classifier, settings);
    const hints = checks?.hints;
    const pageKind = pageKindOf(checks);
    const override = await authorityOverride(authorityKeyOf(visit.url, hints?.platform ?? null, hints?.handle ?? null));
    const verifiedLinkUrls = (checks?.bioLinks ?? []).filter((b) => b.verified).map((b) => b.url);
    const detect = () =>
      detectAuthority({
        pageUrl: visit.url,
        platform: hints?.platform ?? null,
        pageKind,
        title: hints?.title ?? '',
        profileName: hints?.profileName ?? null,
        handle: hints?.handle ?? null,
        description: hints?.description ?? null,
        // On a profile the account's own elements; elsewhere (link pages) the page's text sample.
        bioText: !checks ? '' : hints?.ownerText || pageChecks.textSample(tabId),
        bioLinkUrls: (checks?.bioLinks ?? []).map((b) => b.url),
        verifiedLinkUrls,
        badges: hints?.badges ?? [],
        imprintText: pageChecks.imprintText(tabId),
        linkedImprint: checks?.corroboration.imprint ?? null,
        userOverride: override,
      });
    const detected = detect();
    // Who runs the account is not settled by the page: read the imprint of the website it links
    // (at most two requests, under the legal-page setting; lib/page/checks.ts corroborationStart).
    if (checks && checks.corroboration.status === 'none' && needsCorroboration(detected) && pageChecks.corroborate(tabId, visit, settings)) {
      checks = { ...checks, corroboration: pageChecks.corroborationOf(tabId, visit) };
    }
    const input: ReportInput = {
      checks,
      authority: {
        isAuthority: detected.isAuthority,
        score: detected.score,
        isSocialBenefitBody: detected.isSocialBenefitBody,
        audienceMinors: detected.audienceMinors,
        userOverride: detected.userOverride,
        signals: detected.signals,
        jobcenterType: detected.jobcenterType,
      },
      classifier,
      firstInteractionAt: await pageChecks.firstInteractionAt(tabId, visit),
      consent: await consent.observationFor(tabId, visit),
      now: Date.now(),
      toolVersion: browser.runtime.getManifest().version,
      browser: await measuringBrowser,
      knownTrackingLinkPages: knownTrackingLinkPages(),
      commercialPlatform: isCommercialPresence(hints?.platform ?? null, visit.url, hints?.handle ?? null, verifiedLinkUrls),
    };
    rememberInput(tabId, visit.visitId, input);
    const report = buildReport({ ...input, visit, parties });
    return { parties, checks, report };
  }

  /**
   * What the last reports of a tab were built from, apart from the visit: the replaced page's report
   * can be built again when its own late requests arrive (Visit.previous), after the tab's page
   * checks have moved on to the new page. The latest two visits per tab.
   */
  type ReportInput = Omit<Parameters<typeof buildReport>[0], 'visit' | 'parties'>;
  const reportInputs = new Map<number, { visitId: string; input: ReportInput }[]>();
  const lastPrevious = new Map<number, Visit>();
  function rememberInput(tabId: number, visitId: string, input: ReportInput): void {
    const kept = (reportInputs.get(tabId) ?? []).filter((r) => r.visitId !== visitId);
    reportInputs.set(tabId, [...kept, { visitId, input }].slice(-2));
  }
  function recordPrevious(tabId: number, previous: Visit): void {
    const stored = reportInputs.get(tabId)?.find((r) => r.visitId === previous.visitId);
    // Never reported (closed before its first report, or a worker restart lost the inputs): nothing in the history to complete.
    if (!stored) return;
    try {
      const report = buildReport({ ...stored.input, visit: previous, parties: summariseParties(previous, classifier), now: Date.now() });
      void recordInHistory(tabId, report, recordDiagnostic);
    } catch (error) {
      recordDiagnostic('previous-visit', error);
    }
  }

  const VERDICT_COLOURS: Record<string, string> = { red: '#c62828', yellow: '#f9a825', green: '#2e7d32', grey: '#757575' };
  function showVerdict(tabId: number, verdict: string): void {
    actionApi()
      .setBadgeBackgroundColor({ tabId, color: VERDICT_COLOURS[verdict] ?? '#757575' })
      .catch(() => undefined);
  }
  // The badge colour follows the verdict while browsing: recomputed shortly after new page facts
  // or a fetched legal page (coalesced per tab).
  const verdictTimers = new Map<number, ReturnType<typeof setTimeout>>();
  function scheduleVerdict(tabId: number): void {
    if (tabId < 0 || verdictTimers.has(tabId)) return;
    verdictTimers.set(
      tabId,
      setTimeout(() => {
        verdictTimers.delete(tabId);
        void reportFor(tabId)
          .then(async (built) => {
            if (!built) return;
            showVerdict(tabId, built.report.verdict);
            await recordInHistory(tabId, built.report, recordDiagnostic);
          })
          .catch((error: unknown) => recordDiagnostic('verdict', error));
      }, 300),
    );
  }
  onChecksChanged = scheduleVerdict;
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
