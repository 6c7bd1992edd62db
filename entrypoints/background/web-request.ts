/**
 * The webRequest listeners: each maps its event (lib/tally/web-request.ts) and hands it to the
 * per-request rows and the tally hub. Listeners stay tiny: observe, dispatch, return.
 */
import { browser } from 'wxt/browser';
import type { TallyHub } from '@/lib/tally/hub';
import type { Partitioning } from '@/lib/tally/cookies';
import {
  type Mapped,
  fromBeforeRedirect,
  fromBeforeRequest,
  fromErrorOccurred,
  fromHeadersReceived,
  fromResponseStarted,
} from '@/lib/tally/web-request';
import { HEADERS_RECEIVED_SPEC } from './platform';
import { ownRequests } from './legal-docs';
import type { RequestRows } from './request-rows';

export type Guard = <A extends unknown[]>(where: string, fn: (...args: A) => void) => (...args: A) => undefined;

/** Listeners stay tiny: observe, hand the event on, return; an exception is a diagnostic, never lost work. */
export function guardWith(onError: (where: string, error: unknown) => void): Guard {
  return (where, fn) =>
    (...args) => {
      try {
        fn(...args);
      } catch (error) {
        onError(where, error);
      }
      return undefined;
    };
}

const HTTP_ONLY = { urls: ['http://*/*', 'https://*/*'] };

/** Registers the listeners; call synchronously in the background's main() (MV3 wake-up). */
export function watchWebRequests(
  hub: TallyHub,
  rows: RequestRows,
  partitioning: () => Partitioning,
  guard: Guard,
): void {
  // Rows are fed before the hub, so a new document settles the rows of the visit it replaces
  // against that visit's ledger (request-rows.ts).
  const apply = ({ row, event }: Mapped) => {
    if (row) rows.observe(row);
    if (event) hub.dispatch(event);
  };
  browser.webRequest.onBeforeRequest.addListener(
    guard('onBeforeRequest', (d) => apply(fromBeforeRequest(d))),
    HTTP_ONLY,
  );
  browser.webRequest.onResponseStarted.addListener(
    guard('onResponseStarted', (d) => {
      // The extension's own legal-page fetches: their server IP (legal-docs.ts, lib/page/own-requests.ts).
      if (d.tabId === -1) ownRequests.observe(d);
      apply(fromResponseStarted(d));
    }),
    HTTP_ONLY,
    // The Date header tells a revalidated (304) answer from a cache hit (lib/tally/from-cache.ts).
    ['responseHeaders'],
  );
  browser.webRequest.onBeforeRedirect.addListener(
    guard('onBeforeRedirect', (d) => {
      if (d.tabId === -1) ownRequests.observe(d);
      apply(fromBeforeRedirect(d));
    }),
    HTTP_ONLY,
  );
  browser.webRequest.onErrorOccurred.addListener(
    guard('onErrorOccurred', (d) => apply(fromErrorOccurred(d))),
    HTTP_ONLY,
  );
  browser.webRequest.onHeadersReceived.addListener(
    guard('onHeadersReceived', (d) => apply(fromHeadersReceived(d, partitioning()))),
    HTTP_ONLY,
    HEADERS_RECEIVED_SPEC as Parameters<typeof browser.webRequest.onHeadersReceived.addListener>[2],
  );
}
