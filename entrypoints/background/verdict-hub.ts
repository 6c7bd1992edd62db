/**
 * Builds each tab's report from the tally, the page checks and the consent observation, caches it,
 * shows the verdict on the badge and records it in the history. Beside PageCheckHub (page-checks.ts)
 * and ConsentHub (consent.ts); the rules are in lib/verdict/.
 */
import { browser } from 'wxt/browser';
import type { Visit } from '@/lib/tally/types';
import { thirdPartyHostCount } from '@/lib/tally/visit-stats';
import { summariseParties } from '@/lib/parties/summary';
import { buildReport, pageKindOf } from '@/lib/verdict/report';
import { detectAuthority, isCommercialPresence, needsCorroboration } from '@/lib/verdict/authority';
import { authorityKeyOf, authorityOverride } from './authority-overrides';
import { badgeColours, toolbarVerdict } from '@/lib/toolbar/badge';
import { type IconState, actionIconPaths, actionIconPixels, iconStateOf } from '@/lib/toolbar/icon';
import { reasonCount, toolbarTitle } from '@/lib/toolbar/title';
import { firstViewKey, popupPath, worthStoring } from '@/lib/toolbar/popup-start';
import { firstView } from '@/lib/verdict/first-view';
import type { BackgroundReplies } from '@/lib/messages';
import type { Lang } from '@/lib/i18n/ui';
import { actionApi } from './platform';
import { recordInHistory } from './history';
import type { ClassifierData } from './data';
import type { PageCheckHub } from './page-checks';
import type { ConsentHub } from './consent';
import type { Settings } from '../shared/settings';

type ReportInput = Omit<Parameters<typeof buildReport>[0], 'visit' | 'parties'>;
type Built = Awaited<ReturnType<VerdictHub['buildFor']>>;
type VisitReply = BackgroundReplies['get-visit'];
type OnError = (where: string, error: unknown) => void;

/**
 * A tab's first view for the popup (lib/toolbar/popup-start.ts) is written to storage.session once
 * its report has not changed for this long, and at the latest this long after the first change:
 * every write is work for the browser process while the page loads (written on every change, the
 * first views raised storage.session's peak in tests/e2e/storage-budget.spec.ts from 2.6 to
 * 3.1–3.4 MB; docs/ARCHITECTURE.md, "Popup speed").
 */
const FIRST_VIEW_QUIET_MS = 1000;
const FIRST_VIEW_MAX_WAIT_MS = 5000;

/** How often the badge's count and the title follow a loading page, at most (per tab). */
const COUNT_INTERVAL_MS = 250;

export interface VerdictDeps {
  visitOf: (tabId: number) => Visit | null;
  pageChecks: PageCheckHub;
  consent: ConsentHub;
  data: ClassifierData;
  settings: () => Settings;
  /** The UI language (the stored choice or the browser's), for the toolbar title. */
  lang: () => Lang;
  /** Reports say which browser measured them (tool.browser). */
  measuringBrowser: Promise<{ name: string; version: string } | undefined>;
  onError: OnError;
}

/** What the toolbar shows for a tab: the visit it is about and that visit's verdict (null: not judged yet). */
interface ToolbarState {
  visitId: string;
  verdict: string | null;
  findings: number;
  hosts: number;
}

/**
 * The icon of a state as ImageData, drawn once per worker (lib/toolbar/icon.ts: Chromium's binding
 * would fetch and decode the PNG files on every `setIcon({ path })`); the files' paths where
 * ImageData does not exist.
 */
const iconImages = new Map<IconState, Record<string, ImageData>>();
function iconDetails(state: IconState): { imageData: Record<string, ImageData> } | { path: Record<string, string> } {
  if (typeof ImageData !== 'function') return { path: actionIconPaths(state) };
  let images = iconImages.get(state);
  if (!images) {
    images = Object.fromEntries(
      actionIconPixels(state).map(({ size, pixels }) => [String(size), new ImageData(pixels, size, size)]),
    );
    iconImages.set(state, images);
  }
  return { imageData: images };
}

export class VerdictHub {
  private readonly badgeText = new Map<number, string>();
  /** The title last set per tab, with the visit it was set for (a new page sets it again). */
  private readonly titles = new Map<number, string>();
  private readonly toolbar = new Map<number, ToolbarState>();
  /**
   * Per tab, what the popup starts from (lib/toolbar/popup-start.ts): the visit and the report whose
   * first view is in storage.session (`built: null`: none is). No entry: not known yet — an earlier
   * worker may have left a first view.
   */
  private readonly popupStarts = new Map<number, { visitId: string; built: Built | null }>();
  /** Per tab, the first view waiting to be written (storeFirstView), and since when one has waited. */
  private readonly firstViewWrites = new Map<
    number,
    { visitId: string; built: Built; since: number; timer: ReturnType<typeof setTimeout> }
  >();
  // The last report per tab, reused while nothing it depends on changed: the badge computes it
  // shortly after the page settles, so opening the popup usually costs only the message.
  private readonly reportCache = new Map<number, { visit: Visit; key: string; result: Built }>();
  private overridesVersion = 0;
  /**
   * What the last reports of a tab were built from, apart from the visit: the replaced page's report
   * can be built again when its own late requests arrive (Visit.previous), after the tab's page
   * checks have moved on to the new page. The latest two visits per tab.
   */
  private readonly reportInputs = new Map<number, { visitId: string; input: ReportInput }[]>();
  private readonly lastPrevious = new Map<number, Visit>();
  private readonly verdictTimers = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly countTimers = new Map<number, ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: VerdictDeps) {}

  /** The tally's onVisitChanged: the badge's count, the verdict, the replaced page's history entry. */
  visitChanged(tabId: number, visit: Visit | null): void {
    if (!visit) {
      this.badgeText.delete(tabId);
      this.toolbar.delete(tabId);
      this.titles.delete(tabId);
      this.dropFirstView(tabId);
      return;
    }
    // A new page: the popup must not start from the replaced page's first view, not even for the
    // moment until the toolbar follows (below); it asks until the new page's report exists.
    if (this.popupStarts.get(tabId)?.visitId !== visit.visitId) this.newPopupStart(tabId, visit.visitId);
    // Late requests (trackers loading after the page) change the verdict and the history entry.
    // Always scheduled: after a worker restart the page facts are only in storage.session
    // (reportFor restores them), and the history write must not depend on memory.
    this.schedule(tabId);
    // The replaced page's own late requests (a beacon on pagehide) complete its history entry.
    if (visit.previous && visit.previous !== this.lastPrevious.get(tabId)) {
      this.lastPrevious.set(tabId, visit.previous);
      this.recordPrevious(tabId, visit.previous);
    }
    // The toolbar follows the page at most every COUNT_INTERVAL_MS per tab, a new page's dark
    // lamps included: each toolbar call is a task on the browser's main thread, which also runs
    // the page's loading (docs/ARCHITECTURE.md, "Page-load overhead"); a page with 80 requests
    // made 30 such calls before its load event, and a new page's five came with its first request.
    if (this.countTimers.has(tabId)) return;
    this.countTimers.set(
      tabId,
      setTimeout(() => {
        this.countTimers.delete(tabId);
        const current = this.deps.visitOf(tabId);
        if (!current) return;
        const hosts = thirdPartyHostCount(current);
        const shown = this.toolbar.get(tabId);
        // A new page: its verdict is not known yet (every lamp dark) until its first report.
        if (shown?.visitId !== current.visitId)
          this.paint(tabId, { visitId: current.visitId, verdict: null, findings: 0, hosts });
        else if (shown.hosts !== hosts) this.paint(tabId, { ...shown, hosts }, false);
        this.showCount(tabId, hosts);
      }, COUNT_INTERVAL_MS),
    );
  }

  /** The badge's number of third-party hosts, when it changed. */
  private showCount(tabId: number, hosts: number): void {
    const text = String(hosts);
    if (this.badgeText.get(tabId) === text) return;
    this.badgeText.set(tabId, text);
    actionApi()
      .setBadgeText({ tabId, text })
      .catch(() => {
        // The tab may be gone already; nothing to show then.
      });
  }

  /** The language changed: every tab's title again. */
  languageChanged(): void {
    for (const [tabId, state] of this.toolbar) this.paint(tabId, state, false);
  }

  /** The user changed an authority override: every cached report is stale. */
  overridesChanged(): void {
    this.overridesVersion++;
  }

  forget(tabId: number): void {
    clearTimeout(this.countTimers.get(tabId));
    this.countTimers.delete(tabId);
    this.toolbar.delete(tabId);
    this.titles.delete(tabId);
    this.dropFirstView(tabId);
    this.reportCache.delete(tabId);
    this.reportInputs.delete(tabId);
    this.lastPrevious.delete(tabId);
  }

  /** Everything the popup shows for a tab, from one report. */
  async reportFor(tabId: number) {
    const { visitOf, pageChecks, consent, data, settings } = this.deps;
    const visit = visitOf(tabId);
    if (!visit) return null;
    const key = `${pageChecks.version(tabId)}|${consent.version()}|${this.overridesVersion}|${settings().fetchLegalPages}|${data.version}`;
    const cached = this.reportCache.get(tabId);
    if (cached && cached.visit === visit && cached.key === key) return cached.result;
    const result = await this.buildFor(tabId, visit);
    this.reportCache.set(tabId, { visit, key, result });
    return result;
  }

  /** What the popup shows for a tab: its visit, page checks and report (`first`: lib/verdict/first-view.ts). */
  reply(tabId: number, built: Built | null, first = false): VisitReply {
    const { status } = this.deps.data;
    const reply: VisitReply = {
      type: 'visit',
      visit: this.deps.visitOf(tabId),
      checks: built?.checks ?? null,
      report: built?.report ?? null,
      dataIncomplete: Boolean(status.trackers?.error || status.ipTable?.error),
    };
    return first ? firstView(reply) : reply;
  }

  /**
   * A tab's report is ready: the toolbar follows its verdict (icon, badge colours, title), and its
   * first view waits in storage.session for the popup (lib/toolbar/popup-start.ts).
   */
  show(tabId: number, built: Built): void {
    // reportFor builds reports of the tab's current visit only (the replaced page's go to the history alone).
    const visit = this.deps.visitOf(tabId);
    if (!visit) return;
    const { report } = built;
    this.paint(tabId, {
      visitId: visit.visitId,
      verdict: report.verdict,
      findings: reasonCount(report.findings),
      hosts: thirdPartyHostCount(visit),
    });
    this.storeFirstView(tabId, visit.visitId, built);
  }

  /** No first view of an earlier page (nor one an earlier worker may have left). */
  private newPopupStart(tabId: number, visitId: string): void {
    const known = this.popupStarts.get(tabId);
    this.popupStarts.set(tabId, { visitId, built: null });
    if (!known || known.built) void browser.storage.session.remove(firstViewKey(tabId)).catch(() => undefined);
  }

  /** The first view of a new report, where the popup reads it before it could ask (lib/toolbar/popup-start.ts). */
  private storeFirstView(tabId: number, visitId: string, built: Built): void {
    const start = this.popupStarts.get(tabId);
    const pending = this.firstViewWrites.get(tabId);
    // The same (cached) report, stored or on its way (an open popup asks every second).
    if (start?.visitId === visitId && (start.built === built || pending?.built === built)) return;
    if (start?.visitId !== visitId) this.newPopupStart(tabId, visitId);
    // Written once the report has stayed unchanged a moment (or at the latest FIRST_VIEW_MAX_WAIT_MS
    // after the first change): a loading page's report changes every few hundred ms.
    clearTimeout(pending?.timer);
    const since = pending?.visitId === visitId ? pending.since : Date.now();
    const wait = Math.max(0, Math.min(FIRST_VIEW_QUIET_MS, since + FIRST_VIEW_MAX_WAIT_MS - Date.now()));
    const timer = setTimeout(() => {
      this.firstViewWrites.delete(tabId);
      if (this.popupStarts.get(tabId)?.visitId !== visitId || this.deps.visitOf(tabId)?.visitId !== visitId) return;
      const view = this.reply(tabId, built, true);
      // Too large to write while a page loads: none stored (an earlier one goes), the popup asks.
      if (!worthStoring(view)) return this.newPopupStart(tabId, visitId);
      this.popupStarts.set(tabId, { visitId, built });
      // A full storage.session (quota) leaves none: the popup asks.
      void browser.storage.session.set({ [firstViewKey(tabId)]: view }).catch(() => undefined);
    }, wait);
    this.firstViewWrites.set(tabId, { visitId, built, since, timer });
  }

  /** The tab is closed or has no page: nothing for a popup to start from. */
  private dropFirstView(tabId: number): void {
    clearTimeout(this.firstViewWrites.get(tabId)?.timer);
    this.firstViewWrites.delete(tabId);
    const start = this.popupStarts.get(tabId);
    this.popupStarts.delete(tabId);
    if (start && start.built === null) return; // none stored since this worker knows the tab
    void browser.storage.session.remove(firstViewKey(tabId)).catch(() => undefined);
  }

  /**
   * Icon (only the verdict's lamp lit), badge background and a text colour readable on it, and the
   * title in words (lib/toolbar/). `full: false` updates only the title (counts or language changed).
   */
  private paint(tabId: number, state: ToolbarState, full = true): void {
    const before = this.toolbar.get(tabId);
    this.toolbar.set(tabId, state);
    const action = actionApi();
    const ignore = () => undefined; // the tab may be gone already
    // The verdict's report is rebuilt after every change of the page (schedule): most paints
    // change nothing the user sees, and each call is a task on the browser's main thread.
    const title = toolbarTitle(state, this.deps.lang());
    const titleKey = `${state.visitId}\n${title}`;
    if (this.titles.get(tabId) !== titleKey) {
      this.titles.set(tabId, titleKey);
      action.setTitle({ tabId, title }).catch(ignore);
    }
    if (!full || (before && before.visitId === state.visitId && before.verdict === state.verdict)) return;
    const verdict = state.verdict === null ? null : toolbarVerdict(state.verdict);
    action.setIcon({ tabId, ...iconDetails(iconStateOf(verdict)) }).catch(ignore);
    // The popup's address names the tab (lib/toolbar/popup-start.ts). Set with the icon: an address
    // set at a new page's first request was gone by its load event in Chromium (a tab's own action
    // values are reset when it navigates; tests/e2e/toolbar.spec.ts), and the icon is set again then.
    action.setPopup({ tabId, popup: popupPath(tabId) }).catch(ignore);
    const colours = badgeColours(verdict);
    action.setBadgeBackgroundColor({ tabId, color: colours.background }).catch(ignore);
    // Chrome 110+, Firefox 63+ (docs/permissions.md); older browsers keep their default white.
    if (typeof action.setBadgeTextColor === 'function')
      action.setBadgeTextColor({ tabId, color: colours.text }).catch(ignore);
  }

  /**
   * The badge colour follows the verdict while browsing: recomputed shortly after new page facts
   * or a fetched legal page (coalesced per tab).
   */
  schedule(tabId: number): void {
    if (tabId < 0 || this.verdictTimers.has(tabId)) return;
    this.verdictTimers.set(
      tabId,
      setTimeout(() => {
        this.verdictTimers.delete(tabId);
        void this.reportFor(tabId)
          .then(async (built) => {
            if (!built) return;
            this.show(tabId, built);
            await recordInHistory(tabId, built.report, this.deps.onError);
          })
          .catch((error: unknown) => this.deps.onError('verdict', error));
      }, 300),
    );
  }

  /** Link-in-bio pages seen tracking before consent in open tabs (ESC-LIB-TRACKING for profiles linking there). */
  private knownTrackingLinkPages(): string[] {
    const urls: string[] = [];
    for (const { result } of this.reportCache.values()) {
      const r = result?.report;
      if (r?.pageKind === 'link-in-bio' && r.findings.some((f) => f.id === 'cookies-before-consent')) urls.push(r.url);
    }
    return urls;
  }

  private async buildFor(tabId: number, visit: Visit) {
    const { pageChecks, consent, data, measuringBrowser } = this.deps;
    const settings = this.deps.settings();
    const classifier = data.classifier;
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
    if (
      checks &&
      checks.corroboration.status === 'none' &&
      needsCorroboration(detected) &&
      pageChecks.corroborate(tabId, visit, settings)
    ) {
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
      knownTrackingLinkPages: this.knownTrackingLinkPages(),
      commercialPlatform: isCommercialPresence(
        hints?.platform ?? null,
        visit.url,
        hints?.handle ?? null,
        verifiedLinkUrls,
      ),
    };
    this.rememberInput(tabId, visit.visitId, input);
    const report = buildReport({ ...input, visit, parties });
    return { parties, checks, report };
  }

  private rememberInput(tabId: number, visitId: string, input: ReportInput): void {
    const kept = (this.reportInputs.get(tabId) ?? []).filter((r) => r.visitId !== visitId);
    this.reportInputs.set(tabId, [...kept, { visitId, input }].slice(-2));
  }

  private recordPrevious(tabId: number, previous: Visit): void {
    const stored = this.reportInputs.get(tabId)?.find((r) => r.visitId === previous.visitId);
    // Never reported (closed before its first report, or a worker restart lost the inputs): nothing in the history to complete.
    if (!stored) return;
    try {
      const report = buildReport({
        ...stored.input,
        visit: previous,
        parties: summariseParties(previous, this.deps.data.classifier),
        now: Date.now(),
      });
      void recordInHistory(tabId, report, this.deps.onError);
    } catch (error) {
      this.deps.onError('previous-visit', error);
    }
  }
}
