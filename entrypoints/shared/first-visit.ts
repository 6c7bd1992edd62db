/**
 * The popup's first question to the background, asked by a small script in the popup's head
 * (entrypoints/popup-ask.ts) while the style sheet and the main script still load: the answer
 * and the document arrive side by side instead of one after the other (docs/ARCHITECTURE.md,
 * "Popup speed"). It goes through the browser's own API object (./extension-api.ts), so the head
 * script stays about a kilobyte.
 */
import type { BackgroundReplies, BackgroundRequest } from '@/lib/messages';
import { extensionApi } from './extension-api';
import { firstViewKey, storedFirstView } from '@/lib/toolbar/popup-start';

export type VisitReply = BackgroundReplies['get-visit'];

export interface VisitAnswer {
  tabId: number | null;
  response: VisitReply | undefined;
}

/**
 * `?tabId=N` (the toolbar button's address, lib/toolbar/popup-start.ts; tests, deep links), else
 * the active tab of the popup's window.
 */
async function popupTabId(): Promise<number | null> {
  const fromQuery = new URLSearchParams(location.search).get('tabId');
  if (fromQuery !== null && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  const [tab] = await extensionApi.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/** The tab's first view as the background left it in storage.session, if there is one. */
async function readFirstView(tabId: number): Promise<VisitReply | null> {
  const key = firstViewKey(tabId);
  try {
    const stored = (await extensionApi.storage.session.get(key)) as Record<string, unknown>;
    return storedFirstView(stored[key]);
  } catch {
    return null;
  }
}

/**
 * Asks for the tab's visit. `first`: the first answer, without the long lists
 * (lib/verdict/first-view.ts), read from storage.session when the background has left it there,
 * else asked for. Marks for `npm run bench` (tests/bench/popup-bench.ts).
 */
export async function askVisit(first: boolean): Promise<VisitAnswer> {
  const tabId = await popupTabId();
  if (tabId === null) return { tabId, response: undefined };
  if (first) {
    performance.mark('dsa-request');
    const stored = await readFirstView(tabId);
    if (stored) {
      performance.mark('dsa-stored');
      performance.mark('dsa-response');
      return { tabId, response: stored };
    }
  }
  const request: BackgroundRequest = first ? { type: 'get-visit', tabId, first: true } : { type: 'get-visit', tabId };
  let response: VisitReply | undefined;
  try {
    response = (await extensionApi.runtime.sendMessage(request)) as VisitReply | undefined;
  } catch {
    // The worker could not answer (e.g. it was being restarted): the popup asks again on its timer.
    response = undefined;
  }
  if (first) performance.mark('dsa-response');
  return { tabId, response };
}

const PENDING_KEY = '__datenschutzAmpelFirstVisit';

/**
 * The head script's part: ask now and leave the pending answer for the popup's main script —
 * unless the main script ran first (an `async` script may run after a later classic one; seen in
 * Firefox) and asked itself already.
 */
export function startFirstVisit(): void {
  const g = globalThis as Record<string, unknown>;
  if (PENDING_KEY in g) return;
  g[PENDING_KEY] = askVisit(true);
}

/** The main script's part: the head script's pending answer (once), or a new first question. */
export function takeFirstVisit(): Promise<VisitAnswer> {
  const g = globalThis as Record<string, unknown>;
  const pending = g[PENDING_KEY] as Promise<VisitAnswer> | null | undefined;
  // Taken (null): a head script that runs only now does not ask a second time.
  g[PENDING_KEY] = null;
  return pending ?? askVisit(true);
}
