/**
 * Background side of consent-banner detection (lib/page/consent.ts, entrypoints/consent.content.ts):
 * answers the library's `init` with the rules for the page's URL, runs allow-listed page-context
 * snippets for it, and keeps what was detected per tab (storage.session, so a worker restart keeps it).
 */
import {
  evalSnippets,
  filterCompactRules,
  type BackgroundMessage,
  type IndexedCMPRuleset,
} from '@duckduckgo/autoconsent';
import { browser } from 'wxt/browser';
import { sameOrigin } from '@/lib/site';
import {
  type ConsentMessage,
  type ConsentObservation,
  DETECTION_ONLY_CONFIG,
  DETECTION_SNIPPETS,
  NOT_CHECKED,
  isConsentObservation,
  observeConsent,
} from '@/lib/page/consent';
import type { Visit } from '@/lib/tally/types';

const KEY_PREFIX = 'consent:';

interface TabConsent {
  /** epoch ms of the content script's `init` for the current page: matches the observation to a visit. */
  since: number;
  observation: ConsentObservation;
}

type Sender = { tab?: { id?: number }; frameId?: number; url?: string };

export class ConsentHub {
  private readonly tabs = new Map<number, TabConsent>();
  private rules: Promise<IndexedCMPRuleset> | null = null;
  private changes = 0;

  constructor(
    private readonly onError: (where: string, error: unknown) => void,
    private readonly onChanged: (tabId: number) => void,
  ) {}

  /** Changes whenever any tab's observation changed (part of the report cache key). */
  version(): number {
    return this.changes;
  }

  /** 257 KB of rules, read on the first page that asks and kept while the worker lives. */
  private loadRules(): Promise<IndexedCMPRuleset> {
    this.rules ??= fetch(browser.runtime.getURL('/data/consent-rules.json' as '/'))
      .then((r) => r.json() as Promise<IndexedCMPRuleset>)
      .catch((error: unknown) => {
        this.rules = null;
        throw error;
      });
    return this.rules;
  }

  /** Only the top frame of a tab, about its own page; answers `init` and `eval`, records the rest. */
  async handle(message: ConsentMessage, sender: Sender, now: number): Promise<BackgroundMessage | undefined> {
    const tabId = sender.tab?.id;
    if (tabId === undefined || tabId < 0 || sender.frameId !== 0 || !sender.url) return undefined;
    switch (message.type) {
      case 'consent-init': {
        if (!sameOrigin(message.url, sender.url)) return undefined;
        this.set(tabId, { since: now, observation: NOT_CHECKED });
        try {
          const compact = filterCompactRules(await this.loadRules(), { url: sender.url, mainFrame: true });
          return {
            type: 'initResp',
            rules: { autoconsent: [], compact },
            config: { ...DETECTION_ONLY_CONFIG } as never,
          };
        } catch (error) {
          this.onError('consent.rules', error);
          // Detection off for this page; the report then says "not checked".
          return {
            type: 'initResp',
            rules: { autoconsent: [] },
            config: { ...DETECTION_ONLY_CONFIG, enabled: false } as never,
          };
        }
      }
      case 'consent-eval':
        return { type: 'evalResp', id: message.id, result: await this.runSnippet(tabId, message.snippetId) };
      default: {
        const current = this.tabs.get(tabId) ?? (await this.restore(tabId));
        if (!current) return undefined;
        const next = observeConsent(current.observation, message, now);
        if (next !== current.observation) this.set(tabId, { since: current.since, observation: next });
        return undefined;
      }
    }
  }

  /**
   * Runs one of the library's own detection snippets in the page's main world (some CMPs can only
   * be recognised by their JavaScript API). Only allow-listed ids; never code sent by the page side.
   * The result is reduced to a boolean, as the library does.
   */
  private async runSnippet(tabId: number, snippetId: string): Promise<boolean> {
    if (!DETECTION_SNIPPETS.has(snippetId)) return false;
    const func = (evalSnippets as Record<string, () => unknown>)[snippetId];
    if (!func) return false;
    try {
      const [first] = await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, world: 'MAIN', func });
      return Boolean(first?.result);
    } catch {
      // The page navigated away or refuses scripts (e.g. a browser page): not detected.
      return false;
    }
  }

  /** The observation for the tab's current visit, or "not checked". */
  async observationFor(tabId: number, visit: Visit | null): Promise<ConsentObservation> {
    const entry = this.tabs.get(tabId) ?? (await this.restore(tabId));
    if (!entry || !visit || entry.since < visit.startedAt) return NOT_CHECKED;
    return entry.observation;
  }

  forget(tabId: number): void {
    this.tabs.delete(tabId);
    void browser.storage.session.remove(`${KEY_PREFIX}${tabId}`).catch(() => undefined);
  }

  private set(tabId: number, entry: TabConsent): void {
    this.tabs.set(tabId, entry);
    this.changes++;
    void browser.storage.session
      .set({ [`${KEY_PREFIX}${tabId}`]: entry })
      .catch((e: unknown) => this.onError('consent.persist', e));
    this.onChanged(tabId);
  }

  private async restore(tabId: number): Promise<TabConsent | undefined> {
    const key = `${KEY_PREFIX}${tabId}`;
    const stored = ((await browser.storage.session.get(key).catch(() => ({}))) as Record<string, unknown>)[key] as
      | Partial<TabConsent>
      | undefined;
    if (!stored || typeof stored.since !== 'number' || !isConsentObservation(stored.observation)) return undefined;
    const entry = { since: stored.since, observation: stored.observation };
    this.tabs.set(tabId, entry);
    return entry;
  }
}
