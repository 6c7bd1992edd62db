/**
 * runtime.onMessage: one table for content scripts (facts about their own tab) and one for the
 * extension's pages (popup, history, about). Every message is validated (lib/messages.ts) before
 * a handler sees it; anything else is dropped and counted.
 */
import { browser } from 'wxt/browser';
import type { TallyHub } from '@/lib/tally/hub';
import {
  type BackgroundReplies,
  type BackgroundRequest,
  type BackgroundResponse,
  type ContentMessage,
  parseBackgroundRequest,
  parseContentMessage,
} from '@/lib/messages';
import { authorityKey, setAuthorityOverride } from './authority-overrides';
import { recordInHistory } from './history';
import { injectPageScripts } from './page-scripts';
import type { ClassifierData } from './data';
import type { PageCheckHub } from './page-checks';
import type { ConsentHub } from './consent';
import type { VerdictHub } from './verdict-hub';
import type { Settings } from '../shared/settings';

export interface RouterDeps {
  startedAt: number;
  hub: TallyHub;
  reconciler: { pageSeen(tabId: number, url: string): void; settled(tabId: number): Promise<unknown> };
  pageChecks: PageCheckHub;
  consent: ConsentHub;
  verdicts: VerdictHub;
  data: ClassifierData;
  settings: () => Settings;
  settingsLoaded: Promise<unknown>;
  onError: (where: string, error: unknown) => void;
}
type Sender = Parameters<Parameters<typeof browser.runtime.onMessage.addListener>[0]>[1];
type Reply = Promise<BackgroundResponse> | undefined;
type Table<M extends { type: string }> = {
  [T in M['type']]: (message: Extract<M, { type: T }>, sender: Sender) => Reply;
};

/** The runtime.onMessage listener. */
export function createRouter(d: RouterDeps): (message: unknown, sender: Sender) => Reply {
  const { hub, pageChecks, verdicts } = d;
  // Consent-banner detection (every other content message): `init` and `eval` are answered, detections recorded.
  const consentMessage = (
    message: Exclude<ContentMessage, { type: 'page-facts' | 'page-interaction' | 'page-loaded' }>,
    sender: Sender,
  ): Reply =>
    d.consent.handle(message, sender, Date.now()).catch((error: unknown): undefined => {
      d.onError('consent', error);
      return undefined;
    }) as Promise<unknown> as Promise<BackgroundResponse>;
  // Content scripts may only report facts about their own tab's top frame; they get no answer.
  const content: Table<ContentMessage> = {
    'page-facts': (message, sender) =>
      // Answered with an acknowledgement once stored: a worker stopped mid-way never answers,
      // and the content script sends again (entrypoints/content.ts).
      Promise.all([hub.whenReady(), d.settingsLoaded]).then((): BackgroundResponse => {
        const tabId = sender.tab?.id ?? -1;
        // A visit whose navigation event never arrived starts (or gets its URL) here (reconcile.ts).
        if (tabId >= 0 && sender.frameId === 0 && sender.url) d.reconciler.pageSeen(tabId, sender.url);
        const ok = pageChecks.receive(message, sender, hub.visit(tabId), d.settings());
        if (!ok) d.onError('onMessage', new Error(`dropped page-facts from ${sender.url ?? 'unknown'}`));
        else verdicts.schedule(tabId);
        return { type: 'ack', ok };
      }),
    'page-interaction': (message, sender) => {
      void hub.whenReady().then(() => {
        const tabId = sender.tab?.id ?? -1;
        if (!pageChecks.interaction(message, sender, Date.now(), hub.visit(tabId)))
          d.onError('onMessage', new Error('dropped page-interaction'));
      });
      return undefined;
    },
    // The page's load is over: the page scripts are injected now (page-scripts.ts), acknowledged
    // once they run; a worker stopped in the middle never answers and the page asks again.
    'page-loaded': (_message, sender) =>
      injectPageScripts(sender).then(
        (ok): BackgroundResponse => ({ type: 'ack', ok }),
        // The document is gone (the tab moved on between its load and now): nothing to read.
        (): BackgroundResponse => ({ type: 'ack', ok: false }),
      ),
    'consent-init': consentMessage,
    'consent-eval': consentMessage,
    'consent-found': consentMessage,
    'consent-none': consentMessage,
  };

  // Typed by the request→reply map, so the answers match what ask() promises (entrypoints/shared/ask.ts).
  const pages: {
    [T in BackgroundRequest['type']]: (
      request: Extract<BackgroundRequest, { type: T }>,
      sender: Sender,
    ) => Promise<BackgroundReplies[T]>;
  } = {
    'get-visit': async (request) => {
      await d.reconciler.settled(request.tabId);
      const visit = hub.visit(request.tabId);
      const built = visit ? await verdicts.reportFor(request.tabId) : null;
      if (built) {
        verdicts.show(request.tabId, built);
        void recordInHistory(request.tabId, built.report, d.onError);
      }
      return verdicts.reply(request.tabId, built, request.first);
    },
    'set-authority': async (request) => {
      const visit = hub.visit(request.tabId);
      const built = visit ? await verdicts.reportFor(request.tabId) : null;
      if (!built) return { type: 'error', message: 'no page in this tab' };
      await setAuthorityOverride(authorityKey(built.report), request.value);
      verdicts.overridesChanged();
      const again = await verdicts.reportFor(request.tabId);
      if (again) verdicts.show(request.tabId, again);
      return verdicts.reply(request.tabId, again);
    },
    'get-status': async () => ({
      type: 'status',
      startedAt: d.startedAt,
      visits: hub.visits().length,
      data: d.data.status,
    }),
  };

  return (message, sender) => {
    if (sender.id !== browser.runtime.id) return undefined;
    const fromExtensionPage = sender.url?.startsWith(browser.runtime.getURL('/')) ?? false;
    if (!fromExtensionPage) {
      const parsed = parseContentMessage(message);
      if (!parsed) {
        d.onError('onMessage', new Error('dropped malformed or oversized content message'));
        return undefined;
      }
      return (content[parsed.type] as (m: ContentMessage, s: Sender) => Reply)(parsed, sender);
    }
    const request = parseBackgroundRequest(message);
    if (!request) {
      d.onError('onMessage', new Error('dropped malformed message'));
      return undefined;
    }
    const handle = pages[request.type] as (m: BackgroundRequest, s: Sender) => Promise<BackgroundResponse>;
    return Promise.all([hub.whenReady(), d.data.ipTableLoaded, d.settingsLoaded]).then(() => handle(request, sender));
  };
}
