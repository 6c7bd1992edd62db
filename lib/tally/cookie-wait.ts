/**
 * Cookies that do not depend on event order.
 *
 * The cookies API does not say which tab a cookie change belongs to; the tally gives it to the
 * visit that contacted the cookie's domain (cookieBelongsToVisit). Firefox often delivers
 * `cookies.onChanged` before the webRequest event of the request whose response set the cookie
 * (../shared/notes/firefox.md, seen on every other load of the fixture cookie page), so at that
 * moment no visit has seen the host yet. Such a change waits here, in one buffer keyed by the
 * cookie's site, and is applied when the first visit requests that site within COOKIE_WAIT_MS;
 * after that it is dropped and counted (`expired`), which the background records in its
 * diagnostics. In Chromium the request comes first and nothing waits.
 *
 * Pure: `(state, waiting, event, now) -> { state, waiting, expired }`. The hub keeps `waiting` in
 * memory only: it lives at most COOKIE_WAIT_MS, and an MV3 worker is never stopped that soon
 * after an event (docs/ARCHITECTURE.md, "Worker restarts").
 */
import { fromApiCookie } from './cookies';
import { reduceTally } from './reduce';
import type { TallyEvent, TallyState } from './types';
import { cookieBelongsToVisit } from './visit';
import { parseHttpUrl, siteOfCookieDomain, siteOfHost } from '../site';

type CookieChanged = Extract<TallyEvent, { kind: 'cookie-changed' }>;

/**
 * How long a cookie change waits for its visit (ms): a bound on how much later than the cookie
 * Firefox delivers the request event of the same load; a change older than that belongs to no
 * visit of ours (another extension's cookie, a request without a tab).
 */
export const COOKIE_WAIT_MS = 2000;
/** At most this many changes wait at once; the oldest beyond it is dropped (and counted). */
export const COOKIE_WAIT_LIMIT = 500;

export interface WaitingCookies {
  /** Cookie site -> changes waiting for a visit of it, oldest first. */
  readonly bySite: Readonly<Record<string, readonly CookieChanged[]>>;
  readonly size: number;
}

export const NO_WAITING_COOKIES: WaitingCookies = { bySite: {}, size: 0 };

export interface WaitResult {
  state: TallyState;
  waiting: WaitingCookies;
  /** Changes dropped by this step because no visit requested their site in time. */
  expired: number;
}

/** Whether some visit takes this cookie now (the tally's attribution rule). */
function claimed(state: TallyState, event: CookieChanged): boolean {
  const observation = fromApiCookie(event.cookie, event.timeStamp);
  return Object.values(state).some((visit) => cookieBelongsToVisit(visit, observation));
}

function withWaiting(waiting: WaitingCookies, site: string, event: CookieChanged): WaitingCookies {
  return { bySite: { ...waiting.bySite, [site]: [...(waiting.bySite[site] ?? []), event] }, size: waiting.size + 1 };
}

/** Drops changes older than COOKIE_WAIT_MS at `now`, and the oldest ones beyond the limit. */
function expire(waiting: WaitingCookies, now: number, limit: number): { waiting: WaitingCookies; expired: number } {
  if (waiting.size === 0) return { waiting, expired: 0 };
  let expired = 0;
  const bySite: Record<string, CookieChanged[]> = {};
  for (const [site, events] of Object.entries(waiting.bySite)) {
    const kept = events.filter((e) => now - e.timeStamp <= COOKIE_WAIT_MS);
    expired += events.length - kept.length;
    if (kept.length) bySite[site] = kept;
  }
  let size = waiting.size - expired;
  while (size > limit) {
    // The oldest change overall goes first.
    let oldest: string | null = null;
    for (const [site, events] of Object.entries(bySite))
      if (oldest === null || events[0]!.timeStamp < bySite[oldest]![0]!.timeStamp) oldest = site;
    const rest = bySite[oldest!]!.slice(1);
    if (rest.length) bySite[oldest!] = rest;
    else delete bySite[oldest!];
    size--;
    expired++;
  }
  return expired === 0 ? { waiting, expired } : { waiting: { bySite, size }, expired };
}

/** The site a tab's network event contacted, if the event is one (request, response, redirect …). */
function contactedSite(event: TallyEvent): string | null {
  if (!('tabId' in event) || !('url' in event) || event.tabId < 0 || event.kind === 'page-seen') return null;
  const parsed = parseHttpUrl(event.url);
  return parsed ? siteOfHost(parsed.host) : null;
}

/**
 * reduceTally with waiting cookie changes: a change no visit takes yet waits (keyed by the
 * cookie's site); a network event of a tab releases the changes waiting for its host's site,
 * which are then applied in the order they arrived (one still taken by no visit waits on).
 */
export function reduceWithWaitingCookies(
  state: TallyState,
  waiting: WaitingCookies,
  event: TallyEvent,
  now: number,
  limit = COOKIE_WAIT_LIMIT,
): WaitResult {
  const expiredStep = expire(waiting, now, limit);
  let rest = expiredStep.waiting;
  const expired = expiredStep.expired;
  if (event.kind === 'cookie-changed' && !event.removed && !claimed(state, event)) {
    const site = siteOfCookieDomain(event.cookie.domain);
    const held = expire(withWaiting(rest, site, event), now, limit);
    return { state, waiting: held.waiting, expired: expired + held.expired };
  }
  let next = reduceTally(state, event);
  // Nothing waiting (Chromium, and Firefox most of the time): no URL parsing on the hot path.
  if (rest.size === 0) return { state: next, waiting: rest, expired };
  const site = contactedSite(event);
  const released = site === null ? undefined : rest.bySite[site];
  if (!released?.length) return { state: next, waiting: rest, expired };
  const { [site!]: _taken, ...others } = rest.bySite;
  rest = { bySite: others, size: rest.size - released.length };
  for (const change of released) {
    if (claimed(next, change)) next = reduceTally(next, change);
    else rest = withWaiting(rest, site!, change);
  }
  return { state: next, waiting: rest, expired };
}
