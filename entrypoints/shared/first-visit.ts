/**
 * The popup's first question to the background, asked by a small script in the popup's head
 * (entrypoints/popup-ask.ts) while the style sheet and the main script still load: the answer
 * and the document arrive side by side instead of one after the other (docs/ARCHITECTURE.md,
 * "Popup speed"). It goes through the browser's own API object (./extension-api.ts), so the head
 * script stays about a kilobyte.
 */
import type { BackgroundReplies, BackgroundRequest } from '@/lib/messages';
import { extensionApi } from './extension-api';
import { carriesFirstView } from '@/lib/toolbar/popup-url';

export type VisitReply = BackgroundReplies['get-visit'];

export interface VisitAnswer {
  tabId: number | null;
  response: VisitReply | undefined;
}

/** The tab named by the popup's address: `?tabId=N` (the toolbar button's address, tests, deep links). */
export function tabIdFromQuery(): number | null {
  const value = new URLSearchParams(location.search).get('tabId');
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}

/** The tab named by the address, else the active tab of the popup's window. */
async function popupTabId(): Promise<number | null> {
  const fromQuery = tabIdFromQuery();
  if (fromQuery !== null) return fromQuery;
  const [tab] = await extensionApi.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/**
 * Asks for the tab's visit. `first`: the first answer, without the long lists
 * (lib/verdict/first-view.ts). Marks for `npm run bench` (tests/bench/popup-bench.ts).
 */
export async function askVisit(first: boolean): Promise<VisitAnswer> {
  const tabId = await popupTabId();
  if (tabId === null) return { tabId, response: undefined };
  if (first) performance.mark('dsa-request');
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
 * unless the popup's address carries the first view already (lib/toolbar/popup-url.ts).
 */
export function startFirstVisit(): void {
  if (carriesFirstView(location.hash)) return;
  (globalThis as Record<string, unknown>)[PENDING_KEY] = askVisit(true);
}

/** The main script's part: the head script's pending answer (once), or a new first question. */
export function takeFirstVisit(): Promise<VisitAnswer> {
  const g = globalThis as Record<string, unknown>;
  const pending = g[PENDING_KEY] as Promise<VisitAnswer> | undefined;
  delete g[PENDING_KEY];
  return pending ?? askVisit(true);
}
