/**
 * Was a response served from the HTTP cache without contacting the server (not sent), or was the
 * cached copy revalidated with the server (sent: a 304 counts)?
 *
 * webRequest cannot tell: Chromium reports a revalidated response exactly like a cache hit
 * (`fromCache: true`, status 200, onBeforeSendHeaders/onSendHeaders/onHeadersReceived for both,
 * no conditional request headers visible — seen in Chromium 156 on the fixture page
 * tests/fixtures/sites/www.verein-beispiel.de/cache.html, whose test fails without this rule).
 * The Date header does: on a 304 the cache updates the stored header fields from the 304's
 * (RFC 9111 §4.3.4), and servers date each response (RFC 9110 §6.6.1), so a revalidated answer is
 * dated now while a fresh hit keeps the date of its original download. An answer dated within
 * REVALIDATED_WITHIN_MS of its arrival counts as revalidated; a hit on something downloaded that
 * recently is counted as sent too (the rare error this rule makes, on the safe side: counting).
 */
export const REVALIDATED_WITHIN_MS = 2000;

/** true when the response never reached the server; `date`: its Date header, if any; `at`: webRequest timeStamp (ms). */
export function answeredFromCache(fromCache: boolean | undefined, date: string | undefined, at: number): boolean {
  if (!fromCache) return false;
  if (!date) return true;
  const dated = Date.parse(date);
  if (!Number.isFinite(dated)) return true;
  // Date has whole seconds: compare with the start of the second the answer arrived in.
  return dated < Math.floor(at / 1000) * 1000 - REVALIDATED_WITHIN_MS;
}

/** The Date header of a webRequest header list. */
export function dateHeader(headers: readonly { name: string; value?: string }[] | undefined): string | undefined {
  return headers?.find((h) => h.name.toLowerCase() === 'date')?.value;
}
