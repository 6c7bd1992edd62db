/**
 * The per-tab tally's reducer: every browser event of a tab goes through `reduceTally`.
 *
 * Pure: `(state, event) -> new state`, no I/O, no browser API, the input is never modified; the
 * building blocks (visit.ts, ledger.ts, reconcile.ts) copy only what an event touches, so the
 * cost per webRequest event stays in the low microseconds (`npm run bench`).
 */
import { fromApiCookie, parseSetCookie } from './cookies';
import { HopState, announceHop, countHop, ledgerGet, ledgerPut, ledgerUrl, markNotSent, usableLedger } from './ledger';
import { reconcileWithResources } from './reconcile';
import { urlHash } from './resource-timing';
import type { TallyEvent, TallyState, Visit } from './types';
import {
  addCookie,
  addError,
  addRequest,
  addResponseIp,
  cookieBelongsToVisit,
  newVisit,
  notSentReasonOf,
  removeInternalHop,
} from './visit';
import { parseHttpHostHref, parseHttpUrl, siteOfCookieDomain } from '../site';
import { historyVisit, routedToPrevious } from './soft-visit';

/**
 * Whether a response or error may count its request in this visit: only a request of this
 * document, never a late one of the previous page. Chrome's requestIds grow, so a request issued
 * after the document request has a larger id; a visit started without its document request
 * (page-seen) only takes events from after its start.
 */
function belongsToVisit(visit: Visit, requestId: string, timeStamp: number | undefined): boolean {
  if (visit.documentRequestId === null) return timeStamp !== undefined && timeStamp >= visit.startedAt;
  const id = Number(requestId);
  const doc = Number(visit.documentRequestId);
  return Number.isSafeInteger(id) && Number.isSafeInteger(doc) && id >= doc;
}

/** A document response or error of this tab: starts the visit if its request event never arrived. */
function documentFromLateEvent(
  state: TallyState,
  event: { tabId: number; requestId: string; url: string; timeStamp?: number },
  host: string,
): Visit | null {
  const current = state[event.tabId];
  const at = event.timeStamp;
  if (at === undefined) return null;
  if (current && !current.provisional) {
    if (current.documentRequestId === event.requestId && current.url === parseHttpUrl(event.url)?.href) return null; // already started by its request
    if (current.startedAt > at) return null; // a newer visit: this event is late
    if (current.documentRequestId !== null && current.documentRequestId !== event.requestId) {
      const id = Number(event.requestId);
      const doc = Number(current.documentRequestId);
      if (!Number.isSafeInteger(id) || !Number.isSafeInteger(doc) || id < doc) return null;
    }
    if (current.documentRequestId === null) return null; // seen by the content script: that visit stands
  }
  const visit = adoptOrStart(current, event.tabId, event.url, at, event.requestId);
  if (!visit) return null;
  return countHop(visit, host, ledgerUrl(visit.url), event.requestId, 'main_frame', at);
}

/**
 * A new visit for a document request, or — when the tab's provisional visit is of the same origin
 * and younger than this request — that visit, now with its document: its events were this
 * document's, only delivered (or replayed from an earlier worker) before the document's own.
 */
function adoptOrStart(
  current: Visit | undefined,
  tabId: number,
  url: string,
  at: number,
  requestId: string,
): Visit | null {
  const visit = newVisit(tabId, url, at, requestId);
  if (
    !visit ||
    !current?.provisional ||
    current.startedAt < at ||
    new URL(current.url).origin !== new URL(visit.url).origin
  )
    return visit;
  const { provisional: _was, ...adopted } = current;
  return { ...adopted, url: visit.url, visitId: visit.visitId, startedAt: at, documentRequestId: requestId };
}

/** A tab without a visit: a top-frame subresource event starts a provisional one (Visit.provisional). */
function provisionalVisit(event: {
  tabId: number;
  frameId?: number;
  type?: string;
  initiator?: string;
  timeStamp?: number;
}): Visit | null {
  if (
    event.tabId < 0 ||
    event.frameId !== 0 ||
    event.type === undefined ||
    event.type === 'main_frame' ||
    event.timeStamp === undefined
  )
    return null;
  const origin = event.initiator ? parseHttpUrl(event.initiator) : null;
  if (!origin) return null;
  const visit = newVisit(event.tabId, origin.href, event.timeStamp, null);
  return visit ? { ...visit, provisional: true } : null;
}

function setVisit(state: TallyState, tabId: number, visit: Visit): TallyState {
  return state[tabId] === visit ? state : { ...state, [tabId]: visit };
}

/** The one reducer the background feeds every browser event into. */
export function reduceTally(state: TallyState, event: TallyEvent): TallyState {
  const next = reduceEvent(state, event);
  if (next === state) return next;
  // Stamp the visits the event changed with its time (the hub's "was this visit active?").
  const at = 'timeStamp' in event ? event.timeStamp : undefined;
  if (at === undefined || event.kind === 'cookies-found') return next;
  if ('tabId' in event) {
    const visit = next[event.tabId];
    return visit && visit !== state[event.tabId] && !((visit.lastEventAt ?? 0) >= at)
      ? { ...next, [event.tabId]: { ...visit, lastEventAt: at } }
      : next;
  }
  let stamped: Record<number, Visit> | null = null;
  for (const key of Object.keys(next)) {
    const visit = next[Number(key)]!;
    if (visit === state[Number(key)] || (visit.lastEventAt ?? 0) >= at) continue;
    stamped ??= { ...next };
    stamped[Number(key)] = { ...visit, lastEventAt: at };
  }
  return stamped ?? next;
}

/**
 * A page's own service worker fetches without a tab (webRequest tabId −1). Such a request belongs
 * to the visit whose page origin is its `initiator` — the newest one when several tabs show that
 * origin (the counting rule, docs/ARCHITECTURE.md). The extension's own fetches (initiator
 * chrome-extension://…) and anything else without a tab stay ignored.
 */
function serviceWorkerTab(state: TallyState, initiator: string | undefined): number | null {
  if (!initiator || !(initiator.startsWith('https://') || initiator.startsWith('http://'))) return null;
  let best: Visit | null = null;
  for (const key in state) {
    const visit = state[key as unknown as number]!;
    if (originOf(visit.url) === initiator && (!best || visit.startedAt > best.startedAt)) best = visit;
  }
  return best ? best.tabId : null;
}

/** "https://host:port" of a visit URL (already a WHATWG href: scheme, "//", authority, then "/"). */
function originOf(href: string): string {
  const slash = href.indexOf('/', href.indexOf('//') + 2);
  return slash === -1 ? href : href.slice(0, slash);
}

/**
 * The next hop of a top-level redirect starts the visit again at its URL (the visit belongs to the
 * page the user ends up on), carrying what the earlier hops did: their requests, ledger, not-sent
 * counts and cookies (a bounce through a link shortener sets its own). Parties are judged anew
 * against the new page's site. Start time and id stay those of the navigation's first hop.
 */
function withDocumentHops(earlier: Visit, next: Visit): Visit {
  let visit: Visit = { ...next, startedAt: earlier.startedAt, visitId: earlier.visitId };
  for (const row of earlier.hosts) {
    for (const [type, n] of Object.entries(row.types))
      for (let i = 0; i < n; i++) visit = addRequest(visit, row.host, type, null, row.firstSeenAt);
  }
  const r = earlier.requests;
  visit = {
    ...visit,
    ...(earlier.previous ? { previous: earlier.previous } : {}),
    ledger: earlier.ledger,
    requests: { ...visit.requests, cacheProbe: r.cacheProbe ?? 0, cache: r.cache ?? 0, blocked: r.blocked },
    cookies: earlier.cookies.map((c) => ({ ...c, thirdParty: siteOfCookieDomain(c.domain) !== visit.site })),
    cookieIndex: earlier.cookieIndex,
  };
  return visit;
}

/** A replaced visit as kept in Visit.previous: no ledger (only whole new requests reach it), no older previous. */
function asPrevious(visit: Visit): Visit {
  const { ledger: _ledger, previous: _older, ...rest } = visit;
  return rest;
}

function reduceEvent(state: TallyState, event: TallyEvent): TallyState {
  if (
    (event.kind === 'request' || event.kind === 'response' || event.kind === 'error' || event.kind === 'redirect') &&
    event.tabId < 0
  ) {
    const tabId = serviceWorkerTab(state, event.initiator);
    if (tabId === null) return state;
    event = { ...event, tabId };
  }
  // After a soft navigation, the page before's requests still in flight are its own (soft-visit.ts).
  const routed = routedToPrevious(state, event, reduceEvent);
  if (routed) return routed;
  switch (event.kind) {
    case 'request': {
      const parsed = parseHttpHostHref(event.url);
      if (!parsed || event.tabId < 0) return state;
      const host = parsed.host;
      if (event.type === 'main_frame' && event.frameId === 0) {
        const current = state[event.tabId];
        let visit = adoptOrStart(current, event.tabId, event.url, event.timeStamp, event.requestId);
        if (!visit) return state;
        // The next hop of a top-level redirect (same requestId): the earlier hops went to the network too.
        if (current && !current.provisional && current.documentRequestId === event.requestId)
          visit = withDocumentHops(current, visit);
        else if (current && !current.provisional && visit !== current)
          visit = { ...visit, previous: asPrevious(current) };
        return setVisit(
          state,
          event.tabId,
          countHop(visit, host, ledgerUrl(parsed.href), event.requestId, event.type, event.timeStamp, event.tool),
        );
      }
      // The previous document's requests while it is replaced (a beacon on pagehide) are not this
      // page's: they count for the previous visit.
      if (event.documentLifecycle === 'pending_deletion') {
        const current = state[event.tabId];
        if (!current?.previous) return state;
        const previous = addRequest(current.previous, host, event.type, event.tool, event.timeStamp);
        return setVisit(state, event.tabId, { ...current, previous });
      }
      const visit = state[event.tabId] ?? provisionalVisit(event);
      return visit
        ? setVisit(
            state,
            event.tabId,
            countHop(visit, host, ledgerUrl(parsed.href), event.requestId, event.type, event.timeStamp, event.tool),
          )
        : state;
    }
    case 'response':
    case 'error': {
      const parsed = parseHttpHostHref(event.url);
      if (!parsed || event.tabId < 0 || event.documentLifecycle === 'pending_deletion') return state;
      const host = parsed.host;
      let visit = state[event.tabId];
      // Never sent (a cache-only probe, a cache answer, blocked before sending): out of the counts,
      // into notSent — whether or not its request event arrived.
      const notSent = event.kind === 'response' ? (event.fromCache ? 'cache' : null) : notSentReasonOf(event.error);
      if (notSent) {
        if (
          !visit ||
          (event.type === 'main_frame' && event.frameId === 0 && visit.documentRequestId !== event.requestId)
        )
          return state;
        return setVisit(
          state,
          event.tabId,
          markNotSent(visit, host, ledgerUrl(parsed.href), event.requestId, event.type ?? 'other', notSent),
        );
      }
      // The request's own event may never have arrived (a worker stopped at that moment): the
      // response or error counts it, once (the ledger), if it is this visit's.
      if (event.type !== undefined) {
        if (event.type === 'main_frame' && event.frameId === 0) {
          const started = documentFromLateEvent(state, event, host);
          if (started && event.kind === 'response') visit = started;
        } else {
          const candidate = visit ?? provisionalVisit(event);
          if (candidate && usableLedger(candidate) && belongsToVisit(candidate, event.requestId, event.timeStamp))
            visit = countHop(candidate, host, ledgerUrl(parsed.href), event.requestId, event.type, event.timeStamp);
        }
      }
      if (!visit) return state;
      if (event.kind === 'response') {
        if (event.ip) visit = addResponseIp(visit, host, event.ip);
      } else {
        // One failure per hop, even if its error event is applied twice (the ledger remembers).
        const ledger = usableLedger(visit);
        const hash = ledger ? urlHash(ledgerUrl(parsed.href)) : '';
        const seen = ledger ? ledgerGet(ledger, hash, event.requestId) : undefined;
        if (seen === HopState.failed) return setVisit(state, event.tabId, visit);
        if (seen === HopState.counted) visit = ledgerPut(visit, hash, event.requestId, HopState.failed);
        visit = addError(visit, host);
      }
      return setVisit(state, event.tabId, visit);
    }
    case 'redirect': {
      // A document redirect restarts the visit when its next hop's request arrives (or its response).
      const visit = state[event.tabId] ?? provisionalVisit(event);
      const parsed = parseHttpHostHref(event.url);
      if (!visit || !parsed || event.tabId < 0 || (event.type === 'main_frame' && event.frameId === 0)) return state;
      if (!usableLedger(visit) || !belongsToVisit(visit, event.requestId, event.timeStamp)) return state;
      const counted = countHop(
        visit,
        parsed.host,
        ledgerUrl(parsed.href),
        event.requestId,
        event.type,
        event.timeStamp,
      );
      return setVisit(
        state,
        event.tabId,
        announceHop(counted, event.redirectUrl, event.requestId, event.type, event.timeStamp),
      );
    }
    case 'internal-redirect': {
      const visit = state[event.tabId];
      const parsed = parseHttpUrl(event.url);
      if (!visit || !parsed) return state;
      const ledger = usableLedger(visit);
      if (!ledger) return setVisit(state, event.tabId, removeInternalHop(visit, parsed.host, event.type));
      // Only the hop itself is taken back; a hop whose request event never arrived was not counted.
      const hash = urlHash(ledgerUrl(parsed.href));
      const seen = ledgerGet(ledger, hash, event.requestId);
      if (seen === HopState.internal) return state;
      const marked = ledgerPut(visit, hash, event.requestId, HopState.internal);
      return setVisit(
        state,
        event.tabId,
        seen === HopState.counted ? removeInternalHop(marked, parsed.host, event.type) : marked,
      );
    }
    case 'set-cookie': {
      let visit = state[event.tabId];
      if (event.type === 'main_frame' && event.frameId === 0 && event.requestId !== undefined) {
        const parsed = parseHttpUrl(event.url);
        const started = parsed
          ? documentFromLateEvent(
              state,
              { tabId: event.tabId, requestId: event.requestId, url: event.url, timeStamp: event.timeStamp },
              parsed.host,
            )
          : null;
        if (started) visit = started;
      }
      if (!visit) return state;
      let next = visit;
      for (const line of event.lines) {
        const observation = parseSetCookie(line, event.url, visit.site, event.timeStamp, event.partitioning);
        if (observation) next = addCookie(next, observation);
      }
      return setVisit(state, event.tabId, next);
    }
    case 'cookie-changed': {
      if (event.removed) return state;
      const observation = fromApiCookie(event.cookie, event.timeStamp);
      let next: TallyState = state;
      for (const visit of Object.values(state)) {
        if (cookieBelongsToVisit(visit, observation)) next = setVisit(next, visit.tabId, addCookie(visit, observation));
      }
      return next;
    }
    case 'history': {
      const visit = historyVisit(state[event.tabId], event);
      return visit ? setVisit(state, event.tabId, visit) : state;
    }
    case 'page-seen': {
      const current = state[event.tabId];
      if (event.tabId < 0 || (current && !current.provisional)) return state;
      const visit = newVisit(event.tabId, event.url, event.timeStamp, null);
      if (!visit) return state;
      // The provisional visit was this document's (same origin): it keeps its counts and gets its URL.
      if (current && new URL(current.url).origin === new URL(visit.url).origin) {
        const { provisional: _was, ...adopted } = current;
        return setVisit(state, event.tabId, { ...adopted, url: visit.url });
      }
      return setVisit(state, event.tabId, visit);
    }
    case 'resources': {
      const visit = state[event.tabId];
      // The document's Resource Timing cannot tell one soft-navigated page's requests from the
      // others' (docs/ARCHITECTURE.md, "Soft navigations"): not merged into a history visit.
      if (!visit || visit.visitId !== event.visitId || visit.navigation === 'history') return state;
      return setVisit(state, event.tabId, reconcileWithResources(visit, event.entries, event.at));
    }
    case 'cookies-found': {
      const visit = state[event.tabId];
      if (!visit || visit.visitId !== event.visitId) return state;
      let next = visit;
      for (const cookie of event.cookies) {
        const observation = fromApiCookie(cookie, event.timeStamp);
        if (cookieBelongsToVisit(next, observation)) next = addCookie(next, observation);
      }
      if (next === visit) return state;
      const r = visit.reconciled ?? { requests: 0, cookies: 0, at: 0 };
      const found =
        next.cookies.length -
        visit.cookies.length +
        next.cookies.filter((c, i) => visit.cookies[i] !== undefined && c !== visit.cookies[i]).length;
      return setVisit(state, event.tabId, { ...next, reconciled: { ...r, cookies: r.cookies + found } });
    }
    case 'tab-removed': {
      if (!(event.tabId in state)) return state;
      const { [event.tabId]: _dropped, ...rest } = state;
      return rest;
    }
  }
}
