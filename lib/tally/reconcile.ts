/**
 * Reconciliation: what a visit gains after the worker was stopped mid-visit — requests from the
 * page's own Resource Timing (lib/tally/resource-timing.ts) and redirect targets whose own events
 * never arrived.
 */
import { RESOURCE_LIMITS, type ResourceEntry, groupEntries, normaliseRequestUrl, urlHash } from './resource-timing';
import { HopState, ledgerGet, ledgerPut, ledgerUrlCount, usableLedger, withoutPending } from './ledger';
import type { Visit } from './types';
import { addRequest, hostFromUrl } from './visit';

/**
 * Counts the redirect targets announced at least PENDING_GRACE_MS before `at` whose own request
 * event never arrived (part of a reconciliation; see RequestLedger.pending).
 */
const PENDING_GRACE_MS = 500;
function settlePending(visit: Visit, at: number, budget: number): { visit: Visit; added: number } {
  const pending = visit.ledger?.pending;
  if (!pending || !usableLedger(visit)) return { visit, added: 0 };
  let next = visit;
  let added = 0;
  for (const [key, value] of Object.entries(pending)) {
    const [type = 'other', host = '', time = '0'] = value.split(' ');
    if (Number(time) > at - PENDING_GRACE_MS || !host) continue;
    if (added >= budget) break;
    const bar = key.indexOf('|');
    next = withoutPending(next, key);
    next = ledgerPut(next, key.slice(0, bar), key.slice(bar + 1), HopState.counted);
    if (!usableLedger(next)) break;
    next = addRequest(next, host, type, null, Number(time));
    added++;
  }
  return { visit: next, added };
}

/**
 * Merges the page's Resource Timing into a visit (lib/tally/resource-timing.ts): for each URL, the page
 * loaded it `count` times, the ledger knows it `have` times (counted, internal hops, or merged
 * before); the difference is added, marked in the ledger (HopState.merged) so it is never added twice and
 * is taken over when its own webRequest event still arrives. Capped at
 * RESOURCE_LIMITS.mergedPerVisit per visit. A page can only add requests it made itself, in its
 * own document; it cannot take any away.
 */
export function reconcileWithResources(visit: Visit, entries: readonly ResourceEntry[], at: number): Visit {
  const ledger = usableLedger(visit);
  if (!ledger) return visit;
  const before = visit.reconciled ?? { requests: 0, cookies: 0, at: 0 };
  let next = visit;
  let added = 0;
  let seq = ledger.size;
  for (const { url, type, count, startedAt } of groupEntries(entries)) {
    const host = hostFromUrl(url);
    if (!host) continue;
    const hash = urlHash(url);
    const missing = count - ledgerUrlCount(usableLedger(next) ?? ledger, hash);
    for (let i = 0; i < missing; i++) {
      if (before.requests + added >= RESOURCE_LIMITS.mergedPerVisit || !usableLedger(next)) break;
      let id = `~${seq++}`;
      while (ledgerGet(usableLedger(next)!, hash, id) !== undefined) id = `~${seq++}`;
      const marked = ledgerPut(next, hash, id, HopState.merged);
      if (!usableLedger(marked)) {
        next = marked;
        break;
      }
      next = addRequest(marked, host, type, null, startedAt ?? at);
      added++;
    }
  }
  const settled = settlePending(next, at, RESOURCE_LIMITS.mergedPerVisit - before.requests - added);
  next = settled.visit;
  added += settled.added;
  if (added === 0 && (!visit.reconciled || at <= before.at)) return next;
  return { ...next, reconciled: { ...before, requests: before.requests + added, at: Math.max(before.at, at) } };
}

/**
 * The entries of URLs the visit has fewer requests of than the page loaded (all entries of such a
 * URL, so the merge still sees the page's multiplicity). The background sends only these through
 * the hub, which keeps the logged event small; the merge checks again when it is applied.
 */
export function missingResources(visit: Visit, entries: readonly ResourceEntry[]): ResourceEntry[] {
  const ledger = usableLedger(visit);
  if (!ledger) return [];
  const wanted = new Set(
    groupEntries(entries)
      .filter((g) => g.count > ledgerUrlCount(ledger, urlHash(g.url)))
      .map((g) => g.url),
  );
  if (wanted.size === 0) return [];
  return entries.filter((e) => wanted.has(normaliseRequestUrl(e.url) ?? ''));
}

/** Redirect targets announced but not yet requested (see RequestLedger.pending). */
export function pendingHopCount(visit: Visit): number {
  return usableLedger(visit) ? Object.keys(visit.ledger!.pending ?? {}).length : 0;
}
