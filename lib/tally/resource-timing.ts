/**
 * Reconciling the tally with the page's own Resource Timing after the MV3 worker was stopped
 * mid-visit (docs/security.md, "Known gaps": worker chaos).
 *
 * Why: Chromium drops webRequest and cookies events aimed at a service worker it is stopping.
 * Measured with a 500-request page and a stop every 200 ms (tests/e2e/chaos.spec.ts, worker
 * console traced per event): 28-91 of 500 requests were never delivered to the worker at all,
 * only 2-6 were delivered and then lost with their write-ahead-log write. No storage trick can
 * recover an event that never arrived, so the tally is completed from a source outside the worker:
 * the page's performance timeline, which the browser keeps whatever happens to our worker.
 *
 * The content script (entrypoints/resource-timing.content.ts, which imports only this module: no
 * valibot in every page; the answer's schema is lib/tally/resource-answer.ts) records `resource` entries from
 * document_start with a PerformanceObserver (getEntriesByType and a late `buffered: true`
 * observer both stop at the 250-entry buffer; measured) and answers the background only when it
 * is asked — which happens only for visits whose worker was restarted while they were active
 * (entrypoints/background/reconcile.ts). The merge itself is `reconcileWithResources` in
 * lib/tally/reconcile.ts; this module holds what both sides share: the message shapes and their
 * validation, the entry -> request type mapping and the URL hash of the tally's request ledger.
 *
 * What Resource Timing cannot give (so stays lost when all its events were dropped): the second
 * and later hops of a redirect (one entry, named by the first URL), requests of iframes (their
 * own timeline), whether a cross-origin request failed (responseStatus is 0 for every
 * cross-origin entry without CORS, measured), and Set-Cookie headers.
 *
 * Trust: the page can only add entries by really loading something in its own document, and the
 * merge only adds requests the tally lacks (per URL multiplicity), marks them (`Visit.reconciled`)
 * and stops at `RESOURCE_LIMITS.mergedPerVisit`. Pages controlled by a service worker are skipped:
 * their fetches reach the network (and webRequest) as the worker's, not the tab's.
 */
export const RESOURCE_LIMITS = {
  /** Entries the content script keeps per document (a cap, not a sample: later ones are counted as dropped). */
  entries: 3000,
  /** Longer URLs are not recorded (they are counted as dropped). */
  urlChars: 4096,
  /** Requests one visit may gain from its page's entries in total. */
  mergedPerVisit: 1000,
  /** Cookie names a page may report as changed since document_start. */
  cookieNames: 200,
} as const;

/** The background asks the top frame's content script (tabs.sendMessage). */
export const RESOURCE_REQUEST = { type: 'dsa-resource-entries' } as const;

/** One request as the page's timeline saw it. `t`: initiatorType; `s`: start time (ms since epoch). */
export interface ResourceEntry {
  url: string;
  t: string;
  s?: number;
}

/**
 * webRequest resource type for a Resource Timing initiatorType. Only unambiguous ones are mapped;
 * `link` (stylesheet, preload, prefetch …) and `css` (image or font) become "other".
 */
export function requestTypeOf(initiatorType: string): string {
  switch (initiatorType) {
    case 'navigation':
      return 'main_frame';
    case 'img':
    case 'image':
    case 'input':
    case 'icon':
      return 'image';
    case 'script':
      return 'script';
    // Chrome reports fetch() as xmlhttprequest.
    case 'fetch':
    case 'xmlhttprequest':
      return 'xmlhttprequest';
    case 'beacon':
    case 'ping':
      return 'ping';
    case 'iframe':
    case 'frame':
      return 'sub_frame';
    case 'embed':
    case 'object':
      return 'object';
    case 'video':
    case 'audio':
    case 'track':
      return 'media';
    default:
      return 'other';
  }
}

/** The URL as both webRequest and Resource Timing name it: absolute http(s), no fragment; else null. */
export function normaliseRequestUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  parsed.hash = '';
  return parsed.href;
}

/**
 * Short hash of a request URL for the tally's request ledger (FNV-1a, 32 bit, as a signed decimal:
 * V8 prints small integers fast, a base-36 string cost three times as much). Two URLs of one visit
 * colliding (about 1 in 1,700 for a 3,000-request visit) only makes the merge treat the second as
 * already counted: it can under-count by one, never count twice.
 */
export function urlHash(url: string): string {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < url.length; i++) h = Math.imul(h ^ url.charCodeAt(i), 0x01000193);
  return String(h);
}

/** Resource entries grouped by URL, in order of first appearance: how many times the page loaded each. */
export function groupEntries(
  entries: readonly ResourceEntry[],
): { url: string; type: string; count: number; startedAt: number | null }[] {
  const byUrl = new Map<string, { url: string; type: string; count: number; startedAt: number | null }>();
  for (const e of entries) {
    const url = normaliseRequestUrl(e.url);
    if (!url) continue;
    const row = byUrl.get(url);
    if (row) row.count++;
    else byUrl.set(url, { url, type: requestTypeOf(e.t), count: 1, startedAt: e.s ?? null });
  }
  return [...byUrl.values()];
}

/**
 * Names of cookies that are new or have a new value in `now` compared to `before` (both
 * `document.cookie` strings). Values never leave the content script; only names are reported.
 */
export function changedCookieNames(before: string, now: string): string[] {
  const pairs = (s: string) =>
    s
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean);
  const old = new Set(pairs(before));
  const names = new Set<string>();
  for (const pair of pairs(now)) {
    if (old.has(pair)) continue;
    const eq = pair.indexOf('=');
    names.add(eq === -1 ? '' : pair.slice(0, eq).trim());
    if (names.size >= RESOURCE_LIMITS.cookieNames) break;
  }
  return [...names];
}

/** The part of the Cookie Store API (https://wicg.github.io/cookie-store/#CookieStore) the watch uses. */
export interface CookieChangeSource {
  addEventListener(type: 'change', listener: (event: { changed: readonly { name?: string | null }[] }) => void): void;
}

/**
 * Starts watching a document's cookies from document_start; the returned function gives the names
 * of cookies new or with a new value since then (`changedCookieNames`' meaning).
 *
 * Where the page has the Cookie Store API with its change event (Chromium in secure contexts:
 * https://wicg.github.io/cookie-store/#CookieStore-change), the names come from its `change`
 * events: subscribing is asynchronous, while the synchronous `document.cookie` read it replaces
 * made every page's parser wait for the browser's cookie store, 1–8 ms measured at
 * document_start (docs/ARCHITECTURE.md, "Page-load overhead"). Elsewhere (http pages, browsers
 * without the event) it reads `document.cookie` at the start and compares at the end, as before.
 * The change event, like `document.cookie`, leaves out HttpOnly cookies. A cookie rewritten with
 * its old value is reported by the event only when the browser stored it anew (Chromium does not
 * report an identical overwrite: measured).
 */
export function watchCookieChanges(store: CookieChangeSource | undefined, read: () => string): () => string[] {
  if (store) {
    const names = new Set<string>();
    store.addEventListener('change', (event) => {
      for (const cookie of event.changed) if (names.size < RESOURCE_LIMITS.cookieNames) names.add(cookie.name ?? '');
    });
    return () => [...names];
  }
  const before = read();
  return () => changedCookieNames(before, read());
}
