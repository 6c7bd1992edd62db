/**
 * Completes a visit from outside the worker after the worker was stopped while the visit was
 * active (docs/security.md, "Known gaps": Chromium drops events aimed at a worker it stops;
 * lib/tally/resource-timing.ts has the numbers). Nothing happens on normal pages: only visits the hub reports as interrupted
 * (`TallyHub.interruptedTabs`, decided at restore) and visits whose navigation events never
 * arrived (started late from the content script's `page-seen`, or provisional) are reconciled.
 *
 * One pass asks the tab's top-frame content script (entrypoints/resource-timing.content.ts) for
 * its Resource Timing, checks the answer (lib/tally/resource-answer.ts) and that it comes from the
 * visit's own document, and hands the URLs the tally lacks to the hub as a `resources` event (so
 * it is logged and replayed like any event, and merged by the pure reconcileWithResources). Then
 * it looks in the cookie jar for cookies the visit demonstrably set whose cookies.onChanged never
 * arrived: cookies seen only in a Set-Cookie header, and cookies the page's document.cookie shows
 * as new or changed since document_start (a jar cookie without such evidence may be older than
 * the visit and is never added). A second pass follows a few seconds later for requests that
 * were still loading during the first.
 */
import { browser } from 'wxt/browser';
import type { ApiCookie } from '@/lib/tally/cookies';
import { cookieKey, fromApiCookie } from '@/lib/tally/cookies';
import { parseResourceAnswer } from '@/lib/tally/resource-answer';
import { RESOURCE_REQUEST, normaliseRequestUrl } from '@/lib/tally/resource-timing';
import { missingResources, pendingHopCount } from '@/lib/tally/reconcile';
import type { Visit } from '@/lib/tally/types';
import type { TallyHub } from '@/lib/tally/hub';

const FOLLOW_UP_MS = 3000;
/** Cookie look-ups per pass (each is one cookies.getAll). */
const MAX_COOKIE_LOOKUPS = 50;

export interface Reconciler {
  /** Reconciles the tab now and once more FOLLOW_UP_MS later. */
  request(tabId: number): void;
  /**
   * The content script reported its page (top frame). A tab without a visit, or with a
   * provisional one, never had its navigation events delivered: the visit starts (or gets its
   * URL) here, and what it missed so far is taken from the page.
   */
  pageSeen(tabId: number, url: string): void;
  /** Waits (at most `timeoutMs`) for a pass of this tab in progress, so an answer includes it. */
  settled(tabId: number, timeoutMs?: number): Promise<void>;
}

export function startReconciler(hub: TallyHub, onError: (where: string, error: unknown) => void): Reconciler {
  const running = new Map<number, Promise<void>>();
  const followUps = new Map<number, ReturnType<typeof setTimeout>>();

  async function pass(tabId: number): Promise<void> {
    await hub.whenReady();
    const visit = hub.visit(tabId);
    if (!visit) return;
    const sentAt = Date.now();
    const answer = parseResourceAnswer(
      await browser.tabs.sendMessage(tabId, RESOURCE_REQUEST, { frameId: 0 }).catch(() => null),
    );
    if (!answer) return; // no content script there (yet), or an answer we do not take
    const current = hub.visit(tabId);
    // The answer must describe this visit's document, not the previous page still in the tab.
    if (
      !current ||
      current.visitId !== visit.visitId ||
      normaliseRequestUrl(answer.documentUrl) !== normaliseRequestUrl(current.url)
    )
      return;
    if (!answer.controlled) {
      const at = Math.min(Math.max(answer.at, sentAt), Date.now());
      const entries = missingResources(current, [{ url: answer.documentUrl, t: 'navigation' }, ...answer.entries]);
      if (entries.length || pendingHopCount(current))
        hub.dispatch({ kind: 'resources', tabId, visitId: current.visitId, at, entries });
    }
    const cookies = await cookiesWithEvidence(hub.visit(tabId) ?? current, answer.changedCookies);
    if (cookies.length)
      hub.dispatch({ kind: 'cookies-found', tabId, visitId: current.visitId, cookies, timeStamp: Date.now() });
  }

  function run(tabId: number): Promise<void> {
    const before = running.get(tabId) ?? Promise.resolve();
    const next = before
      .then(() => pass(tabId))
      .catch((error: unknown) => onError('reconcile', error))
      .finally(() => {
        if (running.get(tabId) === next) running.delete(tabId);
      });
    running.set(tabId, next);
    return next;
  }

  const reconciler: Reconciler = {
    request(tabId) {
      void run(tabId);
      clearTimeout(followUps.get(tabId));
      followUps.set(
        tabId,
        setTimeout(() => {
          followUps.delete(tabId);
          void run(tabId);
        }, FOLLOW_UP_MS),
      );
    },
    pageSeen(tabId, url) {
      const visit = hub.visit(tabId);
      if (visit && !visit.provisional) return;
      hub.dispatch({ kind: 'page-seen', tabId, url, timeStamp: Date.now() });
      reconciler.request(tabId);
    },
    async settled(tabId, timeoutMs = 1000) {
      const pending = running.get(tabId);
      if (pending) await Promise.race([pending, new Promise((r) => setTimeout(r, timeoutMs))]);
    },
  };

  void hub.whenReady().then(() => {
    for (const tabId of hub.interruptedTabs()) reconciler.request(tabId);
  });
  return reconciler;
}

/**
 * Cookies of the jar the visit set whose change event never arrived: those its tally saw only in a
 * Set-Cookie header (the header was this visit's; the jar confirms it was stored), and those the
 * page reported as new or changed in document.cookie (not HttpOnly: document.cookie cannot show those).
 */
async function cookiesWithEvidence(visit: Visit, changedNames: readonly string[]): Promise<ApiCookie[]> {
  const found: ApiCookie[] = [];
  const inJar = new Set(visit.cookies.filter((c) => c.seenBy.includes('script')).map((c) => c.key));
  let lookups = 0;
  const pageUrl = new URL(visit.url);
  for (const c of visit.cookies) {
    if (inJar.has(c.key) || lookups >= MAX_COOKIE_LOOKUPS) continue;
    lookups++;
    const details: Parameters<typeof browser.cookies.getAll>[0] & { partitionKey?: { topLevelSite: string } } = {
      name: c.name,
      domain: c.domain.replace(/^\./, ''),
    };
    if (c.partition) details.partitionKey = { topLevelSite: `${pageUrl.protocol}//${c.partition}` };
    const cookies = (await browser.cookies.getAll(details).catch(() => [])) as ApiCookie[];
    for (const cookie of cookies) if (cookieKey(fromApiCookie(cookie, 0)) === c.key) found.push(cookie);
  }
  for (const name of changedNames) {
    if (lookups++ >= MAX_COOKIE_LOOKUPS) break;
    const cookies = (await browser.cookies.getAll({ url: visit.url, name }).catch(() => [])) as ApiCookie[];
    for (const cookie of cookies)
      if (!cookie.httpOnly && !inJar.has(cookieKey(fromApiCookie(cookie, 0)))) found.push(cookie);
  }
  return found;
}
