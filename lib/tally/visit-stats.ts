/**
 * Read-only views of a visit (lib/tally/types.ts): what the popup and the badge count. Kept apart from
 * the reducers so that importing them does not bundle tldts into the popup.
 */
import type { HostTally, Visit } from './types';

/**
 * Third-party hosts the page actually contacted. A host whose only hop was taken back as an
 * internal redirect (e.g. an ad blocker's local substitute) stays in the table with 0 requests
 * but is not one of them.
 */
export function contactedThirdPartyHosts(visit: Visit): HostTally[] {
  return visit.hosts.filter((h) => h.thirdParty && h.requests > 0);
}

/** Distinct third-party hosts of a visit: the number on the toolbar badge. */
export function thirdPartyHostCount(visit: Visit): number {
  let n = 0;
  for (const h of visit.hosts) if (h.thirdParty && h.requests > 0) n++;
  return n;
}

export interface CookieCounts {
  total: number;
  firstParty: number;
  thirdParty: number;
  session: number;
  persistent: number;
  partitioned: number;
  /** Seen only in a Set-Cookie header, never in the cookie jar: most likely refused by the browser. */
  headerOnly: number;
}

export function cookieCounts(visit: Visit): CookieCounts {
  const c: CookieCounts = {
    total: 0,
    firstParty: 0,
    thirdParty: 0,
    session: 0,
    persistent: 0,
    partitioned: 0,
    headerOnly: 0,
  };
  for (const k of visit.cookies) {
    c.total++;
    if (k.thirdParty) c.thirdParty++;
    else c.firstParty++;
    if (k.expiresAt === null) c.session++;
    else c.persistent++;
    if (k.partition) c.partitioned++;
    if (k.seenBy.length === 1 && k.seenBy[0] === 'header') c.headerOnly++;
  }
  return c;
}

/** Validates a value restored from storage; anything else is dropped rather than trusted. */
