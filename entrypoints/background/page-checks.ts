/**
 * Shell for the page checks: keeps the latest facts the content script reported per tab
 * (memory + storage.session, so a worker restart keeps them), starts the legal-page fetches and
 * builds the checks on request. The logic is in lib/page/checks.ts.
 */
import { browser } from 'wxt/browser';
import { sameOrigin } from '@/lib/site';
import type { Classifier } from '@/lib/parties/classify';
import {
  type Corroboration,
  type FetchedDoc,
  MAX_CORROBORATION_FETCHES,
  NO_CORROBORATION,
  type PageChecks,
  type PagePlan,
  buildPageChecks,
  channelServiceIds,
  corroborationStart,
  imprintLinkOf,
  planPageChecks,
} from '@/lib/page/checks';
import { type FetchScope, fetchScopeOf, mayRequest, pageIpOf, scopeKey } from '@/lib/page/fetch-guard';
import { type PageFacts, factsForStorage, parsePageFacts } from '@/lib/page/facts';
import { startsNewVisit } from '@/lib/page/soft-navigation';
import type { Visit } from '@/lib/tally/types';
import { observedServiceIds } from '@/lib/parties/summary';
import { LOCAL_NAME_REFUSED, legalDoc } from './legal-docs';
import { recordLegalText } from './history';
import type { Settings } from '../shared/settings';

interface TabFacts {
  visitId: string | null;
  facts: PageFacts;
  plan: PagePlan;
  /** What the page may make us reach (lib/page/fetch-guard.ts); docs are kept per scope. */
  scope: FetchScope;
}

const docKey = (entry: TabFacts, url: string) => `${scopeKey(entry.scope)} ${url}`;

const FACTS_PREFIX = 'facts:';
const INTERACTION_PREFIX = 'interaction:';

export class PageCheckHub {
  private readonly tabs = new Map<number, TabFacts>();
  /** By `docKey`: the same URL may give another answer to a page of another scope. */
  private readonly docs = new Map<string, FetchedDoc | 'pending'>();
  private readonly interactions = new Map<number, number>();
  /** Per tab: the corroboration of who runs a profile (at most one per visit). */
  private readonly corroborations = new Map<number, { visitId: string | null; state: Corroboration }>();
  private readonly versions = new Map<number, number>();
  private generation = 0;

  /** Changes whenever anything a tab's checks depend on changed (for caching built reports). */
  version(tabId: number): string {
    return `${this.generation}.${this.versions.get(tabId) ?? 0}`;
  }

  private bump(tabId: number): void {
    this.versions.set(tabId, (this.versions.get(tabId) ?? 0) + 1);
  }

  /** A fetched document can serve several tabs. */
  private bumpAll(): void {
    this.generation++;
  }

  constructor(
    private readonly onError: (where: string, error: unknown) => void,
    private readonly onChecksChanged: (tabId: number) => void = () => undefined,
  ) {}

  /** Accepts facts only from the top frame of a tab, about that frame's own origin. */
  receive(
    message: unknown,
    sender: { tab?: { id?: number }; frameId?: number; url?: string },
    visit: Visit | null,
    settings: Settings,
  ): boolean {
    const tabId = sender.tab?.id;
    if (tabId === undefined || tabId < 0 || sender.frameId !== 0 || !sender.url) return false;
    const facts = parsePageFacts((message as { facts?: unknown } | null)?.facts);
    if (!facts || !sameOrigin(facts.url, sender.url)) return false;
    // Read while the tab showed another page than the visit's (a soft navigation in between,
    // lib/page/soft-navigation.ts): acknowledged, not kept — the content script reads the new page again.
    if (visit && !visit.provisional && startsNewVisit(visit.url, facts.url)) return true;
    const entry: TabFacts = {
      visitId: visit?.visitId ?? null,
      facts,
      plan: planPageChecks(facts),
      scope: fetchScopeOf(facts.url, pageIpOf(visit, facts.url)),
    };
    this.tabs.set(tabId, entry);
    this.bump(tabId);
    void browser.storage.session
      // A restarted worker's copy, within the per-tab budget (lib/page/facts.ts factsForStorage).
      .set({ [`${FACTS_PREFIX}${tabId}`]: { visitId: entry.visitId, facts: factsForStorage(facts) } })
      .catch((e: unknown) => this.onError('facts.persist', e));
    if (settings.fetchLegalPages) this.startFetches(entry, tabId);
    return true;
  }

  private startFetches(entry: TabFacts, tabId: number): void {
    // The imprint first: the privacy analysis resolves a notice's "Verantwortlich: siehe
    // Impressum" against it (lib/page/checks.ts buildPageChecks), so it is wanted soonest.
    const wanted: ['imprint' | 'privacy', (typeof entry.plan.links.imprint)[number] | undefined][] = [
      ['imprint', entry.plan.links.imprint[0]],
      ['privacy', entry.plan.links.privacy[0]],
    ];
    for (const [kind, link] of wanted) {
      if (!link) continue;
      const key = docKey(entry, link.url);
      if (this.docs.has(key)) continue;
      if (!mayRequest(link.url, entry.scope)) {
        this.docs.set(key, refusedDoc(link.url, LOCAL_NAME_REFUSED));
        continue;
      }
      this.docs.set(key, 'pending');
      legalDoc(link.url, entry.scope)
        .then((doc) => {
          this.docs.set(key, doc);
          void recordLegalText(tabId, kind, doc, this.onError);
          this.bumpAll();
          this.onChecksChanged(tabId);
        })
        .catch((error: unknown) => {
          this.docs.delete(key);
          this.onError('legal-doc', error);
        });
    }
  }

  /**
   * The content script saw the user's first click or key press. Kept apart from the facts (a
   * click can come before the idle-time report) and matched to the visit by time.
   */
  interaction(
    message: unknown,
    sender: { tab?: { id?: number }; frameId?: number },
    now: number,
    visit: Visit | null,
  ): boolean {
    const tabId = sender.tab?.id;
    const at = (message as { at?: unknown } | null)?.at;
    if (tabId === undefined || tabId < 0 || sender.frameId !== 0 || typeof at !== 'number' || !Number.isFinite(at))
      return false;
    // The page's clock is not trusted beyond our own: never later than now.
    const value = Math.min(at, now);
    const previous = this.interactions.get(tabId);
    // Keep the earliest interaction of the current visit; one from an earlier page is replaced.
    if (previous !== undefined && visit && previous >= visit.startedAt && previous <= value) return true;
    this.interactions.set(tabId, value);
    this.bump(tabId);
    void browser.storage.session.set({ [`${INTERACTION_PREFIX}${tabId}`]: value }).catch(() => undefined);
    return true;
  }

  /** First interaction during this visit (epoch ms), or null. */
  async firstInteractionAt(tabId: number, visit: Visit | null): Promise<number | null> {
    let at = this.interactions.get(tabId);
    if (at === undefined) {
      const key = `${INTERACTION_PREFIX}${tabId}`;
      const stored = ((await browser.storage.session.get(key).catch(() => ({}))) as Record<string, unknown>)[key];
      if (typeof stored === 'number') {
        at = stored;
        this.interactions.set(tabId, at);
      }
    }
    if (at === undefined || !visit) return null;
    // A page reached inside the app (a history visit) after the user's click or key press in the
    // same document: the user had interacted before it started, and any answer to a banner stands.
    if (at < visit.startedAt) return visit.navigation === 'history' ? visit.startedAt : null;
    return at;
  }

  hasFacts(tabId: number): boolean {
    return this.tabs.has(tabId);
  }

  textSample(tabId: number): string {
    return this.tabs.get(tabId)?.facts.textSample ?? '';
  }

  /** Readable imprint text of the tab's page, if fetched (authority recognition reads it). */
  imprintText(tabId: number): string | null {
    const entry = this.tabs.get(tabId);
    const url = entry?.plan.links.imprint[0]?.url;
    const doc = entry && url ? this.docs.get(docKey(entry, url)) : undefined;
    return doc && doc !== 'pending' ? doc.text : null;
  }

  async checksFor(
    tabId: number,
    visit: Visit | null,
    classifier: Classifier,
    settings: Settings,
  ): Promise<PageChecks | null> {
    let entry = this.tabs.get(tabId);
    if (!entry) {
      entry = await this.restore(tabId, visit);
      if (!entry) return null;
      if (settings.fetchLegalPages) this.startFetches(entry, tabId);
    }
    // Facts of an earlier page in this tab say nothing about the current one.
    if (visit && entry.visitId !== null && entry.visitId !== visit.visitId) return null;
    const current = entry;
    const docOf = (url: string | undefined) => (url ? (this.docs.get(docKey(current, url)) ?? null) : null);
    return buildPageChecks(
      entry.facts,
      entry.plan,
      { imprint: docOf(entry.plan.links.imprint[0]?.url), privacy: docOf(entry.plan.links.privacy[0]?.url) },
      [
        ...new Set([
          ...(visit ? observedServiceIds(visit, classifier) : []),
          ...channelServiceIds(entry.plan, (host) => classifier.classifyHost(host).serviceId),
        ]),
      ],
      settings.fetchLegalPages,
      this.corroborationOf(tabId, visit),
    );
  }

  /** The tab's corroboration for this visit, or NO_CORROBORATION. */
  corroborationOf(tabId: number, visit: Visit | null): Corroboration {
    const c = this.corroborations.get(tabId);
    const visitId = visit?.visitId ?? this.tabs.get(tabId)?.visitId ?? null;
    return c && c.visitId === visitId ? c.state : NO_CORROBORATION;
  }

  /**
   * Reads the imprint of the website a profile links (directly, or as listed on its link page),
   * once per visit and with at most MAX_CORROBORATION_FETCHES requests, through the same fetch as
   * the legal pages (no cookies, no referrer, cache, the local-network guard on every hop).
   * The caller decides whether it is needed (lib/verdict/authority.ts needsCorroboration).
   * Returns whether a corroboration was started.
   */
  corroborate(tabId: number, visit: Visit | null, settings: Settings): boolean {
    const entry = this.tabs.get(tabId);
    if (!entry || !settings.fetchLegalPages) return false;
    const visitId = visit?.visitId ?? entry.visitId;
    if (this.corroborations.get(tabId)?.visitId === visitId) return false;
    const start = corroborationStart(entry.plan);
    if (!start) return false;
    const record = {
      visitId,
      state: { status: 'pending', from: start.url, imprint: null, requested: [] } as Corroboration,
    };
    this.corroborations.set(tabId, record);
    // Both requests are the profile page's doing: they pass the guard under its scope, the second
    // one too although its link was found on the linked website (lib/page/fetch-guard.ts).
    const { scope } = entry;
    const fetchOne = async (url: string): Promise<FetchedDoc | null> => {
      if (record.state.requested.length >= MAX_CORROBORATION_FETCHES || !mayRequest(url, scope)) return null;
      record.state = { ...record.state, requested: [...record.state.requested, url] };
      const doc = await legalDoc(url, scope);
      return doc.error ? null : doc;
    };
    void (async () => {
      const first = await fetchOne(start.url);
      const imprintUrl = first ? imprintLinkOf(first) : null;
      const imprint = imprintUrl ? await fetchOne(imprintUrl) : null;
      if (imprint?.text)
        record.state = { ...record.state, imprint: { url: imprint.finalUrl || imprint.url, text: imprint.text } };
    })()
      .catch((error: unknown) => this.onError('corroboration', error))
      .finally(() => {
        record.state = { ...record.state, status: 'done' };
        this.bumpAll();
        this.onChecksChanged(tabId);
      });
    return true;
  }

  forget(tabId: number): void {
    this.corroborations.delete(tabId);
    this.tabs.delete(tabId);
    this.interactions.delete(tabId);
    void browser.storage.session
      .remove([`${FACTS_PREFIX}${tabId}`, `${INTERACTION_PREFIX}${tabId}`])
      .catch(() => undefined);
  }

  private async restore(tabId: number, visit: Visit | null): Promise<TabFacts | undefined> {
    try {
      const key = `${FACTS_PREFIX}${tabId}`;
      const stored = (await browser.storage.session.get(key))[key] as
        | { visitId?: unknown; facts?: unknown }
        | undefined;
      const facts = parsePageFacts(stored?.facts);
      if (!facts) return undefined;
      const entry: TabFacts = {
        visitId: typeof stored?.visitId === 'string' ? stored.visitId : null,
        facts,
        plan: planPageChecks(facts),
        scope: fetchScopeOf(facts.url, pageIpOf(visit, facts.url)),
      };
      this.tabs.set(tabId, entry);
      return entry;
    } catch (error) {
      this.onError('facts.restore', error);
      return undefined;
    }
  }
}

function refusedDoc(url: string, error: string): FetchedDoc {
  return {
    url,
    finalUrl: url,
    fetchedAt: Date.now(),
    status: 0,
    contentType: '',
    text: '',
    truncated: false,
    error,
    localNetwork: true,
  };
}
