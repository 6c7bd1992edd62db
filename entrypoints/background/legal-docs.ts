/**
 * Fetches the imprint and privacy pages a page links to, and caches the readable text per URL in
 * IndexedDB for CACHE_TTL_MS. These fetches are the only network requests the extension makes
 * (docs/security.md) — also when a profile's linked website and its imprint are read
 * (page-checks.ts corroborate); a setting turns them off.
 *
 * Rules (as close to a user's click as possible, minus the identifying parts):
 * - only http(s) URLs that were found on the page (lib/page/links.ts resolves and filters them);
 * - `credentials: 'omit'` (no cookies, no auth), `referrerPolicy: 'no-referrer'`;
 * - a timeout (FETCH_TIMEOUT_MS) and a size cap (MAX_BODY_BYTES; the rest is cut, and the result
 *   says so); only HTML and plain text are read;
 * - the local-network guard (lib/page/fetch-guard.ts) on the link, on every redirect target before
 *   it is requested, and on the address of every answer before it is read.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { type FetchedDoc, readableText } from '@/lib/page/checks';
import {
  type FetchScope,
  MAX_REDIRECTS,
  isLocalNetworkAddress,
  isLocalNetworkHost,
  mayReadAnswerFrom,
  mayRequest,
  redirectTarget,
  scopeKey,
} from '@/lib/page/fetch-guard';
import { type OwnHop, OwnRequests } from '@/lib/page/own-requests';
import { browser } from 'wxt/browser';

export const LOCAL_NAME_REFUSED = 'a local-network address linked from a public page is not fetched';
export const LOCAL_ADDRESS_REFUSED = 'answered from a local-network address; not read';

/**
 * The background's one log of its own requests, fed by the webRequest listeners in index.ts. The
 * origin is cut from getURL('/') by hand: for non-special schemes such as moz-extension: the URL
 * standard's `origin` is opaque ('null').
 */
export const ownRequests = new OwnRequests(browser.runtime.getURL('/').replace(/\/$/, ''));

export const FETCH_TIMEOUT_MS = 10_000;
export const MAX_BODY_BYTES = 3_000_000;
export const CACHE_TTL_MS = 6 * 3600_000;
const MAX_CACHED_DOCS = 500;

interface LegalDocsDb extends DBSchema {
  'legal-docs': { key: string; value: FetchedDoc; indexes: { fetchedAt: number } };
}

let dbPromise: Promise<IDBPDatabase<LegalDocsDb>> | null = null;
function db(): Promise<IDBPDatabase<LegalDocsDb>> {
  dbPromise ??= openDB<LegalDocsDb>('datenschutz-ampel-cache', 1, {
    upgrade(database) {
      const store = database.createObjectStore('legal-docs', { keyPath: 'url' });
      store.createIndex('fetchedAt', 'fetchedAt');
    },
  }).catch((error: unknown) => {
    dbPromise = null; // try again next time (e.g. blocked by an old version still open)
    throw error;
  });
  return dbPromise;
}

async function readCapped(response: Response): Promise<{ body: string; truncated: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { body: '', truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > MAX_BODY_BYTES) {
      chunks.push(value.subarray(0, MAX_BODY_BYTES - size));
      size = MAX_BODY_BYTES;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  const charset = /charset=["']?([\w-]+)/i.exec(response.headers.get('content-type') ?? '')?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return { body: decoder.decode(bytes), truncated };
}

const FETCH_OPTIONS: RequestInit = {
  credentials: 'omit',
  referrerPolicy: 'no-referrer',
  cache: 'no-store',
  headers: { Accept: 'text/html, text/plain;q=0.9' },
};
/** How long to wait for webRequest's report of our own hop (it comes within milliseconds in Chromium). */
const HOP_EVENT_WAIT_MS = 1_000;

const hostOf = (url: string) => new URL(url).hostname;

/**
 * Fetches a legal page for a page of the given scope (lib/page/fetch-guard.ts). Redirects are
 * followed here, hop by hop (`redirect: 'manual'`, the target from webRequest), so every target
 * passes the guard before it is requested; an answer from a local-network address is not read.
 * Where webRequest does not report the hop, the fetch follows by itself and only the final URL
 * and address are checked (then a redirect into the local network is requested, never read).
 */
export async function fetchLegalDoc(
  url: string,
  scope: FetchScope,
  own: OwnRequests = ownRequests,
): Promise<FetchedDoc> {
  const fetchedAt = Date.now();
  const base = {
    url,
    finalUrl: url,
    fetchedAt,
    status: 0,
    contentType: '',
    text: '',
    truncated: false,
    localNetwork: false,
  };
  if (!/^https?:\/\//i.test(url)) return { ...base, error: 'not an http(s) URL' };
  if (!mayRequest(url, scope)) return { ...base, localNetwork: true, error: LOCAL_NAME_REFUSED };
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let current = url;
  let localNetwork = isLocalNetworkHost(hostOf(url));
  try {
    for (let redirects = 0; ; redirects++) {
      const since = Date.now();
      let response = await fetch(current, { ...FETCH_OPTIONS, redirect: 'manual', signal });
      let hop: OwnHop | null;
      if (response.type === 'opaqueredirect') {
        hop = await own.redirectOf(current, since, HOP_EVENT_WAIT_MS);
        if (hop?.redirectUrl !== undefined) {
          localNetwork ||= isLocalNetworkAddress(hop.ip);
          if (!mayReadAnswerFrom(hop.ip, scope))
            return { ...base, finalUrl: current, localNetwork, error: LOCAL_ADDRESS_REFUSED };
          const next = redirectTarget(hop.redirectUrl, current);
          if (!next) return { ...base, finalUrl: current, localNetwork, error: 'redirected to a non-web address' };
          localNetwork ||= isLocalNetworkHost(hostOf(next));
          if (!mayRequest(next, scope))
            return { ...base, finalUrl: next, localNetwork, error: 'redirected into the local network; not followed' };
          if (redirects >= MAX_REDIRECTS)
            return { ...base, finalUrl: next, localNetwork, error: `more than ${MAX_REDIRECTS} redirects` };
          current = next;
          continue;
        }
        // webRequest did not tell where the redirect goes: let fetch follow, check the end only.
        response = await fetch(current, { ...FETCH_OPTIONS, redirect: 'follow', signal });
        current = response.url || current;
        localNetwork ||= isLocalNetworkHost(hostOf(current));
        if (!mayRequest(current, scope)) {
          await response.body?.cancel().catch(() => undefined);
          return {
            ...base,
            finalUrl: current,
            status: response.status,
            localNetwork,
            error: 'redirected into the local network; not read',
          };
        }
      }
      hop = await own.responseOf(current, since, HOP_EVENT_WAIT_MS);
      localNetwork ||= isLocalNetworkAddress(hop?.ip);
      const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const head = { ...base, finalUrl: current, status: response.status, contentType, localNetwork };
      if (!mayReadAnswerFrom(hop?.ip, scope)) {
        await response.body?.cancel().catch(() => undefined);
        return { ...head, error: LOCAL_ADDRESS_REFUSED };
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return { ...head, error: `HTTP ${response.status}` };
      }
      const { body, truncated } = await readCapped(response);
      // The fragment of the link as found (a redirect target's is dropped) names the section.
      const readable = readableText(body, contentType, new URL(url).hash);
      if (!readable) return { ...head, error: `not a web page (${contentType || 'no content type'})` };
      const { text, links, section } = readable;
      return {
        ...head,
        text,
        ...(links ? { links } : {}),
        ...(section ? { section } : {}),
        truncated: truncated || readable.truncated,
        error: null,
      };
    }
  } catch (error) {
    const e = error as Error;
    const reason =
      e.name === 'TimeoutError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : e.message || String(error);
    return { ...base, finalUrl: current, localNetwork, error: reason };
  }
}

/** Cached document for `url` if fresh, else null. Storage errors read as a cache miss. */
export async function cachedLegalDoc(url: string, now = Date.now()): Promise<FetchedDoc | null> {
  try {
    const doc = await (await db()).get('legal-docs', url);
    return doc && now - doc.fetchedAt < CACHE_TTL_MS ? doc : null;
  } catch {
    return null;
  }
}

export async function storeLegalDoc(doc: FetchedDoc): Promise<void> {
  const database = await db();
  await database.put('legal-docs', doc);
  // Keep the cache bounded: drop the oldest entries beyond MAX_CACHED_DOCS.
  const count = await database.count('legal-docs');
  if (count <= MAX_CACHED_DOCS) return;
  const tx = database.transaction('legal-docs', 'readwrite');
  let excess = count - MAX_CACHED_DOCS;
  for (
    let cursor = await tx.store.index('fetchedAt').openCursor();
    cursor && excess > 0;
    cursor = await cursor.continue()
  ) {
    await cursor.delete();
    excess--;
  }
  await tx.done;
}

const inFlight = new Map<string, Promise<FetchedDoc>>();

/**
 * The document for `url` as a page of `scope` may see it: from the cache, or fetched once even
 * when several tabs ask at once. Only documents fetched entirely over the public network
 * (`localNetwork: false`) are cached on disk and shared between scopes; the rest stay with the
 * scope that fetched them (PageCheckHub keeps them per scope).
 */
export function legalDoc(url: string, scope: FetchScope): Promise<FetchedDoc> {
  const key = `${scopeKey(scope)} ${url}`;
  const running = inFlight.get(key);
  if (running) return running;
  const job = (async () => {
    const cached = await cachedLegalDoc(url);
    // Docs cached by older versions lack `localNetwork`: fetched again.
    if (cached?.localNetwork === false) return cached;
    const doc = await fetchLegalDoc(url, scope);
    // Failures are cached too (briefly, by the same TTL) so a dead link is not hammered.
    if (doc.localNetwork === false) await storeLegalDoc(doc).catch(() => undefined);
    return doc;
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, job);
  return job;
}
