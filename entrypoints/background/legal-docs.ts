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
 *   says so); only HTML and plain text are read.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { type FetchedDoc, isLocalNetworkHost, readableText } from '@/lib/page/checks';

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

export async function fetchLegalDoc(url: string): Promise<FetchedDoc> {
  const fetchedAt = Date.now();
  const base = { url, finalUrl: url, fetchedAt, status: 0, contentType: '', text: '', truncated: false };
  if (!/^https?:\/\//i.test(url)) return { ...base, error: 'not an http(s) URL' };
  try {
    const response = await fetch(url, {
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      redirect: 'follow',
      cache: 'no-store',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { Accept: 'text/html, text/plain;q=0.9' },
    });
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const head = { ...base, finalUrl: response.url || url, status: response.status, contentType };
    // A public page's link that redirected into the local network: the request happened (fetch
    // follows redirects itself), but its answer is not read or stored.
    if (isLocalNetworkHost(new URL(head.finalUrl).hostname) && !isLocalNetworkHost(new URL(url).hostname)) {
      await response.body?.cancel().catch(() => undefined);
      return { ...head, error: 'redirected into the local network; not read' };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return { ...head, error: `HTTP ${response.status}` };
    }
    const { body, truncated } = await readCapped(response);
    const readable = readableText(body, contentType, new URL(url).hash);
    if (!readable) return { ...head, error: `not a web page (${contentType || 'no content type'})` };
    const { text, links, section } = readable;
    return { ...head, text, ...(links ? { links } : {}), ...(section ? { section } : {}), truncated: truncated || readable.truncated, error: null };
  } catch (error) {
    const e = error as Error;
    const reason = e.name === 'TimeoutError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : e.message || String(error);
    return { ...base, error: reason };
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
  for (let cursor = await tx.store.index('fetchedAt').openCursor(); cursor && excess > 0; cursor = await cursor.continue()) {
    await cursor.delete();
    excess--;
  }
  await tx.done;
}

const inFlight = new Map<string, Promise<FetchedDoc>>();

/** The document for `url`: from the cache, or fetched once even when several tabs ask at once. */
export function legalDoc(url: string): Promise<FetchedDoc> {
  const running = inFlight.get(url);
  if (running) return running;
  const job = (async () => {
    const cached = await cachedLegalDoc(url);
    if (cached) return cached;
    const doc = await fetchLegalDoc(url);
    // Failures are cached too (briefly, by the same TTL) so a dead link is not hammered.
    await storeLegalDoc(doc).catch(() => undefined);
    return doc;
  })().finally(() => inFlight.delete(url));
  inFlight.set(url, job);
  return job;
}
