/**
 * Background: wires browser events to the tally (lib/) and renders the badge. No rules live here.
 *
 * MV3 rule: every listener is registered synchronously in main(), so that Chrome can wake the
 * stopped service worker for an event and deliver it (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/events).
 */
import { browser } from 'wxt/browser';
import { TallyHub } from '@/lib/tally/hub';
import { thirdPartyHostCount, type Visit } from '@/lib/tally/tally';
import { setCookieLines } from '@/lib/tally/cookies';
import { type BackgroundResponse, parseBackgroundRequest, parseContentMessage } from '@/lib/messages';
import { sessionStore, actionApi, recordDiagnostic } from './platform';
import { summariseParties } from '@/lib/parties/summary';
import { buildReport, pageKindOf } from '@/lib/verdict/report';
import { detectAuthority } from '@/lib/verdict/authority';
import { authorityKey, authorityKeyOf, authorityOverride, setAuthorityOverride } from './authority-overrides';
import { createClassifier, hostAndPath } from '@/lib/parties/classify';
import { type AssetStatus, loadIpTable, loadTrackers } from './data';
import { DEFAULT_SETTINGS, PageCheckHub, type Settings, loadSettings } from './page-checks';
import { ownRequests } from './legal-docs';
import { pruneHistory, recordInHistory } from './history';
import { ConsentHub } from './consent';
import { startReconciler } from './reconcile';
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
    onVisitChanged: (tabId, visit) => {
      if (!visit) {
        badgeText.delete(tabId);
        return;
      }
      // Late requests (trackers loading after the page) change the verdict and the history entry.
      // Always scheduled: after a worker restart the page facts are only in storage.session
      // (reportFor restores them), and the history write must not depend on memory.
      scheduleVerdict(tabId);
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

  const HTTP_ONLY = { urls: ['http://*/*', 'https://*/*'] };
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
      hub.dispatch({
        kind: 'request',
        tabId: d.tabId,
        frameId: d.frameId,
        requestId: d.requestId,
        url: d.url,
        type: d.type,
        timeStamp: d.timeStamp,
        initiator: d.initiator,
      });
    }),
    HTTP_ONLY,
  );
  browser.webRequest.onResponseStarted.addListener(
    guard('onResponseStarted', (d) => {
      // The extension's own legal-page fetches: their server IP (legal-docs.ts, lib/page/own-requests.ts).
      if (d.tabId === -1) ownRequests.observe(d);
      hub.dispatch({ kind: 'response', tabId: d.tabId, requestId: d.requestId, url: d.url, ip: d.ip, type: d.type, frameId: d.frameId, timeStamp: d.timeStamp, initiator: d.initiator });
    }),
    HTTP_ONLY,
  );
  browser.webRequest.onBeforeRedirect.addListener(
    guard('onBeforeRedirect', (d) => {
      if (d.tabId === -1) ownRequests.observe(d);
      // "HTTP/1.1 307 Internal Redirect": HSTS upgrade or extension redirect, not a network request.
      if (d.statusCode === 307 && /internal redirect/i.test(d.statusLine ?? '')) {
        hub.dispatch({ kind: 'internal-redirect', tabId: d.tabId, requestId: d.requestId, url: d.url, type: d.type });
      } else if (d.tabId >= 0) {
        // Evidence of both hops, should their own events be lost to a stopped worker (lib/tally/tally.ts).
        hub.dispatch({ kind: 'redirect', tabId: d.tabId, requestId: d.requestId, url: d.url, redirectUrl: d.redirectUrl, type: d.type, frameId: d.frameId, timeStamp: d.timeStamp, initiator: d.initiator });
      }
    }),
    HTTP_ONLY,
  );
  browser.webRequest.onErrorOccurred.addListener(
    guard('onErrorOccurred', (d) => {
      hub.dispatch({ kind: 'error', tabId: d.tabId, requestId: d.requestId, url: d.url, error: d.error, type: d.type, frameId: d.frameId, timeStamp: d.timeStamp, initiator: d.initiator });
    }),
    HTTP_ONLY,
  );
  // 'extraHeaders' makes Chrome show Set-Cookie lines it will refuse to store (blocked
  // third-party cookies), so those still count as attempted. Firefox has no such flag and
  // rejects unknown ones.
  const headerSpec: string[] = import.meta.env.FIREFOX ? ['responseHeaders'] : ['responseHeaders', 'extraHeaders'];
  browser.webRequest.onHeadersReceived.addListener(
    guard('onHeadersReceived', (d) => {
      if (d.tabId < 0) return;
      const lines = setCookieLines(d.responseHeaders);
      if (lines.length) hub.dispatch({ kind: 'set-cookie', tabId: d.tabId, url: d.url, lines, timeStamp: d.timeStamp, requestId: d.requestId, type: d.type, frameId: d.frameId });
    }),
    HTTP_ONLY,
    headerSpec as Parameters<typeof browser.webRequest.onHeadersReceived.addListener>[2],
  );
  browser.cookies.onChanged.addListener(
    guard('cookies.onChanged', (change) => {
      hub.dispatch({ kind: 'cookie-changed', cookie: change.cookie, removed: change.removed, timeStamp: Date.now() });
    }),
  );
  browser.tabs.onRemoved.addListener(
    guard('tabs.onRemoved', (tabId) => {
      hub.dispatch({ kind: 'tab-removed', tabId });
      pageChecks.forget(tabId);
      consent.forget(tabId);
      reportCache.delete(tabId);
    }),
  );

  let onChecksChanged: (tabId: number) => void = () => undefined;
  const pageChecks = new PageCheckHub(recordDiagnostic, (tabId) => onChecksChanged(tabId));
  const consent = new ConsentHub(recordDiagnostic, (tabId) => onChecksChanged(tabId));
  let settings: Settings = DEFAULT_SETTINGS;
  const settingsLoaded = loadSettings().then((s) => (settings = s));
  browser.storage.onChanged.addListener(
    guard('storage.onChanged', (changes, area) => {
      if (area === 'local' && 'settings' in changes) void loadSettings().then((s) => (settings = s));
    }),
  );

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
    const checks = await pageChecks.checksFor(tabId, visit, classifier, settings);
    const hints = checks?.hints;
    const pageKind = pageKindOf(checks);
    const detected = detectAuthority({
      pageUrl: visit.url,
      platform: hints?.platform ?? null,
      pageKind,
      title: hints?.title ?? '',
      profileName: hints?.profileName ?? null,
      handle: hints?.handle ?? null,
      description: hints?.description ?? null,
      bioText: checks ? pageChecks.textSample(tabId) : '',
      bioLinkUrls: (checks?.bioLinks ?? []).map((b) => b.url),
      imprintText: pageChecks.imprintText(tabId),
      userOverride: await authorityOverride(authorityKeyOf(visit.url, hints?.platform ?? null, hints?.handle ?? null)),
    });
    const report = buildReport({
      visit,
      parties,
      checks,
      authority: {
        isAuthority: detected.isAuthority,
        score: detected.score,
        isSocialBenefitBody: detected.isSocialBenefitBody,
        audienceMinors: detected.audienceMinors,
        userOverride: detected.userOverride,
        signals: detected.signals,
      },
      classifier,
      firstInteractionAt: await pageChecks.firstInteractionAt(tabId, visit),
      consent: await consent.observationFor(tabId, visit),
      now: Date.now(),
      toolVersion: browser.runtime.getManifest().version,
      knownTrackingLinkPages: knownTrackingLinkPages(),
    });
    return { parties, checks, report };
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
