/**
 * Soft navigations (single-page apps): the top frame's document moves to another URL through the
 * History API or the Navigation API. webNavigation.onHistoryStateUpdated reports each such move
 * with the time it happened (https://developer.chrome.com/docs/extensions/reference/api/webNavigation#event-onHistoryStateUpdated);
 * the tally decides whether it is another page (lib/page/soft-navigation.ts, lib/tally/soft-visit.ts).
 *
 * Why webNavigation and not the content script's own detection (docs/ARCHITECTURE.md, "Soft
 * navigations"): the event is the browser's, with the browser's clock (the one webRequest's
 * timeStamps use, so requests are split by their start exactly), it wakes a stopped service
 * worker like the webRequest events do, and the page cannot fake or suppress it. A content script
 * would see pushState only by polling or through the Navigation API (not in every browser we
 * support), and its message arrives later than the requests of the new view.
 */
import { browser } from 'wxt/browser';
import type { TallyHub } from '@/lib/tally/hub';
import type { Guard } from './web-request';

/** Registers the listener; call synchronously in the background's main() (MV3 wake-up). */
export function watchSoftNavigations(hub: TallyHub, guard: Guard): void {
  browser.webNavigation.onHistoryStateUpdated.addListener(
    guard('onHistoryStateUpdated', (d: { tabId: number; frameId: number; url: string; timeStamp: number }) => {
      // Only the tab's page: a frame's own history is part of the page it is in.
      if (d.frameId !== 0 || d.tabId < 0) return;
      hub.dispatch({ kind: 'history', tabId: d.tabId, url: d.url, timeStamp: d.timeStamp });
    }),
    { url: [{ schemes: ['http', 'https'] }] },
  );
}
