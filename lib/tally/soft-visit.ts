/**
 * Visits started inside a document (single-page apps): the tab's document moved to another page
 * through the History API or the Navigation API (TallyEvent `history`). Which URL changes are
 * another page is lib/page/soft-navigation.ts's rule; here is what it does to the tally.
 *
 * Requests belong to the page that was shown when they started (webRequest `timeStamp` is the
 * start): one started before the URL changed stays the page before's, also when its events arrive
 * after the change (Chrome delivers webRequest and webNavigation events on separate paths, so the
 * order in which they arrive says nothing). The page before's visit is kept in `previous` with its
 * ledger, so the later events of its requests (response, error, redirect, Set-Cookie) are routed to
 * it: a hop its ledger knows is its own.
 */
import { startsNewVisit } from '../page/soft-navigation';
import { ledgerGet, ledgerUrl, usableLedger } from './ledger';
import { urlHash } from './resource-timing';
import type { TallyEvent, TallyState, Visit } from './types';
import { newVisit } from './visit';
import { parseHttpUrl } from '../site';

/** The tab's new visit for a same-document URL change, or null when it stays on the same page. */
export function historyVisit(
  current: Visit | undefined,
  event: Extract<TallyEvent, { kind: 'history' }>,
): Visit | null {
  // Without a settled visit there is no page to leave; a change older than the visit is late.
  if (!current || current.provisional || event.timeStamp < current.startedAt) return null;
  if (!startsNewVisit(current.url, event.url)) return null;
  const visit = newVisit(event.tabId, event.url, event.timeStamp, current.documentRequestId);
  if (!visit) return null;
  // The page before keeps its ledger (routing, above) but not its own predecessor.
  const { previous: _older, ...before } = current;
  return { ...visit, visitId: `${event.tabId}-${event.timeStamp}-history`, navigation: 'history', previous: before };
}

/** Whether an event of the tab is about a request of the page before a soft navigation. */
export function belongsToPrevious(current: Visit, event: TallyEvent): boolean {
  const previous = current.navigation === 'history' ? current.previous : undefined;
  if (!previous || !('requestId' in event) || event.requestId === undefined) return false;
  if (event.kind === 'request') {
    if (event.type === 'main_frame' && event.frameId === 0) return false;
    if (event.timeStamp < current.startedAt) return true;
  }
  const ledger = usableLedger(previous);
  const parsed = parseHttpUrl(event.url);
  if (!ledger || !parsed) return false;
  const hash = urlHash(ledgerUrl(parsed.href));
  // A hop it counted, or the next hop of one of its redirects.
  return (
    ledgerGet(ledger, hash, event.requestId) !== undefined ||
    ledger.pending?.[`${hash}|${event.requestId}`] !== undefined
  );
}

/**
 * The state after an event of the page before a soft navigation, applied to that page's visit
 * (`previous`) with the tally's own reducer; null when the event is not about it.
 */
export function routedToPrevious(
  state: TallyState,
  event: TallyEvent,
  reduce: (state: TallyState, event: TallyEvent) => TallyState,
): TallyState | null {
  const current = 'tabId' in event ? state[event.tabId] : undefined;
  if (!current?.previous || !belongsToPrevious(current, event)) return null;
  const before = reduce({ [current.tabId]: current.previous }, event)[current.tabId];
  return before && before !== current.previous
    ? { ...state, [current.tabId]: { ...current, previous: before } }
    : state;
}
