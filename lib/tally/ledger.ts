/**
 * The request ledger (RequestLedger in types.ts): which request hops a visit has counted, so that a
 * request is counted once whichever of its events arrives first.
 */
import { urlHash } from './resource-timing';
import { LIMITS, type RequestLedger, type Visit } from './types';
import type { NotSentReason } from './types';
import { addRequest, takeBackNotSent } from './visit';
import { parseHttpUrl } from '../site';

/**
 * The hash's last two decimal digits pick one of 32 buckets (no arithmetic on the whole string).
 * Fewer buckets copy a shorter array per event, more keep each string shorter: 32 measured best.
 */
function bucketOf(hash: string): number {
  const n = hash.length;
  const last = hash.charCodeAt(n - 1) - 48;
  const tens = n > 1 ? hash.charCodeAt(n - 2) - 48 : 0;
  return ((tens >= 0 && tens <= 9 ? tens * 10 : 0) + last) & 31;
}

/**
 * What the ledger knows of one request hop. The digits are what is stored (" key=1"): visits
 * persisted by earlier versions keep restoring, so the values must not change.
 */
export const HopState = {
  /** Seen, but not a network request (Chrome's internal redirect): not counted. */
  internal: 0,
  /** Counted. */
  counted: 1,
  /** Added from the page's Resource Timing and not yet seen by webRequest. */
  merged: 2,
  /** Counted and failed: its error was applied once. */
  failed: 3,
  /** Never sent (a cache-only probe, a cache answer, blocked before sending): in notSent, not counted. */
  notSent: 4,
} as const;
export type HopState = (typeof HopState)[keyof typeof HopState];

/** The ledger when it can still tell counted requests apart; null for old stored visits and when full. */
export function usableLedger(visit: Visit): RequestLedger | null {
  return visit.ledger && !visit.ledger.full ? visit.ledger : null;
}

export function ledgerGet(ledger: RequestLedger, hash: string, requestId: string): HopState | undefined {
  const bucket = ledger.buckets[bucketOf(hash)];
  if (!bucket) return undefined;
  const needle = ` ${hash}:${requestId}=`;
  const i = bucket.indexOf(needle);
  return i === -1 ? undefined : (Number(bucket[i + needle.length]) as HopState);
}

/** The ledger with one key set (or with null removed); the same ledger when nothing changes; `full` instead of a key beyond LIMITS.ledger. */
function ledgerWith(ledger: RequestLedger, hash: string, id: string, value: HopState | null): RequestLedger {
  const b = bucketOf(hash);
  const bucket = ledger.buckets[b] ?? '';
  const needle = ` ${hash}:${id}=`;
  const i = bucket.indexOf(needle);
  let size = ledger.size;
  let next: string;
  if (i === -1) {
    if (value === null) return ledger;
    if (size >= LIMITS.ledger) return { ...ledger, full: true };
    next = bucket + needle + value;
    size++;
  } else {
    const end = i + needle.length + 1;
    if (value === null) {
      next = bucket.slice(0, i) + bucket.slice(end);
      size--;
    } else next = bucket.slice(0, end - 1) + value + bucket.slice(end);
  }
  const buckets = ledger.buckets.slice();
  while (buckets.length < b) buckets.push(''); // no holes: the state stays plain JSON
  buckets[b] = next;
  return { ...ledger, size, buckets };
}

export function ledgerPut(visit: Visit, hash: string, id: string, value: HopState | null): Visit {
  const ledger = ledgerWith(visit.ledger!, hash, id, value);
  return ledger === visit.ledger ? visit : { ...visit, ledger };
}

/** How many requests of this URL the ledger knows (counted, internal hops and reconciled alike). */
export function ledgerUrlCount(ledger: RequestLedger, hash: string): number {
  const bucket = ledger.buckets[bucketOf(hash)];
  if (!bucket) return 0;
  const needle = ` ${hash}:`;
  let n = 0;
  for (let i = bucket.indexOf(needle); i !== -1; i = bucket.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** A key of this URL added from Resource Timing and not yet seen by webRequest, if any. */
function reconciledKeyOf(ledger: RequestLedger, hash: string): string | null {
  const bucket = ledger.buckets[bucketOf(hash)];
  if (!bucket) return null;
  const needle = ` ${hash}:~`;
  for (let i = bucket.indexOf(needle); i !== -1; i = bucket.indexOf(needle, i + needle.length)) {
    const eq = bucket.indexOf('=', i);
    if (Number(bucket[eq + 1]) === HopState.merged) return bucket.slice(i + needle.length - 1, eq);
  }
  return null;
}

/**
 * Counts a request hop once. Returns the visit unchanged when the hop is already in the ledger.
 * A hop the page's Resource Timing already added is taken over instead of counted again, if the
 * event is not younger than the merged snapshot (a later request cannot have been in it).
 */
export function countHop(
  visit: Visit,
  host: string,
  url: string,
  requestId: string,
  type: string,
  timeStamp: number | undefined,
  tool?: string | null,
): Visit {
  let ledger = usableLedger(visit);
  if (!ledger) return addRequest(visit, host, type, tool, timeStamp);
  const hash = urlHash(url);
  const b = bucketOf(hash);
  const bucket = ledger.buckets[b] ?? '';
  const needle = ` ${hash}:${requestId}=`;
  if (bucket.indexOf(needle) !== -1) return visit;
  const lastEventAt = timeStamp !== undefined && !((visit.lastEventAt ?? 0) >= timeStamp) ? timeStamp : undefined;
  // The common case, inlined (it runs for nearly every event): a new hop, nothing pending or merged.
  if (ledger.pending === undefined && visit.reconciled === undefined && ledger.size < LIMITS.ledger) {
    const buckets = ledger.buckets.slice();
    while (buckets.length < b) buckets.push('');
    buckets[b] = bucket + needle + HopState.counted;
    return addRequest(visit, host, type, tool, timeStamp, {
      ledger: { size: ledger.size + 1, full: false, buckets },
      lastEventAt,
    });
  }
  if (ledger.pending?.[`${hash}|${requestId}`] !== undefined) {
    visit = withoutPending(visit, `${hash}|${requestId}`);
    ledger = visit.ledger!;
  }
  const reconciled = visit.reconciled;
  if (reconciled && (timeStamp ?? Number.POSITIVE_INFINITY) <= reconciled.at) {
    const taken = reconciledKeyOf(ledger, hash);
    if (taken !== null) {
      const next = ledgerPut(ledgerPut(visit, hash, taken, null), hash, requestId, HopState.counted);
      return { ...next, reconciled: { ...reconciled, requests: reconciled.requests - 1 } };
    }
  }
  // At the cap the key is not stored (the ledger turns full) but the request still counts.
  return addRequest(visit, host, type, tool, timeStamp, {
    ledger: ledgerWith(ledger, hash, requestId, HopState.counted),
    lastEventAt,
  });
}

/**
 * A hop whose fate says it never reached a server (the counting rule): taken back out of the counts
 * if it was counted, and counted once under its reason instead, whichever order its events come in.
 */
export function markNotSent(
  visit: Visit,
  host: string,
  url: string,
  requestId: string,
  type: string,
  reason: NotSentReason,
): Visit {
  const ledger = usableLedger(visit);
  if (!ledger) {
    // A visit stored by an older version, or a full ledger: its request event counted it.
    const i = visit.hostIndex[host];
    return takeBackNotSent(visit, host, type, reason, i !== undefined && visit.hosts[i]!.requests > 0);
  }
  const hash = urlHash(url);
  const seen = ledgerGet(ledger, hash, requestId);
  if (seen === HopState.notSent || seen === HopState.internal) return visit;
  const counted = seen === HopState.counted || seen === HopState.failed;
  return takeBackNotSent(ledgerPut(visit, hash, requestId, HopState.notSent), host, type, reason, counted);
}

export function withoutPending(visit: Visit, key: string): Visit {
  const { [key]: _done, ...pending } = visit.ledger!.pending ?? {};
  return { ...visit, ledger: { ...visit.ledger!, pending } };
}

/** Records the next hop of a redirect as announced (not counted: its own events or a reconciliation will). */
export function announceHop(visit: Visit, url: string, requestId: string, type: string, timeStamp: number): Visit {
  const ledger = usableLedger(visit);
  const parsed = parseHttpUrl(url);
  if (!ledger || !parsed) return visit;
  const hash = urlHash(ledgerUrl(parsed.href));
  const key = `${hash}|${requestId}`;
  const pending = ledger.pending ?? {};
  if (ledgerGet(ledger, hash, requestId) !== undefined || key in pending) return visit;
  // Bounded like the ledger itself (a redirect loop cannot grow it).
  if (Object.keys(pending).length >= 200) return visit;
  return { ...visit, ledger: { ...ledger, pending: { ...pending, [key]: `${type} ${parsed.host} ${timeStamp}` } } };
}

/** The request URL as the ledger keys it: absolute, no fragment (lib/tally/resource-timing.ts normaliseRequestUrl). */
export function ledgerUrl(href: string): string {
  const hash = href.indexOf('#');
  return hash === -1 ? href : href.slice(0, hash);
}
